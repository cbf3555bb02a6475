package rpc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors/actorspb"
	"github.com/actornode/actornode/rpc"
	"github.com/actornode/actornode/rpc/rpcpb"
)

// waitLong bounds every wait in these tests; it is generous so a loaded
// machine does not fail them.
const waitLong = 30 * time.Second

// testUptimeSeconds is the test node's answer to GetUptime.
const testUptimeSeconds = 4242

// testNode stands in for the root supervisor: it answers GetUptime and
// StopNode and hands every StopNode to the test.
type testNode struct{ stops chan *actorspb.StopNode }

func (n *testNode) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actorspb.GetUptime:
		ctx.Respond(&actorspb.Uptime{Seconds: testUptimeSeconds})
	case *actorspb.StopNode:
		n.stops <- msg
		ctx.Respond(&actorspb.StopAccepted{})
	}
}

// silentActor never answers anything.
type silentActor struct{}

func (silentActor) Receive(actor.Context) {}

// harness is one running actor system with the rpc actor, a test node, a
// test connman, peerman and sockman, and an HTTP client for the rpc server.
type harness struct {
	system     *actor.ActorSystem
	pid        *actor.PID
	url        string
	addrs      []string
	cookieFile string
	cfg        rpc.Config
	client     *http.Client
	transport  *http.Transport
	stops      chan *actorspb.StopNode
	stopped    bool
	// connmanCmds receives every command the test connman gets.
	connmanCmds chan any
	// pings receives one value per PingPeers the test peerman gets.
	pings chan struct{}
	// filters receives the filter of every GetPeerStats the test peerman gets.
	filters chan string
}

// newSystem returns an actor system that logs nothing.
func newSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// startHarness starts everything on 127.0.0.1:0 with a cookie file in a
// directory that does not exist yet and user/password "alice"/"secret".
// mutate may change the config before the actor is spawned.
func startHarness(t *testing.T, mutate func(*rpc.Config), methods ...rpc.Method) *harness {
	t.Helper()
	h := newHarness(t)
	if mutate != nil {
		mutate(&h.cfg)
	}
	h.start(t, methods...)
	return h
}

// newHarness starts the actor system and the test actors and prepares the
// rpc config; start spawns the rpc actor.
func newHarness(t *testing.T) *harness {
	t.Helper()
	system := newSystem()
	h := &harness{system: system, stops: make(chan *actorspb.StopNode, 16), stopped: true}
	t.Cleanup(func() {
		h.stop(t)
		if !system.IsStopped() {
			system.Shutdown()
		}
	})
	node := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &testNode{stops: h.stops} }))
	h.connmanCmds = make(chan any, 64)
	h.pings = make(chan struct{}, 16)
	h.filters = make(chan string, 16)
	connman := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return newTestConnman(h.connmanCmds) }))
	peerman := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &testPeerman{pings: h.pings, filters: h.filters}
	}))
	sockman := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return testSockman{} }))
	h.cfg = rpc.Config{
		Listen:       []string{"127.0.0.1:0"},
		User:         "alice",
		Password:     "secret",
		CookieFile:   filepath.Join(t.TempDir(), "not", "yet", ".cookie"),
		MaxBodyBytes: 64 << 10,
		Info: rpc.NodeInfo{
			Version:         rpc.VersionNumber(0, 1, 0),
			Subversion:      "/actornode:0.1.0/",
			ProtocolVersion: 70016,
			LocalServices:   1 | 8 | 1024 | 2048,
			Network:         "regtest",
			LocalRelay:      true,
		},
		Node:    node,
		Connman: connman,
		Peerman: peerman,
		Sockman: sockman,
	}
	return h
}

// start spawns the rpc actor with h.cfg and learns its bound addresses.
func (h *harness) start(t *testing.T, methods ...rpc.Method) {
	t.Helper()
	h.cookieFile = h.cfg.CookieFile
	h.pid = h.system.Root.Spawn(actor.PropsFromProducer(rpc.NewActor(h.cfg, methods...)))
	h.stopped = false
	res, err := h.system.Root.RequestFuture(h.pid, &rpcpb.GetBoundAddrs{}, waitLong).Result()
	if err != nil {
		t.Fatalf("GetBoundAddrs: %v", err)
	}
	h.addrs = res.(*rpcpb.BoundAddrs).GetAddrs()
	if len(h.addrs) == 0 {
		t.Fatalf("rpc actor reports no bound address")
	}
	h.url = "http://" + h.addrs[0] + "/"
	h.transport = &http.Transport{}
	h.client = &http.Client{Transport: h.transport, Timeout: waitLong}
}

// stop stops the rpc actor and waits until it has terminated.
func (h *harness) stop(t *testing.T) {
	t.Helper()
	if h.stopped {
		return
	}
	h.stopped = true
	if err := h.system.Root.StopFuture(h.pid).Wait(); err != nil {
		t.Errorf("stopping rpc actor: %v", err)
	}
	h.transport.CloseIdleConnections()
}

// cookie returns the content of the cookie file.
func (h *harness) cookie(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(h.cookieFile)
	if err != nil {
		t.Fatalf("reading cookie: %v", err)
	}
	return string(b)
}

// credentials chooses how a request authenticates.
type credentials func(r *http.Request)

func noAuth(*http.Request) {}

func basic(user, password string) credentials {
	return func(r *http.Request) { r.SetBasicAuth(user, password) }
}

// withCookie authenticates with the content of the cookie file.
func (h *harness) withCookie(t *testing.T) credentials {
	user, pass, ok := strings.Cut(h.cookie(t), ":")
	if !ok {
		t.Fatalf("cookie has no colon")
	}
	return basic(user, pass)
}

// do sends one request and returns the response with its whole body.
func (h *harness) do(t *testing.T, method, body string, auth credentials) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, h.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	auth(req)
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, h.url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading reply: %v", err)
	}
	return resp, b
}

// post sends body with the configured user and password.
func (h *harness) post(t *testing.T, body string) (*http.Response, []byte) {
	t.Helper()
	return h.do(t, http.MethodPost, body, basic("alice", "secret"))
}

// postObject sends body and decodes a JSON object reply.
func (h *harness) postObject(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	resp, b := h.post(t, body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json (status %d, body %s)", ct, resp.StatusCode, b)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("reply %q is not a JSON object: %v", b, err)
	}
	return resp.StatusCode, out
}

// call runs one legacy request and returns its result, failing the test on
// an error reply.
func (h *harness) call(t *testing.T, method string, params ...any) any {
	t.Helper()
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"method": method, "params": params, "id": 1})
	status, out := h.postObject(t, string(body))
	if status != http.StatusOK || out["error"] != nil {
		t.Fatalf("%s: status %d, reply %v", method, status, out)
	}
	return out["result"]
}

// errorOf returns the code and message of a reply's error object.
func errorOf(t *testing.T, reply map[string]any) (int, string) {
	t.Helper()
	e, ok := reply["error"].(map[string]any)
	if !ok {
		t.Fatalf("reply has no error object: %v", reply)
	}
	code, ok := e["code"].(float64)
	if !ok {
		t.Fatalf("error code is not a number: %v", e)
	}
	msg, _ := e["message"].(string)
	return int(code), msg
}

// compact re-encodes JSON without spaces for byte comparisons.
func compact(t *testing.T, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("compacting %q: %v", b, err)
	}
	return buf.String()
}

// timeAfter returns a channel that fires after waitLong.
func timeAfter(t *testing.T) <-chan time.Time {
	t.Helper()
	return time.After(waitLong)
}

// readAll returns a response body as a string.
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return string(b)
}
