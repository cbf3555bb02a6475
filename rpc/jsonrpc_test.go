package rpc_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMalformedJSONIsParseError(t *testing.T) {
	h := startHarness(t, nil)
	for _, body := range []string{`{"method":`, `not json`, ``, `42`, `"uptime"`} {
		t.Run(body, func(t *testing.T) {
			status, reply := h.postObject(t, body)
			if status != http.StatusInternalServerError {
				t.Fatalf("status = %d, want 500", status)
			}
			if code, _ := errorOf(t, reply); code != -32700 {
				t.Fatalf("code = %d, want -32700", code)
			}
			if _, ok := reply["result"]; !ok || reply["result"] != nil {
				t.Fatalf("legacy error reply must carry result null: %v", reply)
			}
			if _, ok := reply["id"]; !ok {
				t.Fatalf("legacy reply lacks id: %v", reply)
			}
		})
	}
}

func TestInvalidRequestShapes(t *testing.T) {
	h := startHarness(t, nil)
	cases := []struct {
		body    string
		wantV2  bool
		message string
	}{
		{`{"params":[],"id":1}`, false, "Missing method"},
		{`{"method":null,"id":1}`, false, "Missing method"},
		{`{"method":5,"id":1}`, false, "Method must be a string"},
		{`{"method":"uptime","params":"x","id":1}`, false, "Params must be an array or object"},
		{`{"method":"uptime","params":3,"id":1}`, false, "Params must be an array or object"},
		{`{"jsonrpc":"3.0","method":"uptime","id":1}`, false, "JSON-RPC version not supported"},
		{`{"jsonrpc":2,"method":"uptime","id":1}`, false, "jsonrpc field must be a string"},
		{`{"jsonrpc":"2.0","params":[],"id":1}`, true, "Missing method"},
	}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			status, reply := h.postObject(t, tc.body)
			wantStatus := http.StatusBadRequest
			if tc.wantV2 {
				wantStatus = http.StatusOK
			}
			if status != wantStatus {
				t.Fatalf("status = %d, want %d", status, wantStatus)
			}
			code, msg := errorOf(t, reply)
			if code != -32600 || msg != tc.message {
				t.Fatalf("error = %d %q, want -32600 %q", code, msg, tc.message)
			}
			if reply["id"] != float64(1) {
				t.Fatalf("id not echoed: %v", reply)
			}
			if _, isV2 := reply["jsonrpc"]; isV2 != tc.wantV2 {
				t.Fatalf("reply shape wrong (jsonrpc member present = %v): %v", isV2, reply)
			}
		})
	}
}

func TestUnknownMethod(t *testing.T) {
	h := startHarness(t, nil)
	t.Run("legacy", func(t *testing.T) {
		status, reply := h.postObject(t, `{"method":"getblockcount","params":[],"id":"abc"}`)
		if status != http.StatusNotFound {
			t.Fatalf("status = %d, want 404", status)
		}
		if code, _ := errorOf(t, reply); code != -32601 {
			t.Fatalf("code = %d", code)
		}
		if reply["id"] != "abc" || reply["result"] != nil {
			t.Fatalf("reply %v", reply)
		}
	})
	t.Run("2.0", func(t *testing.T) {
		status, reply := h.postObject(t, `{"jsonrpc":"2.0","method":"getblockcount","id":"abc"}`)
		if status != http.StatusOK {
			t.Fatalf("status = %d, want 200", status)
		}
		if code, _ := errorOf(t, reply); code != -32601 {
			t.Fatalf("code = %d", code)
		}
		if _, has := reply["result"]; has {
			t.Fatalf("2.0 error reply has a result member: %v", reply)
		}
		if reply["jsonrpc"] != "2.0" || reply["id"] != "abc" {
			t.Fatalf("reply %v", reply)
		}
	})
}

