package rpc_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actornode/actornode/rpc"
)

// TestMain checks that no test leaves goroutines behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestStopLeavesNoGoroutines(t *testing.T) {
	before := goleak.IgnoreCurrent()
	h := newHarness(t)
	h.start(t)
	// Leave keep-alive connections open after a few calls and a batch.
	h.call(t, "uptime")
	h.call(t, "getnetworkinfo")
	if resp, _ := h.post(t, `[{"method":"uptime","id":1},{"method":"help","id":2}]`); resp.StatusCode != http.StatusOK {
		t.Fatalf("batch status %d", resp.StatusCode)
	}
	h.stop(t)
	h.system.Shutdown()
	if _, err := os.Stat(h.cookieFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cookie left after stop: %v", err)
	}
	goleak.VerifyNone(t, before)
}

func TestServesEveryListenAddress(t *testing.T) {
	h := startHarness(t, func(c *rpc.Config) { c.Listen = []string{"127.0.0.1:0", "127.0.0.1:0"} })
	if len(h.addrs) != 2 || h.addrs[0] == h.addrs[1] {
		t.Fatalf("bound addresses %v, want two distinct", h.addrs)
	}
	for _, addr := range h.addrs {
		h.url = "http://" + addr + "/"
		if got := h.call(t, "uptime"); got != float64(testUptimeSeconds) {
			t.Fatalf("%s: uptime = %v", addr, got)
		}
	}
}

func TestOnListeningReportsBoundAddrs(t *testing.T) {
	got := make(chan []net.Addr, 1)
	h := startHarness(t, func(c *rpc.Config) { c.OnListening = func(a []net.Addr) { got <- a } })
	select {
	case addrs := <-got:
		if len(addrs) != 1 || addrs[0].String() != h.addrs[0] {
			t.Fatalf("OnListening got %v, GetBoundAddrs %v", addrs, h.addrs)
		}
	case <-timeAfter(t):
		t.Fatal("OnListening not called")
	}
}

// blockingMethod returns a method that signals entered and then waits for
// release before answering "done".
func blockingMethod(entered chan<- struct{}, release <-chan struct{}) rpc.Method {
	return rpc.Method{
		Name:     "block",
		Category: "testing",
		Help:     "block",
		Handler: func(*rpc.Call, rpc.Params) (any, error) {
			entered <- struct{}{}
			<-release
			return "done", nil
		},
	}
}

// waitUntilRefused polls until addr no longer accepts connections.
func waitUntilRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for time.Now().Before(deadline) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		conn.Close()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s still accepts connections", addr)
}

func TestStopLetsInFlightCallsFinish(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := startHarness(t, func(c *rpc.Config) { c.ShutdownTimeout = waitLong }, blockingMethod(entered, release))
	type result struct {
		status int
		body   string
		err    error
	}
	answered := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, h.url, strings.NewReader(`{"method":"block","id":1}`))
		req.SetBasicAuth("alice", "secret")
		resp, err := h.client.Do(req)
		if err != nil {
			answered <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		answered <- result{resp.StatusCode, string(body), err}
	}()
	<-entered
	stopped := make(chan struct{})
	go func() {
		h.stop(t)
		close(stopped)
	}()
	// The server has begun shutting down once it stops accepting.
	waitUntilRefused(t, h.addrs[0])
	close(release)
	select {
	case r := <-answered:
		if r.err != nil || r.status != http.StatusOK || !strings.Contains(r.body, `"done"`) {
			t.Fatalf("in-flight call got %d %q, %v", r.status, r.body, r.err)
		}
	case <-timeAfter(t):
		t.Fatal("in-flight call not answered")
	}
	select {
	case <-stopped:
	case <-timeAfter(t):
		t.Fatal("actor did not stop")
	}
}

func TestShutdownIsBounded(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := startHarness(t, func(c *rpc.Config) { c.ShutdownTimeout = 100 * time.Millisecond },
		blockingMethod(entered, release))
	failed := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, h.url, strings.NewReader(`{"method":"block","id":1}`))
		req.SetBasicAuth("alice", "secret")
		resp, err := h.client.Do(req)
		if err == nil {
			resp.Body.Close()
			err = errors.New("answered")
		}
		failed <- err
	}()
	<-entered
	// The handler is still blocked: stop must return anyway, closing the
	// connection under it.
	h.stop(t)
	select {
	case err := <-failed:
		if err.Error() == "answered" {
			t.Fatal("blocked call was answered although its handler never returned")
		}
	case <-timeAfter(t):
		t.Fatal("client still waiting after the server was closed")
	}
}
