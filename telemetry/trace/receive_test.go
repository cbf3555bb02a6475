package trace

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	oteltrace "go.opentelemetry.io/otel/trace"
)

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		out[kv.Key] = kv.Value
	}
	return out
}

func TestWireFrameSpanAttributes(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerAlways})
	w := newWorld(t, tr, testPeer)
	w.frame("inv", make([]byte, 37))
	eventually(t, "the inv span", func() bool { return len(ended(rec)["peerman recv inv"]) == 1 })

	s := ended(rec)["peerman recv inv"][0]
	if s.SpanKind() != oteltrace.SpanKindConsumer {
		t.Errorf("kind = %v, want consumer", s.SpanKind())
	}
	if s.Parent().IsValid() {
		t.Errorf("a frame from sockman must start a trace, got parent %v", s.Parent())
	}
	a := attrs(s)
	wantStr := map[attribute.Key]string{
		KeySubsystem: "peerman", KeyActor: w.peerPID.GetId(), KeyMessageType: "actornode.sockman.v1.Frame",
		KeyPeerAddress: "10.1.2.3", KeyPeerDirection: "outbound", KeyConnectionType: "outbound-full-relay",
		KeyUserAgent: "/Satoshi:27.1.0/", KeyCommand: "inv", KeyWireDirection: "recv",
		KeyMessagingSystem: "protoactor", KeyOperationType: "process",
	}
	for k, v := range wantStr {
		if a[k].AsString() != v {
			t.Errorf("%s = %q, want %q", k, a[k].Emit(), v)
		}
	}
	wantInt := map[attribute.Key]int64{KeyPeerID: 7, KeyConnID: 21, KeyPeerPort: 8333, KeyPayloadSize: 37, KeyWireSize: 61}
	for k, v := range wantInt {
		if a[k].AsInt64() != v {
			t.Errorf("%s = %v, want %d", k, a[k].Emit(), v)
		}
	}
	if s.EndTime().Before(s.StartTime()) {
		t.Error("span ends before it starts")
	}
	res, _ := s.Resource().Set().Value("service.name")
	if res.AsString() != "actornode" {
		t.Errorf("service.name = %q", res.AsString())
	}
}

func TestOtherMessageSpanName(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerAlways})
	w := newWorld(t, tr, testPeer)
	w.frame("addr", nil)
	eventually(t, "the addrman span", func() bool { return len(ended(rec)["addrman addrAdd"]) == 1 })
	a := attrs(ended(rec)["addrman addrAdd"][0])
	if a[KeyMessageType].AsString() != "trace.addrAdd" || a[KeySubsystem].AsString() != "addrman" {
		t.Errorf("attributes = %v", a)
	}
	if _, ok := a[KeyPeerID]; ok {
		t.Error("a non-peer actor's span carries a peer id")
	}
}

// TestCausalChainIsOneTrace: recv ping -> send pong through sockman, and
// recv addr -> addrman add, each one trace whose root is the received
// frame's span.
func TestCausalChainIsOneTrace(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerAlways})
	w := newWorld(t, tr, testPeer)
	w.frame("ping", []byte{1, 2, 3, 4, 5, 6, 7, 8})
	w.frame("addr", []byte{0})
	eventually(t, "four spans", func() bool { return len(rec.Ended()) == 4 })

	byName := ended(rec)
	pairs := [][2]string{{"peerman recv ping", "sockman send pong"}, {"peerman recv addr", "addrman addrAdd"}}
	for _, pair := range pairs {
		if len(byName[pair[0]]) != 1 || len(byName[pair[1]]) != 1 {
			t.Fatalf("spans = %v, want one %q and one %q", keys(byName), pair[0], pair[1])
		}
		parent, child := byName[pair[0]][0], byName[pair[1]][0]
		if child.Parent().SpanID() != parent.SpanContext().SpanID() {
			t.Errorf("%q's parent is %v, want %q's span %v", pair[1], child.Parent().SpanID(), pair[0], parent.SpanContext().SpanID())
		}
		if child.SpanContext().TraceID() != parent.SpanContext().TraceID() {
			t.Errorf("%q and %q are in different traces", pair[0], pair[1])
		}
		if !child.Parent().IsRemote() {
			t.Errorf("%q's parent should come from the envelope header (remote)", pair[1])
		}
	}
	if byName["peerman recv ping"][0].SpanContext().TraceID() == byName["peerman recv addr"][0].SpanContext().TraceID() {
		t.Error("two received frames share a trace: each causal chain must be its own trace")
	}
	pong := byName["sockman send pong"][0]
	if a := attrs(pong); a[KeyCommand].AsString() != "pong" || a[KeyPayloadSize].AsInt64() != 8 || a[KeyWireDirection].AsString() != "send" {
		t.Errorf("pong attributes = %v", a)
	}
}

