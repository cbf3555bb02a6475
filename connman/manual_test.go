package connman

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// waitRetryLines waits until n log lines hold msg and returns their
// retry_in values.
func (h *harness) waitRetryLines(msg string, n int) []time.Duration {
	h.t.Helper()
	var lines []string
	eventually(h.t, msg+" logged", func() bool {
		lines = h.logs.lines(msg)
		return len(lines) >= n
	})
	var out []time.Duration
	for _, l := range lines {
		m := retryIn.FindStringSubmatch(l)
		if m == nil {
			h.t.Fatalf("no retry_in in %q", l)
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// accept waits for connman to dial l.
func accept(t *testing.T, l interface {
	Accept(time.Duration) (*wiretest.Client, error)
}) *wiretest.Client {
	t.Helper()
	c, err := l.Accept(waitLong)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// tcpListener adapts a net.Listener bound to a chosen port to accept.
type tcpListener struct{ l *net.TCPListener }

func (t tcpListener) Accept(timeout time.Duration) (*wiretest.Client, error) {
	_ = t.l.SetDeadline(time.Now().Add(timeout))
	c, err := t.l.Accept()
	if err != nil {
		return nil, err
	}
	_ = c.Close() // only the fact of the connection matters here
	return nil, nil
}

func TestConnectRetriesWithGrowingDelaysThenConnects(t *testing.T) {
	target := closedPort(t)
	h := newHarness(t, options{cfg: func(c *Config) { c.Connect = []string{target}; c.Listen = nil }})
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i := range want {
		got := h.waitRetryLines("manual peer unreachable, will retry", i+1)
		if got[i] != want[i] {
			t.Fatalf("retry %d in %v, want %v (all: %v)", i+1, got[i], want[i], got)
		}
		if i < len(want)-1 {
			h.clock.Advance(got[i])
		}
	}
	line := h.logs.lines("manual peer unreachable")[0]
	for _, s := range []string{"address=" + target, "connection refused", "attempt=1"} {
		if !strings.Contains(line, s) {
			t.Fatalf("log line %q lacks %q", line, s)
		}
	}
	// The peer comes back; the pending retry (8 s, under the 30 s cap)
	// reaches it.
	l, err := net.Listen("tcp", target)
	if err != nil {
		t.Skipf("port %s taken meanwhile: %v", target, err)
	}
	defer func() { _ = l.Close() }()
	h.clock.Advance(want[len(want)-1])
	if _, err := (tcpListener{l.(*net.TCPListener)}).Accept(waitLong); err != nil {
		t.Fatalf("no redial after the peer came back: %v", err)
	}
	a := h.nextAttach()
	if a.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL || a.GetRemoteAddr() != target {
		t.Fatalf("AttachPeer %v", a)
	}
	// The listener side closed at once: connman logs why and redials.
	got := h.waitRetryLines("manual peer disconnected, will retry", 1)
	if got[0] > redialCap {
		t.Fatalf("redial in %v, over the cap", got[0])
	}
	if !strings.Contains(h.logs.lines("manual peer disconnected")[0], "reason=CLOSE_REASON_PEER_CLOSED") {
		t.Fatal("disconnect line lacks the close reason")
	}
	h.clock.Advance(got[0])
	if _, err := (tcpListener{l.(*net.TCPListener)}).Accept(waitLong); err != nil {
		t.Fatalf("no redial after the close: %v", err)
	}
}

func TestRedialDelaysStayUnderTheCap(t *testing.T) {
	h := newHarness(t, options{cfg: func(c *Config) { c.AddNode = []string{closedPort(t)}; c.Listen = nil }})
	for i := 1; i <= 8; i++ {
		got := h.waitRetryLines("manual peer unreachable, will retry", i)
		if got[i-1] > redialCap || got[i-1] != redialDelay(i) {
			t.Fatalf("retry %d in %v", i, got[i-1])
		}
		h.clock.Advance(got[i-1])
	}
}

func TestDialToBannedAddressIsRefused(t *testing.T) {
	l, err := wiretest.Listen(testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	h := newHarness(t, options{})
	h.mustOK(&connmanpb.SetBan{Subnet: "127.0.0.1", Command: "add"})
	h.mustOK(&connmanpb.AddNode{Address: l.Addr(), Command: "onetry"})
	eventually(t, "the refusal logged", func() bool {
		return len(h.logs.lines("refusing to dial a banned address", "address="+l.Addr())) == 1
	})
	if c, err := l.Accept(quiet); err == nil {
		_ = c.Close()
		t.Fatal("connman dialled a banned address")
	}
}

func TestAddNodeAddRemoveOnetry(t *testing.T) {
	l, err := wiretest.Listen(testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	h := newHarness(t, options{})

	h.mustOK(&connmanpb.AddNode{Address: l.Addr(), Command: "add"})
	h.mustFail(&connmanpb.AddNode{Address: l.Addr(), Command: "add"}, -23, "Node already added")
	c := accept(t, l)
	if a := h.nextAttach(); a.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL {
		t.Fatalf("AttachPeer %v", a)
	}
	// An added node is redialled after it goes away.
	_ = c.Close()
	got := h.waitRetryLines("manual peer disconnected, will retry", 1)
	h.clock.Advance(got[0])
	c = accept(t, l)
	h.nextAttach()

	// Removed: the connection stays, but it is not redialled any more.
	h.mustOK(&connmanpb.AddNode{Address: l.Addr(), Command: "remove"})
	h.mustFail(&connmanpb.AddNode{Address: l.Addr(), Command: "remove"}, -24, "Node could not be removed")
	stillOpen(t, c)
	_ = c.Close()
	eventually(t, "the close", func() bool { return h.counts().GetTotal() == 0 })
	h.clock.Advance(time.Minute)
	if c, err := l.Accept(quiet); err == nil {
		_ = c.Close()
		t.Fatal("a removed node was redialled")
	}

	// onetry dials once and never again.
	h.mustOK(&connmanpb.AddNode{Address: l.Addr(), Command: "onetry"})
	c = accept(t, l)
	if a := h.nextAttach(); a.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL {
		t.Fatalf("AttachPeer %v", a)
	}
	_ = c.Close()
	eventually(t, "the close", func() bool { return h.counts().GetTotal() == 0 })
	h.clock.Advance(time.Minute)
	if c, err := l.Accept(quiet); err == nil {
		_ = c.Close()
		t.Fatal("an onetry node was redialled")
	}
	h.mustFail(&connmanpb.AddNode{Address: l.Addr(), Command: "sometimes"}, -8, "add, remove or onetry")
}

func TestDisconnectNodeByAddressAndByID(t *testing.T) {
	h := newHarness(t, options{})
	a, _ := h.accepted()
	b, attB := h.accepted()
	h.mustOK(&connmanpb.DisconnectNode{Address: a.LocalAddr()})
	closed(t, a)
	stillOpen(t, b)
	eventually(t, "the close", func() bool { return h.counts().GetTotal() == 1 })
	h.mustFail(&connmanpb.DisconnectNode{Address: a.LocalAddr()}, -29, "Node not found in connected nodes")

	_, peerID := h.peerman.peer(attB.GetConnId())
	h.mustFail(&connmanpb.DisconnectNode{PeerId: peerID + 1000, ByPeerId: true}, -29, "Node not found")
	h.mustOK(&connmanpb.DisconnectNode{PeerId: peerID, ByPeerId: true})
	closed(t, b)
	eventually(t, "the close", func() bool { return h.counts().GetTotal() == 0 })
	if len(h.logs.lines("connection closed", `detail="rpc: disconnectnode"`)) != 2 {
		t.Fatal("close details do not name disconnectnode")
	}
}

func TestDisconnectNodeByDialledAddress(t *testing.T) {
	l, err := wiretest.Listen(testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	h := newHarness(t, options{cfg: func(c *Config) { c.Connect = []string{l.Addr()} }})
	c := accept(t, l)
	h.nextAttach()
	h.mustOK(&connmanpb.DisconnectNode{Address: l.Addr()})
	closed(t, c)
}
