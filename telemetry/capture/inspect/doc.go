// Package inspect owns the offline reading of capture sessions for the
// capture tool: finding sessions on disk (Discover), reading several of
// them merged by time with filters applied (Open, Stream, Filter),
// decoding payloads into one-line summaries (Summarize) and JSON bodies
// (Body), Core-parser-shaped JSON records (CoreRecord), and statistics per
// peer and message type with inv -> getdata -> object latencies (Stats).
//
// Payloads are decoded with btcd's wire package at protocol version 70016
// with witness encoding; the few messages that package lacks (sendcmpct,
// sendtxrcncl, cmpctblock's header) are decoded here. A payload that does
// not decode is reported as such and never stops reading.
//
// It is pure logic over files: it never writes to the capture store, never
// opens sockets and never talks to actors. The storage format itself (the
// record layout, the readers, the index) belongs to package capture.
package inspect
