package replay

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/btcsuite/btcd/wire/v2"
)

// headerSize is the size of a v1 frame header.
const headerSize = 24

// maxFrameLen is the largest payload the client accepts from the node,
// Core's message limit.
const maxFrameLen = 4_000_000

// appendFrame appends the v1 frame of payload under cmd for the network
// bn: magic, NUL-padded command, length, checksum, payload.
func appendFrame(dst []byte, bn wire.BitcoinNet, cmd string, payload []byte) []byte {
	var hdr [headerSize]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(bn))
	copy(hdr[4:16], cmd)
	binary.LittleEndian.PutUint32(hdr[16:20], uint32(len(payload)))
	first := sha256.Sum256(payload)
	second := sha256.Sum256(first[:])
	copy(hdr[20:24], second[:4])
	dst = append(dst, hdr[:]...)
	return append(dst, payload...)
}

// readFrame reads one frame and returns its command and payload. A wrong
// magic or an oversized length is an error (the stream cannot be trusted
// after it); the checksum is not checked, as nothing here depends on it.
func readFrame(r io.Reader, bn wire.BitcoinNet) (string, []byte, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return "", nil, err
	}
	if got := wire.BitcoinNet(binary.LittleEndian.Uint32(hdr[0:4])); got != bn {
		return "", nil, fmt.Errorf("replay: node sent network magic %08x, want %08x (wrong --network?)", uint32(got), uint32(bn))
	}
	cmd := hdr[4:16]
	for i, c := range cmd {
		if c == 0 {
			cmd = cmd[:i]
			break
		}
	}
	n := binary.LittleEndian.Uint32(hdr[16:20])
	if n > maxFrameLen {
		return "", nil, fmt.Errorf("replay: node sent a %q frame of %d bytes", cmd, n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return "", nil, err
	}
	return string(cmd), payload, nil
}
