package peercore

import (
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// received routes one frame by handshake phase, as Core's ProcessMessage
// does: unknown commands are reported, version is handled at any time,
// everything else is ignored before version, only the negotiation messages
// and verack count before verack, and the rest is checked, decoded and
// either consumed here or handed on as Other.
func (st *stepper) received(in Received) {
	s := st.s
	cmd := in.Command
	if emptyMessage(cmd) == nil {
		st.out = append(st.out, Unknown{Command: cmd})
		return
	}
	if cmd == wire.CmdVersion {
		st.onVersion(in.Payload)
		return
	}
	if s.phase == AwaitingVersion {
		st.ignore(cmd, IgnoreBeforeVersion)
		return
	}
	switch cmd {
	case wire.CmdVerAck:
		st.onVerack()
		return
	case wire.CmdWTxIdRelay, wire.CmdSendAddrV2:
		st.onNegotiation(cmd, in.Payload)
		return
	}
	if s.phase != Established {
		st.ignore(cmd, IgnoreBeforeVerack)
		return
	}
	if !s.cfg.ConnType.relaysAddrs() && (cmd == wire.CmdAddr || cmd == wire.CmdAddrV2 || cmd == wire.CmdGetAddr) {
		st.ignore(cmd, IgnoreAddrRelayDisabled)
		return
	}
	if lim, ok := limitFor(cmd); ok {
		if n, ok := peekCount(in.Payload, lim.offset, s.commonVersion); ok && n > lim.max {
			detail := fmt.Sprintf("%s message with %d %s, max %d", cmd, n, lim.what, lim.max)
			if lim.punish {
				st.misbehave(ReasonOversizedMessage, detail)
			} else {
				st.disconnect(ReasonOversizedMessage, detail)
			}
			return
		}
	}
	msg, err := decode(cmd, in.Payload, s.commonVersion)
	if err != nil {
		st.misbehave(ReasonMalformedMessage, err.Error())
		return
	}
	st.established(msg)
}

// established handles a decoded message after the handshake.
func (st *stepper) established(msg wire.Message) {
	s := st.s
	switch m := msg.(type) {
	case *wire.MsgPing:
		if s.commonVersion > PingNonceVersion {
			st.send(wire.NewMsgPong(m.Nonce))
		}
	case *wire.MsgPong:
		st.onPong(m.Nonce)
	case *wire.MsgFeeFilter:
		if m.MinFee < 0 || m.MinFee > MaxMoney {
			st.ignore(m.Command(), IgnoreFeeFilterOutOfRange)
			return
		}
		s.feeFilter = m.MinFee
	case *wire.MsgSendHeaders:
		s.sendHeaders = true
	case *MsgSendCmpct:
		if m.Version != CompactBlocksVersion {
			st.ignore(m.Command(), IgnoreCmpctVersion)
			return
		}
		s.sendCmpct = true
		s.cmpctAnnounce = m.Announce
		s.cmpctVersion = m.Version
	case *wire.MsgGetAddr:
		st.onGetAddr()
	case *wire.MsgAddr, *wire.MsgAddrV2:
		entries, bad := addrEntries(m)
		st.onAddr(m.Command(), entries, bad)
	default:
		st.out = append(st.out, Other{Msg: msg})
	}
}