func keys(m map[string][]sdktrace.ReadOnlySpan) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestPanicIsRecordedAndReRaised(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerAlways})
	w := newWorld(t, tr, testPeer)
	w.frame("boom", nil)
	eventually(t, "the boom span", func() bool { return len(ended(rec)["peerman recv boom"]) == 1 })
	// The panic reached the supervisor: the actor is restarted.
	eventually(t, "the restart", func() bool { return w.peer.restarts.Load() == 1 })
	w.frame("ping", nil)
	eventually(t, "a ping after the restart", func() bool { return len(ended(rec)["peerman recv ping"]) == 1 })

	s := ended(rec)["peerman recv boom"][0]
	if s.Status().Code != codes.Error || !strings.Contains(s.Status().Description, "boom from the handler") {
		t.Errorf("status = %+v, want an error mentioning the panic", s.Status())
	}
	if !hasExceptionEvent(s, "boom from the handler", true) {
		t.Errorf("events = %+v, want an exception event with a stack trace", s.Events())
	}
}

func TestHandlerErrorIsRecorded(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerAlways})
	w := newWorld(t, tr, testPeer)
	w.frame("bad", nil)
	w.frame("inv", nil)
	eventually(t, "two spans", func() bool { return len(rec.Ended()) == 2 })
	bad := ended(rec)["peerman recv bad"][0]
	if bad.Status().Code != codes.Error || bad.Status().Description != "malformed addr" || !hasExceptionEvent(bad, "malformed addr", false) {
		t.Errorf("bad: status %+v, events %+v", bad.Status(), bad.Events())
	}
	if ok := ended(rec)["peerman recv inv"][0]; ok.Status().Code == codes.Error {
		t.Error("the next message inherited the error")
	}
}

func hasExceptionEvent(s sdktrace.ReadOnlySpan, msg string, stack bool) bool {
	for _, e := range s.Events() {
		if e.Name != "exception" {
			continue
		}
		var gotMsg, gotStack bool
		for _, kv := range e.Attributes {
			switch kv.Key {
			case "exception.message":
				gotMsg = strings.Contains(kv.Value.AsString(), msg)
			case "exception.stacktrace":
				gotStack = kv.Value.AsString() != ""
			}
		}
		if gotMsg && (gotStack || !stack) {
			return true
		}
	}
	return false
}

func TestSamplerOffTracesNothing(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerOff})
	if tr.Enabled() || tr.ReceiveMiddleware("peerman") != nil || tr.SendMiddleware() != nil {
		t.Fatal("an off tracer without a peer filter must hand out no middleware")
	}
	w := newWorld(t, tr, testPeer)
	for range 20 {
		w.frame("ping", nil)
	}
	eventually(t, "20 pongs", func() bool { return w.conn.count() == 20 })
	if n := len(rec.Ended()); n != 0 {
		t.Fatalf("%d spans with sampler off", n)
	}
}

func TestRatioSamplerTracesWholeChains(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerRatio, Ratio: 0.25}, WithRootSampler(&fixedSampler{every: 4}))
	w := newWorld(t, tr, testPeer)
	for range 40 {
		w.frame("ping", nil)
	}
	eventually(t, "40 pongs", func() bool { return w.conn.count() == 40 })
	eventually(t, "20 spans", func() bool { return len(rec.Ended()) == 20 })
	byName := ended(rec)
	// 10 of 40 root frames sampled; each pong send follows its ping (it
	// carries a trace context, so it is not a root and not re-sampled).
	if len(byName["peerman recv ping"]) != 10 || len(byName["sockman send pong"]) != 10 {
		t.Fatalf("got %d pings and %d pongs traced, want 10 and 10", len(byName["peerman recv ping"]), len(byName["sockman send pong"]))
	}
	parents := map[oteltrace.SpanID]bool{}
	for _, p := range byName["peerman recv ping"] {
		parents[p.SpanContext().SpanID()] = true
	}
	for _, c := range byName["sockman send pong"] {
		if !parents[c.Parent().SpanID()] {
			t.Fatalf("pong span %v has no ping parent", c.SpanContext().SpanID())
		}
	}
}

func TestRatioDefaultSamplerRoughlyHonoursRatio(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerRatio, Ratio: 0.5})
	w := newWorld(t, tr, testPeer)
	for range 400 {
		w.frame("inv", nil)
	}
	eventually(t, "400 frames handled", func() bool { return w.peer.handled.Load() == 400 })
	// Binomial(400, 0.5): 120..280 is more than 8 standard deviations wide.
	if n := len(rec.Ended()); n < 120 || n > 280 {
		t.Fatalf("%d of 400 traced at ratio 0.5", n)
	}
}

