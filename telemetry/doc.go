// Package telemetry owns how the node reports on itself. This package holds
// structured logging; its subpackages hold the rest: trace (spans per
// handled message, sampling, OTLP export), peerfilter (the language that
// selects peers for tracing, capture and dumps), metrics (the Prometheus
// endpoint, handler durations, mailbox gauges), service (the resource that
// names the node) and msgname (how message types are named).
//
// It never decides anything about peers or connections and never sends a
// Bitcoin message: subsystems hand it what happened and it records it.
package telemetry
