package blockcheck

import (
	"bytes"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// FuzzCheck decodes arbitrary bytes as a block and checks it: Check must
// never panic, and must return nil or an *Error.
func FuzzCheck(f *testing.F) {
	var buf bytes.Buffer
	if err := chaincfg.MainNetParams.GenesisBlock.Serialize(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	b := syntheticBlock()
	b.Transactions[1].TxIn[0].Witness = wire.TxWitness{{1}}
	addCommitment(b)
	buf.Reset()
	if err := b.Serialize(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		var blk wire.MsgBlock
		if err := blk.Deserialize(bytes.NewReader(data)); err != nil {
			return
		}
		err := Check(&blk, &chaincfg.MainNetParams)
		if err != nil && CodeOf(err) == 0 {
			t.Fatalf("untyped error %v", err)
		}
	})
}
