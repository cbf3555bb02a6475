package metrics

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/service"
	"github.com/asynkron/protoactor-go/actor"
)

var testInfo = service.Info{Version: "test", InstanceID: "test-node", Network: "regtest"}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// frameHandler handles frames, panicking on "boom", and blocks on "hold"
// until released.
type frameHandler struct {
	handled atomic.Int64
	release chan struct{}
}

func (h *frameHandler) Receive(ctx actor.Context) {
	if f, ok := ctx.Message().(*sockmanpb.Frame); ok {
		switch f.GetCommand() {
		case "boom":
			h.handled.Add(1)
			panic("boom")
		case "hold":
			<-h.release
		}
		h.handled.Add(1)
	}
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + Path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", Path, resp.Status, body)
	}
	return string(body)
}

func TestPrometheusEndpoint(t *testing.T) {
	m, err := New(Config{Listen: "127.0.0.1:0"}, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown(context.Background()) })

	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	t.Cleanup(system.Shutdown)
	counters := &actors.MailboxCounters{}
	if err := m.ObserveMailbox(actors.SubsystemPeerman, "peer", counters); err != nil {
		t.Fatal(err)
	}
	var spansDropped atomic.Uint64
	spansDropped.Store(42)
	if err := m.ObserveCounter("actornode.trace.spans.dropped", "Spans that never reached the collector.", spansDropped.Load); err != nil {
		t.Fatal(err)
	}
	h := &frameHandler{release: make(chan struct{})}
	props, err := actors.NewProps(func() actor.Actor { return h }, actors.Settings{},
		actors.Chain{Receive: []actor.ReceiverMiddleware{m.ReceiveMiddleware(actors.SubsystemPeerman)}}, counters)
	if err != nil {
		t.Fatal(err)
	}
	pid := system.Root.Spawn(props)
	for _, cmd := range []string{"inv", "inv", "ping", "x-invented-1", "x-invented-2"} {
		system.Root.Send(pid, &sockmanpb.Frame{ConnId: 9, Command: cmd})
	}
	eventually(t, "five frames handled", func() bool { return h.handled.Load() == 5 })
	// A panicking handler, in an actor of its own (supervision restarts it).
	boomProps, err := actors.NewProps(func() actor.Actor { return &frameHandler{} }, actors.Settings{},
		actors.Chain{Receive: []actor.ReceiverMiddleware{m.ReceiveMiddleware(actors.SubsystemRPC)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	system.Root.Send(system.Root.Spawn(boomProps), &sockmanpb.Frame{Command: "boom"})
	// Three messages held behind a blocked handler: the one being handled
	// still counts until its handler returns.
	for range 3 {
		system.Root.Send(pid, &sockmanpb.Frame{ConnId: 9, Command: "hold"})
	}
	eventually(t, "three pending", func() bool { return counters.Depth() == 3 })
	eventually(t, "the panic counted", func() bool {
		return strings.Contains(scrape(t, m.Addr().String()), "actornode_actor_handler_panics_total")
	})

	body := scrape(t, m.Addr().String())
	close(h.release)

	mustMatch := []string{
		`actornode_actor_handler_duration_seconds_bucket\{command="inv",message="Frame",subsystem="peerman",le="1e-06"\} \d+`,
		`actornode_actor_handler_duration_seconds_count\{command="inv",message="Frame",subsystem="peerman"\} 2`,
		`actornode_actor_handler_duration_seconds_count\{command="other",message="Frame",subsystem="peerman"\} 2`,
		`actornode_actor_handler_duration_seconds_count\{command="ping",message="Frame",subsystem="peerman"\} 1`,
		`actornode_actor_handler_duration_seconds_count\{message="Started",subsystem="peerman"\} \d+`,
		`actornode_actor_handler_panics_total\{command="other",message="Frame",subsystem="rpc"\} 1`,
		`actornode_actor_handler_duration_seconds_count\{command="other",message="Frame",subsystem="rpc"\} 1`,
		`actornode_actor_mailbox_depth\{actor="peer",subsystem="peerman"\} 3`,
		`actornode_actor_mailbox_dropped_total\{actor="peer",subsystem="peerman"\} 0`,
		`actornode_trace_spans_dropped_total 42`,
		`target_info\{.*service_name="actornode".*\} 1`,
		`# TYPE actornode_actor_handler_duration_seconds histogram`,
	}
	for _, re := range mustMatch {
		if !regexp.MustCompile(`(?m)^` + re + `$`).MatchString(body) {
			t.Errorf("no line matches %s", re)
		}
	}
	// The command label only takes known values; peer ids never appear.
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "actornode_") && (strings.Contains(line, "x-invented") ||
			strings.Contains(line, "peer_id") || strings.Contains(line, "conn_id")) {
			t.Errorf("unbounded label in %q", line)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", body)
	}
}

func TestDisabledMetrics(t *testing.T) {
	m, err := New(Config{}, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	if m.Enabled() || m.ReceiveMiddleware(actors.SubsystemRPC) != nil || m.Handler() != nil {
		t.Fatal("disabled metrics must hand out nothing")
	}
	if err := m.Start(); err != nil || m.Addr() != nil {
		t.Fatalf("Start on disabled metrics: %v, addr %v", err, m.Addr())
	}
	if err := m.ObserveMailbox(actors.SubsystemRPC, "rpc", &actors.MailboxCounters{}); err != nil {
		t.Fatal(err)
	}
	if err := m.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestListenErrorNamesTheKey(t *testing.T) {
	m, err := New(Config{Listen: "127.0.0.1:0"}, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	busy, err := New(Config{Listen: m.Addr().String()}, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	if err := busy.Start(); err == nil || !strings.Contains(err.Error(), "telemetry.metrics.listen") {
		t.Fatalf("Start on a busy port = %v, want an error naming telemetry.metrics.listen", err)
	}
}

// fakeContext is the part of a receiver context the middleware uses.
type fakeContext struct{ actor.Context }

func TestMiddlewareDoesNotAllocate(t *testing.T) {
	m, err := New(Config{Listen: "127.0.0.1:0"}, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	handler := m.ReceiveMiddleware(actors.SubsystemPeerman)(func(actor.ReceiverContext, *actor.MessageEnvelope) {})
	env := &actor.MessageEnvelope{Message: &sockmanpb.Frame{Command: "inv"}}
	var c actor.ReceiverContext = fakeContext{}
	handler(c, env) // fills the label cache
	if allocs := testing.AllocsPerRun(1000, func() { handler(c, env) }); allocs != 0 {
		t.Fatalf("the metrics middleware allocates %v times per message", allocs)
	}
}

func BenchmarkMiddleware(b *testing.B) {
	m, err := New(Config{Listen: "127.0.0.1:0"}, testInfo)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	handler := m.ReceiveMiddleware(actors.SubsystemPeerman)(func(actor.ReceiverContext, *actor.MessageEnvelope) {})
	env := &actor.MessageEnvelope{Message: &sockmanpb.Frame{Command: "inv"}}
	var c actor.ReceiverContext = fakeContext{}
	b.ReportAllocs()
	for b.Loop() {
		handler(c, env)
	}
}
