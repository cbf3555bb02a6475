// Package sockman owns the node's sockets: listeners, dialling, each
// connection's read and write loops, its bounded send queue and Bitcoin v1
// framing (magic, command, length, checksum).
//
// It never touches what a payload means (beyond the frame header), never
// knows peers or addresses worth connecting to, and never decides who to
// connect to or when to give up on a silent peer: those belong to connman and
// peerman, which talk to sockman only through the messages of sockmanpb.
//
// # Actors
//
// NewActor returns the producer of the sockman actor. It answers Listen with
// Listening or ListenFailed (to the sender, or to Listen.manager when sent
// without a sender), and handles Dial asynchronously: the result, Opened or
// DialFailed, goes to Dial.manager. Every connection gets a ConnID (from 1,
// never reused) and one child actor, the connection actor, whose PID is in
// Opened.conn. The connection actor takes Start, Send, Consumed, Close and
// GetConnStats (answered with ConnStats through ctx.Respond).
//
// # Ownership handoff
//
// Opened goes to the manager (Listen.manager for inbound connections,
// Dial.manager for outbound ones). Nothing is read from the socket until the
// first Start{owner}; Send is accepted (and written) before that. From then
// on a read loop sends every Frame, and every FrameDropped, directly to the
// current owner through the root context, never through the connection
// actor, so connections are read in parallel. A later Start moves ownership;
// frames already sent stay with the previous owner.
//
// # Flow control
//
// An owner that sends Start{flow_control: true} gets a receive budget of
// Config.MaxRecvBuffer wire bytes (default DefaultMaxRecvBuffer, 5,000,000,
// Bitcoin Core's -maxreceivebuffer; never less than one maximal frame). The
// read loop counts the wire size of every Frame and FrameDropped it
// delivers; the owner acknowledges what it has handled with
// Consumed{conn_id, bytes}, in batches of its choosing. Before reading each
// frame the read loop checks the count: at or above the budget it stops
// reading the socket (the peer's further bytes wait in kernel buffers, and
// then the peer's writes block) until a Consumed brings the count below it
// again, the owner changes, or the connection closes. An owner therefore
// holds at most the budget plus one frame of unhandled frames, and a peer
// that floods faster than its owner works fills that, not the heap. Every
// Start sets flow control anew and restarts the count; without
// flow_control (connman before handing over, owners that never
// acknowledge) the socket is read as fast as it delivers, and Consumed is
// harmless. Close, and anything else that closes the connection, wakes a
// paused read loop, which then exits.
//
// # Close sequence
//
// A connection closes exactly once, however the close starts: end of stream
// (PEER_CLOSED), a read error (READ_ERROR), a write error (WRITE_ERROR), a
// header with the wrong magic (BAD_MAGIC), a header claiming more than
// MaxPayload (OVERSIZED), a Send that would take the queue past MaxSendQueue
// (SEND_QUEUE_FULL), a Close message (its reason, or REQUESTED when it gives
// none, with its detail), or the sockman actor or the connection actor
// stopping (SHUTDOWN). The first cause wins: its reason and detail are
// recorded, the socket is closed at once and the queue discarded (unsent
// messages are dropped, not flushed). When both loops have exited, one
// Closed{reason, detail, stats} goes to the owner (if Start was ever
// received) and to the manager (once if they are the same PID), and the
// connection actor stops itself. Because Closed is sent after the read loop
// has exited, it always arrives after the connection's last Frame.
//
// Stopping the sockman actor closes its listeners, cancels dials in flight,
// closes every connection with SHUTDOWN and waits (at most Config.StopWait)
// for all of their goroutines and Closed deliveries before its children are
// stopped. A restart (after a panic) does the same and starts the new actor
// with no listeners and no connections: managers must Listen again. ConnIDs
// keep counting across restarts.
//
// # Bad input
//
//   - Wrong magic: Closed BAD_MAGIC; nothing more is read.
//   - Length above MaxPayload (default 4,000,000, Core's
//     MAX_PROTOCOL_MESSAGE_LENGTH): Closed OVERSIZED; no payload memory is
//     allocated.
//   - Large but allowed length: the payload buffer starts at 64 KiB and
//     doubles as bytes arrive, so memory follows what the peer really sent.
//   - Bad checksum: that frame is dropped, FrameDropped{reason "bad
//     checksum"} goes to the owner, ConnStats.bad_checksums grows and the
//     connection stays open; the next frame is read normally.
//   - Header or payload cut short, then end of stream: Closed PEER_CLOSED
//     with a detail saying the frame was truncated.
//   - Header or payload cut short, then silence: nothing is delivered and
//     the connection stays open; sockman has no read timeout. Detecting a
//     silent peer is peerman's job; its Close ends the connection.
//   - Command field with non-printable bytes: delivered unchanged. Command
//     field with non-NUL bytes after the first NUL: delivered with those
//     bytes (trailing NULs trimmed), so it never equals a known command and
//     the owner counts it as unknown. sockman does not drop either.
//
// # Capture
//
// SetCapture{sink} sent to a connection actor taps the connection for
// message capture; SetCapture without a sink removes the tap. The sink is
// kept in an atomic pointer, so with capture off each loop pays one atomic
// load per frame (read loop) or per flushed batch (write loop). With a sink
// set, the read loop sends a CapturedFrame{sent: false} for every Frame it
// delivers, right after it, stamped with the same receive time and sharing
// its payload; frames dropped for a bad checksum are not captured. The
// write loop sends a CapturedFrame{sent: true} for every message it wrote
// once the flush that put it on the wire returned, stamped with the time the
// loop took the message's batch from the send queue, just before writing
// it: after the message was queued and before any of its bytes reached the
// socket. Stamping after the flush instead would let the peer's answer be
// read, and stamped, before the message it answers on a fast link. CapturedFrames go straight
// from the loops to the sink through the root context, like Frames; the
// sink must never block a sender (the capture recorder uses a mailbox that
// drops and counts instead). Frames read or written before the connection
// actor handled SetCapture are not captured, which is why a Peer actor sends
// SetCapture before Start when its peer is to be captured from the first
// message on.
//
// # Statistics
//
// ConnStats counts wire bytes (headers included). bytes_recv counts every
// complete frame read, including dropped ones; msgs_recv counts delivered
// frames only. bytes_sent, msgs_sent and last_send count frames once the
// write loop has flushed them to the socket. send_queue_bytes/msgs are
// messages queued and not yet handed to the socket writer; in Closed they
// show what was discarded. recv_unacked_bytes are the bytes delivered to a
// flow-controlled owner and not yet acknowledged, recv_paused says the read
// loop is waiting for acknowledgements, and recv_pauses counts how often it
// began to wait. GetNetTotals answers the bytes of every
// connection sockman ever had (getnettotals), counted at the same place.
//
// # Restarts
//
// A repeated Listen for an address sockman already listens on keeps the
// listener and makes the sender's manager its manager, so a restarted
// connman does not lose its listeners. If sockman itself is restarted after
// a panic, its connections are closed (SHUTDOWN) and it listens again on
// every address it listened on, sending each manager a fresh Listening;
// ConnIDs and the byte totals carry on.
package sockman
