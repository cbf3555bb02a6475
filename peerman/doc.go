// Package peerman owns the Bitcoin protocol side of every connection: one
// Peer actor per connection, each with its own state (version, services,
// ping figures, relay flags, per-command counts and costs), built around the
// pure protocol core in peercore.
//
// It never opens or closes sockets itself (it asks connman, which asks
// sockman), never reads connman's or addrman's state, and never shares a
// Peer's state: it publishes immutable PeerSnapshots instead.
//
// # Actors
//
// NewActor returns the producer of the peerman actor. connman sends it
// AttachPeer for each connection; peerman assigns a PeerID (from 1, counted
// across restarts, never reused), spawns one child Peer actor named
// "peer-<id>" (its Props come from Config.PeerProps, so the node can add
// middleware) and tells connman PeerStarted{conn_id, peer_id, peer}. The
// node builds peerman's Props with actors.NewStopOnFailure: a Peer that
// panics is stopped, never restarted; peerman sees its Terminated and drops
// it, and connman, which watches the Peer, closes the connection.
//
// peerman answers GetPeerInfo with a PeerInfoList ordered by peer_id
// (and GetPeerStats and GetNetMsgStats in the same way, see Accounting),
// gathered asynchronously: every Peer is asked for a snapshot with its own
// timeout (Config.GatherTimeout), the answers re-enter peerman, and a Peer
// that does not answer in time is left out and logged. PingPeers sends
// every Peer SendPingNow and answers PingPeersDone{peers}.
//
// # A Peer's life
//
// On Started the Peer sends sockman Start{owner: self, flow_control: true}
// to its connection actor, starts peercore (an outbound Peer sends its version there) and
// arms a TickInterval tick with the injected Clock, which feeds
// peercore.Tick. Each Frame is counted (wire size per command) and fed to
// peercore; its outputs are carried out in order: Send is encoded with
// btcd's wire package at the given protocol version with witness encoding,
// counted and queued on the connection; Disconnect (with Misbehaving, which
// is never passed on for noban peers) becomes DisconnectPeer to connman,
// since the Peer never closes the socket; HandshakeDone and Changed publish
// a PeerSnapshot to connman; Other is counted and, for chain messages
// (headers, block, block inv, getheaders, getblocks, getdata, notfound,
// sendheaders), forwarded to Config.Chainman as chainpb.PeerMessage with
// the frame's raw payload (never re-encoded). The chain actor's
// SendMessage (an encoded payload) is counted like the Peer's own sends
// and queued on the connection; its RequestDisconnect (typed reasons
// INVALID_HEADER, INVALID_BLOCK, STALLING, BLOCK_TIMEOUT) takes the
// DisconnectPeer path, misbehaving (discouraged) unless the peer is noban.
//
// # Addresses
//
// peercore rate-limits the addresses a peer announces (see its package
// documentation). The Peer sends the accepted ones (AddrReceived) to
// Config.Addrman as AddAddresses{addrs, source: the peer's host:port,
// time_penalty_seconds: 7200, peer_id}: Core adds every announced address
// with a two-hour penalty, which addrman skips for a peer announcing
// itself. An inbound peer's first getaddr (GetAddrRequest) makes the Peer
// ask addrman GetAddrCache{requestor_network: the BIP155 network of the
// peer's address} without blocking (the AddrList re-enters the Peer, or
// nothing does within Config.AddrmanTimeout) and hand the list to
// peercore, which sends it as addr or addrv2 (per the peer's sendaddrv2),
// at most 1000 entries. With no Addrman configured, addresses are dropped
// silently and getaddr gets no answer.
//
// Relay: RelayAddrs (a small unsolicited announcement) goes to peerman,
// which knows the peers. Each Peer tells peerman, on every published
// change, whether it takes part in address relay (handshake done and
// relay enabled) and whether it wants addrv2. For each address peerman
// picks, among the other peers taking part that can carry it (addrv2 for
// anything but IPv4 and IPv6), the two (IPv4 and IPv6, reachable by
// default; one or two for other networks) that score highest under a
// keyed hash of the address, the peer id and a 24-hour window shifted per
// address, as Core does, so that repeating an announcement does not spread
// it further. The key is drawn from Config.Random once per peerman. The
// chosen Peers get the addresses and feed them to peercore as SendAddrs. sockman's Closed
// records the connection's final stats and stops the Peer.
//
// Each handled Frame or FrameDropped adds its wire size to the Peer's
// unacknowledged bytes, which it acknowledges to sockman with Consumed once
// they reach 64 KiB, and on every tick for any remainder. sockman stops
// reading a connection whose owner holds its receive budget (Core's
// -maxreceivebuffer) unacknowledged, so a flooding peer is simply not read
// until its Peer catches up.
//
// # Snapshots
//
// GetPeerSnapshot is answered with a PeerSnapshot in getpeerinfo's terms.
// bytessent, bytesrecv, lastsend, lastrecv and send_queue_bytes are the
// socket's figures from sockman's ConnStats (asked for without blocking:
// the answer re-enters the Peer), or from Closed's stats once the
// connection is gone. The per-command maps are the Peer's own counts: frame
// wire sizes as received, 24 + payload length as queued; unknown commands
// and frames dropped for a bad checksum are counted under "*other*", as in
// Core. Ping figures are in microseconds, -1 when there is none;
// transport_protocol_type is "v1"; network is NetworkName of the remote
// address; addr_relay_enabled, addr_processed and addr_rate_limited are
// peercore's address relay figures. Snapshots published to connman (on HandshakeDone and Changed)
// carry the Peer's own byte totals instead of the socket's.
//
// # Shared state: the self-connection nonces
//
// Peers share nothing with each other except one deliberate exception: the
// set of the nonces our outbound Peers put in their version messages, which
// an inbound Peer consults (peercore's SelfNonce) to recognise a connection
// to ourselves. peerman owns it: it creates the set, outbound Peers add
// their own nonce before sending their version and remove it when they
// stop, and peerman removes the nonce of any Peer that terminated. It is a
// small read-mostly set behind a read-write lock; nothing else is global,
// so each Peer runs in parallel with the others and a flooding peer fills
// only its own mailbox, and that only up to the receive budget.
//
// # Accounting
//
// Every Peer counts, where it happens, what its peer costs and gives (the
// figures and their pure types live in telemetry/accounting):
//
//   - messages and wire bytes per message type, both directions (the
//     getpeerinfo per-command maps come from the same counters);
//   - the handling cost of each received message type: the wall time of
//     the handler (the core's Step and carrying out its outputs, replies
//     included) and its CPU time, measured on the first message of each
//     type and every Config.HandlerCPUEvery-th after it (default 256:
//     the thread CPU clock is a system call; the figure is then scaled, an
//     estimate);
//   - transaction inv entries and getdata entries both ways, tx, block,
//     headers and compact-block messages both ways (compact-block commands
//     by name: the core decodes only sendcmpct);
//   - a request tracker: every getdata the Peer sends starts one tracked
//     request per transaction or full-block entry; the tx or block that
//     answers it is a latency sample, a notfound closes it, expiry after
//     Config.TxRequestTimeout / BlockRequestTimeout (two minutes) counts it
//     lost, and an object nobody asked for counts unsolicited. The node
//     sends no getdata yet (no mempool, no block download), so today every
//     tx or block received is unsolicited;
//   - memory attributable to the peer: the connection's send queue and
//     unacknowledged received bytes (sockman's ConnStats), the frames
//     waiting in the Peer's mailbox (frames sockman delivered, msgs_recv
//     plus bad_checksums, minus the frames the Peer handled), the size of
//     its tracking structures (an accounting of entries times their sizes,
//     not a heap profile), and the addresses it forwarded to addrman (the
//     addresses offered with AddAddresses; addrman's answer is not awaited,
//     so how many it kept is not known here).
//
// Config.NoAccounting switches off all but the per-type message and byte
// counts. peerman answers GetPeerStats{filter} with a PeerStatsList ordered
// by peer id: the filter (telemetry/peerfilter; empty selects every peer)
// is parsed once, a filter that does not parse is answered with its error
// (naming the column), and every live Peer is asked with its own timeout,
// matches the filter against its own identity (TracePeer, user agent
// included) and answers its PeerStats (with its PeerSnapshot and the
// connection's figures) or that it is not selected.
//
// When its connection closes (or it stops for another reason) a Peer
// sends PeerFinal{stats, final=true} to peerman and, when set, to
// Config.StatsSink. peerman adds the final traffic to a table of departed
// peers, bounded by its dimensions, not by the number of peers, and
// answers GetNetMsgStats with that table plus the live Peers' traffic, by
// direction ("sent", "recv"), network, connection type and message type. A
// Peer whose PeerFinal arrived while a GetNetMsgStats was gathering is
// counted once, from its final record.
//
// # Watchers and capture
//
// Every Peer tells each of Config.Watchers its lifecycle: PeerConnected
// first thing when it starts (before it taps or starts its connection, so
// a watcher hears of a peer before any of its frames), PeerHandshaken when
// the handshake completes (user agent, services, version, start height)
// and PeerDisconnected once when it ends (sockman's close reason, or none
// when it stopped for another reason). The messages are immutable and
// shared by all watchers. PeerFinal and StatsSink are unchanged.
//
// peerman keeps a copy of the message capture selection
// (SetCaptureSelection from the capture recorder, Config.InitialCapture at
// start): when a new peer matches it (its user agent still unknown), the
// Peer sends SetCapture{sink} to its connection before Start, so the
// capture holds the version. PeerConnected says which sink was set; the
// recorder stays the authority and corrects the tap when they disagree.
//
// # Logs
//
// Every log line of a Peer carries peer=<PeerID>, conn=<ConnID> and
// addr=<remote address>.
package peerman