func TestReplyShapes(t *testing.T) {
	h := startHarness(t, nil)
	t.Run("legacy", func(t *testing.T) {
		_, body := h.post(t, `{"method":"uptime","params":[],"id":"x1"}`)
		if got, want := compact(t, body), `{"result":4242,"error":null,"id":"x1"}`; got != want {
			t.Fatalf("reply %s, want %s", got, want)
		}
	})
	t.Run("legacy 1.0 marker", func(t *testing.T) {
		_, body := h.post(t, `{"jsonrpc":"1.0","method":"uptime","id":7}`)
		if got, want := compact(t, body), `{"result":4242,"error":null,"id":7}`; got != want {
			t.Fatalf("reply %s, want %s", got, want)
		}
	})
	t.Run("legacy without id", func(t *testing.T) {
		_, body := h.post(t, `{"method":"uptime"}`)
		if got, want := compact(t, body), `{"result":4242,"error":null,"id":null}`; got != want {
			t.Fatalf("reply %s, want %s", got, want)
		}
	})
	t.Run("2.0", func(t *testing.T) {
		_, body := h.post(t, `{"jsonrpc":"2.0","method":"uptime","id":[1,2]}`)
		if got, want := compact(t, body), `{"jsonrpc":"2.0","result":4242,"id":[1,2]}`; got != want {
			t.Fatalf("reply %s, want %s", got, want)
		}
	})
	t.Run("2.0 null id is not a notification", func(t *testing.T) {
		resp, body := h.post(t, `{"jsonrpc":"2.0","method":"uptime","id":null}`)
		if resp.StatusCode != http.StatusOK || compact(t, body) != `{"jsonrpc":"2.0","result":4242,"id":null}` {
			t.Fatalf("status %d reply %s", resp.StatusCode, body)
		}
	})
}

func TestBatchMixed(t *testing.T) {
	h := startHarness(t, nil)
	resp, body := h.post(t, `[
		{"jsonrpc":"2.0","method":"uptime","id":1},
		{"method":"nosuchmethod","params":[],"id":2},
		17,
		{"jsonrpc":"2.0","method":"uptime"},
		{"jsonrpc":"2.0","params":[],"id":5},
		{"jsonrpc":"2.0","method":"help","params":[1,2],"id":6},
		{"method":"uptime","params":[],"id":7}
	]`)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	got := compact(t, body)
	help := `{"jsonrpc":"2.0","error":{"code":-1,"message":`
	want := []string{
		`[{"jsonrpc":"2.0","result":4242,"id":1}`,
		`{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":2}`,
		`{"result":null,"error":{"code":-32600,"message":"Invalid Request object"},"id":null}`,
		`{"jsonrpc":"2.0","error":{"code":-32600,"message":"Missing method"},"id":5}`,
		help,
		`{"result":4242,"error":null,"id":7}]`,
	}
	rest := got
	for _, part := range want {
		i := strings.Index(rest, part)
		if i < 0 {
			t.Fatalf("batch reply %s lacks (in order) %s", got, part)
		}
		rest = rest[i+len(part):]
	}
	if n := strings.Count(got, `"id":`); n != 6 {
		t.Fatalf("batch reply has %d elements, want 6 (the notification gets none): %s", n, got)
	}
}

func TestEmptyBatchIsInvalidRequest(t *testing.T) {
	h := startHarness(t, nil)
	status, reply := h.postObject(t, `[]`)
	if status != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", status)
	}
	if code, _ := errorOf(t, reply); code != -32600 {
		t.Fatalf("code = %d, want -32600", code)
	}
}

func TestNotificationRunsWithoutReply(t *testing.T) {
	h := startHarness(t, nil)
	resp, body := h.post(t, `{"jsonrpc":"2.0","method":"stop","params":[]}`)
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("status %d body %q, want 204 and nothing", resp.StatusCode, body)
	}
	select {
	case <-h.stops:
	case <-timeAfter(t):
		t.Fatal("the notification was not executed: node got no StopNode")
	}
}

func TestBatchOfNotificationsGetsNoContent(t *testing.T) {
	h := startHarness(t, nil)
	resp, body := h.post(t, `[{"jsonrpc":"2.0","method":"uptime"},{"jsonrpc":"2.0","method":"nosuch"}]`)
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("status %d body %q, want 204 and nothing", resp.StatusCode, body)
	}
}

