package inspect

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/telemetry/capture"
)

// Stats is the statistics of the messages fed to a StatsBuilder, one
// entry per session (peer) in the order sessions first appeared.
type Stats struct {
	// Peers holds one entry per session.
	Peers []PeerStats `json:"peers"`
}

// PeerStats is the statistics of one session.
type PeerStats struct {
	// Session is the session directory's name.
	Session string `json:"session"`
	// PeerID and Addr identify the peer (zero and empty when unknown).
	PeerID actors.PeerID `json:"peer_id"`
	Addr   string        `json:"addr"`
	// First and Last are the times of the session's first and last
	// message counted.
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// SpanSeconds is Last - First in seconds; rates are per second of it.
	SpanSeconds float64 `json:"span_seconds"`
	// Messages and Bytes total the counted messages and payload bytes.
	Messages int   `json:"messages"`
	Bytes    int64 `json:"bytes"`
	// Types has one entry per direction and message type, received first,
	// then by message type.
	Types []TypeStats `json:"types"`
	// Latency has one entry per leg and item kind, always all six.
	Latency []LegStats `json:"latency"`
}

// TypeStats is the statistics of one message type in one direction.
type TypeStats struct {
	// Direction and Command name the message type.
	Direction capture.Direction `json:"direction"`
	Command   string            `json:"msgtype"`
	// Count is the number of messages and Bytes their payload bytes (the
	// record "size"; the wire adds 24 header bytes per message).
	Count int   `json:"count"`
	Bytes int64 `json:"bytes"`
	// MsgsPerSec and BytesPerSec are Count and Bytes over the session's
	// span; zero when the span is zero.
	MsgsPerSec  float64 `json:"msgs_per_sec"`
	BytesPerSec float64 `json:"bytes_per_sec"`
	// InterArrival summarises the gaps between consecutive messages of
	// this type and direction (Count-1 gaps).
	InterArrival Distribution `json:"inter_arrival"`
}

// Leg names one step of the inventory exchange whose latency is measured.
type Leg string

// The measured legs.
const (
	// LegSentInvToRecvGetdata: an item we announced (sent inv) to the
	// peer's getdata for it.
	LegSentInvToRecvGetdata Leg = "sent_inv_to_recv_getdata"
	// LegRecvInvToSentGetdata: an item the peer announced (received inv)
	// to our getdata for it.
	LegRecvInvToSentGetdata Leg = "recv_inv_to_sent_getdata"
	// LegSentGetdataToRecvObject: our getdata to the tx or block arriving.
	LegSentGetdataToRecvObject Leg = "sent_getdata_to_recv_object"
)

// legs lists the legs in report order.
var legs = [...]Leg{LegSentInvToRecvGetdata, LegRecvInvToSentGetdata, LegSentGetdataToRecvObject}

// LegStats is the latency distribution of one leg for one item kind.
type LegStats struct {
	// Leg and Kind name the measurement.
	Leg  Leg      `json:"leg"`
	Kind ItemKind `json:"kind"`
	// Latency summarises the measured latencies.
	Latency Distribution `json:"latency"`
}

// MarshalJSON renders a distribution in whole microseconds:
// {"count", "min_us", "p50_us", "p99_us", "max_us"}.
func (d Distribution) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Count int   `json:"count"`
		Min   int64 `json:"min_us"`
		P50   int64 `json:"p50_us"`
		P99   int64 `json:"p99_us"`
		Max   int64 `json:"max_us"`
	}{d.Count, d.Min.Microseconds(), d.Median.Microseconds(), d.P99.Microseconds(), d.Max.Microseconds()})
}

// StatsBuilder accumulates Stats from messages fed in time order.
type StatsBuilder struct {
	peers map[*Session]*peerAcc
	order []*Session
}

// NewStatsBuilder returns an empty builder.
func NewStatsBuilder() *StatsBuilder {
	return &StatsBuilder{peers: map[*Session]*peerAcc{}}
}

// typeKey names a direction and message type.
type typeKey struct {
	dir capture.Direction
	cmd string
}

// typeAcc accumulates one TypeStats.
type typeAcc struct {
	count int
	bytes int64
	last  time.Time
	gaps  []time.Duration
}

// itemKey names an inventory item.
type itemKey struct {
	kind ItemKind
	hash chainhash.Hash
}

// pending is an announcement or request waiting for its answer.
type pending struct {
	at      time.Time
	matched bool
}

// legKey names a leg and item kind.
type legKey struct {
	leg  Leg
	kind ItemKind
}

// peerAcc accumulates one PeerStats.
type peerAcc struct {
	first, last time.Time
	messages    int
	bytes       int64
	types       map[typeKey]*typeAcc
	sentInv     map[itemKey]*pending
	recvInv     map[itemKey]*pending
	ourGetdata  map[itemKey]*pending
	latencies   map[legKey][]time.Duration
}

