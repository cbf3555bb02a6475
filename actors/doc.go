// Package actors is actornode's thin layer over protoactor-go.
//
// It owns the root supervisor (the node actor), the supervision policies that
// restart a failing subsystem a bounded number of times and then stop the
// node, the mailbox and dispatcher settings read from config, the receive and
// send middleware chain (with a slot for tracing), the injected clock, and the
// typed identifiers shared by the subsystems.
//
// It never touches sockets, Bitcoin messages or subsystem state: subsystems
// are handed to it as Props and it only starts, watches and stops them.
// Keeping protoactor behind this package means a fork or a replacement of the
// actor library stays a small change.
package actors
