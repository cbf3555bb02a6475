package blockcheck

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// MaxMoney is the most satoshis an output, or all outputs of a transaction
// together, may carry: 21 million bitcoin.
const MaxMoney = 21_000_000 * 100_000_000

// Coinbase script length bounds, in bytes.
const (
	MinCoinbaseScriptLen = 2
	MaxCoinbaseScriptLen = 100
)

// IsCoinbase reports whether tx is a coinbase: exactly one input, spending
// the null previous output (zero hash, index 0xffffffff).
func IsCoinbase(tx *wire.MsgTx) bool {
	if len(tx.TxIn) != 1 {
		return false
	}
	prev := tx.TxIn[0].PreviousOutPoint
	return prev.Index == wire.MaxPrevOutIndex && prev.Hash == (chainhash.Hash{})
}

// checkTransaction applies the context-free transaction rules.
func checkTransaction(tx *wire.MsgTx) error {
	if len(tx.TxIn) == 0 {
		return errors.New("no inputs")
	}
	if len(tx.TxOut) == 0 {
		return errors.New("no outputs")
	}
	if size := tx.SerializeSizeStripped(); size*WitnessScaleFactor > MaxBlockWeight {
		return fmt.Errorf("size without witness %d bytes", size)
	}
	var total int64
	for i, out := range tx.TxOut {
		if out.Value < 0 || out.Value > MaxMoney {
			return fmt.Errorf("output %d value %d out of range", i, out.Value)
		}
		total += out.Value
		if total > MaxMoney {
			return fmt.Errorf("outputs total above %d", int64(MaxMoney))
		}
	}
	seen := make(map[wire.OutPoint]struct{}, len(tx.TxIn))
	for i, in := range tx.TxIn {
		if _, dup := seen[in.PreviousOutPoint]; dup {
			return fmt.Errorf("input %d spends %s twice", i, in.PreviousOutPoint)
		}
		seen[in.PreviousOutPoint] = struct{}{}
	}
	if IsCoinbase(tx) {
		if n := len(tx.TxIn[0].SignatureScript); n < MinCoinbaseScriptLen || n > MaxCoinbaseScriptLen {
			return fmt.Errorf("coinbase script of %d bytes", n)
		}
		return nil
	}
	for i, in := range tx.TxIn {
		if in.PreviousOutPoint.Index == wire.MaxPrevOutIndex && in.PreviousOutPoint.Hash == (chainhash.Hash{}) {
			return fmt.Errorf("input %d spends the null output", i)
		}
	}
	return nil
}
