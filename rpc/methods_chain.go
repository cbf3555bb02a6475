package rpc

import (
	"bytes"
	"encoding/hex"
	"math"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/chain/chainpb"
)

// ChainMethods returns the blockchain methods: getblockchaininfo,
// getblockcount, getbestblockhash, getblockhash, getblockheader and
// getblock. Pass them to NewActor; they ask Config.Chainman and, when it is
// nil, answer -32603 "chain not available".
func ChainMethods() []Method {
	return []Method{
		{
			Name:     "getblockchaininfo",
			Category: CategoryBlockchain,
			Help: `getblockchaininfo

Returns the state of the node's chain: its best header, its best stored
block and how far the download has come.

Result:
{
  "chain" : "str",                (string) the network: main, test, testnet4, signet or regtest
  "blocks" : n,                   (numeric) height of the last block of the best header chain that is stored with all its ancestors
  "headers" : n,                  (numeric) height of the best validated header
  "bestblockhash" : "hex",        (string) hash of the block at "blocks"
  "bits" : "hex",                 (string) that block's compact target (nBits)
  "target" : "hex",               (string) that block's target, 64 hex digits
  "difficulty" : n,               (numeric) that block's difficulty, as a multiple of the 0x1d00ffff target
  "time" : xxx,                   (numeric) that block's time, seconds since the UNIX epoch
  "mediantime" : xxx,             (numeric) median time of that block and its 10 predecessors
  "verificationprogress" : n,     (numeric) estimate of the fraction of the chain stored [0..1]
  "initialblockdownload" : true|false, (boolean) whether the node is still catching up
  "chainwork" : "hex",            (string) total work of the chain up to "blocks", 64 hex digits
  "size_on_disk" : n,             (numeric) bytes of the stored blocks and their index
  "pruned" : true|false,          (boolean) whether old blocks are deleted
  "pruneheight" : n,              (numeric, optional) lowest height still stored (only when pruned)
  "warnings" : [ "str", ... ]     (array of string) chain warnings (none yet)
}

actornode validates headers and block integrity, not scripts: "blocks"
counts stored, integrity-checked blocks.`,
			Handler: func(call *Call, _ Params) (any, error) {
				tip, err := askChain[*chainpb.TipSnapshot](call, &chainpb.GetTip{})
				if err != nil {
					return nil, err
				}
				return newBlockchainInfo(tip, networkFor(call.Info().Network)), nil
			},
		},
		{
			Name:     "getblockcount",
			Category: CategoryBlockchain,
			Help: `getblockcount

Returns the height of the last block of the best header chain that is stored
together with all its ancestors. The genesis block has height 0.

Result:
n    (numeric) the block count`,
			Handler: func(call *Call, _ Params) (any, error) {
				tip, err := askChain[*chainpb.TipSnapshot](call, &chainpb.GetTip{})
				if err != nil {
					return nil, err
				}
				return tip.GetBlockHeight(), nil
			},
		},
		{
			Name:     "getbestblockhash",
			Category: CategoryBlockchain,
			Help: `getbestblockhash

Returns the hash of the block at getblockcount's height.

Result:
"hex"    (string) the block hash`,
			Handler: func(call *Call, _ Params) (any, error) {
				tip, err := askChain[*chainpb.TipSnapshot](call, &chainpb.GetTip{})
				if err != nil {
					return nil, err
				}
				return tip.GetBlockHash(), nil
			},
		},
		{
			Name:     "getblockhash",
			Category: CategoryBlockchain,
			Args:     []Arg{{Name: "height"}},
			Help: `getblockhash height

Returns the hash of the best chain's block at a height.

Arguments:
1. height    (numeric, required) the height

Result:
"hex"    (string) the block hash

A height below 0 or above the chain is error -8 "Block height out of range".`,
			Handler: func(call *Call, p Params) (any, error) {
				height, err := p.Int64(0, 0)
				if err != nil {
					return nil, err
				}
				if height < 0 || height > math.MaxInt32 {
					return nil, NewError(CodeInvalidParameter, msgHeightOutOfRange)
				}
				reply, err := askChain[*chainpb.BlockHashReply](call, &chainpb.GetBlockHash{Height: int32(height)})
				if err != nil {
					return nil, err
				}
				if err := chainError(call, reply.GetError(), reply.GetDetail()); err != nil {
					return nil, err
				}
				return reply.GetHash(), nil
			},
		},
		{
			Name:     "getblockheader",
			Category: CategoryBlockchain,
			Args:     []Arg{{Name: "blockhash"}, {Name: "verbose", Optional: true}},
			Help: `getblockheader "blockhash" ( verbose )

Returns a header the node knows (on the best chain or not): with verbose
true (the default) as an object, with verbose false as the serialized
80-byte header in hex.

Arguments:
1. blockhash    (string, required) the block hash
2. verbose      (boolean, optional, default=true) true for an object, false for hex

Result (for verbose = true):
{
  "hash" : "hex",              (string) the block hash (same as provided)
  "confirmations" : n,         (numeric) blocks on the best chain from this one to the tip, or -1 if it is not on the best chain
  "height" : n,                (numeric) the height
  "version" : n,               (numeric) the block version
  "versionHex" : "hex",        (string) the block version in hex
  "merkleroot" : "hex",        (string) the merkle root
  "time" : xxx,                (numeric) the block time, seconds since the UNIX epoch
  "mediantime" : xxx,          (numeric) median time of the block and its 10 predecessors
  "nonce" : n,                 (numeric) the nonce
  "bits" : "hex",              (string) the compact target (nBits)
  "target" : "hex",            (string) the target, 64 hex digits
  "difficulty" : n,            (numeric) the difficulty, as a multiple of the 0x1d00ffff target
  "chainwork" : "hex",         (string) total work of the chain up to this block, 64 hex digits
  "nTx" : n,                   (numeric) the number of transactions (0 while the block is not stored)
  "previousblockhash" : "hex", (string, optional) the previous block's hash (absent for genesis)
  "nextblockhash" : "hex"      (string, optional) the next block's hash on the best chain (if any)
}

Result (for verbose = false):
"hex"    (string) the serialized header

An unknown hash is error -5 "Block not found".`,
			Handler: func(call *Call, p Params) (any, error) {
				hash, err := blockHashParam(p, 0, "hash")
				if err != nil {
					return nil, err
				}
				verbose, err := p.Bool(1, true)
				if err != nil {
					return nil, err
				}
				reply, err := askChain[*chainpb.BlockHeaderReply](call, &chainpb.GetBlockHeader{Hash: hash})
				if err != nil {
					return nil, err
				}
				if err := chainError(call, reply.GetError(), reply.GetDetail()); err != nil {
					return nil, err
				}
				if !verbose {
					return hex.EncodeToString(reply.GetInfo().GetHeader()), nil
				}
				out, err := newBlockHeaderJSON(reply.GetInfo(), networkFor(call.Info().Network).params.PowLimit)
				if err != nil {
					return nil, NewError(CodeInternalError, "getblockheader: %v", err)
				}
				return out, nil
			},
		},
		{
			Name:     "getblock",
			Category: CategoryBlockchain,
			Args:     []Arg{{Name: "blockhash"}, {Name: "verbosity", Optional: true}},
			Help: `getblock "blockhash" ( verbosity )

Returns a stored block: with verbosity 0 as serialized hex, with verbosity 1
(the default) as an object listing its transaction ids, with verbosity 2 as
an object with every transaction decoded. A boolean verbosity is read as 1
(true) or 0 (false).

Arguments:
1. blockhash    (string, required) the block hash
2. verbosity    (numeric, optional, default=1) 0 for hex, 1 for an object, 2 for an object with decoded transactions

Result (for verbosity = 0):
"hex"    (string) the serialized block, with witness data

Result (for verbosity = 1):
{
  "hash" : "hex",              (string) the block hash (same as provided)
  "confirmations" : n,         (numeric) blocks on the best chain from this one to the tip, or -1 if it is not on the best chain
  "height" : n,                (numeric) the height
  "version" : n,               (numeric) the block version
  "versionHex" : "hex",        (string) the block version in hex
  "merkleroot" : "hex",        (string) the merkle root
  "time" : xxx,                (numeric) the block time, seconds since the UNIX epoch
  "mediantime" : xxx,          (numeric) median time of the block and its 10 predecessors
  "nonce" : n,                 (numeric) the nonce
  "bits" : "hex",              (string) the compact target (nBits)
  "target" : "hex",            (string) the target, 64 hex digits
  "difficulty" : n,            (numeric) the difficulty, as a multiple of the 0x1d00ffff target
  "chainwork" : "hex",         (string) total work of the chain up to this block, 64 hex digits
  "nTx" : n,                   (numeric) the number of transactions
  "previousblockhash" : "hex", (string, optional) the previous block's hash (absent for genesis)
  "nextblockhash" : "hex",     (string, optional) the next block's hash on the best chain (if any)
  "strippedsize" : n,          (numeric) the block's size without witness data
  "size" : n,                  (numeric) the block's size
  "weight" : n,                (numeric) the block's weight (BIP141)
  "tx" : [ "hex", ... ]        (array of string) the transaction ids
}

Result (for verbosity = 2): as for 1, with "tx" an array of objects as
getrawtransaction decodes them: txid, hash, version, size, vsize, weight,
locktime, vin (coinbase or txid, vout and scriptSig {asm, hex}; txinwitness;
sequence), vout (value, n, scriptPubKey {asm, desc, hex, address, type}) and
hex. "fee" is never present: it needs the spent outputs, which the node does
not keep. Verbosity 3 is answered as 2: its "prevout" needs them too.

An unknown hash is error -5 "Block not found"; a header whose block is not
stored yet is error -1 "Block not available (not fully downloaded)", a pruned
one -1 "Block not available (pruned data)".`,
			Handler: getBlock,
		},
	}
}

