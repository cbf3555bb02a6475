package blockstore

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// frameSize is the size of a data file frame: network magic and block size.
const frameSize = 8

// headerSize is the size of a serialized block header.
const headerSize = 80

// dataFileName is Core's name for data file n: blk00000.dat, ...
func dataFileName(n uint32) string { return fmt.Sprintf("blk%05d.dat", n) }

// parseDataFileName returns the number of a data file name.
func parseDataFileName(name string) (uint32, bool) {
	if !strings.HasPrefix(name, "blk") || !strings.HasSuffix(name, ".dat") {
		return 0, false
	}
	digits := name[3 : len(name)-4]
	if len(digits) < 5 {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || dataFileName(uint32(n)) != name {
		return 0, false
	}
	return uint32(n), true
}

// listDataFiles returns the data files in dir with their sizes, ascending.
func listDataFiles(dir string) ([]uint32, map[uint32]int64, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var nums []uint32
	sizes := make(map[uint32]int64)
	for _, de := range des {
		n, ok := parseDataFileName(de.Name())
		if !ok || !de.Type().IsRegular() {
			continue
		}
		info, err := de.Info()
		if err != nil {
			return nil, nil, err
		}
		nums = append(nums, n)
		sizes[n] = info.Size()
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	return nums, sizes, nil
}

// putFrame writes the frame of a block of size n for net into b[:8].
func putFrame(b []byte, net wire.BitcoinNet, n int) {
	binary.LittleEndian.PutUint32(b[0:4], uint32(net))
	binary.LittleEndian.PutUint32(b[4:8], uint32(n))
}

// validSize reports whether n is a size a stored block may have.
func validSize(n uint64) bool { return n >= headerSize && n <= wire.MaxBlockPayload }

// headerHash is the block hash of a serialized block.
func headerHash(raw []byte) chainhash.Hash { return chainhash.DoubleHashH(raw[:headerSize]) }

// readBlockAt reads the block at loc from the file at path and checks its
// frame. A missing file is ErrNotFound (pruned while the caller looked).
func readBlockAt(path string, net wire.BitcoinNet, loc Location) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, frameSize+int(loc.Size))
	start := loc.Offset - frameSize
	if _, err := f.ReadAt(buf, start); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, &CorruptError{Path: path, Offset: start, Detail: fmt.Sprintf("data file ends inside the %d-byte block", loc.Size)}
		}
		return nil, err
	}
	if m := wire.BitcoinNet(binary.LittleEndian.Uint32(buf[0:4])); m != net {
		return nil, &CorruptError{Path: path, Offset: start, Detail: fmt.Sprintf("magic %08x, want %08x", uint32(m), uint32(net))}
	}
	if n := binary.LittleEndian.Uint32(buf[4:8]); n != loc.Size {
		return nil, &CorruptError{Path: path, Offset: start + 4, Detail: fmt.Sprintf("frame says %d bytes, index says %d", n, loc.Size)}
	}
	return buf[frameSize:], nil
}

// scannedBlock is a well-framed block found by scanning a data file.
type scannedBlock struct {
	hash   chainhash.Hash
	header [80]byte
	loc    Location
	valid  bool // its transactions decode and match the merkle root
}

// scanDataFile walks the frames of data file n from its start and returns
// the well-framed blocks and the offset just past the last of them (where
// the first bad or torn frame starts, or the file's end). The blocks for
// which check returns true have their transactions decoded and their
// merkle root checked (scannedBlock.valid).
func scanDataFile(path string, n uint32, net wire.BitcoinNet, check func(chainhash.Hash) bool) ([]scannedBlock, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := info.Size()
	var (
		out   []scannedBlock
		off   int64
		frame [frameSize]byte
		buf   []byte
	)
	for off+frameSize <= size {
		if _, err := f.ReadAt(frame[:], off); err != nil {
			return nil, 0, err
		}
		if wire.BitcoinNet(binary.LittleEndian.Uint32(frame[0:4])) != net {
			break
		}
		bsize := binary.LittleEndian.Uint32(frame[4:8])
		if !validSize(uint64(bsize)) || off+frameSize+int64(bsize) > size {
			break
		}
		if cap(buf) < int(bsize) {
			buf = make([]byte, bsize)
		}
		buf = buf[:bsize]
		if _, err := f.ReadAt(buf, off+frameSize); err != nil {
			return nil, 0, err
		}
		sb := scannedBlock{
			hash: headerHash(buf),
			loc:  Location{File: n, Offset: off + frameSize, Size: bsize},
		}
		copy(sb.header[:], buf[:headerSize])
		if check(sb.hash) {
			sb.valid = blockIntact(buf)
		}
		out = append(out, sb)
		off += frameSize + int64(bsize)
	}
	return out, off, nil
}
