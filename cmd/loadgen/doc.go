// Command loadgen puts Bitcoin P2P load on a node: it opens many
// connections that complete the version handshake and then idle, ping, or
// send inv, addr or tx messages at a set rate, or it measures handshakes
// per second, and prints latency percentiles and throughput as seen by the
// client.
//
//	loadgen -addr 127.0.0.1:18444 -conns 100 -kind ping -rate 50 -duration 10s
//	loadgen -addr 127.0.0.1:18444 -handshakes 2000 -concurrency 16
//
// It is a thin command line over internal/loadgen. It owns only the
// connections it opens and never talks to the node other than over them.
package main