func TestPeerFilterTracesSelectedPeerInFull(t *testing.T) {
	cfg := Config{Sampler: SamplerOff, Peers: "addr=10.0.0.0/8 and ua=*Satoshi*"}
	tr, rec := newRecorded(t, cfg)
	if !tr.Enabled() || tr.Filter().String() != "addr=10.0.0.0/8 and ua=*Satoshi*" {
		t.Fatal("a peer filter must enable the tracer")
	}
	chosen := newWorld(t, tr, testPeer)
	other := testPeer
	other.Addr = netip.MustParseAddrPort("192.0.2.1:8333")
	ignored := newWorld(t, tr, other)
	for range 5 {
		chosen.frame("ping", nil)
		ignored.frame("ping", nil)
	}
	eventually(t, "the pongs", func() bool { return chosen.conn.count() == 5 && ignored.conn.count() == 5 })
	eventually(t, "10 spans", func() bool { return len(rec.Ended()) == 10 })
	for _, s := range rec.Ended() {
		if a := attrs(s); s.Name() == "peerman recv ping" && a[KeyPeerAddress].AsString() != "10.1.2.3" {
			t.Errorf("traced a peer the filter does not select: %v", a[KeyPeerAddress].AsString())
		}
	}
	byName := ended(rec)
	if len(byName["peerman recv ping"]) != 5 || len(byName["sockman send pong"]) != 5 {
		t.Fatalf("want 5 pings and their 5 pongs traced, got %v", keys(byName))
	}
}

// TestPeerFilterOverridesRatio: with a ratio that never samples, the
// filtered peer is still traced in full.
func TestPeerFilterOverridesRatio(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerRatio, Ratio: 0.5, Peers: "id=7"}, WithRootSampler(&fixedSampler{every: 1 << 62}))
	w := newWorld(t, tr, testPeer)
	other := testPeer
	other.ID = 8
	w2 := newWorld(t, tr, other)
	w.frame("inv", nil)
	w2.frame("inv", nil)
	eventually(t, "both handled", func() bool { return w.peer.handled.Load() == 1 && w2.peer.handled.Load() == 1 })
	eventually(t, "one span", func() bool { return len(rec.Ended()) == 1 })
	if got := attrs(rec.Ended()[0])[KeyPeerID].AsInt64(); got != 7 {
		t.Fatalf("traced peer %d, want 7", got)
	}
}

func TestLifecycleMessagesStartNoTrace(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerAlways})
	w := newWorld(t, tr, testPeer)
	w.frame("inv", nil)
	eventually(t, "the inv span", func() bool { return len(rec.Ended()) >= 1 })
	w.system.Root.Stop(w.peerPID)
	for _, s := range rec.Ended() {
		if s.Name() != "peerman recv inv" {
			t.Errorf("unexpected span %q", s.Name())
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cases := map[string]Config{
		"telemetry.traces.sampler: expected off, ratio or always":   {Sampler: "sometimes"},
		"telemetry.traces.ratio: expected a number between 0 and 1": {Sampler: SamplerRatio, Ratio: 1.5},
		"telemetry.traces.peers: peer filter: column 6":             {Peers: "addr=nowhere"},
		"telemetry.traces.protocol: expected grpc or http":          {Sampler: SamplerAlways, Protocol: "udp"},
	}
	for want, cfg := range cases {
		_, err := New(cfg, testInfo)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%+v) = %v, want an error containing %q", cfg, err, want)
		}
	}
}

// TestIncomingTraceContextDecides: a message that carries a trace context
// follows it (parent-based), whatever the root decision would have been.
func TestIncomingTraceContextDecides(t *testing.T) {
	tr, rec := newRecorded(t, Config{Sampler: SamplerOff, Peers: "all"})
	w := newWorld(t, tr, testPeer)
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	send := func(flags string) {
		w.system.Root.Send(w.peerPID, &actor.MessageEnvelope{
			Header:  map[string]string{HeaderTraceparent: "00-" + traceID + "-00f067aa0ba902b7-" + flags},
			Message: &sockmanpb.Frame{ConnId: 21, Command: "inv"},
		})
	}
	send("00") // not sampled upstream: no span although the filter selects the peer
	send("01") // sampled upstream: a child span in the same trace
	eventually(t, "both handled", func() bool { return w.peer.handled.Load() == 2 })
	eventually(t, "one span", func() bool { return len(rec.Ended()) >= 1 })
	if n := len(rec.Ended()); n != 1 {
		t.Fatalf("%d spans, want 1", n)
	}
	s := rec.Ended()[0]
	if s.SpanContext().TraceID().String() != traceID || s.Parent().SpanID().String() != "00f067aa0ba902b7" {
		t.Fatalf("span trace %v parent %v, want the incoming context", s.SpanContext().TraceID(), s.Parent().SpanID())
	}
}
