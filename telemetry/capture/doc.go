// Package capture owns the on-disk storage of message capture: Bitcoin
// Core's -capturemessages record format (Record, EncodeRecord, Reader), the
// per-session directory layout and its JSON index (SessionName, Index), the
// writer of one session (SessionWriter), the store that enforces limits
// across sessions (Store), and the time-merged reader the capture tool uses
// (MergedReader).
//
// Files are byte-compatible with Core's: each session directory holds
// msgs_recv.dat and msgs_sent.dat made of records with no file header, so
// Core's contrib/message-capture parser reads them unchanged.
//
// It never talks to sockets, never spawns actors and never decides which
// peers are captured: the capture actor hands it records stamped with
// socket time and it stores them. docs/capture.md documents the layout, the
// record format, the index schema, crash behaviour and limits.
package capture
