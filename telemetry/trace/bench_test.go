package trace

import (
	"context"
	"log/slog"
	"testing"

	"github.com/actornode/actornode/actors"
	"github.com/asynkron/protoactor-go/actor"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// discardExporter accepts and forgets spans: the benchmark measures the
// node's side of tracing, not a collector.
type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

type benchPing struct{}
type benchPong struct{}

// pinger forwards a ping to its partner and reports the pong.
type pinger struct {
	partner *actor.PID
	done    chan struct{}
}

func (p *pinger) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *benchPing:
		ctx.Send(p.partner, &benchPing{})
	case *benchPong:
		p.done <- struct{}{}
	}
}

// ponger answers every ping with a pong to the sender actor.
type ponger struct{ back *actor.PID }

func (p *ponger) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*benchPing); ok {
		ctx.Send(p.back, &benchPong{})
	}
}

// BenchmarkPingPong measures one causal chain per iteration: a root ping
// from outside to actor A, A -> B, B -> A, with tracing off, a peer filter
// that selects nobody, ratio 0.01 and always (spans go through the export
// queue to an exporter that discards them).
func BenchmarkPingPong(b *testing.B) {
	modes := []struct {
		name string
		cfg  Config
	}{
		{"off", Config{Sampler: SamplerOff}},
		{"off_filter_nomatch", Config{Sampler: SamplerOff, Peers: "addr=192.0.2.0/24"}},
		{"ratio_0.01", Config{Sampler: SamplerRatio, Ratio: 0.01}},
		{"always", Config{Sampler: SamplerAlways, QueueSize: 1 << 16}},
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			tr, err := New(m.cfg, testInfo, WithExporter(discardExporter{}))
			if err != nil {
				b.Fatal(err)
			}
			system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet() }))
			defer system.Shutdown()
			props := func(a actor.Actor) *actor.Props {
				p, err := actors.NewProps(func() actor.Actor { return a }, actors.Settings{},
					actors.Chain{Tracing: tr.ReceiveMiddleware(actors.SubsystemPeerman), TracingSend: tr.SendMiddleware()}, nil)
				if err != nil {
					b.Fatal(err)
				}
				return p
			}
			done := make(chan struct{}, 1)
			a := &pinger{done: done}
			aPID := system.Root.Spawn(props(a))
			bPID := system.Root.Spawn(props(&ponger{back: aPID}))
			a.partner = bPID
			system.Root.Send(aPID, &benchPing{}) // publishes a.partner to A's goroutine
			<-done

			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				system.Root.Send(aPID, &benchPing{})
				<-done
			}
			b.StopTimer()
			st := tr.Stats()
			b.ReportMetric(float64(st.Dropped), "dropped")
			_ = tr.Shutdown(context.Background())
		})
	}
}