// getBlock runs getblock.
func getBlock(call *Call, p Params) (any, error) {
	hash, err := blockHashParam(p, 0, "blockhash")
	if err != nil {
		return nil, err
	}
	verbosity, err := verbosityParam(p, 1, 1)
	if err != nil {
		return nil, err
	}
	reply, err := askChain[*chainpb.BlockReply](call, &chainpb.GetBlock{Hash: hash})
	if err != nil {
		return nil, err
	}
	if err := chainError(call, reply.GetError(), reply.GetDetail()); err != nil {
		return nil, err
	}
	if verbosity <= 0 {
		return hex.EncodeToString(reply.GetRaw()), nil
	}
	var block wire.MsgBlock
	if err := block.Deserialize(bytes.NewReader(reply.GetRaw())); err != nil {
		return nil, NewError(CodeInternalError, "getblock: stored block %s does not decode: %v", hash, err)
	}
	net := networkFor(call.Info().Network)
	header, err := newBlockHeaderJSON(reply.GetInfo(), net.params.PowLimit)
	if err != nil {
		return nil, NewError(CodeInternalError, "getblock: %v", err)
	}
	out := BlockJSON{BlockHeaderJSON: header}
	out.Size, out.StrippedSize, out.Weight = blockSizes(&block)
	if verbosity == 1 {
		out.Tx = txIDs(&block)
		return out, nil
	}
	txs, err := decodeTxs(&block, net.params)
	if err != nil {
		return nil, NewError(CodeInternalError, "getblock: %v", err)
	}
	out.Tx = txs
	return out, nil
}
