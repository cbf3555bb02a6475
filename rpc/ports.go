package rpc

import (
	"net"
	"strconv"
)

// DefaultPort returns Bitcoin Core's default RPC port for a network name, or
// 0 for an unknown name.
func DefaultPort(network string) int {
	switch network {
	case "mainnet":
		return 8332
	case "testnet3":
		return 18332
	case "testnet4":
		return 48332
	case "signet":
		return 38332
	case "regtest":
		return 18443
	}
	return 0
}

// withDefaultPort adds the network's default RPC port to an address that
// has none. Addresses with a port, and addresses that cannot be understood,
// are returned unchanged (binding then reports the problem).
func withDefaultPort(addr, network string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	port := DefaultPort(network)
	if port == 0 {
		return addr
	}
	host := addr
	if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}
