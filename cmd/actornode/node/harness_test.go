package node_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actornode/actornode/cmd/actornode/node"
	"github.com/actornode/actornode/config"
)

// syncBuffer is a log sink tests can read while the node writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testNode is an actornode started in-process on loopback regtest.
type testNode struct {
	t       *testing.T
	running *node.Running
	logs    *syncBuffer
	p2p     string
	rpcURL  string
	stopped bool
}

// startNode starts actornode on regtest with free loopback ports and the
// given extra flags (config keys as flags).
func startNode(t *testing.T, flags ...string) *testNode {
	t.Helper()
	args := append([]string{
		"--network", "regtest",
		"--datadir", t.TempDir(),
		"--p2p.listen", "127.0.0.1:0",
		"--rpc.listen", "127.0.0.1:0",
		"--rpc.user", "tester", "--rpc.password", "secret",
		"--log.level", "debug",
	}, flags...)
	cfg, err := config.Load(args, nil)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	logs := &syncBuffer{}
	r, err := node.Start(cfg, node.Options{LogOutput: logs})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	n := &testNode{t: t, running: r, logs: logs}
	t.Cleanup(func() {
		n.stop()
		if t.Failed() {
			t.Logf("actornode log:\n%s", tail(logs.String(), 60))
		}
	})
	p2p, err := r.P2PAddrs(20 * time.Second)
	if err != nil || len(p2p) != 1 {
		t.Fatalf("P2P listener: %v %v", p2p, err)
	}
	n.p2p = p2p[0]
	rpcAddrs, err := r.RPCAddrs(20 * time.Second)
	if err != nil || len(rpcAddrs) != 1 {
		t.Fatalf("RPC listener: %v %v", rpcAddrs, err)
	}
	n.rpcURL = "http://" + rpcAddrs[0] + "/"
	return n
}

func (n *testNode) stop() {
	if n.stopped {
		return
	}
	n.stopped = true
	if err := n.running.Shutdown(); err != nil {
		n.t.Errorf("shutdown: %v", err)
	}
}

// rpc calls method over HTTP JSON-RPC, as a user's client would, and
// decodes the result into out (when non-nil).
func (n *testNode) rpc(out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "1.0", "id": "t", "method": method, "params": params})
	req, _ := http.NewRequest(http.MethodPost, n.rpcURL, bytes.NewReader(body))
	req.SetBasicAuth("tester", "secret")
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &reply); err != nil {
		return fmt.Errorf("%s: HTTP %d %q", method, resp.StatusCode, raw)
	}
	if reply.Error != nil {
		return fmt.Errorf("%s: %s (%d)", method, reply.Error.Message, reply.Error.Code)
	}
	if out != nil {
		return json.Unmarshal(reply.Result, out)
	}
	return nil
}

// peerInfo is the part of getpeerinfo the tests check.
type peerInfo struct {
	ID             uint64            `json:"id"`
	Addr           string            `json:"addr"`
	Services       string            `json:"services"`
	BytesSent      uint64            `json:"bytessent"`
	BytesRecv      uint64            `json:"bytesrecv"`
	PingTime       *float64          `json:"pingtime"`
	MinPing        *float64          `json:"minping"`
	Version        int32             `json:"version"`
	SubVer         string            `json:"subver"`
	Inbound        bool              `json:"inbound"`
	ConnectionType string            `json:"connection_type"`
	SentPerMsg     map[string]uint64 `json:"bytessent_per_msg"`
	RecvPerMsg     map[string]uint64 `json:"bytesrecv_per_msg"`
}

func (n *testNode) peers() []peerInfo {
	n.t.Helper()
	var out []peerInfo
	if err := n.rpc(&out, "getpeerinfo"); err != nil {
		n.t.Fatalf("getpeerinfo: %v", err)
	}
	return out
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(s string, lines int) string {
	parts := strings.Split(s, "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}
