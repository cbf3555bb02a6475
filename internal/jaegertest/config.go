package jaegertest

import (
	"fmt"
	"net"
	"strconv"
)

// loopback is the only address the harness's Jaeger listens on.
const loopback = "127.0.0.1"

// addr returns 127.0.0.1:port.
func addr(port int) string { return net.JoinHostPort(loopback, strconv.Itoa(port)) }

// configYAML renders the Jaeger v2 configuration for p. It is the default
// all-in-one configuration (cmd/jaeger/internal/all-in-one.yaml in Jaeger
// v1.76.0) cut down to what tests need: the OTLP receiver, in-memory storage
// and the query service, all on the given loopback ports. Left out, so that
// nothing listens on a fixed port: the Jaeger and Zipkin receivers, remote
// sampling, health check, expvar, zpages and the collector's own metrics
// endpoint (telemetry level none). There is no batch processor, so a span is
// queryable as soon as the OTLP export that carried it has been answered.
// Jaeger's tracing of its own query service is off, so the only services
// the store knows are the ones the test sent.
func configYAML(p ports) string {
	return fmt.Sprintf(`# Written by jaegertest for one test; every listener is on loopback.
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaegertest
    metrics:
      level: none
    traces:
      level: none
    logs:
      level: info

extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: %q
    grpc:
      endpoint: %q

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: %q
      http:
        endpoint: %q

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`, addr(p.queryHTTP), addr(p.queryGRPC), addr(p.otlpGRPC), addr(p.otlpHTTP))
}
