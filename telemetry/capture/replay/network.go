package replay

import (
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Networks lists the network names Magic accepts, as the node's network
// setting names them.
var Networks = []string{"mainnet", "testnet3", "testnet4", "signet", "regtest"}

// Magic returns the network magic of a network name.
func Magic(network string) (wire.BitcoinNet, error) {
	switch network {
	case "mainnet":
		return chaincfg.MainNetParams.Net, nil
	case "testnet3":
		return chaincfg.TestNet3Params.Net, nil
	case "testnet4":
		return chaincfg.TestNet4Params.Net, nil
	case "signet":
		return chaincfg.SigNetParams.Net, nil
	case "regtest":
		return chaincfg.RegressionNetParams.Net, nil
	}
	return 0, fmt.Errorf("unknown network %q (want %s)", network, strings.Join(Networks, ", "))
}
