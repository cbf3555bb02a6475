package rpc

import (
	"strings"

	"github.com/actornode/actornode/peerman/peermanpb"
)

// NetMsgDimension is one way getnetmsgstats can break traffic down.
type NetMsgDimension string

// The dimensions, in the order the result nests them.
const (
	DimensionDirection      NetMsgDimension = "direction"
	DimensionNetwork        NetMsgDimension = "network"
	DimensionConnectionType NetMsgDimension = "connection_type"
	DimensionMessageType    NetMsgDimension = "message_type"
)

// netMsgDimensions lists every dimension in nesting order.
func netMsgDimensions() [4]NetMsgDimension {
	return [...]NetMsgDimension{DimensionDirection, DimensionNetwork, DimensionConnectionType, DimensionMessageType}
}

// NetMsgCount is a leaf of getnetmsgstats' result: bytes and messages.
type NetMsgCount struct {
	Bytes uint64 `json:"bytes"`
	Count uint64 `json:"count"`
}

// ParseNetMsgDimension returns the dimension named s, or false when s names
// none.
func ParseNetMsgDimension(s string) (NetMsgDimension, bool) {
	for _, d := range netMsgDimensions() {
		if string(d) == s {
			return d, true
		}
	}
	return "", false
}

// netMsgDimensionNames lists the valid aggregate_by values for messages.
func netMsgDimensionNames() string {
	names := make([]string, 0, 4)
	for _, d := range netMsgDimensions() {
		names = append(names, string(d))
	}
	return strings.Join(names, ", ")
}

// netMsgKey returns the entry's value in dimension d.
func netMsgKey(e *peermanpb.NetMsgStatsEntry, d NetMsgDimension) string {
	switch d {
	case DimensionDirection:
		return e.GetDirection()
	case DimensionNetwork:
		return e.GetNetwork()
	case DimensionConnectionType:
		return e.GetConnectionType()
	}
	return e.GetMsgtype()
}

// AggregateNetMsgStats sums entries over the dimensions in aggregateBy and
// nests the sums by the remaining ones, in the order direction, network,
// connection_type, message_type. With every dimension aggregated the result
// is one NetMsgCount; otherwise it is a map[string]any whose innermost
// values are NetMsgCount. Entries with no message and no byte are left out,
// so an empty breakdown is {}.
func AggregateNetMsgStats(entries []*peermanpb.NetMsgStatsEntry, aggregateBy []NetMsgDimension) any {
	var kept []NetMsgDimension
	for _, d := range netMsgDimensions() {
		aggregated := false
		for _, a := range aggregateBy {
			aggregated = aggregated || a == d
		}
		if !aggregated {
			kept = append(kept, d)
		}
	}
	if len(kept) == 0 {
		var total NetMsgCount
		for _, e := range entries {
			total.Bytes += e.GetBytes()
			total.Count += e.GetCount()
		}
		return total
	}
	root := map[string]any{}
	for _, e := range entries {
		if e.GetBytes() == 0 && e.GetCount() == 0 {
			continue
		}
		node := root
		for _, d := range kept[:len(kept)-1] {
			k := netMsgKey(e, d)
			child, ok := node[k].(map[string]any)
			if !ok {
				child = map[string]any{}
				node[k] = child
			}
			node = child
		}
		k := netMsgKey(e, kept[len(kept)-1])
		leaf, _ := node[k].(NetMsgCount)
		leaf.Bytes += e.GetBytes()
		leaf.Count += e.GetCount()
		node[k] = leaf
	}
	return root
}
