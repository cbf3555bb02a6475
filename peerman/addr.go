package peerman

import (
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/peerman/peercore"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// AddrTimePenalty is the age added to the time of every address a peer
// announces when it is offered to addrman (Core adds two hours; addrman
// skips the penalty for a peer announcing its own address).
const AddrTimePenalty = 2 * time.Hour

// relayAddrs (Peer -> peerman) asks for addresses a peer announced to be
// relayed to other peers. The slice is never changed after sending.
type relayAddrs struct {
	from  actors.PeerID
	addrs []book.Address
}

// addrRelayState (Peer -> peerman) tells peerman whether a Peer takes part
// in address relay now and whether it wants addrv2, so that peerman can
// pick relay targets without asking.
type addrRelayState struct {
	id      actors.PeerID
	enabled bool
	addrV2  bool
}

// queueAddrs (peerman -> Peer) asks a Peer to send addresses to its peer.
// The slice is never changed after sending.
type queueAddrs struct {
	addrs []book.Address
}

// offerAddrs sends addrman the addresses a peer announced, or drops them
// when there is no addrman.
func (p *peer) offerAddrs(ctx actor.Context, o peercore.AddrReceived) {
	p.log.Debug("addresses received", "count", len(o.Addrs), "solicited", o.Solicited)
	if p.cfg.Addrman == nil {
		return
	}
	p.acct.AddrsForwarded(len(o.Addrs))
	ctx.Send(p.cfg.Addrman, &addrmanpb.AddAddresses{
		Addrs:              toNetAddrs(o.Addrs),
		Source:             p.spec.remote,
		TimePenaltySeconds: int64(AddrTimePenalty / time.Second),
		PeerId:             uint64(p.spec.id),
	})
}

// answerGetAddr asks addrman for the cached getaddr answer of the peer's
// network without blocking (the answer re-enters the Peer) and hands it to
// the core, which sends it as addr or addrv2. Without addrman, or when
// addrman does not answer in time, the getaddr stays unanswered.
func (p *peer) answerGetAddr(ctx actor.Context) {
	if p.cfg.Addrman == nil {
		p.log.Debug("getaddr not answered: no address manager")
		return
	}
	req := &addrmanpb.GetAddrCache{RequestorNetwork: requestorNetwork(p.spec.remote)}
	f := ctx.RequestFuture(p.cfg.Addrman, req, p.cfg.AddrmanTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		list, ok := res.(*addrmanpb.AddrList)
		if !ok {
			p.log.Warn("getaddr not answered: no address list from addrman", "error", err, "answer", res)
			return
		}
		addrs := fromNetAddrs(list.GetAddrs())
		p.log.Debug("answering getaddr", "addresses", len(addrs))
		p.step(ctx, peercore.SendAddrs{Addrs: addrs}, p.cfg.Clock.Now())
	})
}

// requestRelay asks peerman to relay addresses to other peers.
func (p *peer) requestRelay(ctx actor.Context, o peercore.RelayAddrs) {
	if parent := ctx.Parent(); parent != nil {
		ctx.Send(parent, &relayAddrs{from: p.spec.id, addrs: o.Addrs})
	}
}

// reportAddrRelay tells peerman when the Peer's part in address relay
// changed: enabled once the handshake is done and addresses are exchanged.
func (p *peer) reportAddrRelay(ctx actor.Context) {
	info := p.state.Snapshot(time.Time{})
	st := addrRelayState{
		id:      p.spec.id,
		enabled: info.AddrRelayEnabled && info.Handshake == peercore.Established && !info.Disconnected,
		addrV2:  info.SendAddrV2,
	}
	if st == p.relayTold {
		return
	}
	p.relayTold = st
	if parent := ctx.Parent(); parent != nil {
		ctx.Send(parent, &st)
	}
}

// requestorNetwork returns the BIP155 network of a peer's address
// (host:port), 0 when it cannot be parsed.
func requestorNetwork(remote string) uint32 {
	a, err := book.ParseAddr(remote)
	if err != nil {
		return 0
	}
	return uint32(a.Net)
}

// toNetAddrs converts addresses to addrman's boundary form.
func toNetAddrs(addrs []book.Address) []*addrmanpb.NetAddr {
	out := make([]*addrmanpb.NetAddr, len(addrs))
	for i, a := range addrs {
		out[i] = &addrmanpb.NetAddr{
			Network:  uint32(a.Net),
			Addr:     a.Bytes(),
			Port:     uint32(a.Port),
			Services: uint64(a.Services),
			Time:     a.Time,
		}
	}
	return out
}

// fromNetAddrs converts addrman's addresses, leaving out malformed ones.
func fromNetAddrs(in []*addrmanpb.NetAddr) []book.Address {
	out := make([]book.Address, 0, len(in))
	for _, n := range in {
		if n.GetNetwork() > 255 || n.GetPort() > 65535 {
			continue
		}
		a, err := book.FromBytes(book.NetworkID(n.GetNetwork()), n.GetAddr(), uint16(n.GetPort()))
		if err != nil {
			continue
		}
		out = append(out, book.Address{Addr: a, Services: wire.ServiceFlag(n.GetServices()), Time: n.GetTime()})
	}
	return out
}

// isIPAddr reports whether a is an IPv4 or IPv6 address, which legacy addr
// messages can carry and which the node reaches by default.
func isIPAddr(a book.Addr) bool { return a.Net == book.NetIPv4 || a.Net == book.NetIPv6 }
