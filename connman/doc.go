// Package connman owns the node's connections as Bitcoin connections: which
// addresses we listen on, whom we dial and redial, how many connections of
// each direction and type we hold, which inbound peer to evict when slots
// run out, and bans and discouraged addresses.
//
// It never reads or writes a socket (sockman does), never parses a Bitcoin
// message and never reads a Peer's state (peerman and its Peer actors own
// that): it learns everything through messages, peers' properties through
// the PeerSnapshot messages Peer actors publish.
//
// # Its view
//
// connman is the manager of every connection: sockman sends it Opened and
// Closed. For each connection it keeps a record: ConnID, connection type,
// remote and local address, since when, the Peer actor's PeerID and PID once
// PeerStarted names them, the latest PeerSnapshot (for eviction), and
// whether it already asked for the close. Besides: its listeners, the manual
// targets (p2p.connect, p2p.addnode, addnode RPC) with their redial state,
// the ban list and the discouraged addresses.
//
// # A connection's path
//
// Inbound: a banned address is closed at once (Close REQUESTED "banned",
// counted in ConnectionCounts). A discouraged address is accepted only
// while more than one inbound slot is free, and is then evicted first.
// Inbound slots are maxconnections minus the automatic outbound slots (8
// full-relay, 2 block-relay-only, 1 feeler), never below zero; when they are
// full, package evict picks a victim from the records and latest snapshots
// (Core's SelectNodeToEvict): the victim is closed ("evicted: ...") and the
// newcomer accepted, or, when every peer is protected, the newcomer is
// closed ("no_slot: ..."). An accepted connection goes to peerman as
// AttachPeer; the Peer actor takes it over by sending sockman Start itself.
//
// Outbound: every Dial carries a request id; its Opened becomes an
// AttachPeer of the type the dial was for (MANUAL for p2p.connect,
// p2p.addnode and the addnode RPC, as Core). Manual targets are redialled
// after a DialFailed or a Closed, 1 s after the first failure, doubling up
// to 30 s, with a log line saying why and when; a connection that lasted a
// minute starts the schedule over. A non-empty p2p.connect means only those
// peers. Automatic outbound connections need addresses from addrman, which
// does not exist yet: package outbound holds their slot accounting and the
// one-per-netgroup rule, ready for the dialling loop addrman will feed.
//
// Disconnects are messages: a Peer sends DisconnectPeer and connman sends
// the connection Close{REQUESTED, "<reason>: <detail>"}; a misbehaving peer
// also has its address discouraged (never noban or manual peers, never local
// addresses, which are only disconnected). connman watches every Peer actor
// named by PeerStarted and closes the connection of one that terminates
// while its connection is open ("peer_actor_failed"). The record goes when
// sockman's Closed arrives; peerman updates its own view from the same
// Closed, and may still finish work for a peer connman already counts as
// gone.
//
// Bans (setban, listbanned, clearbanned) are addresses or CIDR subnets with
// an expiry, kept in Config.BanFile (Core's banlist.json shape, written
// atomically) and enforced on accept and on dial; setban add also
// disconnects the connected peers it covers. A corrupt ban file is logged
// with its path, renamed with a .corrupt-<time> suffix, and the node starts
// with no bans.
//
// # Restarts
//
// connman is restarted by the root supervisor after a panic. The new
// instance reloads the bans from the file (every change is written at once,
// so none is lost) and redials the manual targets. Its view of connections
// starts empty and is rebuilt from the events that follow: connections
// opened before the restart are not counted (Closed, snapshots and
// disconnect requests for them are ignored) until they close, so inbound
// slots may be briefly over-committed, and a manual peer still connected
// from before may be dialled a second time. Discouragements are forgotten.
// sockman does not answer a second Listen for an address it already listens
// on with the existing listener (it fails with "address already in use"),
// so the listeners, which keep delivering to connman's unchanged PID, are
// remembered across restarts by the producer NewActor returns, together
// with the Dial request counter (an Opened for a dial of the failed
// instance is closed, never mistaken for a new one) and the eviction key.
package connman
