// Package metrics owns the node's metrics: an OpenTelemetry MeterProvider
// whose readings are served in the Prometheus text format on
// telemetry.metrics.listen, a receive middleware that records how long each
// handler runs (labelled by subsystem, message type and, for Bitcoin
// messages, command), mailbox depth and drops per subsystem, and counters
// other packages register (dropped spans, say).
//
// Labels never carry a peer id, an address or anything else unbounded: the
// command label of a Bitcoin message is "other" for any command outside the
// protocol's known set. Per-peer detail belongs in RPC answers, dumps and
// trace attributes.
//
// It deliberately does not use protoactor's own metrics provider: that one
// registers a mailbox callback for every spawned actor and never removes it,
// so with peers coming and going it grows without bound. Here callbacks are
// registered once per subsystem.
//
// It never changes a message, never blocks a handler on I/O and never
// decides anything about peers.
package metrics
