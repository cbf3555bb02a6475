package trace

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// newOTLPExporter builds the OTLP exporter of s. Neither protocol connects
// here: a collector that is down at start is not an error, its spans are
// counted as failed later. Retries are off: the bounded queue is the only
// buffer, so a slow collector costs dropped spans, never memory or a
// blocked actor. Plain-text transport is used for host:port endpoints (a
// collector on the same host or network); an https:// URL selects TLS.
func newOTLPExporter(s settings) (sdktrace.SpanExporter, error) {
	ctx := context.Background()
	isURL := strings.Contains(s.Endpoint, "://")
	switch s.Protocol {
	case ProtocolHTTP:
		opts := []otlptracehttp.Option{
			otlptracehttp.WithTimeout(s.ExportTimeout),
			otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}),
		}
		if isURL {
			opts = append(opts, otlptracehttp.WithEndpointURL(s.Endpoint))
		} else {
			opts = append(opts, otlptracehttp.WithEndpoint(s.Endpoint), otlptracehttp.WithInsecure())
		}
		exp, err := otlptracehttp.New(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("telemetry.traces.endpoint: OTLP/HTTP exporter for %q: %w", s.Endpoint, err)
		}
		return exp, nil
	default:
		opts := []otlptracegrpc.Option{
			otlptracegrpc.WithTimeout(s.ExportTimeout),
			otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}),
		}
		if isURL {
			opts = append(opts, otlptracegrpc.WithEndpointURL(s.Endpoint))
		} else {
			opts = append(opts, otlptracegrpc.WithEndpoint(s.Endpoint), otlptracegrpc.WithInsecure())
		}
		exp, err := otlptracegrpc.New(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("telemetry.traces.endpoint: OTLP/gRPC exporter for %q: %w", s.Endpoint, err)
		}
		return exp, nil
	}
}
