package addrman

import (
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
)

// The error strings of AddPeerAddressResult, Core's.
const (
	// ErrAddPeerInvalid: the address is not an IP literal, onion or I2P name.
	ErrAddPeerInvalid = "Invalid IP address"
	// ErrAddPeerNew: the address did not take a new-table slot (already
	// known, unroutable, or its slot is held).
	ErrAddPeerNew = "failed-adding-to-new"
	// ErrAddPeerTried: the address could not move to the tried table (its
	// tried slot is held: a collision now waits for a feeler).
	ErrAddPeerTried = "failed-adding-to-tried"
)

// AllNetworks is the name of getaddrmaninfo's line that counts every
// network.
const AllNetworks = "all_networks"

// addPeerServices are the services addpeeraddress records, as Core does.
const addPeerServices = wire.SFNodeNetwork | wire.SFNodeWitness

// addAddresses records the addresses a peer announced: each is converted
// (malformed ones are skipped), its time sanitised, and the whole batch
// added with the peer as source and the time penalty.
func (a *addrmanActor) addAddresses(msg *addrmanpb.AddAddresses, now time.Time) {
	src, err := book.ParseAddr(msg.GetSource())
	if err != nil {
		src = book.Addr{} // unknown source
	}
	addrs := make([]book.Address, 0, len(msg.GetAddrs()))
	skipped := 0
	for _, na := range msg.GetAddrs() {
		addr, err := FromNetAddr(na)
		if err != nil {
			skipped++
			continue
		}
		addr.Time = sanitizeTime(addr.Time, now)
		addrs = append(addrs, addr)
	}
	penalty := time.Duration(max(0, msg.GetTimePenaltySeconds())) * time.Second
	added := a.book.Add(addrs, src, penalty, now)
	if len(addrs) > 0 {
		a.dirty = true
	}
	a.log.Debug("addresses offered", slog.Uint64("peer", msg.GetPeerId()), slog.Int("offered", len(msg.GetAddrs())),
		slog.Int("added", added), slog.Int("skipped", skipped))
}

// parse reads a host:port address of a connman message; a malformed one is
// logged and ignored.
func (a *addrmanActor) parse(s, what string) (book.Addr, bool) {
	addr, err := book.ParseAddr(s)
	if err != nil {
		a.log.Debug("malformed address ignored", slog.String("message", what), slog.String("address", s), slog.Any("err", err))
		return book.Addr{}, false
	}
	return addr, true
}

// networkIDs converts a network filter; ids that name no network are kept
// (they match nothing) unless they do not fit a NetworkID.
func networkIDs(ids []uint32) []book.NetworkID {
	if len(ids) == 0 {
		return nil
	}
	out := make([]book.NetworkID, 0, len(ids))
	for _, id := range ids {
		if id <= math.MaxUint8 {
			out = append(out, book.NetworkID(id))
		}
	}
	if len(out) == 0 {
		// Only impossible networks were asked for: match nothing rather
		// than everything.
		out = append(out, book.NetworkID(math.MaxUint8))
	}
	return out
}

// selected is the answer to Select and SelectTriedCollision.
func selected(info book.Info, ok bool) *addrmanpb.Selected {
	if !ok {
		return &addrmanpb.Selected{}
	}
	return &addrmanpb.Selected{
		Ok:      true,
		Addr:    ToNetAddr(info.Address),
		Address: info.Address.String(),
		Tried:   info.Tried,
	}
}

// addrList builds a fresh AddrList of addrs.
func addrList(addrs []book.Address) *addrmanpb.AddrList {
	out := &addrmanpb.AddrList{Addrs: make([]*addrmanpb.NetAddr, len(addrs))}
	for i, addr := range addrs {
		out.Addrs[i] = ToNetAddr(addr)
	}
	return out
}

// nodeAddresses is getnodeaddresses: a random sample of at most count
// addresses (0: all) of the named network ("": any), terrible ones left
// out. An unknown network name matches nothing.
func (a *addrmanActor) nodeAddresses(msg *addrmanpb.GetNodeAddresses, now time.Time) *addrmanpb.AddrList {
	var net book.NetworkID
	if name := msg.GetNetwork(); name != "" {
		n, ok := book.ParseNetwork(strings.ToLower(name))
		if !ok {
			return &addrmanpb.AddrList{}
		}
		net = n
	}
	return addrList(a.book.GetAddr(int(msg.GetCount()), 0, net, now))
}

// info is getaddrmaninfo: new, tried and total per network in BIP155
// order, then all networks.
func (a *addrmanActor) info() *addrmanpb.AddrmanInfo {
	out := &addrmanpb.AddrmanInfo{}
	line := func(name string, n book.NetworkID) {
		out.Networks = append(out.Networks, &addrmanpb.NetworkCounts{
			Network: name,
			New:     uint64(a.book.Size(n, book.TableNew)),
			Tried:   uint64(a.book.Size(n, book.TableTried)),
			Total:   uint64(a.book.Size(n, book.TableAll)),
		})
	}
	for _, n := range book.Networks() {
		line(n.String(), n)
	}
	line(AllNetworks, 0)
	return out
}

// addPeerAddress is Core's addpeeraddress: the address is added as if it
// announced itself (source = itself, services NETWORK|WITNESS, seen now);
// with tried it is then marked Good. Success means it took a new slot and,
// with tried, moved to the tried table.
func (a *addrmanActor) addPeerAddress(msg *addrmanpb.AddPeerAddress, now time.Time) *addrmanpb.AddPeerAddressResult {
	if msg.GetPort() > math.MaxUint16 {
		return &addrmanpb.AddPeerAddressResult{Error: ErrAddPeerInvalid}
	}
	addr, err := ParseHost(msg.GetAddress(), uint16(msg.GetPort()))
	if err != nil {
		return &addrmanpb.AddPeerAddressResult{Error: ErrAddPeerInvalid}
	}
	entry := book.Address{Addr: addr, Services: addPeerServices, Time: now.Unix()}
	if a.book.Add([]book.Address{entry}, addr, 0, now) == 0 {
		return &addrmanpb.AddPeerAddressResult{Error: ErrAddPeerNew}
	}
	a.dirty = true
	if msg.GetTried() && !a.book.Good(addr, now) {
		return &addrmanpb.AddPeerAddressResult{Error: ErrAddPeerTried}
	}
	return &addrmanpb.AddPeerAddressResult{Success: true}
}
