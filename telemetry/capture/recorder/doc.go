// Package recorder owns live message capture: the capture actor. It keeps
// the capture selection (a telemetry/peerfilter expression), the table of
// connected peers it learns from peerman's lifecycle events (PeerConnected,
// PeerHandshaken, PeerDisconnected), the capture.Store and one open
// capture.SessionWriter per captured connection, keyed by connection id.
//
// It never reads sockets and never decodes messages: sockman's read and
// write loops send it each captured frame (sockmanpb.CapturedFrame) directly,
// and it appends the frame to the session's file with a single write. It
// never blocks a sender: its mailbox (Recorder.Mailbox) bounds the frames
// waiting in it by bytes (Config.QueueBytes) and drops, and counts, what
// does not fit, per session where the connection has one (the index's
// dropped_records) and in total. Lifecycle and control messages are never
// dropped.
//
// # Selection
//
// The selection decides which connected peers have a session. It is
// evaluated for a peer when it connects (its user agent still unknown, so a
// ua= term sees ""), again when its handshake completes (the user agent
// known), and for every connected peer when StartCapture or StopCapture
// changes it. A peer that becomes selected gets a new session starting at
// that moment (mid-connection, so it lacks what came before); a peer that
// stops being selected has its session closed.
//
// To capture a new peer from its very first message (its version), the
// recorder tells peerman every new selection (peermanpb.SetCaptureSelection;
// the initial one peerman takes from its config, since it starts later), and
// the peer's Peer actor taps its connection (sockmanpb.SetCapture) before
// it starts reading and writing. The recorder stays the authority: when a
// PeerConnected shows a tap that disagrees with its own decision (the
// selection changed while the peer was being attached) it sets or removes
// the tap itself.
//
// StartCapture{F} makes the selection "current or F" and StopCapture{F}
// "current and not F"; an empty StopCapture stops all capture.
//
// # Errors
//
// A session whose write fails (disk full, permissions) stops: one error log
// line names the error and the directory, the tap is removed, the error is
// in the index and in ListCaptures, and the node goes on. A session that
// reaches Config.MaxSessionBytes stops the same way, marked truncated. An
// error on the capture root itself (creating the store or a session
// directory) stops all capture: the selection becomes empty, every tap is
// removed, ListCaptures reports failed with the error, and a later
// StartCapture tries again. Store.Open removes the oldest closed sessions
// beyond Config.MaxTotalBytes before each new session.
package recorder
