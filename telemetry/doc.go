// Package telemetry owns how the node reports on itself: structured logging
// now; tracing, metrics, message capture and per-peer accounting later.
//
// It never decides anything about peers or connections and never sends a
// Bitcoin message: subsystems hand it what happened and it records it.
package telemetry
