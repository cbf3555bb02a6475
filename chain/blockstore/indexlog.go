package blockstore

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Index log file names.
const (
	indexName    = "index.log"
	indexTmpName = "index.log.tmp"
)

// indexVersion is the index log format version in its header record.
const indexVersion = 1

// Record kinds, the first payload byte.
const (
	recHeader byte = 'H' // version uint32, network magic uint32
	recBlock  byte = 'B' // hash, height, header, file, offset, size
	recPrune  byte = 'P' // file uint32
)

// Payload sizes per kind.
const (
	headerPayload = 1 + 4 + 4
	blockPayload  = 1 + chainhash.HashSize + 4 + headerSize + 4 + 8 + 4
	prunePayload  = 1 + 4
	// recordFrame is the length and checksum before each payload.
	recordFrame = 8
	// maxPayload bounds a payload's length field; anything larger is damage.
	maxPayload = blockPayload
)

// castagnoli is the CRC-32C table; it is never written after creation.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// record is one decoded index record.
type record struct {
	kind    byte
	version uint32          // recHeader
	net     wire.BitcoinNet // recHeader
	entry   Entry           // recBlock
	file    uint32          // recPrune
}

// appendPayload frames payload and appends it to dst.
func appendPayload(dst, payload []byte) []byte {
	var fr [recordFrame]byte
	binary.LittleEndian.PutUint32(fr[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(fr[4:8], crc32.Checksum(payload, castagnoli))
	return append(append(dst, fr[:]...), payload...)
}

// appendHeaderRecord appends the index header record for net.
func appendHeaderRecord(dst []byte, net wire.BitcoinNet) []byte {
	var p [headerPayload]byte
	p[0] = recHeader
	binary.LittleEndian.PutUint32(p[1:5], indexVersion)
	binary.LittleEndian.PutUint32(p[5:9], uint32(net))
	return appendPayload(dst, p[:])
}

// appendBlockRecord appends the record of one stored block.
func appendBlockRecord(dst []byte, e *Entry) []byte {
	var p [blockPayload]byte
	p[0] = recBlock
	o := 1
	o += copy(p[o:], e.Hash[:])
	binary.LittleEndian.PutUint32(p[o:], uint32(e.Height))
	o += 4
	o += copy(p[o:], e.Header[:])
	binary.LittleEndian.PutUint32(p[o:], e.Loc.File)
	o += 4
	binary.LittleEndian.PutUint64(p[o:], uint64(e.Loc.Offset))
	o += 8
	binary.LittleEndian.PutUint32(p[o:], e.Loc.Size)
	return appendPayload(dst, p[:])
}

// appendPruneRecord appends the record of one pruned data file.
func appendPruneRecord(dst []byte, file uint32) []byte {
	var p [prunePayload]byte
	p[0] = recPrune
	binary.LittleEndian.PutUint32(p[1:], file)
	return appendPayload(dst, p[:])
}

// decodePayload decodes a payload whose checksum matched.
func decodePayload(p []byte) (record, error) {
	if len(p) == 0 {
		return record{}, errors.New("empty record")
	}
	r := record{kind: p[0]}
	switch p[0] {
	case recHeader:
		if len(p) != headerPayload {
			return r, fmt.Errorf("header record of %d bytes", len(p))
		}
		r.version = binary.LittleEndian.Uint32(p[1:5])
		r.net = wire.BitcoinNet(binary.LittleEndian.Uint32(p[5:9]))
	case recBlock:
		if len(p) != blockPayload {
			return r, fmt.Errorf("block record of %d bytes", len(p))
		}
		e := &r.entry
		o := 1
		o += copy(e.Hash[:], p[o:])
		e.Height = int32(binary.LittleEndian.Uint32(p[o:]))
		o += 4
		o += copy(e.Header[:], p[o:])
		e.Loc.File = binary.LittleEndian.Uint32(p[o:])
		o += 4
		e.Loc.Offset = int64(binary.LittleEndian.Uint64(p[o:]))
		o += 8
		e.Loc.Size = binary.LittleEndian.Uint32(p[o:])
		if e.Height < 0 || e.Loc.Offset < frameSize || !validSize(uint64(e.Loc.Size)) {
			return r, fmt.Errorf("block record with height %d at %v", e.Height, e.Loc)
		}
		if chainhash.DoubleHashH(e.Header[:]) != e.Hash {
			return r, errors.New("block record whose header does not hash to its hash")
		}
	case recPrune:
		if len(p) != prunePayload {
			return r, fmt.Errorf("prune record of %d bytes", len(p))
		}
		r.file = binary.LittleEndian.Uint32(p[1:])
	default:
		return r, fmt.Errorf("unknown record kind %q", p[0])
	}
	return r, nil
}

// logScan is the outcome of reading an index log.
type logScan struct {
	validEnd int64  // offset just past the last good record
	size     int64  // file size
	torn     bool   // the file ends inside a record
	damage   string // a complete record is damaged (set: everything from validEnd on is dropped)
	records  int    // good records read
}

// readIndexLog calls fn with every good record of the log at path in
// order, stopping at a torn or damaged record. The first record must be
// the header record.
func readIndexLog(path string, fn func(record) error) (logScan, error) {
	var s logScan
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return s, err
	}
	s.size = info.Size()
	br := bufio.NewReaderSize(f, 1<<20)
	var (
		fr      [recordFrame]byte
		payload [maxPayload]byte
	)
	for s.validEnd < s.size {
		left := s.size - s.validEnd
		if left < recordFrame {
			s.torn = true
			return s, nil
		}
		if _, err := io.ReadFull(br, fr[:]); err != nil {
			return s, err
		}
		n := binary.LittleEndian.Uint32(fr[0:4])
		if n == 0 || n > maxPayload {
			s.damage = fmt.Sprintf("record at offset %d claims %d bytes", s.validEnd, n)
			return s, nil
		}
		if left < recordFrame+int64(n) {
			s.torn = true
			return s, nil
		}
		p := payload[:n]
		if _, err := io.ReadFull(br, p); err != nil {
			return s, err
		}
		if crc32.Checksum(p, castagnoli) != binary.LittleEndian.Uint32(fr[4:8]) {
			s.damage = fmt.Sprintf("record at offset %d fails its checksum", s.validEnd)
			return s, nil
		}
		rec, err := decodePayload(p)
		if err == nil && (s.records == 0) != (rec.kind == recHeader) {
			err = errors.New("header record misplaced")
		}
		if err != nil {
			s.damage = fmt.Sprintf("record at offset %d: %v", s.validEnd, err)
			return s, nil
		}
		if err := fn(rec); err != nil {
			return s, err
		}
		s.records++
		s.validEnd += recordFrame + int64(n)
	}
	return s, nil
}

// writeIndexFile replaces the index log in dir with content atomically:
// a temporary file is written and synced, renamed over the log, and the
// directory synced. With keepOld, the old log is first hard-linked aside as
// index.log.corrupt-<unix nanoseconds>.
func writeIndexFile(dir string, content []byte, keepOld bool) error {
	tmp := filepath.Join(dir, indexTmpName)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	final := filepath.Join(dir, indexName)
	if keepOld {
		aside := filepath.Join(dir, indexName+".corrupt-"+strconv.FormatInt(time.Now().UnixNano(), 10))
		if err := os.Link(final, aside); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes the directory's entries (created, renamed, deleted files)
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
