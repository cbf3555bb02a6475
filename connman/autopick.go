package connman

import (
	"net/netip"

	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/connman/outbound"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// skipReason is why the automatic loop does not dial an address addrman
// selected; empty means it may be dialled.
type skipReason string

// The reasons to skip a selected address.
const (
	skipNone        skipReason = ""
	skipInvalid     skipReason = "not an ip:port address"
	skipOwn         skipReason = "one of our own listening addresses"
	skipNetgroup    skipReason = "network group already used by an outbound peer"
	skipConnected   skipReason = "already connected or dialling"
	skipBanned      skipReason = "banned"
	skipDiscouraged skipReason = "discouraged"
	skipManual      skipReason = "a manual peer"
	skipServices    skipReason = "lacks the services the connection needs"
)

// endsRound reports whether the reason ends the round at once instead of
// asking addrman for another address (Core stops on an invalid or local
// address).
func (s skipReason) endsRound() bool { return s == skipInvalid || s == skipOwn }

// parseSelected returns the selected address as IP and port.
func parseSelected(sel *addrmanpb.Selected) (netip.AddrPort, bool) {
	ap, err := netip.ParseAddrPort(sel.GetAddress())
	if err != nil || !ap.Addr().IsValid() || ap.Addr().IsUnspecified() || ap.Port() == 0 {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port()), true
}

// unsuitable says why the selected address must not be dialled for a
// connection of type t, or skipNone. The rules are Core's: one persistent
// outbound connection per network group (feelers excepted), never an
// address we are connected to or dialling, banned or discouraged, never a
// manual peer (it has its own connection), and only peers announcing the
// services the connection needs (full node with witness for full-relay and
// block-relay-only, any full node for a feeler).
func (a *connmanActor) unsuitable(sel *addrmanpb.Selected, t peermanpb.ConnectionType) skipReason {
	ap, ok := parseSelected(sel)
	if !ok {
		return skipInvalid
	}
	ip, now := ap.Addr(), a.cfg.Clock.Now()
	switch {
	case a.ownAddress(ap):
		return skipOwn
	case !a.cfg.groupOf.Allowed(a.cfg.groupOf.InUse(a.outboundConns()), ip, t):
		return skipNetgroup
	case a.connectedTo(ap):
		return skipConnected
	case a.bans.Banned(ip, now):
		return skipBanned
	case a.discouraged.Has(ip, now):
		return skipDiscouraged
	case a.isTarget(ap):
		return skipManual
	}
	services := sel.GetAddr().GetServices()
	if t == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER {
		if services&(serviceNetwork|serviceNetworkLimited) == 0 {
			return skipServices
		}
	} else if services&(serviceNetwork|serviceWitness) != serviceNetwork|serviceWitness {
		return skipServices
	}
	return skipNone
}

// autoCounts counts the automatic outbound connections open or being
// dialled, by type.
func (a *connmanActor) autoCounts() outbound.Counts {
	var c outbound.Counts
	add := func(t peermanpb.ConnectionType) {
		switch t {
		case peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY:
			c.FullRelay++
		case peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:
			c.BlockRelayOnly++
		case peermanpb.ConnectionType_CONNECTION_TYPE_FEELER:
			c.Feelers++
		}
	}
	for _, r := range a.view.conns {
		add(r.connType)
	}
	for _, in := range a.dials {
		if in.auto {
			add(in.connType)
		}
	}
	return c
}

// outboundConns lists the connections, and the dials in flight, as the
// netgroup rule sees them.
func (a *connmanActor) outboundConns() []outbound.Conn {
	out := make([]outbound.Conn, 0, len(a.view.conns)+len(a.dials))
	for _, r := range a.view.conns {
		if !r.addr.IsValid() {
			continue
		}
		c := outbound.Conn{Addr: r.addr, Type: r.connType}
		if r.snap != nil {
			switch n := netgroup.Network(r.snap.GetNetwork()); n {
			case netgroup.NetOnion, netgroup.NetI2P, netgroup.NetCJDNS:
				c.Network = n
			}
		}
		out = append(out, c)
	}
	for _, in := range a.dials {
		if ip, ok := netgroup.ParseHostPort(in.addr); ok {
			out = append(out, outbound.Conn{Addr: ip, Type: in.connType})
		}
	}
	return out
}

// connectedTo reports whether any connection, of any direction, or any
// dial in flight, goes to ap's IP (Core matches by IP alone) or to ap
// itself.
func (a *connmanActor) connectedTo(ap netip.AddrPort) bool {
	for _, r := range a.view.conns {
		if r.addr == ap.Addr() {
			return true
		}
	}
	for _, in := range a.dials {
		if ip, ok := netgroup.ParseHostPort(in.addr); ok && ip == ap.Addr() {
			return true
		}
		if in.addr == ap.String() {
			return true
		}
	}
	return false
}

// ownAddress reports whether ap is one of the addresses we listen on.
func (a *connmanActor) ownAddress(ap netip.AddrPort) bool {
	for _, b := range a.life.bound() {
		if got, err := netip.ParseAddrPort(b); err == nil && got.Addr().Unmap() == ap.Addr() && got.Port() == ap.Port() {
			return true
		}
	}
	return false
}

// isTarget reports whether ap is a manual peer (p2p.addnode or the addnode
// RPC): automatic slots are not spent on them.
func (a *connmanActor) isTarget(ap netip.AddrPort) bool {
	for addr := range a.targets {
		if got, err := netip.ParseAddrPort(addr); err == nil && got.Addr().Unmap() == ap.Addr() && got.Port() == ap.Port() {
			return true
		}
	}
	return false
}
