package trace

import (
	"context"
	"errors"
	"log/slog"

	"github.com/actornode/actornode/telemetry/msgname"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/actornode/actornode/telemetry/service"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	oteltrace "go.opentelemetry.io/otel/trace"
)

// instrumentationName names the tracer in exported spans.
const instrumentationName = "github.com/actornode/actornode/telemetry/trace"

// Tracer makes the node's spans. It is built once at start (New), handed to
// every actor's Props through its middleware, and shut down last. It is safe
// for concurrent use. A disabled Tracer (sampler off and no peer filter)
// costs nothing: its middleware is nil.
type Tracer struct {
	s        settings
	enabled  bool
	mode     string
	root     RootSampler
	log      *slog.Logger
	provider *sdktrace.TracerProvider
	tracer   oteltrace.Tracer
	queue    *exportQueue // nil when WithSpanProcessor replaced the pipeline
	prop     propagation.TraceContext
	names    msgname.Cache
	// unsampled is the shared, never modified header of HeaderUnsampled
	// envelopes.
	unsampled map[string]string
}

// Option adjusts New; the options exist for tests and embedding.
type Option func(*options)

type options struct {
	exporter  sdktrace.SpanExporter
	processor sdktrace.SpanProcessor
	root      RootSampler
	log       *slog.Logger
}

// WithExporter replaces the OTLP exporter: spans still go through the
// bounded export queue, then to exp.
func WithExporter(exp sdktrace.SpanExporter) Option {
	return func(o *options) { o.exporter = exp }
}

// WithSpanProcessor replaces the whole export pipeline (queue and
// exporter) by p, which sees every span synchronously (a
// tracetest.SpanRecorder, say). Export statistics stay zero.
func WithSpanProcessor(p sdktrace.SpanProcessor) Option {
	return func(o *options) { o.processor = p }
}

// WithRootSampler replaces the random ratio decision of SamplerRatio by r
// (a deterministic sampler in tests).
func WithRootSampler(r RootSampler) Option {
	return func(o *options) { o.root = r }
}

// WithLogger sets where the tracer logs export trouble (once per outage);
// the default discards.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// New builds the tracer described by cfg for the node described by info.
// It checks cfg (errors name the config key) and builds the exporter, which
// does not connect yet: a collector that is down at start is not an error.
func New(cfg Config, info service.Info, opts ...Option) (*Tracer, error) {
	s, err := cfg.check()
	if err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	t := &Tracer{s: s, enabled: s.enabled(), mode: s.Sampler, root: o.root, log: o.log,
		unsampled: map[string]string{HeaderUnsampled: "1"}}
	if t.root == nil {
		t.root = ratioSampler{ratio: s.Ratio}
	}
	if !t.enabled {
		return t, nil
	}
	res, err := info.Resource()
	if err != nil {
		return nil, err
	}
	processor := o.processor
	if processor == nil {
		exp := o.exporter
		if exp == nil {
			if exp, err = newOTLPExporter(s); err != nil {
				return nil, err
			}
		}
		t.queue = newExportQueue(exp, s, o.log)
		processor = t.queue
	}
	// The middleware decides which root messages are traced; a span with a
	// parent follows its parent's decision.
	t.provider = sdktrace.NewTracerProvider(
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())),
		sdktrace.WithSpanProcessor(processor),
	)
	t.tracer = t.provider.Tracer(instrumentationName)
	return t, nil
}

// Enabled reports whether any message can be traced: the sampler is ratio
// (with a ratio above 0) or always, or a peer filter is set.
func (t *Tracer) Enabled() bool { return t.enabled }

// Filter returns the parsed peer filter, nil when none is configured.
func (t *Tracer) Filter() *peerfilter.Filter { return t.s.filter }

// Stats returns the export counters.
func (t *Tracer) Stats() ExportStats {
	if t.queue == nil {
		return ExportStats{}
	}
	return t.queue.stats()
}

// DroppedSpans returns how many finished spans never reached the
// collector: dropped because the export queue was full, or lost in a failed
// export. It is the figure for RPC and metrics.
func (t *Tracer) DroppedSpans() uint64 { return t.Stats().Lost() }

// Shutdown ends the tracer: queued spans are exported within ctx, later
// spans are dropped. Call it after the actors have stopped.
func (t *Tracer) Shutdown(ctx context.Context) error {
	if t.provider == nil {
		return nil
	}
	err := t.provider.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.log.Warn("trace shutdown timed out: queued spans lost", "error", err)
	}
	return err
}

// MetricDroppedSpans is the instrument name under which the node exports
// DroppedSpans (metrics.Metrics.ObserveCounter); Prometheus shows it as
// actornode_trace_spans_dropped_total.
const MetricDroppedSpans = "actornode.trace.spans.dropped"
