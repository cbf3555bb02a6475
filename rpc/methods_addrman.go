package rpc

import (
	"math"
	"strings"

	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
)

// NodeAddress is one element of getnodeaddresses' result, with Core's
// field names, order and types.
type NodeAddress struct {
	Time     int64  `json:"time"`
	Services uint64 `json:"services"`
	Address  string `json:"address"`
	Port     uint16 `json:"port"`
	Network  string `json:"network"`
}

// AddrmanCounts is one network's entry of getaddrmaninfo.
type AddrmanCounts struct {
	New   uint64 `json:"new"`
	Tried uint64 `json:"tried"`
	Total uint64 `json:"total"`
}

// AddrmanInfo is getaddrmaninfo's result: the counts per network, in
// Core's order, then over all networks.
type AddrmanInfo struct {
	IPv4        AddrmanCounts `json:"ipv4"`
	IPv6        AddrmanCounts `json:"ipv6"`
	Onion       AddrmanCounts `json:"onion"`
	I2P         AddrmanCounts `json:"i2p"`
	CJDNS       AddrmanCounts `json:"cjdns"`
	AllNetworks AddrmanCounts `json:"all_networks"`
}

// AddPeerAddressResult is addpeeraddress' result. As in Core, "error"
// precedes "success" and is present only when the address was not added.
type AddPeerAddressResult struct {
	Error   string `json:"error,omitempty"`
	Success bool   `json:"success"`
}

// addrmanMethods returns getnodeaddresses, getaddrmaninfo and
// addpeeraddress.
func addrmanMethods() []Method {
	return []Method{
		{
			Name:     "getnodeaddresses",
			Category: CategoryNetwork,
			Args:     []Arg{{Name: "count", Optional: true}, {Name: "network", Optional: true}},
			Help: `getnodeaddresses ( count "network" )

Returns a random sample of the addresses the address manager knows, leaving
out those that are too old or failed too often. They may be used to find new
peers; the node may know more addresses than it returns.

Arguments:
1. count      (numeric, optional, default=1) The largest number of addresses to return; 0 returns every known address.
2. network    (string, optional, default=all networks) Only addresses of this network: ipv4, ipv6, onion, i2p or cjdns.

Result:
[
  {
    "time" : n,          (numeric) unix time the address was last seen
    "services" : n,      (numeric) the services the address advertises
    "address" : "str",   (string) the address, without port
    "port" : n,          (numeric) the port
    "network" : "str"    (string) ipv4, ipv6, onion, i2p or cjdns
  },
  ...
]

Errors:
-8 "Address count out of range"
-8 "Network not recognized: <network>"`,
			Handler: getNodeAddresses,
		},
		{
			Name:     "getaddrmaninfo",
			Category: CategoryNetwork,
			Help: `getaddrmaninfo

Returns how many addresses the address manager holds in its new and tried
tables, per network and over all networks.

Result:
{
  "network" : {        (object) ipv4, ipv6, onion, i2p, cjdns and all_networks, in this order
    "new" : n,         (numeric) addresses heard of but never connected to
    "tried" : n,       (numeric) addresses connected to at least once
    "total" : n        (numeric) new plus tried
  },
  ...
}`,
			Handler: func(call *Call, _ Params) (any, error) {
				ans, err := Ask[*addrmanpb.AddrmanInfo](call, call.Addrman(), &addrmanpb.GetAddrmanInfo{})
				if err != nil {
					return nil, err
				}
				var out AddrmanInfo
				slots := map[string]*AddrmanCounts{
					book.NetIPv4.String(): &out.IPv4, book.NetIPv6.String(): &out.IPv6,
					book.NetTorV3.String(): &out.Onion, book.NetI2P.String(): &out.I2P,
					book.NetCJDNS.String(): &out.CJDNS, addrman.AllNetworks: &out.AllNetworks,
				}
				for _, n := range ans.GetNetworks() {
					if slot := slots[n.GetNetwork()]; slot != nil {
						*slot = AddrmanCounts{New: n.GetNew(), Tried: n.GetTried(), Total: n.GetTotal()}
					}
				}
				return out, nil
			},
		},
		{
			Name:     "addpeeraddress",
			Category: CategoryHidden,
			Args:     []Arg{{Name: "address"}, {Name: "port"}, {Name: "tried", Optional: true}},
			Help: `addpeeraddress "address" port ( tried )

Adds an address to the address manager as if it had announced itself, for
testing only. With tried it is then moved to the tried table.

Arguments:
1. address    (string, required) An IP address (IPv6 optionally in brackets), a .onion or a .b32.i2p name.
2. port       (numeric, required) The port.
3. tried      (boolean, optional, default=false) Also move the address to the tried table.

Result:
{
  "error" : "str",     (string, optional) failed-adding-to-new or failed-adding-to-tried, when not added
  "success" : true|false  (boolean) whether the address was added (and, with tried, moved)
}

Errors:
-30 "Invalid IP address"`,
			Handler: addPeerAddress,
		},
	}
}

// getNodeAddresses is the handler of getnodeaddresses.
func getNodeAddresses(call *Call, params Params) (any, error) {
	count, err := params.Int64(0, 1)
	if err != nil {
		return nil, err
	}
	if count < 0 {
		return nil, NewError(CodeInvalidParameter, "Address count out of range")
	}
	network := ""
	if params.Has(1) {
		name, err := params.String(1, "")
		if err != nil {
			return nil, err
		}
		n, ok := book.ParseNetwork(strings.ToLower(name))
		if !ok {
			return nil, NewError(CodeInvalidParameter, "Network not recognized: %s", name)
		}
		network = n.String()
	}
	msg := &addrmanpb.GetNodeAddresses{Count: uint32(min(count, math.MaxUint32)), Network: network}
	list, err := Ask[*addrmanpb.AddrList](call, call.Addrman(), msg)
	if err != nil {
		return nil, err
	}
	out := make([]NodeAddress, 0, len(list.GetAddrs()))
	for _, na := range list.GetAddrs() {
		a, err := addrman.FromNetAddr(na)
		if err != nil {
			continue
		}
		out = append(out, NodeAddress{
			Time:     a.Time,
			Services: uint64(a.Services),
			Address:  a.HostString(),
			Port:     a.Port,
			Network:  a.Net.String(),
		})
	}
	return out, nil
}

// addPeerAddress is the handler of addpeeraddress.
func addPeerAddress(call *Call, params Params) (any, error) {
	address, err := params.String(0, "")
	if err != nil {
		return nil, err
	}
	port, err := params.Int64(1, 0)
	if err != nil {
		return nil, err
	}
	if port < 0 || port > math.MaxUint16 {
		return nil, NewError(CodeMisc, "JSON integer out of range")
	}
	tried, err := params.Bool(2, false)
	if err != nil {
		return nil, err
	}
	if _, err := addrman.ParseHost(address, uint16(port)); err != nil {
		return nil, NewError(CodeClientInvalidIPOrSubnet, "Invalid IP address")
	}
	res, err := Ask[*addrmanpb.AddPeerAddressResult](call, call.Addrman(),
		&addrmanpb.AddPeerAddress{Address: address, Port: uint32(port), Tried: tried})
	if err != nil {
		return nil, err
	}
	if res.GetError() == addrman.ErrAddPeerInvalid {
		return nil, NewError(CodeClientInvalidIPOrSubnet, "Invalid IP address")
	}
	return AddPeerAddressResult{Error: res.GetError(), Success: res.GetSuccess()}, nil
}
