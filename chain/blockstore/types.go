package blockstore

import (
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// Location says where a block lies: data file number File (blkNNNNN.dat),
// Offset of the first byte of the serialized block (its 8-byte frame, magic
// and size, lies just before it), and Size, the serialized block's length.
type Location struct {
	File   uint32
	Offset int64
	Size   uint32
}

// String formats the location as blkNNNNN.dat:offset+size.
func (l Location) String() string {
	return fmt.Sprintf("%s:%d+%d", dataFileName(l.File), l.Offset, l.Size)
}

// end is the offset just past the block.
func (l Location) end() int64 { return l.Offset + int64(l.Size) }

// Entry is what the index knows about one block.
type Entry struct {
	// Hash is the block's hash (double-SHA256 of Header).
	Hash chainhash.Hash
	// Height is the height the caller stored the block at.
	Height int32
	// Header is the block's serialized 80-byte header.
	Header [80]byte
	// Loc is where the block lies (for a pruned entry: where it lay).
	Loc Location
}

// Stats is a snapshot of the store's size.
type Stats struct {
	// Blocks is how many blocks are stored (durable and pending).
	Blocks int
	// Pending is how many of them are not durable yet (Put since the last Flush).
	Pending int
	// Bytes is the total size of the data files.
	Bytes int64
	// Files is how many data files exist.
	Files int
	// CurrentFile is the data file new blocks go to.
	CurrentFile uint32
	// PrunedBlocks is how many blocks were pruned (their headers are kept).
	PrunedBlocks int
	// PrunedBelowHeight is one above the highest pruned block's height, 0
	// when nothing was pruned. Blocks below it may be missing; blocks at or
	// above it were never pruned.
	PrunedBelowHeight int32
	// IndexBytes is the size of the index log.
	IndexBytes int64
}

// PruneResult reports what one Prune removed.
type PruneResult struct {
	// Files are the data file numbers deleted, ascending.
	Files []uint32
	// Blocks is how many blocks they held.
	Blocks int
	// Bytes is how many bytes they held.
	Bytes int64
	// MinHeight and MaxHeight bound the heights of the removed blocks
	// (both 0 when nothing was removed).
	MinHeight, MaxHeight int32
}

// Recovery reports what Open had to repair.
type Recovery struct {
	// DataBytesDiscarded is how many bytes were cut from data file tails
	// (blocks never made durable, torn frames).
	DataBytesDiscarded int64
	// IndexBytesDiscarded is how many bytes were cut from the index log
	// (a torn last record, or everything from a damaged record on).
	IndexBytesDiscarded int64
	// IndexCorrupt is set when a complete index record was damaged (or the
	// index was missing next to data files) and the data files were scanned.
	IndexCorrupt bool
	// IndexCorruptDetail says what was wrong with the index.
	IndexCorruptDetail string
	// Rebuilt is how many blocks the scan indexed again.
	Rebuilt int
	// Unplaced is how many well-formed blocks the scan found but could not
	// index because their height could not be derived from a stored parent.
	Unplaced int
	// LostBlocks is how many indexed blocks were dropped because their bytes
	// were missing from the data files.
	LostBlocks int
	// PrunedFilesRemoved is how many data files of an interrupted Prune were
	// deleted.
	PrunedFilesRemoved int
	// Compacted is set when the index log was rewritten.
	Compacted bool
}

// Clean reports whether Open found nothing to repair.
func (r Recovery) Clean() bool {
	return r.DataBytesDiscarded == 0 && r.IndexBytesDiscarded == 0 && !r.IndexCorrupt &&
		r.LostBlocks == 0 && r.PrunedFilesRemoved == 0
}