// Add counts one message. Messages must come in time order per session,
// as Stream gives them.
func (b *StatsBuilder) Add(m Message) {
	p := b.peers[m.Session]
	if p == nil {
		p = &peerAcc{first: m.Time, types: map[typeKey]*typeAcc{}, sentInv: map[itemKey]*pending{},
			recvInv: map[itemKey]*pending{}, ourGetdata: map[itemKey]*pending{}, latencies: map[legKey][]time.Duration{}}
		b.peers[m.Session] = p
		b.order = append(b.order, m.Session)
	}
	p.last = m.Time
	p.messages++
	p.bytes += int64(len(m.Payload))
	k := typeKey{m.Direction, m.Command}
	t := p.types[k]
	if t == nil {
		t = &typeAcc{}
		p.types[k] = t
	} else {
		t.gaps = append(t.gaps, m.Time.Sub(t.last))
	}
	t.count++
	t.bytes += int64(len(m.Payload))
	t.last = m.Time
	p.track(m)
}

// track follows inventory announcements, requests and objects.
func (p *peerAcc) track(m Message) {
	switch m.Command {
	case wire.CmdInv, wire.CmdGetData, wire.CmdTx, wire.CmdBlock:
	default:
		return
	}
	msg, err := Decode(m.Command, m.Payload)
	if err != nil {
		return
	}
	recv := m.Direction == capture.Recv
	switch v := msg.(type) {
	case *wire.MsgInv:
		book := p.sentInv
		if recv {
			book = p.recvInv
		}
		for _, iv := range v.InvList {
			if kind := KindOf(iv.Type); kind != "" {
				key := itemKey{kind, iv.Hash}
				if book[key] == nil {
					book[key] = &pending{at: m.Time}
				}
			}
		}
	case *wire.MsgGetData:
		for _, iv := range v.InvList {
			kind := KindOf(iv.Type)
			if kind == "" {
				continue
			}
			key := itemKey{kind, iv.Hash}
			if recv {
				p.answer(p.sentInv, key, LegSentInvToRecvGetdata, m.Time)
				continue
			}
			p.answer(p.recvInv, key, LegRecvInvToSentGetdata, m.Time)
			if p.ourGetdata[key] == nil {
				p.ourGetdata[key] = &pending{at: m.Time}
			}
		}
	case *wire.MsgTx:
		if recv {
			txid, wtxid := v.TxHash(), v.WitnessHash()
			if !p.answer(p.ourGetdata, itemKey{KindTx, txid}, LegSentGetdataToRecvObject, m.Time) {
				p.answer(p.ourGetdata, itemKey{KindTx, wtxid}, LegSentGetdataToRecvObject, m.Time)
			}
		}
	case *wire.MsgBlock:
		if recv {
			p.answer(p.ourGetdata, itemKey{KindBlock, v.BlockHash()}, LegSentGetdataToRecvObject, m.Time)
		}
	}
}

// answer records the latency of leg when key is pending and unanswered in
// book, and reports whether it did.
func (p *peerAcc) answer(book map[itemKey]*pending, key itemKey, leg Leg, at time.Time) bool {
	e := book[key]
	if e == nil || e.matched {
		return false
	}
	e.matched = true
	lk := legKey{leg, key.kind}
	p.latencies[lk] = append(p.latencies[lk], at.Sub(e.at))
	return true
}

// Stats returns the statistics of everything added so far.
func (b *StatsBuilder) Stats() Stats {
	out := Stats{Peers: []PeerStats{}}
	for _, s := range b.order {
		p := b.peers[s]
		ps := PeerStats{Session: s.Name, PeerID: s.Peer.ID, Addr: s.Peer.Addr, First: p.first.UTC(), Last: p.last.UTC(),
			Messages: p.messages, Bytes: p.bytes}
		span := p.last.Sub(p.first).Seconds()
		ps.SpanSeconds = span
		for k, t := range p.types {
			ts := TypeStats{Direction: k.dir, Command: k.cmd, Count: t.count, Bytes: t.bytes,
				InterArrival: NewDistribution(slices.Clone(t.gaps))}
			if span > 0 {
				ts.MsgsPerSec = float64(t.count) / span
				ts.BytesPerSec = float64(t.bytes) / span
			}
			ps.Types = append(ps.Types, ts)
		}
		slices.SortFunc(ps.Types, func(a, b TypeStats) int {
			if a.Direction != b.Direction {
				if a.Direction == capture.Recv {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.Command, b.Command)
		})
		for _, leg := range legs {
			for _, kind := range []ItemKind{KindTx, KindBlock} {
				ps.Latency = append(ps.Latency, LegStats{Leg: leg, Kind: kind,
					Latency: NewDistribution(slices.Clone(p.latencies[legKey{leg, kind}]))})
			}
		}
		out.Peers = append(out.Peers, ps)
	}
	return out
}
