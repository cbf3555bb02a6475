package trace

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// blockingExporter blocks every export until released (or its context ends),
// like a collector that stopped answering.
type blockingExporter struct {
	release  chan struct{}
	exported atomic.Int64
}

func (b *blockingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	select {
	case <-b.release:
		b.exported.Add(int64(len(spans)))
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *blockingExporter) Shutdown(context.Context) error { return nil }

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}

func TestBlockedCollectorDropsSpansWithoutSlowingActors(t *testing.T) {
	exp := &blockingExporter{release: make(chan struct{})}
	logs := &logBuffer{}
	cfg := Config{Sampler: SamplerAlways, QueueSize: 8, BatchSize: 4, BatchTimeout: 5 * time.Millisecond, ExportTimeout: time.Hour}
	tr, err := New(cfg, testInfo, WithExporter(exp), WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, tr, testPeer)
	const frames = 500
	for range frames {
		w.frame("inv", nil)
	}
	// Every message is handled while the exporter is still blocked: ending a
	// span never waits for the collector.
	eventually(t, "all frames handled with the collector blocked", func() bool { return w.peer.handled.Load() == frames })
	eventually(t, "every span accounted for", func() bool {
		st := tr.Stats()
		return st.Queued+st.Dropped == frames
	})
	st := tr.Stats()
	// At most the queue plus one batch in the blocked export call is held.
	if st.Dropped < frames-8-4 || tr.DroppedSpans() != st.Dropped || st.Exported != 0 {
		t.Fatalf("stats %+v, dropped spans %d: want at least %d dropped and none exported", st, tr.DroppedSpans(), frames-12)
	}
	if n := logs.count("trace export queue full"); n != 1 {
		t.Fatalf("logged the drop %d times, want once:\n%s", n, logs.buf.String())
	}

	close(exp.release)
	eventually(t, "the queue drains once the collector answers", func() bool {
		st := tr.Stats()
		return st.Exported == st.Queued
	})
	if err := tr.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := exp.exported.Load(); uint64(got) != tr.Stats().Exported {
		t.Fatalf("exporter saw %d spans, stats say %d", got, tr.Stats().Exported)
	}
	// After shutdown the actors keep working; their spans go nowhere.
	w.frame("inv", nil)
	eventually(t, "a frame handled after shutdown", func() bool { return w.peer.handled.Load() == frames+1 })
}

// otlpHTTPCollector is a minimal OTLP/HTTP receiver on a loopback port.
type otlpHTTPCollector struct {
	mu    sync.Mutex
	reqs  []*coltracepb.ExportTraceServiceRequest
	srv   *httptest.Server
	paths []string
}

func newOTLPHTTPCollector(t *testing.T) *otlpHTTPCollector {
	c := &otlpHTTPCollector{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		req := &coltracepb.ExportTraceServiceRequest{}
		if err == nil {
			err = proto.Unmarshal(body, req)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.reqs = append(c.reqs, req)
		c.paths = append(c.paths, r.URL.Path)
		c.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *otlpHTTPCollector) requests() []*coltracepb.ExportTraceServiceRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*coltracepb.ExportTraceServiceRequest(nil), c.reqs...)
}

// spanNames collects span names and the resource attributes of a batch of
// requests.
func spanNames(reqs []*coltracepb.ExportTraceServiceRequest) (names []string, resource map[string]string, kinds []tracepb.Span_SpanKind) {
	resource = map[string]string{}
	for _, req := range reqs {
		for _, rs := range req.GetResourceSpans() {
			for _, kv := range rs.GetResource().GetAttributes() {
				resource[kv.GetKey()] = kv.GetValue().GetStringValue()
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, s := range ss.GetSpans() {
					names = append(names, s.GetName())
					kinds = append(kinds, s.GetKind())
				}
			}
		}
	}
	return names, resource, kinds
}

func checkExported(t *testing.T, reqs []*coltracepb.ExportTraceServiceRequest) {
	t.Helper()
	names, res, kinds := spanNames(reqs)
	joined := strings.Join(names, ",")
	if !strings.Contains(joined, "peerman recv ping") || !strings.Contains(joined, "sockman send pong") {
		t.Fatalf("exported spans %v, want the ping and the pong", names)
	}
	for _, k := range kinds {
		if k != tracepb.Span_SPAN_KIND_CONSUMER {
			t.Fatalf("exported kind %v, want CONSUMER", k)
		}
	}
	want := map[string]string{"service.name": "actornode", "service.version": "test",
		"service.instance.id": "test-node", "bitcoin.network": "regtest"}
	for k, v := range want {
		if res[k] != v {
			t.Errorf("resource %s = %q, want %q", k, res[k], v)
		}
	}
}

func TestExportOverOTLPHTTP(t *testing.T) {
	col := newOTLPHTTPCollector(t)
	cfg := Config{Sampler: SamplerAlways, Protocol: ProtocolHTTP, Endpoint: col.srv.Listener.Addr().String(),
		BatchTimeout: 10 * time.Millisecond}
	tr, err := New(cfg, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	w := newWorld(t, tr, testPeer)
	w.frame("ping", []byte{1})
	eventually(t, "two spans exported", func() bool { return tr.Stats().Exported == 2 })
	checkExported(t, col.requests())
	if col.paths[0] != "/v1/traces" {
		t.Errorf("posted to %q, want /v1/traces", col.paths[0])
	}
}

// grpcCollector is a minimal OTLP/gRPC receiver.
type grpcCollector struct {
	coltracepb.UnimplementedTraceServiceServer
	mu   sync.Mutex
	reqs []*coltracepb.ExportTraceServiceRequest
}

func (g *grpcCollector) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.reqs = append(g.reqs, req)
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func (g *grpcCollector) requests() []*coltracepb.ExportTraceServiceRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*coltracepb.ExportTraceServiceRequest(nil), g.reqs...)
}

func TestExportOverOTLPGRPC(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &grpcCollector{}
	srv := grpc.NewServer()
	coltracepb.RegisterTraceServiceServer(srv, col)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)

	cfg := Config{Sampler: SamplerAlways, Endpoint: ln.Addr().String(), BatchTimeout: 10 * time.Millisecond}
	tr, err := New(cfg, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	w := newWorld(t, tr, testPeer)
	w.frame("ping", []byte{1})
	eventually(t, "two spans exported", func() bool { return tr.Stats().Exported == 2 })
	checkExported(t, col.requests())
}

func TestCollectorDownCountsFailuresAndLogsOnce(t *testing.T) {
	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	logs := &logBuffer{}
	cfg := Config{Sampler: SamplerAlways, Endpoint: addr, BatchSize: 2, BatchTimeout: 5 * time.Millisecond,
		ExportTimeout: 2 * time.Second}
	tr, err := New(cfg, testInfo, WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatalf("a collector that is down at start must not be an error: %v", err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	w := newWorld(t, tr, testPeer)
	for range 10 {
		w.frame("inv", nil)
	}
	eventually(t, "10 frames handled", func() bool { return w.peer.handled.Load() == 10 })
	eventually(t, "10 spans lost", func() bool { return tr.DroppedSpans() == 10 })
	if st := tr.Stats(); st.Failed+st.Dropped != 10 || st.Exported != 0 {
		t.Fatalf("stats %+v", st)
	}
	if n := logs.count("trace export failed"); n != 1 {
		t.Fatalf("logged the failure %d times, want once:\n%s", n, logs.buf.String())
	}
}
