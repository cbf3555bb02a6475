// Package trace owns the node's distributed tracing: the receive middleware
// that makes one CONSUMER span per handled message, the send middleware that
// carries the W3C trace context from a handler to the messages it sends (in
// protoactor envelope headers), the sampling decision (off, ratio, always,
// and a peer filter whose peers are traced in full), and the export of spans
// over OTLP through a bounded queue that drops, and counts, rather than slow
// an actor down.
//
// Actors never import OpenTelemetry: a Peer-like actor tells the middleware
// who it talks to by implementing PeerIdentified, and a handler reports a
// failure by implementing HandlerErrorReporter.
//
// It never decides anything about peers, never changes a message and never
// blocks a sender or a handler: when the collector is slow or down, spans are
// dropped and counted (Tracer.DroppedSpans).
package trace
