package loadgen

import (
	"testing"
	"time"
)

func TestSummarizePercentiles(t *testing.T) {
	var samples []time.Duration
	for i := 100; i >= 1; i-- {
		samples = append(samples, time.Duration(i)*time.Microsecond)
	}
	got := Summarize(samples)
	want := Latency{Count: 100, P50: 50 * time.Microsecond, P90: 90 * time.Microsecond,
		P99: 99 * time.Microsecond, Max: 100 * time.Microsecond, Mean: 50500 * time.Nanosecond}
	if got != want {
		t.Fatalf("Summarize = %+v, want %+v", got, want)
	}
	if (Summarize(nil) != Latency{}) {
		t.Fatal("Summarize(nil) is not zero")
	}
	one := Summarize([]time.Duration{3})
	if one.P50 != 3 || one.P99 != 3 || one.Max != 3 {
		t.Fatalf("one sample: %+v", one)
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseKind("flood"); err == nil {
		t.Error("ParseKind(flood) did not fail")
	}
}

func TestHandshakeAndPingMatchNonces(t *testing.T) {
	n := startFakeNode(t, true)
	c, err := n.target().Open()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.RemoteVersion() == nil || c.RemoteVersion().Nonce != 7 {
		t.Fatalf("remote version %+v", c.RemoteVersion())
	}
	lat, err := PingSeries(c, 50, 5, n.target())
	if err != nil {
		t.Fatal(err)
	}
	if lat.Count != 50 || lat.P50 <= 0 || lat.P50 > lat.P90 || lat.P90 > lat.P99 || lat.P99 > lat.Max {
		t.Fatalf("latency %+v", lat)
	}
	// The node saw every ping, and answered its own ping before the verack
	// was read: one pong came from the client.
	if got := n.count("ping"); got != 55 {
		t.Errorf("node received %d pings, want 55", got)
	}
	if got := n.count("pong"); got != 1 {
		t.Errorf("node received %d pongs, want 1 (the answer to its own ping)", got)
	}
	for _, cmd := range []string{"version", "wtxidrelay", "sendaddrv2", "verack"} {
		if got := n.count(cmd); got != 1 {
			t.Errorf("node received %d %s, want 1", got, cmd)
		}
	}
}

func TestHandshakesCountsEveryConnection(t *testing.T) {
	n := startFakeNode(t, false)
	res := Handshakes(n.target(), 40, 8)
	if res.Completed != 40 || res.Failed != 0 || res.FirstError != nil {
		t.Fatalf("result %+v", res)
	}
	if res.Latency.Count != 40 || res.Rate() <= 0 {
		t.Fatalf("latency %+v rate %v", res.Latency, res.Rate())
	}
	eventually(t, func() bool { return n.count("verack") == 40 })
}

func TestHandshakesReportsFailures(t *testing.T) {
	n := startFakeNode(t, false)
	addr := n.target()
	_ = n.ln.Close()
	res := Handshakes(addr, 3, 2)
	if res.Completed != 0 || res.Failed != 3 || res.FirstError == nil {
		t.Fatalf("result %+v", res)
	}
}

func TestFloodPingCountsAreExact(t *testing.T) {
	n := startFakeNode(t, false)
	p, err := OpenPool(n.target(), 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	res := Run(p, Traffic{Kind: KindPing, Duration: 300 * time.Millisecond})
	if res.FirstError != nil || res.Sent == 0 {
		t.Fatalf("result %+v", res)
	}
	if res.Answered != res.Sent {
		t.Fatalf("answered %d of %d pings", res.Answered, res.Sent)
	}
	if got := n.count("ping"); uint64(got) != res.Sent {
		t.Fatalf("node received %d pings, client sent %d", got, res.Sent)
	}
}

func TestPacedTrafficKeepsRateAndTimesPings(t *testing.T) {
	n := startFakeNode(t, false)
	p, err := OpenPool(n.target(), 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	res := Run(p, Traffic{Kind: KindPing, Rate: 200, Duration: time.Second})
	if res.FirstError != nil || res.Answered != res.Sent {
		t.Fatalf("result %+v", res)
	}
	// Three connections at 200/s for a second: at most 600 (pacing never
	// runs ahead), and a loaded machine may fall somewhat behind.
	if res.Sent > 600 || res.Sent < 300 {
		t.Fatalf("sent %d pings, want about 600", res.Sent)
	}
	if uint64(res.Latency.Count) != res.Sent || res.Latency.P50 > res.Latency.P99 {
		t.Fatalf("latency %+v for %d pings", res.Latency, res.Sent)
	}
	for _, k := range []Kind{KindInv, KindAddr, KindTx} {
		before := n.count(string(k))
		res := Run(p, Traffic{Kind: k, Rate: 100, Duration: 200 * time.Millisecond})
		if res.FirstError != nil || res.Sent == 0 {
			t.Fatalf("%s: result %+v", k, res)
		}
		eventually(t, func() bool { return uint64(n.count(string(k))-before) == res.Sent })
	}
}

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
