// Package dump owns the periodic per-peer statistics dumps: a rotating
// JSON Lines file in the data directory (Writer), its record schema
// (Record, version 1), a reader that tolerates a crash at any instant
// (ReadRecords), and the dump actor that fills the file.
//
// Every Config.Interval the actor asks peerman for the stats of the peers
// selected by Config.Filter (GetPeerStats; peerman applies the filter) and
// writes one "periodic" record per peer. When a peer disconnects, its final
// totals arrive as a PeerFinal message (the actor is the stats sink) and
// become one "final" record, if the filter selects that peer. A write that
// fails (disk full, permissions) stops dumping with one log line and a
// status flag; it never stops the node.
//
// It never measures anything itself, never decides which peers exist and
// never talks to sockets: peerman and the Peer actors do the accounting,
// this package only records what they report. docs/dumps.md documents the
// files, the schema and how to read them.
package dump
