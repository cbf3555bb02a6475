package rpc

import "github.com/btcsuite/btcd/chaincfg/v2"

// CategoryBlockchain groups the chain methods in help's overview
// ("== Blockchain ==", as in Core).
const CategoryBlockchain Category = "blockchain"

// CodeInvalidAddressOrKey is Core's RPC_INVALID_ADDRESS_OR_KEY: the chain
// methods answer it for a block hash the node does not know.
const CodeInvalidAddressOrKey ErrorCode = -5

// chainNetwork is what the chain methods need to know about the network the
// node is on: Core's name for it and its consensus parameters.
type chainNetwork struct {
	// coreName is the "chain" of getblockchaininfo: main, test, testnet4,
	// signet or regtest.
	coreName string
	// params are the network's parameters (proof-of-work limit, address
	// encodings).
	params *chaincfg.Params
}

// networkFor maps a NodeInfo.Network name (mainnet, testnet3, testnet4,
// signet, regtest) to Core's chain name and the parameters. An unknown name
// yields mainnet's parameters under the given name, so that a
// misconfiguration shows in getblockchaininfo instead of failing it.
func networkFor(network string) chainNetwork {
	switch network {
	case "testnet3":
		return chainNetwork{coreName: "test", params: &chaincfg.TestNet3Params}
	case "testnet4":
		return chainNetwork{coreName: "testnet4", params: &chaincfg.TestNet4Params}
	case "signet":
		return chainNetwork{coreName: "signet", params: &chaincfg.SigNetParams}
	case "regtest":
		return chainNetwork{coreName: "regtest", params: &chaincfg.RegressionNetParams}
	case "mainnet":
		return chainNetwork{coreName: "main", params: &chaincfg.MainNetParams}
	default:
		return chainNetwork{coreName: network, params: &chaincfg.MainNetParams}
	}
}
