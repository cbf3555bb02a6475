package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/actornode/actornode/telemetry/msgname"
	"github.com/actornode/actornode/telemetry/service"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// Metric names, as OpenTelemetry instruments. The Prometheus exporter turns
// dots into underscores and appends the unit and _total: see docs/tracing.md.
const (
	NameHandlerDuration = "actornode.actor.handler.duration"
	NameHandlerPanics   = "actornode.actor.handler.panics"
	NameMailboxDepth    = "actornode.actor.mailbox.depth"
	NameMailboxDropped  = "actornode.actor.mailbox.dropped"
)

// Metric label (attribute) keys.
const (
	LabelSubsystem = "subsystem"
	LabelActor     = "actor"
	LabelMessage   = "message"
	LabelCommand   = "command"
)

// Path is where the Prometheus text is served.
const Path = "/metrics"

// durationBuckets are the handler duration histogram's bucket bounds, in
// seconds: handlers run for microseconds, a slow one for milliseconds.
var durationBuckets = []float64{
	1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4,
	1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1,
}

// Config is the metrics section of the node's configuration
// (telemetry.metrics.*).
type Config struct {
	// Listen is the host:port of the Prometheus endpoint; empty disables
	// metrics.
	Listen string
}

// Metrics is the node's meter provider and Prometheus endpoint. It is built
// once at start (New), started (Start) and shut down last. A disabled
// Metrics (empty Listen) hands out nil middleware and ignores
// registrations. It is safe for concurrent use.
type Metrics struct {
	cfg      Config
	provider *sdkmetric.MeterProvider
	registry *prometheus.Registry
	meter    metric.Meter
	duration metric.Float64Histogram
	panics   metric.Int64Counter
	names    msgname.Cache

	mu        sync.Mutex
	mailboxes []*mailbox
	regs      []metric.Registration
	srv       *http.Server
	ln        net.Listener
	served    chan struct{}
}

// New builds the meter provider and its Prometheus exporter for the node
// described by info. It does not listen yet (Start does).
func New(cfg Config, info service.Info) (*Metrics, error) {
	m := &Metrics{cfg: cfg}
	if cfg.Listen == "" {
		return m, nil
	}
	res, err := info.Resource()
	if err != nil {
		return nil, err
	}
	m.registry = prometheus.NewRegistry()
	exp, err := otelprom.New(otelprom.WithRegisterer(m.registry), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, fmt.Errorf("telemetry.metrics: prometheus exporter: %w", err)
	}
	m.provider = sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(exp))
	m.meter = m.provider.Meter("github.com/actornode/actornode/telemetry/metrics")
	if m.duration, err = m.meter.Float64Histogram(NameHandlerDuration, metric.WithUnit("s"),
		metric.WithDescription("How long actor handlers run, by subsystem, message type and Bitcoin command."),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		return nil, err
	}
	if m.panics, err = m.meter.Int64Counter(NameHandlerPanics,
		metric.WithDescription("Actor handlers that panicked, by subsystem, message type and Bitcoin command.")); err != nil {
		return nil, err
	}
	if err := m.registerMailboxes(); err != nil {
		return nil, err
	}
	return m, nil
}

// Enabled reports whether metrics are collected and served.
func (m *Metrics) Enabled() bool { return m.provider != nil }

// Handler serves the Prometheus text of every metric; nil when disabled.
func (m *Metrics) Handler() http.Handler {
	if !m.Enabled() {
		return nil
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Start binds telemetry.metrics.listen and serves Path there. It returns
// once the listener is bound (so a port in use is reported here); a
// disabled Metrics does nothing.
func (m *Metrics) Start() error {
	if !m.Enabled() {
		return nil
	}
	ln, err := net.Listen("tcp", m.cfg.Listen)
	if err != nil {
		return fmt.Errorf("telemetry.metrics.listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(Path, m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	m.mu.Lock()
	m.srv, m.ln, m.served = srv, ln, served
	m.mu.Unlock()
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // returns http.ErrServerClosed on Shutdown
	}()
	return nil
}

// Addr returns the bound address of the endpoint, nil before Start.
func (m *Metrics) Addr() net.Addr {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ln == nil {
		return nil
	}
	return m.ln.Addr()
}

// Shutdown stops the endpoint and the meter provider, waiting at most until
// ctx is done.
func (m *Metrics) Shutdown(ctx context.Context) error {
	if !m.Enabled() {
		return nil
	}
	m.mu.Lock()
	srv, served, regs := m.srv, m.served, m.regs
	m.srv, m.regs = nil, nil
	m.mu.Unlock()
	var errs []error
	if srv != nil {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
		<-served
	}
	for _, r := range regs {
		errs = append(errs, r.Unregister())
	}
	errs = append(errs, m.provider.Shutdown(ctx))
	return errors.Join(errs...)
}
