package peercore

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/actornode/actornode/addrman/book"
	"github.com/btcsuite/btcd/wire/v2"
)

// Address relay limits and times (Bitcoin Core's net_processing values).
const (
	// MaxAddrProcessingTokenBucket caps the addr token bucket's refill
	// (Core's MAX_ADDR_PROCESSING_TOKEN_BUCKET). The +MaxAddrPerMsg granted
	// for our getaddr may take the bucket above it.
	MaxAddrProcessingTokenBucket = 1000
	// AddrRatePerSecond is the bucket's refill rate, in addresses per
	// second (Core's MAX_ADDR_RATE_PER_SECOND).
	AddrRatePerSecond = 0.1
	// MaxAddrToRelay is the largest addr message whose addresses are
	// relayed to other peers: bigger ones are answers to getaddr, not
	// announcements.
	MaxAddrToRelay = 10
	// AddrRelayMaxAge is how recent an address's time must be for it to be
	// relayed.
	AddrRelayMaxAge = 10 * time.Minute
	// AddrMaxFuture is how far an address's time may lie in the future
	// before it is replaced by AddrFallbackAge ago.
	AddrMaxFuture = 10 * time.Minute
	// AddrFallbackAge is how old an address with an implausible time is
	// made: now minus five days, as in Core.
	AddrFallbackAge = 5 * 24 * time.Hour
	// addrTimeFloor is the earliest plausible address time (Unix seconds
	// 100000000, in 1973); earlier ones are replaced.
	addrTimeFloor = 100_000_000
	// initialAddrTokens lets a new peer announce itself once.
	initialAddrTokens = 1
)

// addrAccounting is the result of processing one addr or addrv2 message.
type addrAccounting struct {
	processed   uint64
	rateLimited uint64
	keep        []book.Address // routable addresses for the address manager
	relay       []book.Address // the subset to relay to other peers
}

// enableAddrRelay records that addresses are exchanged with this peer
// (Core's SetupAddressRelay). It reports false on block-relay-only
// connections, which never take part.
func (st *stepper) enableAddrRelay() bool {
	if !st.s.cfg.ConnType.relaysAddrs() {
		return false
	}
	st.s.addrRelayEnabled = true
	return true
}

// sendGetAddr asks the peer for addresses and makes room in its token
// bucket for a full answer.
func (st *stepper) sendGetAddr() {
	s := st.s
	st.enableAddrRelay()
	st.send(&wire.MsgGetAddr{})
	s.getAddrSent = true
	s.addrTokens += MaxAddrPerMsg
}

// onAddr handles a decoded addr or addrv2 message: it refills the token
// bucket, rate-limits, sanitises times and emits AddrReceived and, for a
// small unsolicited announcement, RelayAddrs. An addr-fetch connection
// ends once it has delivered more than one address.
func (st *stepper) onAddr(command string, entries []book.Address, undecodable int) {
	s := st.s
	st.enableAddrRelay()
	total := len(entries) + undecodable
	solicited := s.getAddrSent
	st.refillAddrTokens()
	acc := st.processAddrs(entries, total, solicited)
	s.addrProcessed += acc.processed
	s.addrRateLimited += acc.rateLimited
	if total < MaxAddrPerMsg {
		s.getAddrSent = false
	}
	if len(acc.keep) > 0 {
		st.out = append(st.out, AddrReceived{Addrs: acc.keep, Solicited: solicited})
	}
	if len(acc.relay) > 0 {
		st.out = append(st.out, RelayAddrs{Addrs: acc.relay})
	}
	if s.cfg.ConnType == ConnAddrFetch && total > 1 {
		st.disconnect(ReasonAddrFetchDone, fmt.Sprintf("addr-fetch peer sent %d addresses in %s", total, command))
	}
}

// refillAddrTokens adds the tokens earned since the last refill, up to
// MaxAddrProcessingTokenBucket, and restarts the refill clock at now.
func (st *stepper) refillAddrTokens() {
	s := st.s
	if s.addrTokens < MaxAddrProcessingTokenBucket {
		if elapsed := st.now.Sub(s.addrTokensAt); elapsed > 0 {
			s.addrTokens = min(s.addrTokens+elapsed.Seconds()*AddrRatePerSecond, MaxAddrProcessingTokenBucket)
		}
	}
	s.addrTokensAt = st.now
}

