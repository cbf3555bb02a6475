// Package echo holds the two baseline servers of the ping round-trip
// figure: a raw TCP echo (one goroutine per connection, sockman's frame
// decoder and encoder, no actors) and a sockman echo (a sockman actor whose
// connection owner answers each ping Frame with a pong Send). Neither does
// a version handshake: the client pings right after connecting.
//
// It owns only its listeners, connections and actor system. The benchmark
// suite runs these servers in a child process of its own, so that they,
// like the node under test, do not share the client's Go runtime.
package echo
