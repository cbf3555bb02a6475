package rpc

import (
	"fmt"

	"github.com/actornode/actornode/connman/connmanpb"
)

// Fee rates getnetworkinfo reports, in satoshis per 1000 virtual bytes. The
// node has no mempool; these are Core's defaults.
const (
	// MinRelayFee is Core's default minimum relay fee rate.
	MinRelayFee Amount = 1000
	// IncrementalRelayFee is Core's default incremental relay fee rate.
	IncrementalRelayFee Amount = 1000
)

// NetworkInfo is getnetworkinfo's result. Field names and JSON types are
// Core's.
type NetworkInfo struct {
	Version            int            `json:"version"`
	Subversion         string         `json:"subversion"`
	ProtocolVersion    uint32         `json:"protocolversion"`
	LocalServices      string         `json:"localservices"`
	LocalServicesNames []string       `json:"localservicesnames"`
	LocalRelay         bool           `json:"localrelay"`
	TimeOffset         int64          `json:"timeoffset"`
	NetworkActive      bool           `json:"networkactive"`
	Connections        uint32         `json:"connections"`
	ConnectionsIn      uint32         `json:"connections_in"`
	ConnectionsOut     uint32         `json:"connections_out"`
	Networks           []NetworkReach `json:"networks"`
	RelayFee           Amount         `json:"relayfee"`
	IncrementalFee     Amount         `json:"incrementalfee"`
	LocalAddresses     []LocalAddress `json:"localaddresses"`
	Warnings           string         `json:"warnings"`
}

// NetworkReach is one element of getnetworkinfo's "networks".
type NetworkReach struct {
	Name                      string `json:"name"`
	Limited                   bool   `json:"limited"`
	Reachable                 bool   `json:"reachable"`
	Proxy                     string `json:"proxy"`
	ProxyRandomizeCredentials bool   `json:"proxy_randomize_credentials"`
}

// LocalAddress is one element of getnetworkinfo's "localaddresses".
type LocalAddress struct {
	Address string `json:"address"`
	Port    uint16 `json:"port"`
	Score   int    `json:"score"`
}

// networkReach lists the networks in Core's order: IPv4 and IPv6 are
// reachable, the overlay networks are not supported and so limited.
func networkReach() []NetworkReach {
	out := make([]NetworkReach, 0, 5)
	for _, name := range []string{"ipv4", "ipv6", "onion", "i2p", "cjdns"} {
		reachable := name == "ipv4" || name == "ipv6"
		out = append(out, NetworkReach{Name: name, Limited: !reachable, Reachable: reachable})
	}
	return out
}

// networkMethods returns getnetworkinfo.
func networkMethods() []Method {
	return []Method{{
		Name:     "getnetworkinfo",
		Category: CategoryNetwork,
		Help: `getnetworkinfo

Returns the state of the peer-to-peer side of the node.

Result:
{
  "version" : n,                  (numeric) the node's version as an integer
  "subversion" : "str",           (string) the user agent sent to peers
  "protocolversion" : n,          (numeric) the P2P protocol version
  "localservices" : "hex",        (string) the advertised service bits, 16 hex digits
  "localservicesnames" : [ ... ], (array of string) the names of those bits
  "localrelay" : true|false,      (boolean) whether peers are asked to relay transactions
  "timeoffset" : n,               (numeric) the time offset in seconds (always 0)
  "networkactive" : true|false,   (boolean) whether P2P networking is enabled
  "connections" : n,              (numeric) open connections, from the connection manager
  "connections_in" : n,           (numeric) inbound connections
  "connections_out" : n,          (numeric) outbound connections
  "networks" : [ { "name", "limited", "reachable", "proxy", "proxy_randomize_credentials" }, ... ],
  "relayfee" : n,                 (numeric) minimum relay fee rate in BTC/kvB
  "incrementalfee" : n,           (numeric) incremental relay fee rate in BTC/kvB
  "localaddresses" : [ ... ],     (array) addresses the node advertises (empty)
  "warnings" : "str"              (string) warnings (empty)
}`,
		Handler: func(call *Call, _ Params) (any, error) {
			counts, err := Ask[*connmanpb.ConnectionCounts](call, call.Connman(), &connmanpb.GetConnectionCounts{})
			if err != nil {
				return nil, err
			}
			info := call.Info()
			return NetworkInfo{
				Version:            info.Version,
				Subversion:         info.Subversion,
				ProtocolVersion:    info.ProtocolVersion,
				LocalServices:      fmt.Sprintf("%016x", info.LocalServices),
				LocalServicesNames: ServiceNames(info.LocalServices),
				LocalRelay:         info.LocalRelay,
				NetworkActive:      true,
				Connections:        counts.GetTotal(),
				ConnectionsIn:      counts.GetInbound(),
				ConnectionsOut:     counts.GetOutbound(),
				Networks:           networkReach(),
				RelayFee:           MinRelayFee,
				IncrementalFee:     IncrementalRelayFee,
				LocalAddresses:     []LocalAddress{},
			}, nil
		},
	}}
}
