package peercore

import (
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// New starts the state machine for a connection opened at now. An outbound
// connection sends our version at once; an inbound one waits for the peer's.
// The error reports an invalid Config (unset connection type, user agent
// over 256 bytes, protocol version below 31800, negative durations).
func New(cfg Config, now time.Time) (State, []Output, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return State{}, nil, err
	}
	s := State{
		cfg:           cfg,
		connTime:      now,
		feeFilterWant: cfg.MinFeeFilter,
		addrTokens:    initialAddrTokens,
		addrTokensAt:  now,
	}
	s.ourNonce = nonZero(cfg.Nonces)
	st := stepper{s: &s, now: now}
	if !cfg.ConnType.IsInbound() {
		st.sendVersion()
	}
	return s, st.out, nil
}

// Step feeds one input at time now and returns the next state and the
// outputs, in the order the actor must perform them. Step never blocks,
// never reads a clock and never touches the input's payload after it
// returns. Once a Disconnect has been emitted, Step returns the state
// unchanged and no outputs.
func Step(s State, in Input, now time.Time) (State, []Output) {
	if s.disconnected {
		return s, nil
	}
	before := s.relevant()
	st := stepper{s: &s, now: now}
	switch in := in.(type) {
	case Received:
		s.lastRecv = now
		st.received(in)
	case Tick:
	case SendPing:
		s.pingQueued = true
	case SetFeeFilter:
		s.feeFilterWant = min(max(in.MinFeeRate, 0), MaxMoney)
	case EnableSendHeaders:
		s.wantSendHeaders = true
	case SendAddrs:
		st.sendAddrs(in.Addrs)
	}
	if !s.disconnected {
		st.timers()
	}
	if s.relevant() != before {
		st.out = append(st.out, Changed{})
	}
	return s, st.out
}

// stepper collects the outputs of one Step and enforces that nothing is
// sent after a disconnect.
type stepper struct {
	s   *State
	now time.Time
	out []Output
}

// send queues msg, encoded with the common version, and records the time.
func (st *stepper) send(msg wire.Message) {
	st.sendWith(msg, st.s.CommonVersion())
}

// sendWith queues msg encoded with pver and records the send time.
func (st *stepper) sendWith(msg wire.Message, pver uint32) {
	if st.s.disconnected {
		return
	}
	st.s.lastSend = st.now
	st.out = append(st.out, Send{Msg: msg, ProtocolVersion: pver})
}

// disconnect ends the connection; later outputs of the Step are dropped.
func (st *stepper) disconnect(reason DisconnectReason, detail string) {
	if st.s.disconnected {
		return
	}
	st.s.disconnected = true
	st.s.reason = reason
	st.out = append(st.out, Disconnect{Reason: reason, Detail: detail})
}

// misbehave reports misbehaviour (not for manual peers) and disconnects.
func (st *stepper) misbehave(reason DisconnectReason, detail string) {
	if st.s.disconnected {
		return
	}
	if st.s.cfg.ConnType.punishable() {
		st.out = append(st.out, Misbehaving{Reason: reason, Detail: detail})
	}
	st.disconnect(reason, detail)
}

// ignore reports a known message dropped without effect.
func (st *stepper) ignore(command string, reason IgnoreReason) {
	st.out = append(st.out, Ignored{Command: command, Reason: reason})
}