// processAddrs applies Core's per-address rules in a random order: one
// token per address or it is rate-limited; addresses advertising neither
// NODE_NETWORK nor NODE_NETWORK_LIMITED are skipped; implausible times are
// replaced; the rest count as processed. Positions from len(entries) to
// total stand for entries that did not convert: they take tokens and count
// like unroutable addresses.
func (st *stepper) processAddrs(entries []book.Address, total int, solicited bool) addrAccounting {
	s := st.s
	var acc addrAccounting
	order := st.shuffled(total)
	nowU := st.now.Unix()
	for _, i := range order {
		if s.addrTokens < 1 {
			acc.rateLimited++
			continue
		}
		s.addrTokens--
		if i >= len(entries) {
			acc.processed++ // an entry that is no address we know
			continue
		}
		a := entries[i]
		if a.Services&(wire.SFNodeNetwork|wire.SFNodeNetworkLimited) == 0 {
			continue
		}
		if a.Time <= addrTimeFloor || a.Time > nowU+int64(AddrMaxFuture/time.Second) {
			a.Time = nowU - int64(AddrFallbackAge/time.Second)
		}
		acc.processed++
		if !book.IsRoutable(a.Addr) {
			continue
		}
		acc.keep = append(acc.keep, a)
		if a.Time > nowU-int64(AddrRelayMaxAge/time.Second) && !solicited && total <= MaxAddrToRelay {
			acc.relay = append(acc.relay, a)
		}
	}
	return acc
}

// shuffled returns 0..n-1 in a random order drawn from the nonce source,
// as Core shuffles a message's addresses before rate-limiting them.
func (st *stepper) shuffled(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if n > 1 {
		src := st.s.cfg.Nonces
		r := rand.New(rand.NewPCG(src.Uint64(), src.Uint64()))
		r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	return order
}

// onGetAddr handles getaddr: only inbound peers are answered, and only
// once per connection (Core's fingerprinting and resource rules).
func (st *stepper) onGetAddr() {
	s := st.s
	if !s.cfg.ConnType.IsInbound() {
		st.ignore(wire.CmdGetAddr, IgnoreGetAddrFromOutbound)
		return
	}
	st.enableAddrRelay()
	if s.getAddrRecvd {
		st.ignore(wire.CmdGetAddr, IgnoreRepeatedGetAddr)
		return
	}
	s.getAddrRecvd = true
	st.out = append(st.out, GetAddrRequest{})
}

// sendAddrs sends addresses to the peer in one addr or addrv2 message (per
// its sendaddrv2), keeping those the chosen form can carry, at most
// MaxAddrPerMsg. Nothing is sent before the handshake, while addresses are
// not relayed with the peer, or when no address is left.
func (st *stepper) sendAddrs(addrs []book.Address) {
	s := st.s
	if s.phase != Established || !s.addrRelayEnabled {
		return
	}
	if s.sendAddrV2 {
		msg := &wire.MsgAddrV2{}
		for _, a := range addrs {
			if len(msg.AddrList) == MaxAddrPerMsg {
				break
			}
			if na, err := a.NetAddressV2(); err == nil {
				msg.AddrList = append(msg.AddrList, na)
			}
		}
		if len(msg.AddrList) > 0 {
			st.send(msg)
		}
		return
	}
	msg := &wire.MsgAddr{}
	for _, a := range addrs {
		if len(msg.AddrList) == MaxAddrPerMsg {
			break
		}
		if na, err := a.NetAddress(); err == nil {
			msg.AddrList = append(msg.AddrList, na)
		}
	}
	if len(msg.AddrList) > 0 {
		st.send(msg)
	}
}

// addrEntries converts the entries of an addr or addrv2 message; it
// returns the converted addresses and how many entries did not convert
// (Tor v2, malformed).
func addrEntries(msg wire.Message) ([]book.Address, int) {
	var out []book.Address
	bad := 0
	switch m := msg.(type) {
	case *wire.MsgAddr:
		out = make([]book.Address, 0, len(m.AddrList))
		for _, na := range m.AddrList {
			if a, err := book.FromNetAddress(na); err == nil {
				out = append(out, a)
			} else {
				bad++
			}
		}
	case *wire.MsgAddrV2:
		out = make([]book.Address, 0, len(m.AddrList))
		for _, na := range m.AddrList {
			if a, err := book.FromNetAddressV2(na); err == nil {
				out = append(out, a)
			} else {
				bad++
			}
		}
	}
	return out, bad
}
