package btcdtest

import (
	"bytes"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// MiningKey returns the fixed, publicly known test private key whose
// compressed P2PKH regtest address receives every block a Node mines. It is
// for regtest only and worthless anywhere else.
func MiningKey() *btcec.PrivateKey {
	priv, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{0x01}, 32))
	return priv
}

// MiningAddress returns the regtest P2PKH address of MiningKey, the value
// passed to btcd's --miningaddr.
func MiningAddress() (string, error) {
	pub := MiningKey().PubKey().SerializeCompressed()
	addr, err := address.NewAddressPubKeyHash(address.Hash160(pub), &chaincfg.RegressionNetParams)
	if err != nil {
		return "", err
	}
	return addr.EncodeAddress(), nil
}
