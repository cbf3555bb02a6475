package accounting

import (
	"time"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// PeerConfig configures a Peer's accounting.
type PeerConfig struct {
	// TxTimeout and BlockTimeout are the request timeouts; zero selects
	// DefaultTxTimeout and DefaultBlockTimeout.
	TxTimeout, BlockTimeout time.Duration
	// CPUEvery is Traffic.CPUEvery: measure the CPU time of every
	// CPUEvery-th received message of each type; 0 and 1 measure every
	// message.
	CPUEvery uint64
	// Clocks time the handlers; zero selects SystemClocks.
	Clocks Clocks
}

// Peer aggregates everything counted about one peer. It belongs to that
// peer's actor; Fill copies its figures into an immutable PeerStats.
type Peer struct {
	traffic   Traffic
	clocks    Clocks
	inv       Inventory
	requests  *RequestTracker
	forwarded uint64
}

// NewPeer returns an empty Peer configured by cfg.
func NewPeer(cfg PeerConfig) *Peer {
	if cfg.Clocks.Wall == nil {
		cfg.Clocks = SystemClocks()
	}
	return &Peer{
		traffic:  Traffic{CPUEvery: cfg.CPUEvery},
		clocks:   cfg.Clocks,
		requests: NewRequestTracker(cfg.TxTimeout, cfg.BlockTimeout),
	}
}

// Count records one message of msgtype of wireBytes bytes in direction d.
func (p *Peer) Count(d Direction, msgtype string, wireBytes uint64) {
	p.traffic.Count(d, msgtype, wireBytes)
}

// ReceivedCommand records a received frame's command for the counters
// kept by name (compact-block messages), whether or not it was decoded.
func (p *Peer) ReceivedCommand(cmd string) {
	if IsCompactBlockCommand(cmd) {
		p.inv.CmpctReceived++
	}
}

// Received records a decoded message the peer sent, arrived at now: its
// announcements and requests, and the replies to our requests.
func (p *Peer) Received(msg wire.Message, now time.Time) {
	switch m := msg.(type) {
	case *wire.MsgInv:
		p.inv.TxAnnouncedByPeer += countTxInv(m.InvList)
	case *wire.MsgGetData:
		p.inv.TxRequestedByPeer += countTxInv(m.InvList)
	case *wire.MsgNotFound:
		for _, iv := range m.InvList {
			if k, ok := requestKind(iv.Type); ok {
				p.requests.NotFound(k, iv.Hash, now)
			}
		}
	case *wire.MsgTx:
		p.inv.TxReceived++
		p.requests.Fulfil(KindTx, p.txKey(m), now)
	case *wire.MsgBlock:
		p.inv.BlocksReceived++
		p.requests.Fulfil(KindBlock, m.BlockHash(), now)
	case *wire.MsgHeaders:
		p.inv.HeadersReceived += uint64(len(m.Headers))
	}
}

// txKey returns the hash under which a received transaction was requested:
// its txid, or its wtxid when only that is pending. Nothing is hashed when
// no transaction request is pending (the reply is unsolicited anyway).
func (p *Peer) txKey(tx *wire.MsgTx) chainhash.Hash {
	if p.requests.Pending(KindTx) == 0 {
		return chainhash.Hash{}
	}
	txid := tx.TxHash()
	if p.requests.Wants(KindTx, txid) || !tx.HasWitness() {
		return txid
	}
	return tx.WitnessHash()
}

// Sent records a message we sent at now; every getdata entry for a
// transaction or a full block starts a tracked request.
func (p *Peer) Sent(msg wire.Message, now time.Time) {
	if IsCompactBlockCommand(msg.Command()) {
		p.inv.CmpctSent++
		return
	}
	switch m := msg.(type) {
	case *wire.MsgInv:
		p.inv.TxAnnouncedToPeer += countTxInv(m.InvList)
	case *wire.MsgGetData:
		for _, iv := range m.InvList {
			if IsTxInv(iv.Type) {
				p.inv.TxRequestedFromPeer++
			}
			if k, ok := requestKind(iv.Type); ok {
				p.requests.Track(k, iv.Hash, now)
			}
		}
	case *wire.MsgTx:
		p.inv.TxSent++
	case *wire.MsgBlock:
		p.inv.BlocksSent++
	case *wire.MsgHeaders:
		p.inv.HeadersSent += uint64(len(m.Headers))
	}
}

// requestKind returns the tracked kind of a getdata or notfound entry.
func requestKind(t wire.InvType) (Kind, bool) {
	switch {
	case IsTxInv(t):
		return KindTx, true
	case isBlockInv(t):
		return KindBlock, true
	}
	return 0, false
}

// Expire lets requests whose timeout passed by now count as lost.
func (p *Peer) Expire(now time.Time) int { return p.requests.Expire(now) }

// AddrsForwarded records n addresses of the peer forwarded to the address
// manager.
func (p *Peer) AddrsForwarded(n int) { p.forwarded += uint64(n) }

// Traffic returns the per-type traffic (read only).
func (p *Peer) Traffic() *Traffic { return &p.traffic }

// Inventory returns the inventory counters.
func (p *Peer) Inventory() Inventory { return p.inv }

// Requests returns the request tracker (read only).
func (p *Peer) Requests() *RequestTracker { return p.requests }

// Fill copies the peer's figures into s: by_type (sorted by message type),
// the inventory counters, both latency summaries, the handling totals,
// mem_tracking_bytes and addrman_entries_contributed. It leaves every
// other field alone.
func (p *Peer) Fill(s *peermanpb.PeerStats) {
	types := p.traffic.Types()
	s.ByType = make([]*peermanpb.MsgTypeStats, 0, len(types))
	for _, t := range types {
		c, cost := p.traffic.Get(t), p.traffic.Cost(t)
		s.ByType = append(s.ByType, &peermanpb.MsgTypeStats{
			Msgtype:      t,
			MsgsRecv:     c.MsgsRecv,
			BytesRecv:    c.BytesRecv,
			MsgsSent:     c.MsgsSent,
			BytesSent:    c.BytesSent,
			HandleWallNs: uint64(cost.Wall),
			HandleCpuNs:  uint64(cost.CPU()),
		})
	}
	total, cpu := p.traffic.TotalCost()
	s.HandleWallNs, s.HandleCpuNs = uint64(total.Wall), uint64(cpu)
	i := p.inv
	s.TxAnnouncedByPeer, s.TxAnnouncedToPeer = i.TxAnnouncedByPeer, i.TxAnnouncedToPeer
	s.TxRequestedFromPeer, s.TxRequestedByPeer = i.TxRequestedFromPeer, i.TxRequestedByPeer
	s.TxReceived, s.TxSent = i.TxReceived, i.TxSent
	s.BlocksReceived, s.BlocksSent = i.BlocksReceived, i.BlocksSent
	s.HeadersReceived, s.HeadersSent = i.HeadersReceived, i.HeadersSent
	s.CmpctReceived, s.CmpctSent = i.CmpctReceived, i.CmpctSent
	s.TxLatency = p.latencyStats(KindTx)
	s.BlockLatency = p.latencyStats(KindBlock)
	s.MemTrackingBytes = p.TrackingBytes()
	s.AddrmanEntriesContributed = p.forwarded
}

// latencyStats summarises kind k; mean and percentiles are 0 while count
// is 0.
func (p *Peer) latencyStats(k Kind) *peermanpb.LatencyStats {
	o, l := p.requests.Outcome(k), p.requests.Latency(k)
	ps := l.Percentiles(50, 90)
	return &peermanpb.LatencyStats{
		Count:       l.Count(),
		Lost:        o.Lost,
		Unsolicited: o.Unsolicited,
		MeanUs:      l.Mean().Microseconds(),
		P50Us:       ps[0].Microseconds(),
		P90Us:       ps[1].Microseconds(),
	}
}
