package connman

import (
	"net/netip"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// addrReport is what connman may tell addrman about one connection or
// dial. The privacy rule (see doc.go) decides what is sent and when:
// addrman learns of attempts, successes and ended connections, never of a
// connection that is open now.
type addrReport struct {
	// addr is the address addrman knows the peer by, as ip:port; empty
	// means addrman hears nothing (inbound connections, manual peers named
	// by a host name).
	addr string
	// countFailure is Attempt's count_failure for this dial.
	countFailure bool
	// good is set once Good was sent: the handshake (for a feeler, the
	// version exchange) succeeded.
	good bool
}

// reportAs returns the report of a connection to addr; addresses that are
// not ip:port literals are never reported.
func reportAs(addr string, countFailure bool) addrReport {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().IsValid() {
		return addrReport{}
	}
	return addrReport{addr: addr, countFailure: countFailure}
}

// tellAddrman sends msg to addrman, when there is one.
func (a *connmanActor) tellAddrman(ctx actor.Context, msg any) {
	if a.cfg.Addrman != nil {
		ctx.Send(a.cfg.Addrman, msg)
	}
}

// reportAttempt tells addrman that a dial to rep's address failed, or that
// its connection ended before the handshake.
func (a *connmanActor) reportAttempt(ctx actor.Context, rep addrReport) {
	if rep.addr == "" || rep.good {
		return
	}
	a.tellAddrman(ctx, &addrmanpb.Attempt{Address: rep.addr, CountFailure: rep.countFailure})
}

// snapshotSeen reports an outbound peer's handshake to addrman the first
// time a snapshot says it is done: the services the peer announced, and
// Good (Core records both when an outbound peer's version arrives).
func (a *connmanActor) snapshotSeen(ctx actor.Context, r *record, s *peermanpb.PeerSnapshot) {
	if !s.GetHandshakeDone() || r.inbound() || r.report.addr == "" || r.report.good {
		return
	}
	r.report.good = true
	if r.connType == peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL {
		// addnode and p2p.connect peers are a source of the address book
		// in their own right: the address enters it, sourced from itself,
		// before Good moves it to tried.
		if na := netAddrOf(r.report.addr, s.GetServices(), a.cfg.Clock.Now().Unix()); na != nil {
			a.tellAddrman(ctx, &addrmanpb.AddAddresses{Addrs: []*addrmanpb.NetAddr{na}, Source: r.report.addr, PeerId: s.GetPeerId()})
		}
	}
	a.tellAddrman(ctx, &addrmanpb.SetServices{Address: r.report.addr, Services: s.GetServices()})
	a.tellAddrman(ctx, &addrmanpb.Good{Address: r.report.addr})
}

// feelerDone reports a feeler whose peer completed the version exchange:
// the feeler did its job, the address is Good. The Peer disconnects a
// feeler before verack, so no snapshot ever says its handshake is done.
func (a *connmanActor) feelerDone(ctx actor.Context, r *record) {
	if r.connType != peermanpb.ConnectionType_CONNECTION_TYPE_FEELER || r.report.addr == "" || r.report.good {
		return
	}
	r.report.good = true
	a.tellAddrman(ctx, &addrmanpb.Good{Address: r.report.addr})
}

// reportClosed tells addrman how an outbound connection ended: Attempt when
// it never completed its handshake, Connected when a full-relay or manual
// connection did. Block-relay-only connections are never reported
// Connected (they must leave no trace an addr-relaying peer could probe),
// nor are feelers (they never count as connected, as in Core).
func (a *connmanActor) reportClosed(ctx actor.Context, r *record) {
	switch {
	case r.report.addr == "":
	case !r.report.good:
		a.reportAttempt(ctx, r.report)
	case r.connType == peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
		r.connType == peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL:
		a.tellAddrman(ctx, &addrmanpb.Connected{Address: r.report.addr})
	}
}

// netAddrOf returns addr (an ip:port literal) as a BIP155 NetAddr, or nil.
func netAddrOf(addr string, services uint64, now int64) *addrmanpb.NetAddr {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil
	}
	ip := ap.Addr().Unmap()
	na := &addrmanpb.NetAddr{Port: uint32(ap.Port()), Services: services, Time: now}
	if ip.Is4() {
		b := ip.As4()
		na.Network, na.Addr = 1, b[:]
	} else {
		b := ip.As16()
		na.Network, na.Addr = 2, b[:]
	}
	return na
}
