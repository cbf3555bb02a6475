package config

import (
	"path/filepath"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

// Network names accepted in the network key.
const (
	// NetworkMainnet is the main Bitcoin network.
	NetworkMainnet = "mainnet"
	// NetworkTestnet3 is the third public test network.
	NetworkTestnet3 = "testnet3"
	// NetworkTestnet4 is the fourth public test network (BIP 94).
	NetworkTestnet4 = "testnet4"
	// NetworkSignet is the default public signet.
	NetworkSignet = "signet"
	// NetworkRegtest is the local regression-test network.
	NetworkRegtest = "regtest"
)

// networks lists the accepted network names in documentation order.
func networks() []string {
	return []string{NetworkMainnet, NetworkTestnet3, NetworkTestnet4, NetworkSignet, NetworkRegtest}
}

// chainParams returns the chain parameters of a network name, or nil.
func chainParams(network string) *chaincfg.Params {
	switch network {
	case NetworkMainnet:
		return &chaincfg.MainNetParams
	case NetworkTestnet3:
		return &chaincfg.TestNet3Params
	case NetworkTestnet4:
		return &chaincfg.TestNet4Params
	case NetworkSignet:
		return &chaincfg.SigNetParams
	case NetworkRegtest:
		return &chaincfg.RegressionNetParams
	}
	return nil
}

// DefaultP2PPort returns the default peer-to-peer port of a network
// ("8333" for mainnet, "18444" for regtest), or "" for an unknown network.
func DefaultP2PPort(network string) string {
	if p := chainParams(network); p != nil {
		return p.DefaultPort
	}
	return ""
}

// DefaultRPCPort returns the default JSON-RPC port of a network ("8332" for
// mainnet, "18332" testnet3, "48332" testnet4, "38332" signet, "18443"
// regtest), or "" for an unknown network.
func DefaultRPCPort(network string) string {
	switch network {
	case NetworkMainnet:
		return "8332"
	case NetworkTestnet3:
		return "18332"
	case NetworkTestnet4:
		return "48332"
	case NetworkSignet:
		return "38332"
	case NetworkRegtest:
		return "18443"
	}
	return ""
}

// ChainParams returns the chain parameters of the configured network. The
// result is shared and must not be modified. It is nil only for a Config
// that did not come from Load, LoadFile or Default and names no known network.
func (c Config) ChainParams() *chaincfg.Params {
	return chainParams(c.Network)
}

// NetDir returns the directory holding this network's files:
// DataDir/<network>, for example ~/.actornode/regtest.
func (c Config) NetDir() string {
	return filepath.Join(c.DataDir, c.Network)
}

// CookiePath returns where the RPC authentication cookie is written:
// RPC.CookieFile when set, otherwise NetDir()/.cookie.
func (c Config) CookiePath() string {
	if c.RPC.CookieFile != "" {
		return c.RPC.CookieFile
	}
	return filepath.Join(c.NetDir(), ".cookie")
}

// P2PListenAddrs returns P2P.Listen as host:port strings, with the network's
// default P2P port given to addresses that have none. An empty result means
// do not listen.
func (c Config) P2PListenAddrs() []string {
	return withDefaultPorts(c.P2P.Listen, DefaultP2PPort(c.Network))
}

// P2PConnectAddrs returns P2P.Connect as host:port strings, with the
// network's default P2P port given to addresses that have none.
func (c Config) P2PConnectAddrs() []string {
	return withDefaultPorts(c.P2P.Connect, DefaultP2PPort(c.Network))
}

// P2PAddNodeAddrs returns P2P.AddNode as host:port strings, with the
// network's default P2P port given to addresses that have none.
func (c Config) P2PAddNodeAddrs() []string {
	return withDefaultPorts(c.P2P.AddNode, DefaultP2PPort(c.Network))
}

// RPCListenAddrs returns RPC.Listen as host:port strings, with the network's
// default RPC port given to addresses that have none. An empty result means
// RPC is disabled.
func (c Config) RPCListenAddrs() []string {
	return withDefaultPorts(c.RPC.Listen, DefaultRPCPort(c.Network))
}
