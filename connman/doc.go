// Package connman owns the node's connections as Bitcoin connections: which
// addresses we listen on, whom we dial, how many connections of each
// direction and type we hold, and (later) eviction and bans. It keeps its own
// view of every connection (direction, remote address, since when), built
// from sockman's Opened and Closed events.
//
// It never reads or writes a socket (sockman does), never parses a Bitcoin
// message (Peer actors do) and never reads another subsystem's state: it
// learns everything through messages.
//
// connman is restarted by the root supervisor after a panic. Its view is then
// rebuilt from the events that follow; listeners survive because sockman
// answers a repeated Listen for the same address with the existing listener.
package connman
