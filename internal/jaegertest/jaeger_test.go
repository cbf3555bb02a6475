package jaegertest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/actornode/actornode/internal/jaegertest"
)

// waitTimeout bounds every wait for spans to show up in the store.
const waitTimeout = 60 * time.Second

// newProvider returns a tracer provider that exports synchronously through
// exp under the given service name, and shuts it down at the end of the test.
func newProvider(t *testing.T, exp sdktrace.SpanExporter, service string) *sdktrace.TracerProvider {
	t.Helper()
	res := resource.NewSchemaless(attribute.String("service.name", service), attribute.String("host.name", "jaegertest-host"))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithResource(res))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil {
			t.Errorf("shut down tracer provider: %v", err)
		}
	})
	return tp
}

// TestOTLPGRPCRoundTrip sends a parent and a child span over OTLP gRPC and
// reads them back, with their attributes, through the query API.
func TestOTLPGRPCRoundTrip(t *testing.T) {
	j := jaegertest.Start(t)
	ctx := context.Background()
	exp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(j.OTLPGRPCAddr()), otlptracegrpc.WithInsecure())
	if err != nil {
		t.Fatalf("otlptracegrpc.New: %v", err)
	}
	const service = "jaegertest-grpc"
	tp := newProvider(t, exp, service)
	tr := tp.Tracer("jaegertest/selftest")

	pctx, parent := tr.Start(ctx, "handshake", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("peer.id", "peer-7"),
			attribute.Int64("bytes", 1<<40+3),
			attribute.Bool("inbound", true),
		))
	_, child := tr.Start(pctx, "send version")
	child.AddEvent("wrote", trace.WithAttributes(attribute.Int("len", 126)))
	child.End()
	parent.End()

	spans, err := j.WaitForSpans(service, 10, jaegertest.Match{Operation: "send version"}, 1, waitTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 1 {
		t.Fatalf("found %d %q spans, want 1", len(spans), "send version")
	}

	svcs, err := j.Services()
	if err != nil {
		t.Fatalf("Services: %v", err)
	}
	if !slices.Contains(svcs, service) {
		t.Fatalf("Services = %q, want it to contain %q", svcs, service)
	}

	traces, err := j.Traces(service, 10)
	if err != nil {
		t.Fatalf("Traces: %v", err)
	}
	if len(traces) != 1 {
		t.Fatalf("Traces returned %d traces, want 1", len(traces))
	}
	tc := traces[0]
	wantTraceID := jaegertest.TraceID(parent.SpanContext().TraceID().String())
	if tc.TraceID != wantTraceID {
		t.Errorf("trace ID %s, want %s", tc.TraceID, wantTraceID)
	}
	if len(tc.Spans) != 2 {
		t.Fatalf("trace has %d spans, want 2: %+v", len(tc.Spans), tc.Spans)
	}

	p := tc.Find(jaegertest.Match{Operation: "handshake", Tags: map[string]string{
		"peer.id": "peer-7", "bytes": "1099511627779", "inbound": "true", "span.kind": "server",
	}})
	if len(p) != 1 {
		t.Fatalf("Find(handshake with tags) = %d spans, want 1; spans: %+v", len(p), tc.Spans)
	}
	ps := p[0]
	if got := jaegertest.SpanID(parent.SpanContext().SpanID().String()); ps.SpanID != got {
		t.Errorf("parent span ID %s, want %s", ps.SpanID, got)
	}
	if _, ok := ps.ParentSpanID(); ok {
		t.Errorf("parent span has a parent: %+v", ps.References)
	}
	if kv, _ := ps.Tag("bytes"); kv.Type != jaegertest.Int64Type {
		t.Errorf("bytes tag type %q, want %q", kv.Type, jaegertest.Int64Type)
	}
	if kv, _ := ps.Tag("inbound"); kv.Type != jaegertest.BoolType || kv.Value != true {
		t.Errorf("inbound tag = %+v, want bool true", kv)
	}
	if kv, ok := ps.Tag("otel.scope.name"); !ok || kv.Text() != "jaegertest/selftest" {
		t.Errorf("otel.scope.name tag = %+v, %v; want jaegertest/selftest", kv, ok)
	}
	if ps.Elapsed() < 0 || ps.Start().Before(time.Now().Add(-time.Hour)) || ps.Start().After(time.Now().Add(time.Minute)) {
		t.Errorf("parent span start %v (elapsed %v) is not recent", ps.Start(), ps.Elapsed())
	}
	if got := tc.ServiceOf(ps); got != service {
		t.Errorf("ServiceOf(parent) = %q, want %q", got, service)
	}
	proc := tc.Processes[ps.ProcessID]
	if !slices.ContainsFunc(proc.Tags, func(kv jaegertest.KeyValue) bool {
		return kv.Key == "host.name" && kv.Text() == "jaegertest-host"
	}) {
		t.Errorf("process tags %+v lack host.name=jaegertest-host", proc.Tags)
	}

	cs := tc.SpansByOperation("send version")
	if len(cs) != 1 {
		t.Fatalf("SpansByOperation(send version) = %d spans, want 1", len(cs))
	}
	if pid, ok := cs[0].ParentSpanID(); !ok || pid != ps.SpanID {
		t.Errorf("child's parent = %q, %v; want %q", pid, ok, ps.SpanID)
	}
	if len(cs[0].Logs) != 1 {
		t.Fatalf("child has %d logs, want 1 (the event)", len(cs[0].Logs))
	}
	if !slices.ContainsFunc(cs[0].Logs[0].Fields, func(kv jaegertest.KeyValue) bool {
		return kv.Key == "len" && kv.Text() == "126"
	}) {
		t.Errorf("event fields %+v lack len=126", cs[0].Logs[0].Fields)
	}

	byID, err := j.TraceByID(tc.TraceID)
	if err != nil {
		t.Fatalf("TraceByID(%s): %v", tc.TraceID, err)
	}
	if len(byID.Spans) != 2 {
		t.Errorf("TraceByID returned %d spans, want 2", len(byID.Spans))
	}
	if _, err := j.TraceByID("0123456789abcdef0123456789abcdef"); !errors.Is(err, jaegertest.ErrTraceNotFound) {
		t.Errorf("TraceByID(unknown) error = %v, want ErrTraceNotFound", err)
	}
	if got, err := j.Traces("no-such-service", 10); err != nil || len(got) != 0 {
		t.Errorf("Traces(no-such-service) = %d traces, %v; want none, nil", len(got), err)
	}
}

