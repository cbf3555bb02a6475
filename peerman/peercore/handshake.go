package peercore

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// sendVersion queues our version message. Like Core, addr_from is the zero
// address with our services, and the relay flag is false whenever we do not
// want transactions on this connection.
func (st *stepper) sendVersion() {
	cfg := st.s.cfg
	relay := cfg.Relay && cfg.ConnType != ConnBlockRelayOnly && cfg.ConnType != ConnFeeler
	msg := &wire.MsgVersion{
		ProtocolVersion: int32(cfg.ProtocolVersion),
		Services:        cfg.OurServices,
		Timestamp:       time.Unix(st.now.Unix(), 0),
		AddrYou:         netAddress(cfg.RemoteAddr, cfg.RemoteServices),
		AddrMe:          wire.NetAddress{Services: cfg.OurServices},
		Nonce:           st.s.ourNonce,
		UserAgent:       cfg.UserAgent,
		LastBlock:       cfg.StartHeight,
		DisableRelayTx:  !relay,
	}
	st.sendWith(msg, cfg.ProtocolVersion)
}

// netAddress converts a socket address to the version message form; an
// invalid address becomes the all-zero one.
func netAddress(ap netip.AddrPort, services wire.ServiceFlag) wire.NetAddress {
	na := wire.NetAddress{Services: services}
	if ap.IsValid() {
		na.IP = net.IP(ap.Addr().Unmap().AsSlice())
		na.Port = ap.Port()
	}
	return na
}

// addrPort converts a version message address back; the zero address
// becomes the invalid AddrPort.
func addrPort(na wire.NetAddress) netip.AddrPort {
	ip, ok := netip.AddrFromSlice(na.IP)
	if !ok || ip.IsUnspecified() {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(ip.Unmap(), na.Port)
}

// onVersion handles the peer's version message, in Core's order of checks:
// duplicate, decode, services, protocol version, self-connection.
func (st *stepper) onVersion(payload []byte) {
	s := st.s
	if s.phase != AwaitingVersion {
		st.disconnect(ReasonDuplicateVersion, "second version message")
		return
	}
	m, err := decode(wire.CmdVersion, payload, s.cfg.ProtocolVersion)
	if err != nil {
		st.misbehave(ReasonMalformedMessage, err.Error())
		return
	}
	v := m.(*wire.MsgVersion)
	if need := s.cfg.RequiredServices; s.cfg.ConnType.expectsServices() && v.Services&need != need {
		st.disconnect(ReasonMissingServices,
			fmt.Sprintf("peer offers services %#x, %s connection requires %#x", uint64(v.Services), s.cfg.ConnType, uint64(need)))
		return
	}
	if v.ProtocolVersion < MinPeerProtocolVersion {
		st.disconnect(ReasonObsoleteVersion,
			fmt.Sprintf("protocol version %d below %d", v.ProtocolVersion, MinPeerProtocolVersion))
		return
	}
	if s.cfg.ConnType.IsInbound() && s.cfg.SelfNonce != nil && s.cfg.SelfNonce(v.Nonce) {
		st.disconnect(ReasonSelfConnection, fmt.Sprintf("version nonce %#x is ours", v.Nonce))
		return
	}

	s.phase = AwaitingVerack
	s.theirVersion = v.ProtocolVersion
	s.commonVersion = min(uint32(v.ProtocolVersion), s.cfg.ProtocolVersion)
	s.theirServices = v.Services
	s.userAgent = v.UserAgent
	s.startHeight = v.LastBlock
	s.theirRelay = !v.DisableRelayTx
	s.timeOffset = max(v.Timestamp.Unix(), 0) - st.now.Unix()
	s.addrLocal = addrPort(v.AddrYou)

	if s.cfg.ConnType.IsInbound() {
		st.sendVersion()
	}
	if s.commonVersion >= WTxIDRelayVersion {
		st.send(&wire.MsgWTxIdRelay{})
		st.send(&wire.MsgSendAddrV2{})
	}
	st.send(&wire.MsgVerAck{})
	if !s.cfg.ConnType.IsInbound() && s.cfg.ConnType.relaysAddrs() {
		st.sendGetAddr()
	}
	if s.cfg.ConnType == ConnFeeler {
		st.disconnect(ReasonFeelerDone, "feeler connection completed")
	}
}

// onNegotiation handles wtxidrelay and sendaddrv2, which are only allowed
// between version and verack. Their payload must be empty.
func (st *stepper) onNegotiation(command string, payload []byte) {
	s := st.s
	if s.phase == Established {
		st.disconnect(ReasonNegotiationAfterVerack, command+" received after verack")
		return
	}
	if len(payload) != 0 {
		st.misbehave(ReasonMalformedMessage, fmt.Sprintf("%s: %d trailing bytes", command, len(payload)))
		return
	}
	switch command {
	case wire.CmdWTxIdRelay:
		switch {
		case s.commonVersion < WTxIDRelayVersion:
			st.ignore(command, IgnoreOldVersion)
		case s.wtxidRelay:
			st.ignore(command, IgnoreDuplicateNegotiation)
		default:
			s.wtxidRelay = true
		}
	case wire.CmdSendAddrV2:
		s.sendAddrV2 = true
	}
}

// onVerack completes the handshake and sends what Core sends at that
// moment: sendcmpct(false, 2) when the common version knows compact blocks.
func (st *stepper) onVerack() {
	s := st.s
	if s.phase == Established {
		st.ignore(wire.CmdVerAck, IgnoreRedundantVerack)
		return
	}
	s.phase = Established
	if s.commonVersion >= ShortIDsBlocksVersion {
		st.send(&MsgSendCmpct{Announce: false, Version: CompactBlocksVersion})
	}
	st.out = append(st.out, HandshakeDone{Info: s.Snapshot(st.now)})
}
