package rpc

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/big"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/chain/chainpb"
)

// witnessScaleFactor is BIP141's weight of a non-witness byte.
const witnessScaleFactor = 4

// BlockchainInfo is getblockchaininfo's result, fields in Core's order.
// PruneHeight is present only when the node prunes.
type BlockchainInfo struct {
	Chain                string    `json:"chain"`
	Blocks               int32     `json:"blocks"`
	Headers              int32     `json:"headers"`
	BestBlockHash        string    `json:"bestblockhash"`
	Bits                 string    `json:"bits"`
	Target               string    `json:"target"`
	Difficulty           CoreFloat `json:"difficulty"`
	Time                 int64     `json:"time"`
	MedianTime           int64     `json:"mediantime"`
	VerificationProgress CoreFloat `json:"verificationprogress"`
	InitialBlockDownload bool      `json:"initialblockdownload"`
	ChainWork            string    `json:"chainwork"`
	SizeOnDisk           uint64    `json:"size_on_disk"`
	Pruned               bool      `json:"pruned"`
	PruneHeight          *int32    `json:"pruneheight,omitempty"`
	Warnings             []string  `json:"warnings"`
}

// newBlockchainInfo builds getblockchaininfo's result from a tip snapshot.
func newBlockchainInfo(tip *chainpb.TipSnapshot, net chainNetwork) BlockchainInfo {
	info := BlockchainInfo{
		Chain:                net.coreName,
		Blocks:               tip.GetBlockHeight(),
		Headers:              tip.GetHeaderHeight(),
		BestBlockHash:        tip.GetBlockHash(),
		Bits:                 bitsHex(tip.GetBlockBits()),
		Target:               targetHex(tip.GetBlockBits(), net.params.PowLimit),
		Difficulty:           CoreFloat(difficulty(tip.GetBlockBits())),
		Time:                 tip.GetBlockTimeUnix(),
		MedianTime:           tip.GetMedianTimeUnix(),
		VerificationProgress: CoreFloat(tip.GetVerificationProgress()),
		InitialBlockDownload: tip.GetInitialBlockDownload(),
		ChainWork:            tip.GetChainWork(),
		SizeOnDisk:           tip.GetSizeOnDisk(),
		Pruned:               tip.GetPruned(),
		Warnings:             []string{},
	}
	if info.Pruned {
		h := tip.GetPruneHeight()
		info.PruneHeight = &h
	}
	return info
}

// BlockHeaderJSON is getblockheader's verbose result, and the first fields
// of getblock's, in Core's order. PreviousBlockHash is absent for the
// genesis block, NextBlockHash for a block without a successor on the best
// chain.
type BlockHeaderJSON struct {
	Hash              string    `json:"hash"`
	Confirmations     int32     `json:"confirmations"`
	Height            int32     `json:"height"`
	Version           int32     `json:"version"`
	VersionHex        string    `json:"versionHex"`
	MerkleRoot        string    `json:"merkleroot"`
	Time              int64     `json:"time"`
	MedianTime        int64     `json:"mediantime"`
	Nonce             uint32    `json:"nonce"`
	Bits              string    `json:"bits"`
	Target            string    `json:"target"`
	Difficulty        CoreFloat `json:"difficulty"`
	ChainWork         string    `json:"chainwork"`
	NTx               uint32    `json:"nTx"`
	PreviousBlockHash string    `json:"previousblockhash,omitempty"`
	NextBlockHash     string    `json:"nextblockhash,omitempty"`
}

// newBlockHeaderJSON builds the header fields from chainman's HeaderInfo.
func newBlockHeaderJSON(info *chainpb.HeaderInfo, powLimit *big.Int) (BlockHeaderJSON, error) {
	var h wire.BlockHeader
	if err := h.Deserialize(bytes.NewReader(info.GetHeader())); err != nil {
		return BlockHeaderJSON{}, fmt.Errorf("header of %s: %w", info.GetHash(), err)
	}
	return BlockHeaderJSON{
		Hash:              info.GetHash(),
		Confirmations:     info.GetConfirmations(),
		Height:            info.GetHeight(),
		Version:           h.Version,
		VersionHex:        versionHex(h.Version),
		MerkleRoot:        h.MerkleRoot.String(),
		Time:              h.Timestamp.Unix(),
		MedianTime:        info.GetMedianTimeUnix(),
		Nonce:             h.Nonce,
		Bits:              bitsHex(h.Bits),
		Target:            targetHex(h.Bits, powLimit),
		Difficulty:        CoreFloat(difficulty(h.Bits)),
		ChainWork:         info.GetChainWork(),
		NTx:               info.GetNTx(),
		PreviousBlockHash: info.GetPreviousHash(),
		NextBlockHash:     info.GetNextHash(),
	}, nil
}

// BlockJSON is getblock's result for verbosity 1 and 2: the header fields,
// then the sizes, then the transactions (txids for verbosity 1, decoded
// transactions for 2), in the order Core writes them.
type BlockJSON struct {
	BlockHeaderJSON
	StrippedSize int `json:"strippedsize"`
	Size         int `json:"size"`
	Weight       int `json:"weight"`
	Tx           any `json:"tx"`
}

