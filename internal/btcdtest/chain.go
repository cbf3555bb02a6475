package btcdtest

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ChainFee is the fee every transaction built by MineChain pays.
const ChainFee = 10_000

// coinbaseMaturity is how many blocks must be on top of a coinbase before
// it can be spent.
const coinbaseMaturity = 100

// GetBlockHash returns the hash of btcd's best-chain block at height.
func (n *Node) GetBlockHash(height int64) (string, error) {
	var hash string
	err := n.rpcInto(&hash, "getblockhash", height)
	return hash, err
}

// GetBlockRaw returns a block's serialization with witness (getblock
// verbosity 0).
func (n *Node) GetBlockRaw(hash string) ([]byte, error) {
	var s string
	if err := n.rpcInto(&s, "getblock", hash, 0); err != nil {
		return nil, err
	}
	return hex.DecodeString(s)
}

// GetBlock returns a decoded block.
func (n *Node) GetBlock(hash string) (*wire.MsgBlock, error) {
	raw, err := n.GetBlockRaw(hash)
	if err != nil {
		return nil, err
	}
	var b wire.MsgBlock
	if err := b.Deserialize(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("block %s: %w", hash, err)
	}
	return &b, nil
}

// InvalidateBlock marks a block (and its descendants) invalid in btcd,
// which reorganises to its best remaining chain.
func (n *Node) InvalidateBlock(hash string) error {
	_, err := n.RPC("invalidateblock", hash)
	return err
}

// SendRawTransaction submits tx to btcd's mempool and returns its id.
func (n *Node) SendRawTransaction(tx *wire.MsgTx) (string, error) {
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		return "", err
	}
	var id string
	err := n.rpcInto(&id, "sendrawtransaction", hex.EncodeToString(buf.Bytes()))
	return id, err
}

// ChainStats counts what MineChain put in its blocks.
type ChainStats struct {
	// Blocks is how many blocks were mined.
	Blocks int
	// P2PKHSpends and P2WPKHSpends count the transactions spending a P2PKH
	// output (a matured coinbase) and a P2WPKH output (with a witness).
	P2PKHSpends, P2WPKHSpends int
	// Tip is the hash of the last block mined.
	Tip string
}

// MineChain mines blocks on btcd, from its current tip, with transactions
// once coinbases have matured and segwit is active (regtest activates it
// by BIP 9 signalling, from height 432): every block from txFrom on holds
// one transaction spending the coinbase of the block 100 below to a
// P2WPKH output of MiningKey, signed with a P2PKH signature script, and
// one spending the previous block's P2WPKH output (a witness spend) back
// to MiningAddress. txFrom must be at least 101 plus btcd's height at the
// call, and at least segwit's activation height (432 on regtest).
func (n *Node) MineChain(blocks, txFrom int) (ChainStats, error) {
	var st ChainStats
	start, err := n.GetBlockCount()
	if err != nil {
		return st, err
	}
	key := MiningKey()
	pkh := address.Hash160(key.PubKey().SerializeCompressed())
	p2pkhAddr, err := address.NewAddressPubKeyHash(pkh, &chaincfg.RegressionNetParams)
	if err != nil {
		return st, err
	}
	p2pkh, err := txscript.PayToAddrScript(p2pkhAddr)
	if err != nil {
		return st, err
	}
	wpkhAddr, err := address.NewAddressWitnessPubKeyHash(pkh, &chaincfg.RegressionNetParams)
	if err != nil {
		return st, err
	}
	p2wpkh, err := txscript.PayToAddrScript(wpkhAddr)
	if err != nil {
		return st, err
	}
	coinbases := map[int64]*wire.MsgTx{} // height -> coinbase
	var witnessOut *wire.TxOut
	var witnessPoint wire.OutPoint
	for i := 0; i < blocks; i++ {
		height := start + int64(i) + 1
		if height >= int64(txFrom) {
			if cb := coinbases[height-coinbaseMaturity]; cb != nil {
				tx := wire.NewMsgTx(2)
				tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: cb.TxHash(), Index: 0}, nil, nil))
				tx.AddTxOut(wire.NewTxOut(cb.TxOut[0].Value-ChainFee, p2wpkh))
				sig, err := txscript.SignatureScript(tx, 0, p2pkh, txscript.SigHashAll, key, true)
				if err != nil {
					return st, err
				}
				tx.TxIn[0].SignatureScript = sig
				if _, err := n.SendRawTransaction(tx); err != nil {
					return st, fmt.Errorf("P2PKH spend at height %d: %w", height, err)
				}
				st.P2PKHSpends++
				if witnessOut != nil {
					if err := n.spendWitness(witnessPoint, witnessOut, p2pkh, &st); err != nil {
						return st, fmt.Errorf("P2WPKH spend at height %d: %w", height, err)
					}
				}
				witnessOut, witnessPoint = tx.TxOut[0], wire.OutPoint{Hash: tx.TxHash(), Index: 0}
			}
		}
		hashes, err := n.Generate(1)
		if err != nil || len(hashes) != 1 {
			return st, fmt.Errorf("generate at height %d: %v %w", height, hashes, err)
		}
		st.Blocks++
		st.Tip = hashes[0]
		if height+coinbaseMaturity >= int64(txFrom) {
			b, err := n.GetBlock(hashes[0])
			if err != nil {
				return st, err
			}
			coinbases[height] = b.Transactions[0]
		}
	}
	return st, nil
}

// spendWitness spends a P2WPKH output of MiningKey to pkScript.
func (n *Node) spendWitness(prev wire.OutPoint, out *wire.TxOut, pkScript []byte, st *ChainStats) error {
	key := MiningKey()
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&prev, nil, nil))
	tx.AddTxOut(wire.NewTxOut(out.Value-ChainFee, pkScript))
	fetcher := txscript.NewCannedPrevOutputFetcher(out.PkScript, out.Value)
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	// The script code of a P2WPKH input is the P2PKH script of its key.
	wit, err := txscript.WitnessSignature(tx, hashes, 0, out.Value, pkScript, txscript.SigHashAll, key, true)
	if err != nil {
		return err
	}
	tx.TxIn[0].Witness = wit
	if _, err := n.SendRawTransaction(tx); err != nil {
		return err
	}
	st.P2WPKHSpends++
	return nil
}