// TestSideBySideOverOTLPHTTP runs two harnesses at once (so no listener may
// sit on a fixed port), sends a span to the second over OTLP HTTP, and checks
// that only the second stores it.
func TestSideBySideOverOTLPHTTP(t *testing.T) {
	a := jaegertest.Start(t)
	b := jaegertest.Start(t)
	if a.OTLPGRPCAddr() == b.OTLPGRPCAddr() || a.OTLPHTTPAddr() == b.OTLPHTTPAddr() || a.UIURL() == b.UIURL() {
		t.Fatalf("harnesses share an address: %s %s %s / %s %s %s",
			a.OTLPGRPCAddr(), a.OTLPHTTPAddr(), a.UIURL(), b.OTLPGRPCAddr(), b.OTLPHTTPAddr(), b.UIURL())
	}
	ctx := context.Background()
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpoint(b.OTLPHTTPAddr()), otlptracehttp.WithInsecure())
	if err != nil {
		t.Fatalf("otlptracehttp.New: %v", err)
	}
	const service = "jaegertest-http"
	tp := newProvider(t, exp, service)
	_, span := tp.Tracer("jaegertest/selftest").Start(ctx, "over http", trace.WithAttributes(attribute.String("via", "otlp-http")))
	span.End()

	if _, err := b.WaitForSpans(service, 10, jaegertest.Match{Operation: "over http", Tags: map[string]string{"via": "otlp-http"}}, 1, waitTimeout); err != nil {
		t.Fatal(err)
	}
	svcs, err := a.Services()
	if err != nil {
		t.Fatalf("Services of the other harness: %v", err)
	}
	if slices.Contains(svcs, service) {
		t.Errorf("the other harness also holds %q: %q", service, svcs)
	}

	resp, err := http.Get(b.UIURL())
	if err != nil {
		t.Fatalf("GET UI: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s, want 200", b.UIURL(), resp.Status)
	}
}

// TestStopEndsTheProcess checks that Stop shuts Jaeger down on SIGINT (no
// kill needed) and that its query API stops answering.
func TestStopEndsTheProcess(t *testing.T) {
	j := jaegertest.Start(t)
	if _, err := j.Services(); err != nil {
		t.Fatalf("Services before Stop: %v", err)
	}
	if err := j.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := j.Services(); err == nil {
		t.Fatal("Services answered after Stop")
	}
	if err := j.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}
