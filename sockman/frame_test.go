package sockman

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"
)

func TestAppendFrameMatchesBtcd(t *testing.T) {
	for _, msg := range sampleMessages() {
		want := btcdFrame(t, msg)
		got, err := AppendFrame(nil, testNet, msg.Command(), want[HeaderSize:])
		if err != nil {
			t.Fatalf("%s: %v", msg.Command(), err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: frame differs from btcd's (%d vs %d bytes)", msg.Command(), len(got), len(want))
		}
	}
}

func TestPutHeaderRejectsLongCommand(t *testing.T) {
	var hdr [HeaderSize]byte
	var tooLong *CommandTooLongError
	if err := PutHeader(hdr[:], testNet, "thirteen-char", nil); !errors.As(err, &tooLong) {
		t.Fatalf("got %v, want CommandTooLongError", err)
	}
	if err := PutHeader(hdr[:], testNet, "twelve-chars", nil); err != nil {
		t.Fatalf("12-byte command: %v", err)
	}
}

func TestDecoderReadsBtcdFrames(t *testing.T) {
	var stream bytes.Buffer
	msgs := sampleMessages()
	for _, m := range msgs {
		stream.Write(btcdFrame(t, m))
	}
	dec := NewDecoder(&stream, testNet, 0)
	for _, m := range msgs {
		want := btcdFrame(t, m)
		f, err := dec.Next()
		if err != nil {
			t.Fatalf("%s: %v", m.Command(), err)
		}
		if f.Command != m.Command() || !bytes.Equal(f.Payload, want[HeaderSize:]) || int(f.WireSize) != len(want) {
			t.Fatalf("%s: decoded %q, %d payload bytes, wire %d", m.Command(), f.Command, len(f.Payload), f.WireSize)
		}
	}
	if _, err := dec.Next(); err != io.EOF {
		t.Fatalf("at end: %v, want io.EOF", err)
	}
}

// header builds a raw header with an arbitrary length and checksum.
func header(net wire.BitcoinNet, command string, length uint32, sum [4]byte) []byte {
	h := make([]byte, HeaderSize)
	binary.LittleEndian.PutUint32(h[0:4], uint32(net))
	copy(h[4:16], command)
	binary.LittleEndian.PutUint32(h[16:20], length)
	copy(h[20:24], sum[:])
	return h
}

func TestDecoderBadMagic(t *testing.T) {
	frame := btcdFrame(t, wire.NewMsgPing(1))
	_, err := NewDecoder(bytes.NewReader(frame), wire.TestNet3, 0).Next()
	var bad *BadMagicError
	if !errors.As(err, &bad) || bad.Got != testNet || bad.Want != wire.TestNet3 {
		t.Fatalf("got %v, want BadMagicError", err)
	}
}

// allocatedDuring returns the bytes the Go heap allocated while f ran.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDecoderOversizedAllocatesNothing(t *testing.T) {
	// The claimed payload follows the header, so a decoder that allocated
	// the claimed size and read it would succeed instead of refusing.
	stream := append(header(testNet, "block", DefaultMaxPayload+1, [4]byte{}), make([]byte, DefaultMaxPayload+1)...)
	var err error
	alloc := allocatedDuring(func() {
		_, err = NewDecoder(bytes.NewReader(stream), testNet, 0).Next()
	})
	var over *OversizedError
	if !errors.As(err, &over) || over.Length != DefaultMaxPayload+1 || over.Command != "block" {
		t.Fatalf("got %v, want OversizedError", err)
	}
	if alloc > 64<<10 {
		t.Fatalf("refusing an oversized frame allocated %d bytes", alloc)
	}
}

func TestDecoderMemoryFollowsReceivedBytes(t *testing.T) {
	// A header claiming 3.9 MB followed by only 100 bytes and then the end.
	stream := append(header(testNet, "block", 3_900_000, [4]byte{}), make([]byte, 100)...)
	var err error
	alloc := allocatedDuring(func() {
		_, err = NewDecoder(bytes.NewReader(stream), testNet, 0).Next()
	})
	var tr *TruncatedError
	if !errors.As(err, &tr) || tr.Part != "payload" || tr.Got != 100 || tr.Want != 3_900_000 {
		t.Fatalf("got %v, want a truncated payload after 100 bytes", err)
	}
	if alloc > 2*payloadChunk {
		t.Fatalf("100 received bytes cost %d allocated bytes", alloc)
	}
}

func TestDecoderTruncatedHeader(t *testing.T) {
	frame := btcdFrame(t, wire.NewMsgPing(1))
	_, err := NewDecoder(bytes.NewReader(frame[:10]), testNet, 0).Next()
	var tr *TruncatedError
	if !errors.As(err, &tr) || tr.Part != "header" || tr.Got != 10 || tr.Want != HeaderSize {
		t.Fatalf("got %v, want truncated header after 10 bytes", err)
	}
}

func TestDecoderBadChecksumKeepsStream(t *testing.T) {
	bad := btcdFrame(t, wire.NewMsgPing(1))
	bad[20] ^= 0xff
	good := btcdFrame(t, wire.NewMsgPong(2))
	dec := NewDecoder(bytes.NewReader(append(append([]byte{}, bad...), good...)), testNet, 0)
	f, err := dec.Next()
	var sumErr *ChecksumError
	if !errors.As(err, &sumErr) || sumErr.Command != "ping" || sumErr.WireSize != uint32(len(bad)) || f.WireSize != uint32(len(bad)) {
		t.Fatalf("got %v, want ChecksumError for ping", err)
	}
	f, err = dec.Next()
	if err != nil || f.Command != "pong" || !bytes.Equal(f.Payload, good[HeaderSize:]) {
		t.Fatalf("frame after the bad one: %+v, %v", f, err)
	}
}

func TestCommandFromField(t *testing.T) {
	for _, tc := range []struct {
		field []byte
		want  string
	}{
		{[]byte("ping\x00\x00\x00\x00\x00\x00\x00\x00"), "ping"},
		{[]byte("sendheaders\x00"), "sendheaders"},
		{[]byte("twelve-chars"), "twelve-chars"},
		{[]byte("ping\x00junk\x00\x00\x00\x00"), "ping\x00junk"},
		{[]byte("p\x01ng\x00\x00\x00\x00\x00\x00\x00\x00"), "p\x01ng"},
		{make([]byte, CommandSize), ""},
	} {
		if got := commandFromField(tc.field); got != tc.want {
			t.Errorf("commandFromField(%q) = %q, want %q", tc.field, got, tc.want)
		}
	}
}