func TestOnlyPOST(t *testing.T) {
	h := startHarness(t, nil)
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		resp, _ := h.do(t, method, "", noAuth)
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("%s: status %d, want 405", method, resp.StatusCode)
		}
		if resp.Header.Get("Allow") != http.MethodPost {
			t.Fatalf("%s: Allow = %q", method, resp.Header.Get("Allow"))
		}
	}
}

func TestNamedAndPositionalParams(t *testing.T) {
	h := startHarness(t, nil)
	t.Run("named", func(t *testing.T) {
		_, reply := h.postObject(t, `{"method":"help","params":{"command":"uptime"},"id":1}`)
		if got, _ := reply["result"].(string); !strings.HasPrefix(got, "uptime\n") {
			t.Fatalf("help via named param: %v", reply)
		}
	})
	t.Run("unknown name", func(t *testing.T) {
		_, reply := h.postObject(t, `{"method":"help","params":{"cmd":"uptime"},"id":1}`)
		if code, msg := errorOf(t, reply); code != -8 || !strings.Contains(msg, "cmd") {
			t.Fatalf("error %d %q, want -8 naming cmd", code, msg)
		}
	})
	t.Run("too many", func(t *testing.T) {
		status, reply := h.postObject(t, `{"method":"uptime","params":[1],"id":1}`)
		code, msg := errorOf(t, reply)
		if status != http.StatusInternalServerError || code != -1 || !strings.HasPrefix(msg, "uptime\n") {
			t.Fatalf("status %d error %d %q, want 500 -1 with uptime's help", status, code, msg)
		}
	})
	t.Run("wrong type", func(t *testing.T) {
		_, reply := h.postObject(t, `{"method":"help","params":[5],"id":1}`)
		if code, msg := errorOf(t, reply); code != -3 || !strings.Contains(msg, "command") {
			t.Fatalf("error %d %q, want -3 naming the parameter", code, msg)
		}
	})
	t.Run("trailing null counts as omitted", func(t *testing.T) {
		if got, _ := h.call(t, "uptime", nil).(float64); got != testUptimeSeconds {
			t.Fatalf("uptime with [null] = %v", got)
		}
	})
}

// rawExchange writes head and then body on a fresh connection and returns the
// status line and the response without waiting for the connection to end.
func rawExchange(t *testing.T, addr, head string, body []byte) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(waitLong)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// authHeader is the Authorization header for alice/secret.
func authHeader() string {
	req, _ := http.NewRequest(http.MethodPost, "http://x/", nil)
	req.SetBasicAuth("alice", "secret")
	return req.Header.Get("Authorization")
}

func TestOversizedBodyAnnouncedByLength(t *testing.T) {
	h := startHarness(t, nil)
	// Announce 100 MiB but send only 1 KiB: the answer must come without
	// the rest of the body ever being sent.
	head := fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		authHeader(), 100<<20)
	resp := rawExchange(t, h.addrs[0], head, make([]byte, 1024))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	msg := readAll(t, resp)
	if !strings.Contains(msg, "exceeds the limit of 65536 bytes") {
		t.Fatalf("413 body %q does not say what the limit is", msg)
	}
}

func TestOversizedChunkedBody(t *testing.T) {
	h := startHarness(t, nil)
	// A chunked body does not announce its size. Send one chunk larger than
	// the limit and never the terminating chunk: only a server that stops
	// reading at the limit can answer.
	chunk := 80 << 10
	head := fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n",
		authHeader(), chunk)
	resp := rawExchange(t, h.addrs[0], head, []byte(strings.Repeat(" ", chunk)))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
}

func TestBodyAtLimitAccepted(t *testing.T) {
	h := startHarness(t, nil)
	req := `{"method":"uptime","params":[],"id":1}`
	body := req + strings.Repeat(" ", 64<<10-len(req))
	resp, reply := h.post(t, body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(reply), "4242") {
		t.Fatalf("status %d reply %q", resp.StatusCode, reply)
	}
	resp, _ = h.post(t, body+" ")
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("one byte over the limit: status %d, want 413", resp.StatusCode)
	}
}
