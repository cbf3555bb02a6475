// Package loadgen is a Bitcoin P2P (v1 transport) load generator: many
// concurrent connections to one node that complete the version handshake
// and then idle, ping, or send inv, addr or tx messages at a set rate, with
// latency percentiles and throughput reported from the client's side.
//
// It is built to be cheap, so that on a small machine it leaves the CPU to
// the node under test: frames are encoded once ahead of time and written in
// large batches, and a connection that only idles holds its socket and a
// small read buffer, no goroutine.
//
// It owns only the sockets it dials. It never touches the node under test
// other than through those sockets (what the node processed is for the
// caller to ask the node), and production code never imports it. Tests,
// benchmarks, cmd/loadgen and cmd/benchsuite use it.
package loadgen
