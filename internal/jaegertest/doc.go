// Package jaegertest runs a real Jaeger v2 all-in-one backend on loopback for
// tests, so that tracing is asserted against the spans a real trace store
// received rather than against an in-process recorder.
//
// Start writes a private configuration into a temporary directory: OTLP gRPC,
// OTLP HTTP and the query service (HTTP API and UI, plus its gRPC API) listen
// on free 127.0.0.1 ports; every other listener of the default all-in-one
// configuration (Jaeger and Zipkin receivers, remote sampling, health check,
// expvar, zpages, the collector's own Prometheus metrics) is left out, and
// Jaeger's tracing of itself is off, so two harnesses can run side by side
// and next to a developer's own Jaeger on the default ports. Spans are kept
// in memory and vanish with the process. The returned Jaeger reads traces
// back through the query service's JSON API (/api/services, /api/traces).
// A binary built from the Go module has no jaeger-ui assets, so its UI is a
// placeholder page; everything the harness reads comes from the JSON API.
//
// It owns only the Jaeger child processes it starts and their temporary
// directories. It never touches the code under test, any Jaeger it did not
// start, or global OpenTelemetry state. Production code never imports it.
//
// The jaeger binary is looked up in JAEGERTEST_BIN, then in
// <repo root>/.tools/bin, then on PATH. When it is missing a test is skipped,
// or fails when the CI environment variable is set. `make tools` builds it
// from source (see internal/tools/jaeger).
package jaegertest
