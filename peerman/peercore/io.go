package peercore

import (
	"github.com/actornode/actornode/addrman/book"
	"github.com/btcsuite/btcd/wire/v2"
)

// Input is one event delivered to Step: Received, Tick, SendPing,
// SetFeeFilter, EnableSendHeaders or SendAddrs.
type Input interface{ isInput() }

// Received is one frame read from the socket. The core decodes Payload
// itself, with the negotiated protocol version and witness encoding, and
// does not keep Payload after Step returns.
type Received struct {
	// Command is the frame's message type with the NUL padding removed.
	Command string
	// Payload is the frame's body (checksum already verified).
	Payload []byte
}

// Tick lets timers be evaluated; the actor delivers one every second.
type Tick struct{}

// SendPing asks for a ping now (the RPC "ping"). As in Core it is sent once
// the handshake is complete and replaces any outstanding ping.
type SendPing struct{}

// SetFeeFilter changes the fee rate (sat/kvB) we announce. The new value is
// sent at the next feefilter check, which happens every FeeFilterInterval on
// average.
type SetFeeFilter struct {
	// MinFeeRate is the new rate; values outside [0, MaxMoney] are clamped.
	MinFeeRate int64
}

// EnableSendHeaders tells the core that the peer's chain has enough work,
// the point at which Core sends sendheaders. The core sends it once, after
// the handshake, if the common version allows.
type EnableSendHeaders struct{}

// SendAddrs asks for addresses to be sent to the peer: the answer to its
// getaddr, or addresses another peer announced. They go out at once in one
// addr message, or addrv2 if the peer sent sendaddrv2, holding those that
// form can carry, at most MaxAddrPerMsg. Nothing is sent before the
// handshake completes or while addresses are not relayed with the peer.
// The core does not keep Addrs.
type SendAddrs struct {
	// Addrs are the addresses to send.
	Addrs []book.Address
}

func (Received) isInput()          {}
func (Tick) isInput()              {}
func (SendPing) isInput()          {}
func (SetFeeFilter) isInput()      {}
func (EnableSendHeaders) isInput() {}
func (SendAddrs) isInput()         {}

// Output is one effect requested by Step: Send, Disconnect, Misbehaving,
// HandshakeDone, Changed, Unknown, Ignored, AddrReceived, RelayAddrs,
// GetAddrRequest or Other. Outputs are values
// the actor owns once returned; the core keeps no reference to them.
type Output interface{ isOutput() }

// Send asks the actor to encode Msg with ProtocolVersion and write it to the
// socket. The core has already recorded the send time.
type Send struct {
	// Msg is a fresh message built by the core.
	Msg wire.Message
	// ProtocolVersion is the version to encode Msg with: our announced
	// version for our version message, the common version otherwise.
	ProtocolVersion uint32
}

// Disconnect asks the actor to close the connection. It is the last output
// of a State: Step on a disconnected State returns no outputs.
type Disconnect struct {
	// Reason is the typed cause.
	Reason DisconnectReason
	// Detail is a human-readable explanation for logs.
	Detail string
}

// Misbehaving asks the actor to discourage the peer's address. It is always
// followed by a Disconnect in the same output list and is never emitted for
// manual connections.
type Misbehaving struct {
	// Reason is the typed cause (malformed_message or oversized_message).
	Reason DisconnectReason
	// Detail is a human-readable explanation for logs.
	Detail string
}

// HandshakeDone reports that the peer's verack arrived after its version:
// the connection is established.
type HandshakeDone struct {
	// Info is the peer as known at that moment.
	Info PeerInfo
}

// Changed reports that the snapshot-relevant state changed during this Step
// (everything in PeerInfo but LastSend, LastRecv and PingWait, which move
// with every message or tick). It is at most once per Step and last.
type Changed struct{}

// Unknown reports a command the core does not know; Core ignores those and
// counts their bytes under "*other*".
type Unknown struct {
	// Command is the frame's message type.
	Command string
}

// Ignored reports a known message dropped without effect.
type Ignored struct {
	// Command is the frame's message type.
	Command string
	// Reason says why it was dropped.
	Reason IgnoreReason
}

// AddrReceived hands the address manager the addresses of one addr or
// addrv2 message that passed the rate limit: routable, advertising
// NODE_NETWORK or NODE_NETWORK_LIMITED, with implausible times replaced by
// five days ago. Core adds them with a two-hour time penalty (which the
// address manager skips for a peer announcing itself).
type AddrReceived struct {
	// Addrs are the accepted addresses, in the order processed; never empty.
	Addrs []book.Address
	// Solicited is set when the message may answer our getaddr.
	Solicited bool
}

// RelayAddrs asks for addresses to be relayed to other peers: the recent
// routable entries of an unsolicited addr or addrv2 message of at most
// MaxAddrToRelay entries (a self-announcement or its relay).
type RelayAddrs struct {
	// Addrs are the addresses to relay; never empty.
	Addrs []book.Address
}

// GetAddrRequest reports the first getaddr of an inbound peer: the actor
// fetches the cached answer from the address manager and hands it back
// with SendAddrs.
type GetAddrRequest struct{}

// Other hands a decoded message the core does not consume (inv, getdata,
// headers, getheaders, block, tx, ...) to later subsystems. It is only emitted after the handshake and
// after the entry-count limits were checked.
type Other struct {
	// Msg is the decoded message; it is not shared with the core.
	Msg wire.Message
}

func (Send) isOutput()           {}
func (Disconnect) isOutput()     {}
func (Misbehaving) isOutput()    {}
func (HandshakeDone) isOutput()  {}
func (Changed) isOutput()        {}
func (Unknown) isOutput()        {}
func (Ignored) isOutput()        {}
func (Other) isOutput()          {}
func (AddrReceived) isOutput()   {}
func (RelayAddrs) isOutput()     {}
func (GetAddrRequest) isOutput() {}
