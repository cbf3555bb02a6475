package accounting

import (
	"cmp"
	"slices"

	"github.com/actornode/actornode/peerman/peermanpb"
)

// NetMsgKey is one cell of the node-wide traffic table.
type NetMsgKey struct {
	// Direction is "recv" or "sent" (Direction.String).
	Direction string
	// Network is the peer's network (ipv4, ipv6, onion, ...).
	Network string
	// ConnType is the connection type with Core's names.
	ConnType string
	// MsgType is the message type ("*other*" for unknown ones).
	MsgType string
}

// NetMsgCell is one cell's figures.
type NetMsgCell struct {
	// Count is the number of messages.
	Count uint64
	// Bytes is their wire size.
	Bytes uint64
}

// NetMsgTable sums the traffic of many peers by direction, network,
// connection type and message type (getnetmsgstats). Its size is bounded
// by those dimensions, not by the number of peers. The zero value is ready
// to use.
type NetMsgTable struct {
	cells map[NetMsgKey]NetMsgCell
}

// AddPeer adds one peer's per-type traffic (PeerStats.by_type), with the
// peer's network and connection type name.
func (t *NetMsgTable) AddPeer(network, connType string, byType []*peermanpb.MsgTypeStats) {
	for _, m := range byType {
		if m.GetMsgsRecv() > 0 || m.GetBytesRecv() > 0 {
			t.Add(NetMsgKey{Recv.String(), network, connType, m.GetMsgtype()}, NetMsgCell{m.GetMsgsRecv(), m.GetBytesRecv()})
		}
		if m.GetMsgsSent() > 0 || m.GetBytesSent() > 0 {
			t.Add(NetMsgKey{Sent.String(), network, connType, m.GetMsgtype()}, NetMsgCell{m.GetMsgsSent(), m.GetBytesSent()})
		}
	}
}

// Add adds c to the cell k.
func (t *NetMsgTable) Add(k NetMsgKey, c NetMsgCell) {
	if t.cells == nil {
		t.cells = make(map[NetMsgKey]NetMsgCell)
	}
	cur := t.cells[k]
	cur.Count += c.Count
	cur.Bytes += c.Bytes
	t.cells[k] = cur
}

// Merge adds every cell of o.
func (t *NetMsgTable) Merge(o *NetMsgTable) {
	for k, c := range o.cells {
		t.Add(k, c)
	}
}

// Get returns cell k (zero when absent).
func (t *NetMsgTable) Get(k NetMsgKey) NetMsgCell { return t.cells[k] }

// Len returns the number of cells.
func (t *NetMsgTable) Len() int { return len(t.cells) }

// Entries returns the table as NetMsgStatsEntry values sorted by
// direction, network, connection type and message type.
func (t *NetMsgTable) Entries() []*peermanpb.NetMsgStatsEntry {
	keys := make([]NetMsgKey, 0, len(t.cells))
	for k := range t.cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b NetMsgKey) int {
		return cmp.Or(cmp.Compare(a.Direction, b.Direction), cmp.Compare(a.Network, b.Network),
			cmp.Compare(a.ConnType, b.ConnType), cmp.Compare(a.MsgType, b.MsgType))
	})
	out := make([]*peermanpb.NetMsgStatsEntry, len(keys))
	for i, k := range keys {
		c := t.cells[k]
		out[i] = &peermanpb.NetMsgStatsEntry{Direction: k.Direction, Network: k.Network, ConnectionType: k.ConnType,
			Msgtype: k.MsgType, Count: c.Count, Bytes: c.Bytes}
	}
	return out
}
