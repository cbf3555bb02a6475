package rpc

import (
	"encoding/json"

	"github.com/actornode/actornode/peerman/peermanpb"
)

// statsMethods returns getpeerstats and getnetmsgstats.
func statsMethods() []Method {
	return []Method{
		{
			Name:     "getpeerstats",
			Category: CategoryNetwork,
			Args:     []Arg{{Name: "filter", Optional: true}},
			Help: `getpeerstats ( "filter" )

Returns everything the node measures about each connected peer selected by
filter, ordered by peer id: its getpeerinfo object, then traffic and handling
cost per message type, relay counts, getdata reply latencies and the memory
attributable to it. Each entry is a fresh record taken by the peer's actor.

Arguments:
1. filter    (string, optional, default="") a peer filter, e.g.
             "dir=inbound and ua=*Satoshi*" or "addr=10.0.0.0/8"; empty selects
             every peer. A filter that does not parse is error -8 naming the
             position of the problem.

Result:
[
  {
    "peer" : { ... },                  (object) the peer's getpeerinfo object
    "by_type" : {                      (object) per message type, keys sorted
      "msgtype" : {
        "msgs_recv" : n,               (numeric) messages received
        "bytes_recv" : n,              (numeric) bytes received
        "msgs_sent" : n,               (numeric) messages sent
        "bytes_sent" : n,              (numeric) bytes sent
        "handle_wall_us" : n,          (numeric) wall-clock time handling them, microseconds
        "handle_cpu_us" : n            (numeric) CPU time handling them, microseconds
      }, ...
    },
    "tx_announced_by_peer" : n,        (numeric) transactions the peer announced
    "tx_announced_to_peer" : n,        (numeric) transactions announced to the peer
    "tx_requested_from_peer" : n,      (numeric) transactions requested from the peer
    "tx_requested_by_peer" : n,        (numeric) transactions the peer requested
    "tx_received" : n,                 (numeric) transactions received
    "tx_sent" : n,                     (numeric) transactions sent
    "blocks_received" : n,             (numeric) blocks received
    "blocks_sent" : n,                 (numeric) blocks sent
    "headers_received" : n,            (numeric) headers received
    "headers_sent" : n,                (numeric) headers sent
    "cmpct_received" : n,              (numeric) compact blocks received
    "cmpct_sent" : n,                  (numeric) compact blocks sent
    "tx_latency" : {                   (object) getdata-to-tx reply times
      "count" : n,                     (numeric) replies measured
      "lost" : n,                      (numeric) requests never answered
      "unsolicited" : n,               (numeric) objects received unrequested
      "mean_us" : n,                   (numeric) mean reply time, microseconds
      "p50_us" : n,                    (numeric) median reply time, microseconds
      "p90_us" : n                     (numeric) 90th percentile, microseconds
    },
    "block_latency" : { ... },         (object) the same for blocks
    "memory" : {
      "send_queue_bytes" : n,          (numeric) bytes queued to send to the peer
      "recv_unacked_bytes" : n,        (numeric) bytes received, not yet handled
      "mailbox_depth" : n,             (numeric) messages waiting in the peer actor's mailbox
      "tracking_bytes" : n             (numeric) bytes of per-peer bookkeeping
    },
    "addrman_entries_contributed" : n, (numeric) address-book entries learnt from the peer
    "handle_wall_us" : n,              (numeric) wall-clock time handling the peer's messages
    "handle_cpu_us" : n,               (numeric) CPU time handling the peer's messages
    "final" : false,                   (boolean) true only on a departed peer's last record
    "time" : n                         (numeric) unix time of the record, seconds
  },
  ...
]`,
			Handler: func(call *Call, params Params) (any, error) {
				filter, err := params.String(0, "")
				if err != nil {
					return nil, err
				}
				list, err := Ask[*peermanpb.PeerStatsList](call, call.Peerman(), &peermanpb.GetPeerStats{Filter: filter})
				if err != nil {
					return nil, err
				}
				if list.GetError() != "" {
					return nil, &Error{Code: CodeInvalidParameter, Message: list.GetError()}
				}
				out := make([]PeerStatsInfo, 0, len(list.GetPeers()))
				for _, s := range list.GetPeers() {
					out = append(out, NewPeerStatsInfo(s))
				}
				return out, nil
			},
		},
		{
			Name:     "getnetmsgstats",
			Category: CategoryNetwork,
			Args:     []Arg{{Name: "aggregate_by", Optional: true}},
			Help: `getnetmsgstats ( ["aggregate_by",...] )

Returns the bytes and messages sent and received over every connection the
node has had since it started (live peers and departed ones), broken down by
direction, network, connection type and message type. Each dimension named
in aggregate_by is summed over instead of broken down.

Arguments:
1. aggregate_by    (json array, optional) dimensions to sum over
     [
       "str",      (string) direction, network, connection_type or message_type
       ...
     ]

Result (nothing aggregated):
{
  "sent|recv" : {                               (object) direction
    "ipv4|ipv6|onion|..." : {                   (object) network
      "outbound-full-relay|inbound|..." : {     (object) connection type
        "msgtype" : {                           (object) message type
          "bytes" : n,                          (numeric) bytes
          "count" : n                           (numeric) messages
        }, ...
      }, ...
    }, ...
  }, ...
}
The levels of the aggregated dimensions are left out, the others keep their
order. With all four aggregated the result is { "bytes" : n, "count" : n }.
Cells without traffic are left out.

Examples:
getnetmsgstats '["network","connection_type"]'   by direction, then message type
getnetmsgstats '["direction","network","connection_type","message_type"]'   totals`,
			Handler: func(call *Call, params Params) (any, error) {
				aggregateBy, err := parseAggregateBy(params)
				if err != nil {
					return nil, err
				}
				stats, err := Ask[*peermanpb.NetMsgStats](call, call.Peerman(), &peermanpb.GetNetMsgStats{})
				if err != nil {
					return nil, err
				}
				return AggregateNetMsgStats(stats.GetEntries(), aggregateBy), nil
			},
		},
	}
}

// parseAggregateBy reads getnetmsgstats' aggregate_by: absent, or an array
// of dimension names. Anything else is CodeType; an unknown name is
// CodeInvalidParameter naming it. A name given twice counts once.
func parseAggregateBy(params Params) ([]NetMsgDimension, error) {
	raw := params.Raw(0)
	if raw == nil {
		return nil, nil
	}
	if jsonKind(raw) != kindArray {
		return nil, params.typeError(0, "array")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, params.typeError(0, "array")
	}
	out := make([]NetMsgDimension, 0, len(items))
	for i, item := range items {
		var name string
		if jsonKind(item) != kindString || json.Unmarshal(item, &name) != nil {
			return nil, NewError(CodeType, "aggregate_by[%d] must be of type string, got %s", i, jsonKind(item))
		}
		d, ok := ParseNetMsgDimension(name)
		if !ok {
			return nil, NewError(CodeInvalidParameter, "Invalid aggregate_by value %q at index %d; valid values are %s",
				name, i, netMsgDimensionNames())
		}
		out = append(out, d)
	}
	return out, nil
}
