package blockstore

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// testNet is the network the tests store blocks for.
var testNet = chaincfg.RegressionNetParams.Net

// testBlock is a serialized block of a test chain.
type testBlock struct {
	hash   chainhash.Hash
	height int32
	raw    []byte
}

// genesisBlock is regtest's genesis block.
func genesisBlock(t testing.TB) testBlock {
	t.Helper()
	b, err := regtestGenesis()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// regtestGenesis serializes regtest's genesis block.
func regtestGenesis() (testBlock, error) {
	var buf bytes.Buffer
	if err := chaincfg.RegressionNetParams.GenesisBlock.Serialize(&buf); err != nil {
		return testBlock{}, err
	}
	return testBlock{hash: *chaincfg.RegressionNetParams.GenesisHash, raw: buf.Bytes()}, nil
}

// nextBlock builds a well-formed child of prev of about size bytes: a
// coinbase padded to size, a witness spend and a few plain transactions,
// with a correct merkle root. The same prev, size and salt give the same
// block.
func nextBlock(t testing.TB, prev testBlock, size int, salt uint32) testBlock {
	t.Helper()
	b, err := buildBlock(prev, size, salt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// buildBlock is nextBlock without a testing.TB, for the crash child.
func buildBlock(prev testBlock, size int, salt uint32) (testBlock, error) {
	height := prev.height + 1
	cb := wire.NewMsgTx(1)
	var hb [8]byte
	binary.LittleEndian.PutUint32(hb[:4], uint32(height))
	binary.LittleEndian.PutUint32(hb[4:], salt)
	cb.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex}, SignatureScript: hb[:], Sequence: wire.MaxTxInSequenceNum})
	pad := &wire.TxOut{Value: 50e8, PkScript: []byte{0x51}}
	cb.AddTxOut(pad)
	blk := wire.MsgBlock{Header: wire.BlockHeader{
		Version:   4,
		PrevBlock: prev.hash,
		Timestamp: time.Unix(1_600_000_000+int64(height)*600, 0),
		Bits:      chaincfg.RegressionNetParams.PowLimitBits,
		Nonce:     salt,
	}}
	blk.AddTransaction(cb)
	for i := 0; i < int(height%4); i++ {
		tx := wire.NewMsgTx(2)
		in := &wire.TxIn{PreviousOutPoint: wire.OutPoint{Hash: prev.hash, Index: uint32(i)}, Sequence: 0xfffffffd}
		if i%2 == 0 {
			in.Witness = wire.TxWitness{bytes.Repeat([]byte{byte(i)}, 72), bytes.Repeat([]byte{2}, 33)}
		}
		tx.AddTxIn(in)
		tx.AddTxOut(&wire.TxOut{Value: int64(1000 + i), PkScript: append([]byte{0x00, 0x14}, bytes.Repeat([]byte{byte(height)}, 20)...)})
		blk.AddTransaction(tx)
	}
	// Pad to the exact size where the script length varint allows it.
	for range 4 {
		extra := size - blk.SerializeSize()
		if extra == 0 || len(pad.PkScript)+extra < 1 {
			break
		}
		pad.PkScript = bytes.Repeat([]byte{0x6a}, len(pad.PkScript)+extra)
	}
	ids := make([]chainhash.Hash, len(blk.Transactions))
	for i, tx := range blk.Transactions {
		ids[i] = tx.TxHash()
	}
	blk.Header.MerkleRoot = merkleRoot(ids)
	var buf bytes.Buffer
	if err := blk.Serialize(&buf); err != nil {
		return testBlock{}, err
	}
	return testBlock{hash: blk.BlockHash(), height: height, raw: buf.Bytes()}, nil
}

// makeChain returns genesis and n blocks on top of it, block i of size
// sizeOf(i).
func makeChain(t testing.TB, n int, sizeOf func(i int) int) []testBlock {
	t.Helper()
	chain := []testBlock{genesisBlock(t)}
	for i := 1; i <= n; i++ {
		chain = append(chain, nextBlock(t, chain[i-1], sizeOf(i), 7))
	}
	return chain
}

// openStore opens a store in dir and closes it at the end of the test.
func openStore(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	if opts.Net == 0 {
		opts.Net = testNet
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// putAll stores the blocks.
func putAll(t testing.TB, s *Store, blocks []testBlock) {
	t.Helper()
	for _, b := range blocks {
		if _, err := s.Put(b.hash, b.height, b.raw); err != nil {
			t.Fatalf("Put height %d: %v", b.height, err)
		}
	}
}

// checkBlocks asserts every block is stored at its height with its bytes.
func checkBlocks(t testing.TB, s *Store, blocks []testBlock) {
	t.Helper()
	for _, b := range blocks {
		e, ok := s.Lookup(b.hash)
		if !ok {
			t.Fatalf("block at height %d missing", b.height)
		}
		if e.Height != b.height || !bytes.Equal(e.Header[:], b.raw[:80]) {
			t.Fatalf("entry of height %d: height %d, header differs %v", b.height, e.Height, !bytes.Equal(e.Header[:], b.raw[:80]))
		}
		raw, err := s.Get(b.hash)
		if err != nil {
			t.Fatalf("Get height %d: %v", b.height, err)
		}
		if !bytes.Equal(raw, b.raw) {
			t.Fatalf("Get height %d returned other bytes", b.height)
		}
	}
}

// checkAbsent asserts none of the blocks is stored.
func checkAbsent(t testing.TB, s *Store, blocks []testBlock) {
	t.Helper()
	for _, b := range blocks {
		if s.Has(b.hash) {
			t.Fatalf("block at height %d still present", b.height)
		}
		if _, err := s.Get(b.hash); err != ErrNotFound {
			t.Fatalf("Get of absent height %d: %v, want ErrNotFound", b.height, err)
		}
	}
}

// copyDir copies the regular files of src into a new directory: what a
// crash at this moment would leave on disk (written bytes survive a killed
// process; only the page cache matters).
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	des, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, de.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// fileSize is the size of dir/name.
func fileSize(t testing.TB, dir, name string) int64 {
	t.Helper()
	info, err := os.Stat(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// frameAt is one frame read independently of the store's code.
type frameAt struct {
	offset int64
	magic  uint32
	size   uint32
}

// readFrames walks a data file's Core framing.
func readFrames(t testing.TB, path string) []frameAt {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []frameAt
	for off := 0; off < len(b); {
		if len(b)-off < 8 {
			t.Fatalf("%s: %d stray bytes at %d", path, len(b)-off, off)
		}
		f := frameAt{offset: int64(off), magic: binary.LittleEndian.Uint32(b[off:]), size: binary.LittleEndian.Uint32(b[off+4:])}
		if off+8+int(f.size) > len(b) {
			t.Fatalf("%s: frame at %d runs past the end", path, off)
		}
		out = append(out, f)
		off += 8 + int(f.size)
	}
	return out
}
