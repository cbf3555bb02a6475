package peerman

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/peerman/peercore"
	"github.com/asynkron/protoactor-go/actor"
)

// AddrRelayRotation is how long an address keeps going to the same relay
// targets while the set of peers does not change (Core's
// ROTATE_ADDR_RELAY_DEST_INTERVAL): a peer repeating an announcement gains
// no extra spread.
const AddrRelayRotation = 24 * time.Hour

// addrRelayFanout is how many peers a reachable address is relayed to;
// others go to one or two.
const addrRelayFanout = 2

// Domain tags of the relay key's hashes.
const (
	tagAddr  byte = 'a'
	tagMix   byte = 'm'
	keyDraws      = 4 // 64-bit draws in a relayKey
)

// relayKey is peerman's secret for choosing relay targets, drawn once from
// Config.Random. Without it a peer could predict (and steer) who hears its
// announcements.
type relayKey [8 * keyDraws]byte

// newRelayKey draws a key from src.
func newRelayKey(src peercore.NonceSource) relayKey {
	var k relayKey
	for i := range keyDraws {
		binary.LittleEndian.PutUint64(k[8*i:], src.Uint64())
	}
	return k
}

// addrHash is a keyed hash of an address (network, bytes and port).
func (k *relayKey) addrHash(a book.Addr) uint64 {
	h := sha256.New()
	h.Write(k[:])
	h.Write([]byte{tagAddr, byte(a.Net)})
	h.Write(a.Host[:])
	h.Write([]byte{byte(a.Port), byte(a.Port >> 8)})
	return binary.LittleEndian.Uint64(h.Sum(nil))
}

// mix is a keyed hash of a few numbers.
func (k *relayKey) mix(vals ...uint64) uint64 {
	h := sha256.New()
	h.Write(k[:])
	h.Write([]byte{tagMix})
	var b [8]byte
	for _, v := range vals {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	return binary.LittleEndian.Uint64(h.Sum(nil))
}

// setAddrRelay records a Peer's part in address relay.
func (pm *peerman) setAddrRelay(m *addrRelayState) {
	if e, ok := pm.peers[m.id]; ok {
		e.addrRelay, e.addrV2 = m.enabled, m.addrV2
	}
}

// relay sends the addresses one peer announced to the relay targets of
// each, one queueAddrs per target Peer.
func (pm *peerman) relay(ctx actor.Context, m *relayAddrs) {
	now := pm.cfg.Clock.Now()
	batches := make(map[actors.PeerID][]book.Address)
	var order []actors.PeerID
	for _, a := range m.addrs {
		for _, id := range pm.relayTargets(m.from, a, now) {
			if _, seen := batches[id]; !seen {
				order = append(order, id)
			}
			batches[id] = append(batches[id], a)
		}
	}
	for _, id := range order {
		e := pm.peers[id]
		pm.log.Debug("relaying addresses", "from", uint64(m.from), "to", uint64(id), "count", len(batches[id]))
		ctx.Send(e.pid, &queueAddrs{addrs: batches[id]})
	}
}

// relayTargets picks the peers an address from peer from goes to, as Core
// does: among the other peers with address relay enabled that can carry
// the address (addrv2 for anything but IPv4 and IPv6), the two (for IPv4
// and IPv6, which the node reaches; one or two for other networks) that
// score highest under a keyed hash of the address, the peer and a time
// window of AddrRelayRotation shifted per address.
func (pm *peerman) relayTargets(from actors.PeerID, a book.Address, now time.Time) []actors.PeerID {
	ah := pm.key.addrHash(a.Addr)
	window := (uint64(max(now.Unix(), 0)) + ah) / uint64(AddrRelayRotation/time.Second)
	seed := pm.key.mix(ah, window)
	n := addrRelayFanout
	if !isIPAddr(a.Addr) && seed&1 == 0 {
		n = 1
	}
	type scored struct {
		id    actors.PeerID
		score uint64
	}
	var cands []scored
	for id, e := range pm.peers {
		if id == from || !e.addrRelay || (!e.addrV2 && !isIPAddr(a.Addr)) {
			continue
		}
		cands = append(cands, scored{id: id, score: pm.key.mix(seed, uint64(id))})
	}
	slices.SortFunc(cands, func(x, y scored) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(x.id, y.id)
	})
	out := make([]actors.PeerID, 0, n)
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.id)
	}
	return out
}
