// Package blockstore owns the node's stored blocks: append-only data files
// in Bitcoin Core's layout and an index saying where each block lies, both
// kept crash safe.
//
// It stores and returns raw serialized blocks (with witness) by hash and
// never interprets them beyond the 80-byte header: it never checks proof of
// work, merkle roots (except when rebuilding a lost index, see below) or
// chain rules, never chooses which blocks to keep beyond the pruning rule
// the caller triggers, and never talks to peers or actors. Validation is
// chain/headers' and chain/blockcheck's; deciding what to download is
// chain/download's; the chain actor glues them together.
//
// # Files
//
// A store is one directory (created 0700) holding:
//
//   - blk00000.dat, blk00001.dat, ...: append-only data files, Core's framing
//     repeated: the 4-byte network magic, the block's size as 4 bytes
//     little-endian, the serialized block. A block never spans files; a file
//     is closed to new blocks once the next one would take it past
//     Options.MaxFileSize (a block larger than that gets a file of its own).
//     A Location's Offset is where the serialized block starts, 8 bytes after
//     its frame, as in Core.
//   - index.log: an append-only log of records, each framed as a 4-byte
//     little-endian payload length, the CRC-32C (Castagnoli) of the payload,
//     then the payload: a header record (format version, network magic), one
//     record per stored block (hash, height, the 80-byte header, file, offset,
//     size) and one per pruned file.
//   - LOCK: held with flock while the store is open (Unix), so two processes
//     never write one store.
//
// The data files are never rewritten or renamed; the only change to written
// bytes is cutting a tail at open. The index log is rewritten (a new file,
// synced, renamed over the old one, directory synced) when compacted: at
// open when enough of its records describe nothing live any more (a pruned
// block stored again, blocks dropped as lost), and after a rebuild. Records
// of pruned blocks stay live: their headers are kept.
//
// # Durability and crash recovery
//
// Put writes the framed block to the current data file at once (one
// pwrite, no user-space buffer) but it is not durable: the block is
// readable (Get, Entries) but may vanish in a crash. Flush makes every Put
// so far durable: it syncs the data files written since the last Flush
// (and the directory when a file was created), then appends the index
// records of those blocks in one write and syncs the index. The index
// therefore never names bytes that are not on disk, and a block is durable
// exactly when its index record is.
//
// Open recovers from a crash at any moment (kill -9 or power loss):
//
//   - An incomplete last index record (a torn append) is cut; its block was
//     not yet durable and is lost.
//   - A complete index record that fails its checksum or cannot be decoded
//     means the index is damaged: the records before it are kept, the damaged
//     file is kept aside as index.log.corrupt-<unix nanoseconds>, and every
//     data file is scanned from its start. Each well-framed block whose
//     transactions decode and match its merkle root and whose height follows
//     from an indexed parent (or which is a genesis block, height 0) is
//     indexed again; blocks whose height cannot be derived stay unindexed
//     (Recovery.Unplaced). A missing index next to existing data files is
//     handled the same way.
//   - Bytes after the last indexed block of a data file (blocks written but
//     never made durable, or a torn frame) are cut; in a rebuild only the
//     newest file's tail after its last well-framed block is cut.
//   - Indexed blocks whose bytes are missing (a data file shorter than the
//     index says, which a crash cannot cause but a damaged disk can) are
//     dropped from the index.
//   - A data file that an index record says was pruned but that still exists
//     (a crash during Prune) is deleted.
//
// Store.Recovery reports what was done, with byte counts.
//
// # Pruning
//
// With Options.PruneTarget above zero, Prune deletes whole data files, the
// oldest first, as long as the files that remain hold at least PruneTarget
// bytes; it never deletes the current file or a file holding a block above
// the height the caller passes. It first flushes, then appends and syncs
// the prune records, then forgets the blocks and deletes the files. The
// headers and heights of pruned blocks are kept (PrunedEntries) so the
// caller can rebuild its header tree; Has and Get no longer find them.
//
// # Concurrency
//
// A Store is safe for concurrent use. Writers (Put, Flush, Prune, Close)
// are serialised by one mutex; readers (Get, GetAt, Has, Lookup, Entries,
// PrunedEntries, Stats) take a read lock only to look the block up and read
// the bytes without any lock, opening the data file for each read, so a
// slow disk read never holds up the writer and a Flush's fsync never holds
// up readers. A block is visible to readers as soon as Put returns. A Get
// racing a Prune that removes the block returns ErrNotFound; any call after
// Close returns ErrClosed.
package blockstore
