package rpc

import (
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// peerMethods returns getpeerinfo, getconnectioncount and ping.
func peerMethods() []Method {
	return []Method{
		{
			Name:     "getpeerinfo",
			Category: CategoryNetwork,
			Help: `getpeerinfo

Returns data about each connected peer as a JSON array of objects, ordered by
peer id. Each object is a fresh snapshot taken by the peer's actor.

Result:
[
  {
    "id" : n,                         (numeric) peer id
    "addr" : "host:port",             (string) the peer's address
    "addrbind" : "ip:port",           (string, optional) our end of the connection
    "addrlocal" : "ip:port",          (string, optional) our address as the peer reported it
    "network" : "str",                (string) ipv4, ipv6, onion, i2p, cjdns or not_publicly_routable
    "services" : "hex",               (string) the peer's service bits, 16 hex digits
    "servicesnames" : [ "str", ... ], (array of string) the names of those bits
    "relaytxes" : true|false,         (boolean) whether the peer asked for transaction relay
    "lastsend" : n,                   (numeric) unix time of the last send, 0 if never
    "lastrecv" : n,                   (numeric) unix time of the last receive, 0 if never
    "last_transaction" : n,           (numeric) unix time of the last transaction received, 0 if never
    "last_block" : n,                 (numeric) unix time of the last block received, 0 if never
    "bytessent" : n,                  (numeric) bytes sent
    "bytesrecv" : n,                  (numeric) bytes received
    "conntime" : n,                   (numeric) unix time of the connection
    "timeoffset" : n,                 (numeric) the peer's clock minus ours, in seconds
    "pingtime" : n,                   (numeric, optional) last ping round trip in seconds
    "minping" : n,                    (numeric, optional) smallest ping round trip in seconds
    "pingwait" : n,                   (numeric, optional) seconds the outstanding ping has waited
    "version" : n,                    (numeric) the peer's protocol version
    "subver" : "str",                 (string) the peer's user agent
    "inbound" : true|false,           (boolean) whether the peer connected to us
    "bip152_hb_to" : false,           (boolean) compact-block high bandwidth to the peer (never)
    "bip152_hb_from" : false,         (boolean) compact-block high bandwidth from the peer (never)
    "startingheight" : n,             (numeric) the height the peer announced
    "presynced_headers" : -1,         (numeric) not tracked
    "synced_headers" : -1,            (numeric) not tracked
    "synced_blocks" : -1,             (numeric) not tracked
    "inflight" : [ ],                 (array) block heights requested from the peer (none)
    "addr_relay_enabled" : true|false,(boolean) false for block-relay-only peers
    "addr_processed" : n,             (numeric) the peer's addresses accepted by the rate limit
    "addr_rate_limited" : n,          (numeric) the peer's addresses dropped by the rate limit
    "permissions" : [ "str", ... ],   (array of string) "noban" for noban peers
    "minfeefilter" : n,               (numeric) the peer's fee filter in BTC/kvB
    "bytessent_per_msg" : { "msg" : n, ... }, (object) non-zero byte counts by message type
    "bytesrecv_per_msg" : { "msg" : n, ... }, (object) non-zero byte counts by message type, unknown types under "*other*"
    "connection_type" : "str",        (string) inbound, outbound-full-relay, block-relay-only, manual, feeler or addr-fetch
    "transport_protocol_type" : "str",(string) v1
    "session_id" : ""                 (string) empty for v1 connections
  },
  ...
]`,
			Handler: func(call *Call, _ Params) (any, error) {
				list, err := Ask[*peermanpb.PeerInfoList](call, call.Peerman(), &peermanpb.GetPeerInfo{})
				if err != nil {
					return nil, err
				}
				out := make([]PeerInfo, 0, len(list.GetPeers()))
				for _, s := range list.GetPeers() {
					out = append(out, NewPeerInfo(s))
				}
				return out, nil
			},
		},
		{
			Name:     "getconnectioncount",
			Category: CategoryNetwork,
			Help: `getconnectioncount

Returns the number of open connections to other nodes, as the connection
manager counts them.

Result:
n    (numeric) The connection count.`,
			Handler: func(call *Call, _ Params) (any, error) {
				counts, err := Ask[*connmanpb.ConnectionCounts](call, call.Connman(), &connmanpb.GetConnectionCounts{})
				if err != nil {
					return nil, err
				}
				return counts.GetTotal(), nil
			},
		},
		{
			Name:     "ping",
			Category: CategoryNetwork,
			Help: `ping

Asks every connected peer to send a ping now. The round trips appear later in
getpeerinfo's pingtime, minping and pingwait, in seconds.

Result:
null    (json null)`,
			Handler: func(call *Call, _ Params) (any, error) {
				if _, err := Ask[*peermanpb.PingPeersDone](call, call.Peerman(), &peermanpb.PingPeers{}); err != nil {
					return nil, err
				}
				return nil, nil
			},
		},
	}
}
