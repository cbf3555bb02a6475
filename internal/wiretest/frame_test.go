package wiretest

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"
)

func TestChecksumOfEmptyPayload(t *testing.T) {
	// double-SHA256("") starts with 5df6e0e2, the checksum of every empty
	// message such as verack.
	got := Checksum(nil)
	if hex.EncodeToString(got[:]) != "5df6e0e2" {
		t.Fatalf("Checksum(nil) = %x, want 5df6e0e2", got)
	}
}

func TestMessageFrameMatchesWirePackage(t *testing.T) {
	msg := wire.NewMsgPing(0x0102030405060708)
	ours, err := MessageFrame(wire.TestNet, msg)
	if err != nil {
		t.Fatal(err)
	}
	var theirs bytes.Buffer
	if err := wire.WriteMessage(&theirs, msg, ProtocolVersion, wire.TestNet); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs.Bytes()) {
		t.Fatalf("frame\n%x\nwire package\n%x", ours, theirs.Bytes())
	}
}

func TestRawFrameWritesWhatItIsTold(t *testing.T) {
	f := RawFrame(0x11223344, "averyveryverylongcommand", 7, [4]byte{9, 8, 7, 6}, []byte{1, 2})
	if len(f) != HeaderSize+2 {
		t.Fatalf("len %d", len(f))
	}
	h := parseHeader(f)
	if h.magic != 0x11223344 || h.command != "averyveryver" || h.length != 7 || h.checksum != [4]byte{9, 8, 7, 6} {
		t.Fatalf("parsed %+v", h)
	}
}
