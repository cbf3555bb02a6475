// Package rpc is actornode's JSON-RPC server in the style of Bitcoin Core.
//
// It owns the HTTP listeners of the RPC interface, request authentication
// (HTTP Basic with a configured user and password and/or the cookie file it
// writes at start and removes at stop), the request body limit, the JSON-RPC
// 1.0/2.0 framing (single requests, batches, notifications, error codes) and
// the method table with its help text.
//
// It never holds node state and never touches peers' sockets. A method that
// needs data owned by another subsystem asks that subsystem's actor with a
// message and waits for the answer (see Ask); the answer is the only thing it
// reads: peer snapshots, per-peer stats and node-wide message counts come
// from peerman, connection counts, manual nodes
// and bans from connman, byte totals from sockman, address-book samples and
// counts from addrman, uptime and shutdown from the root supervisor. HTTP
// handler goroutines are not actors, so a blocking request from them cannot
// deadlock an actor.
//
// The rpc actor (NewActor) binds its listeners and writes the cookie in
// Started, answers rpcpb.GetBoundAddrs, and in Stopping (or Restarting) shuts
// the HTTP server down within Config.ShutdownTimeout and deletes the cookie.
// A failure to start is reported to Config.OnStartError and then raised as a
// panic carrying a *StartError, so the parent's supervision policy decides
// what happens next (the node's policy stops the node once restarts are used
// up).
//
// Later subsystems add methods by passing more Method values to NewActor.
package rpc
