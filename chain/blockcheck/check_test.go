package blockcheck

import (
	"bytes"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

func TestGenesisBlocksPass(t *testing.T) {
	for _, p := range []*chaincfg.Params{&chaincfg.MainNetParams, &chaincfg.TestNet3Params,
		&chaincfg.TestNet4Params, &chaincfg.RegressionNetParams, &chaincfg.SigNetParams} {
		if err := Check(p.GenesisBlock, p); err != nil {
			t.Errorf("%s genesis: %v", p.Name, err)
		}
	}
	g := chaincfg.MainNetParams.GenesisBlock
	if w := Weight(g); w != 4*285 {
		t.Errorf("mainnet genesis weight %d, want %d", w, 4*285)
	}
}

// TestMerkleRootMainnetBlock100000 uses the four transaction ids of mainnet
// block 100000 and its header's merkle root (public chain data).
func TestMerkleRootMainnetBlock100000(t *testing.T) {
	var hashes []chainhash.Hash
	for _, s := range []string{
		"8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
		"fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
		"6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
		"e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
	} {
		h, _ := chainhash.NewHashFromStr(s)
		hashes = append(hashes, *h)
	}
	root, mutated := MerkleRoot(hashes)
	if root.String() != "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766" || mutated {
		t.Fatalf("root %s mutated %v", root, mutated)
	}
}

func TestMerkleRootMutation(t *testing.T) {
	h := func(b byte) chainhash.Hash { return chainhash.Hash{b} }
	odd := []chainhash.Hash{h(1), h(2), h(3)}
	root, mutated := MerkleRoot(odd)
	if mutated {
		t.Fatal("odd list flagged")
	}
	// Duplicating the last entry keeps the root: the CVE-2012-2459 pattern.
	dup, mutated := MerkleRoot(append(odd, h(3)))
	if dup != root || !mutated {
		t.Fatalf("duplicate: root equal %v, mutated %v", dup == root, mutated)
	}
	// Duplicated pairs one level up are caught too.
	six := []chainhash.Hash{h(1), h(2), h(3), h(4), h(5), h(6)}
	r6, m6 := MerkleRoot(six)
	r8, m8 := MerkleRoot(append(six, h(5), h(6)))
	if m6 || r6 != r8 || !m8 {
		t.Fatalf("pair duplication: m6 %v equal %v m8 %v", m6, r6 == r8, m8)
	}
	if r, m := MerkleRoot(nil); r != (chainhash.Hash{}) || m {
		t.Fatal("empty list")
	}
	one := h(7)
	if r, m := MerkleRoot([]chainhash.Hash{one}); r != one || m {
		t.Fatal("single hash is its own root")
	}
	in := []chainhash.Hash{h(1), h(2), h(3)}
	MerkleRoot(in)
	if in[0] != h(1) || in[2] != h(3) {
		t.Fatal("input modified")
	}
}

func TestEachErrorCode(t *testing.T) {
	params := &chaincfg.MainNetParams
	if err := Check(syntheticBlock(), params); err != nil {
		t.Fatalf("synthetic block: %v", err)
	}
	cases := []struct {
		name    string
		mutate  func(b *wire.MsgBlock)
		code    Code
		mutated bool
	}{
		{"no transactions", func(b *wire.MsgBlock) { b.Transactions = nil }, CodeNoTransactions, true},
		{"merkle root", func(b *wire.MsgBlock) { b.Header.MerkleRoot[0] ^= 1 }, CodeBadMerkleRoot, true},
		{"dropped transaction", func(b *wire.MsgBlock) { b.Transactions = b.Transactions[:2] }, CodeBadMerkleRoot, true},
		{"duplicated last transaction", func(b *wire.MsgBlock) {
			b.Transactions = append(b.Transactions, b.Transactions[2])
		}, CodeMutated, true},
		{"first not coinbase", func(b *wire.MsgBlock) {
			b.Transactions[0], b.Transactions[1] = b.Transactions[1], b.Transactions[0]
			fixRoots(b)
		}, CodeFirstNotCoinbase, false},
		{"second coinbase", func(b *wire.MsgBlock) {
			cb := b.Transactions[0].Copy()
			cb.TxIn[0].SignatureScript = []byte{1, 2, 3}
			b.Transactions[2] = cb
			fixRoots(b)
		}, CodeMultipleCoinbase, false},
		{"negative output", func(b *wire.MsgBlock) {
			b.Transactions[1].TxOut[0].Value = -1
			fixRoots(b)
		}, CodeBadTransaction, false},
		{"too much money", func(b *wire.MsgBlock) {
			b.Transactions[1].TxOut[0].Value = MaxMoney
			b.Transactions[1].AddTxOut(wire.NewTxOut(1, nil))
			fixRoots(b)
		}, CodeBadTransaction, false},
		{"duplicate inputs", func(b *wire.MsgBlock) {
			tx := b.Transactions[1]
			tx.AddTxIn(wire.NewTxIn(&tx.TxIn[0].PreviousOutPoint, nil, nil))
			fixRoots(b)
		}, CodeBadTransaction, false},
		{"null prevout", func(b *wire.MsgBlock) {
			b.Transactions[1].TxIn[0].PreviousOutPoint = wire.OutPoint{Index: wire.MaxPrevOutIndex}
			b.Transactions[1].AddTxIn(wire.NewTxIn(wire.NewOutPoint(&chainhash.Hash{5}, 0), nil, nil))
			fixRoots(b)
		}, CodeBadTransaction, false},
		{"short coinbase script", func(b *wire.MsgBlock) {
			b.Transactions[0].TxIn[0].SignatureScript = []byte{1}
			fixRoots(b)
		}, CodeBadTransaction, false},
		{"no outputs", func(b *wire.MsgBlock) {
			b.Transactions[2].TxOut = nil
			fixRoots(b)
		}, CodeBadTransaction, false},
		{"unexpected witness", func(b *wire.MsgBlock) {
			// Witness data does not change txids: the root still matches.
			b.Transactions[1].TxIn[0].Witness = wire.TxWitness{{1, 2, 3}}
		}, CodeUnexpectedWitness, true},
		{"witness commitment mismatch", func(b *wire.MsgBlock) {
			b.Transactions[1].TxIn[0].Witness = wire.TxWitness{{1, 2, 3}}
			addCommitment(b)
			b.Transactions[1].TxIn[0].Witness = wire.TxWitness{{1, 2, 4}}
		}, CodeBadWitnessCommitment, true},
		{"witness reserved value missing", func(b *wire.MsgBlock) {
			b.Transactions[1].TxIn[0].Witness = wire.TxWitness{{1, 2, 3}}
			addCommitment(b)
			b.Transactions[0].TxIn[0].Witness = nil
		}, CodeBadWitnessCommitment, true},
		{"stripped size", func(b *wire.MsgBlock) {
			b.Transactions[1].TxOut[0].PkScript = make([]byte, MaxBlockWeight/WitnessScaleFactor)
			fixRoots(b)
		}, CodeTooLarge, false},
		{"weight", func(b *wire.MsgBlock) {
			b.Transactions[1].TxIn[0].Witness = wire.TxWitness{make([]byte, MaxBlockWeight)}
			addCommitment(b)
		}, CodeTooLarge, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := syntheticBlock()
			c.mutate(b)
			err := Check(b, params)
			wantCode(t, err, c.code)
			e := err.(*Error)
			if !e.Misbehaving() || e.Mutated() != c.mutated {
				t.Fatalf("misbehaving %v mutated %v", e.Misbehaving(), e.Mutated())
			}
		})
	}
}