// TxJSON is one decoded transaction of getblock verbosity 2, fields in
// Core's order. Core's "fee" (and, for verbosity 3, each input's
// "prevout") needs the spent outputs, which actornode does not keep, so
// they are always absent, as Core leaves them out when it has no undo data.
type TxJSON struct {
	TxID     string      `json:"txid"`
	Hash     string      `json:"hash"`
	Version  uint32      `json:"version"`
	Size     int         `json:"size"`
	VSize    int         `json:"vsize"`
	Weight   int         `json:"weight"`
	LockTime uint32      `json:"locktime"`
	Vin      []TxInJSON  `json:"vin"`
	Vout     []TxOutJSON `json:"vout"`
	Hex      string      `json:"hex"`
}

// TxInJSON is one input: Coinbase for a coinbase transaction's input,
// otherwise TxID, Vout and ScriptSig; TxInWitness when the input has a
// witness.
type TxInJSON struct {
	Coinbase    string         `json:"coinbase,omitempty"`
	TxID        string         `json:"txid,omitempty"`
	Vout        *uint32        `json:"vout,omitempty"`
	ScriptSig   *ScriptSigJSON `json:"scriptSig,omitempty"`
	TxInWitness []string       `json:"txinwitness,omitempty"`
	Sequence    uint32         `json:"sequence"`
}

// ScriptSigJSON is an input script: asm (with signature hash types
// decoded) and hex.
type ScriptSigJSON struct {
	Asm string `json:"asm"`
	Hex string `json:"hex"`
}

// TxOutJSON is one output.
type TxOutJSON struct {
	Value        Amount           `json:"value"`
	N            int              `json:"n"`
	ScriptPubKey ScriptPubKeyJSON `json:"scriptPubKey"`
}

// ScriptPubKeyJSON is a decoded output script, as Core's ScriptToUniv
// writes it; Address is absent for scripts without one (and for
// pay-to-pubkey).
type ScriptPubKeyJSON struct {
	Asm     string     `json:"asm"`
	Desc    string     `json:"desc"`
	Hex     string     `json:"hex"`
	Address string     `json:"address,omitempty"`
	Type    ScriptType `json:"type"`
}

// blockSizes returns a block's size with witness, without witness
// (stripped) and its weight.
func blockSizes(b *wire.MsgBlock) (size, stripped, weight int) {
	size, stripped = b.SerializeSize(), b.SerializeSizeStripped()
	return size, stripped, stripped*(witnessScaleFactor-1) + size
}

// txIDs returns the transactions' ids (display order) for verbosity 1.
func txIDs(b *wire.MsgBlock) []string {
	out := make([]string, len(b.Transactions))
	for i, tx := range b.Transactions {
		out[i] = tx.TxHash().String()
	}
	return out
}

// decodeTxs decodes every transaction for verbosity 2.
func decodeTxs(b *wire.MsgBlock, net *chaincfg.Params) ([]TxJSON, error) {
	out := make([]TxJSON, len(b.Transactions))
	for i, tx := range b.Transactions {
		d, err := decodeTx(tx, i == 0, net)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// decodeTx decodes one transaction; coinbase says it is the block's first.
func decodeTx(tx *wire.MsgTx, coinbase bool, net *chaincfg.Params) (TxJSON, error) {
	var raw bytes.Buffer
	if err := tx.Serialize(&raw); err != nil {
		return TxJSON{}, err
	}
	size, stripped := tx.SerializeSize(), tx.SerializeSizeStripped()
	weight := stripped*(witnessScaleFactor-1) + size
	d := TxJSON{
		TxID:     tx.TxHash().String(),
		Hash:     tx.WitnessHash().String(),
		Version:  uint32(tx.Version),
		Size:     size,
		VSize:    (weight + witnessScaleFactor - 1) / witnessScaleFactor,
		Weight:   weight,
		LockTime: tx.LockTime,
		Vin:      make([]TxInJSON, len(tx.TxIn)),
		Vout:     make([]TxOutJSON, len(tx.TxOut)),
		Hex:      hex.EncodeToString(raw.Bytes()),
	}
	for i, in := range tx.TxIn {
		var v TxInJSON
		if coinbase {
			v.Coinbase = hex.EncodeToString(in.SignatureScript)
		} else {
			index := in.PreviousOutPoint.Index
			v.TxID = in.PreviousOutPoint.Hash.String()
			v.Vout = &index
			v.ScriptSig = &ScriptSigJSON{Asm: scriptAsm(in.SignatureScript, true), Hex: hex.EncodeToString(in.SignatureScript)}
		}
		for _, item := range in.Witness {
			v.TxInWitness = append(v.TxInWitness, hex.EncodeToString(item))
		}
		v.Sequence = in.Sequence
		d.Vin[i] = v
	}
	for i, out := range tx.TxOut {
		d.Vout[i] = TxOutJSON{Value: Amount(out.Value), N: i, ScriptPubKey: decodeScriptPubKey(out.PkScript, net)}
	}
	return d, nil
}

// decodeScriptPubKey decodes an output script.
func decodeScriptPubKey(script []byte, net *chaincfg.Params) ScriptPubKeyJSON {
	c := classifyScript(script)
	out := ScriptPubKeyJSON{
		Asm:  scriptAsm(script, false),
		Desc: scriptDescriptor(script, c, net),
		Hex:  hex.EncodeToString(script),
		Type: c.typ,
	}
	if c.typ != ScriptPubKey {
		out.Address = scriptAddress(c, net)
	}
	return out
}
