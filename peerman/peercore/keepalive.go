package peercore

import (
	"fmt"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// timers evaluates every deadline and periodic send against st.now. The
// checks follow Core's CConnman::InactivityCheck, which only starts once
// HandshakeTimeout has passed since the connection began, then Core's
// MaybeSendPing, MaybeSendSendHeaders and MaybeSendFeefilter, which only
// run after the handshake.
func (st *stepper) timers() {
	s, now := st.s, st.now
	cfg := s.cfg
	if now.After(s.connTime.Add(cfg.HandshakeTimeout)) {
		switch {
		case s.lastRecv.IsZero() || s.lastSend.IsZero():
			st.disconnect(ReasonHandshakeTimeout,
				fmt.Sprintf("no message in either direction within %s (received=%t sent=%t)",
					cfg.HandshakeTimeout, !s.lastRecv.IsZero(), !s.lastSend.IsZero()))
		case now.After(s.lastSend.Add(cfg.InactivityTimeout)):
			st.disconnect(ReasonInactivity, fmt.Sprintf("nothing sent for %s", now.Sub(s.lastSend)))
		case now.After(s.lastRecv.Add(cfg.InactivityTimeout)):
			st.disconnect(ReasonInactivity, fmt.Sprintf("nothing received for %s", now.Sub(s.lastRecv)))
		case s.phase != Established:
			st.disconnect(ReasonHandshakeTimeout,
				fmt.Sprintf("handshake not completed within %s (%s)", cfg.HandshakeTimeout, s.phase))
		case s.pingNonce != 0 && now.After(s.pingStart.Add(cfg.PingTimeout)):
			st.disconnect(ReasonPingTimeout, fmt.Sprintf("no pong for %s", now.Sub(s.pingStart)))
		}
		if s.disconnected {
			return
		}
	}
	if s.phase != Established {
		return
	}
	st.maybePing()
	st.maybeSendHeaders()
	st.maybeFeeFilter()
}

// maybePing sends a ping when one was asked for, or when none is
// outstanding and PingInterval has passed since the last one. The first ping
// goes out right after the handshake.
func (st *stepper) maybePing() {
	s := st.s
	due := s.pingNonce == 0 && (s.pingStart.IsZero() || st.now.After(s.pingStart.Add(s.cfg.PingInterval)))
	if !s.pingQueued && !due {
		return
	}
	nonce := nonZero(s.cfg.Nonces)
	s.pingQueued = false
	s.pingStart = st.now
	s.pingsSent++
	if s.commonVersion > PingNonceVersion {
		s.pingNonce = nonce
		st.send(wire.NewMsgPing(nonce))
		return
	}
	// Before BIP 31 a ping has no nonce and gets no pong.
	s.pingNonce = 0
	st.send(&wire.MsgPing{})
}

// onPong matches a pong against the outstanding ping, following Core: a
// match records the round trip; nonce zero cancels the ping; any other
// mismatch leaves it outstanding.
func (st *stepper) onPong(nonce uint64) {
	s := st.s
	switch {
	case s.pingNonce == 0:
		s.badPongs++
		st.ignore(wire.CmdPong, IgnorePongUnsolicited)
	case nonce == s.pingNonce:
		s.pingNonce = 0
		rtt := st.now.Sub(s.pingStart)
		if rtt < 0 {
			s.badPongs++
			st.ignore(wire.CmdPong, IgnorePongTimingMishap)
			return
		}
		s.lastPing = rtt
		if s.pongsReceived == 0 || rtt < s.minPing {
			s.minPing = rtt
		}
		s.pongsReceived++
	case nonce == 0:
		s.pingNonce = 0
		s.badPongs++
		st.ignore(wire.CmdPong, IgnorePongNonceZero)
	default:
		s.badPongs++
		st.ignore(wire.CmdPong, IgnorePongNonceMismatch)
	}
}

// maybeSendHeaders sends sendheaders once it was enabled, if the common
// version knows it.
func (st *stepper) maybeSendHeaders() {
	s := st.s
	if !s.wantSendHeaders || s.sentSendHeaders || s.commonVersion < SendHeadersVersion {
		return
	}
	s.sentSendHeaders = true
	st.send(&wire.MsgSendHeaders{})
}

// maybeFeeFilter announces our fee rate right after the handshake and, at
// jittered intervals afterwards, whenever it changed. It is not sent to
// block-relay-only or feeler peers, nor when we do not want transactions.
func (st *stepper) maybeFeeFilter() {
	s := st.s
	cfg := s.cfg
	if !cfg.Relay || cfg.ConnType == ConnBlockRelayOnly || cfg.ConnType == ConnFeeler ||
		s.commonVersion < FeeFilterVersion {
		return
	}
	if !s.nextFeeFilter.IsZero() && !st.now.After(s.nextFeeFilter) {
		return
	}
	if s.feeFilterWant != s.feeFilterSent {
		s.feeFilterSent = s.feeFilterWant
		st.send(wire.NewMsgFeeFilter(s.feeFilterWant))
	}
	s.nextFeeFilter = st.now.Add(jitter(cfg.FeeFilterInterval, cfg.Nonces))
}

// jitter returns a duration uniformly spread over [d/2, 3d/2), so that the
// average is d and peers are not synchronised.
func jitter(d time.Duration, src NonceSource) time.Duration {
	if d <= 0 {
		return 0
	}
	frac := float64(src.Uint64()>>11) / (1 << 53)
	return d/2 + time.Duration(frac*float64(d))
}
