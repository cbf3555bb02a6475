// Package peerman owns the Bitcoin protocol side of every connection: one
// Peer actor per connection, each with its own state (version, services, ping
// figures, relay flags), built around the pure protocol core in peercore.
//
// It never opens or closes sockets itself (it asks connman), never reads
// connman's or addrman's state, and never shares a Peer's state: it publishes
// immutable snapshots instead.
package peerman