func TestWitnessCommitmentLastOutputWins(t *testing.T) {
	b := syntheticBlock()
	b.Transactions[1].TxIn[0].Witness = wire.TxWitness{{9}}
	addCommitment(b)
	if err := Check(b, &chaincfg.MainNetParams); err != nil {
		t.Fatalf("committed block: %v", err)
	}
	// A later output with a wrong commitment overrides the right one.
	cb := b.Transactions[0]
	wrong := append([]byte(witnessCommitmentHeader), bytes.Repeat([]byte{7}, 32)...)
	cb.AddTxOut(wire.NewTxOut(0, wrong))
	b.Header.MerkleRoot, _ = TxMerkleRoot(b)
	wantCode(t, Check(b, &chaincfg.MainNetParams), CodeBadWitnessCommitment)
	if _, index, _ := WitnessCommitment(cb); index != len(cb.TxOut)-1 {
		t.Fatalf("commitment index %d", index)
	}
	// An earlier wrong one is ignored.
	cb.TxOut[len(cb.TxOut)-1], cb.TxOut[len(cb.TxOut)-2] = cb.TxOut[len(cb.TxOut)-2], cb.TxOut[len(cb.TxOut)-1]
	b.Header.MerkleRoot, _ = TxMerkleRoot(b)
	if err := Check(b, &chaincfg.MainNetParams); err != nil {
		t.Fatalf("earlier wrong commitment: %v", err)
	}
}
