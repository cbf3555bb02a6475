package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/actornode/actornode/actors"
)

// Direction says whether a message was received from or sent to the peer.
// Its values are the "direction" values of Core's parser output.
type Direction string

// The two message directions.
const (
	// Recv is a message read from the peer.
	Recv Direction = "recv"
	// Sent is a message written to the peer.
	Sent Direction = "sent"
)

// Errors a SessionWriter returns.
var (
	// ErrSessionExists reports that the session directory already exists;
	// a session never appends to another session's files.
	ErrSessionExists = errors.New("capture: session directory already exists")
	// ErrSessionLimit reports a record not written because the session
	// reached MaxBytes; the index says truncated_by_limit.
	ErrSessionLimit = errors.New("capture: session size limit reached")
	// ErrSessionFailed reports a write after an earlier write error stopped
	// the session.
	ErrSessionFailed = errors.New("capture: session stopped by an earlier error")
	// ErrSessionClosed reports a write after Close.
	ErrSessionClosed = errors.New("capture: session closed")
)

// Identity describes the peer and connection a session captures.
type Identity struct {
	// Peer is the peer id.
	Peer actors.PeerID
	// Addr is the peer's address as host:port.
	Addr string
	// Direction says who opened the connection.
	Direction ConnDirection
	// ConnectionType is the connection type as getpeerinfo names it.
	ConnectionType string
	// UserAgent is the peer's user agent if already known.
	UserAgent string
	// Start is the connect time.
	Start time.Time
}

// Name returns the session name of the identity.
func (id Identity) Name() SessionName {
	return SessionName{Addr: id.Addr, Peer: id.Peer, Start: id.Start}
}

// SessionOptions are the limits of one session.
type SessionOptions struct {
	// MaxBytes caps the bytes written to the two data files together;
	// zero means no limit. A record that would cross it is not written.
	MaxBytes uint64
	// Buffered keeps records in memory until Flush (or until a file's
	// buffer reaches BufferBytes) and then writes each file's whole
	// records with one write call. It turns the two system calls of a
	// ping and its pong into a share of one, which is what lets the
	// capture actor keep up with every peer (docs/benchmarks.md,
	// "Capture"). Unflushed records are lost in a crash; what reached
	// the file still ends with at most one partial record.
	Buffered bool
	// BufferBytes is the per-file buffer that triggers a write in
	// Buffered mode; zero means DefaultBufferBytes.
	BufferBytes int
}

// DefaultBufferBytes is the per-file buffer of a Buffered session.
const DefaultBufferBytes = 64 << 10

// SessionWriter writes one session: the two data files and the index. It
// is not safe for concurrent use; the capture actor owns it.
type SessionWriter struct {
	dir  string
	opts SessionOptions
	recv *os.File
	sent *os.File
	idx  Index
	buf  []byte
	// pending holds a Buffered session's unwritten records: recv, sent.
	pending [2][]byte
	failed  error
	closed  bool
	onClose func()
}

// OpenSession creates the session directory for id under root (which must
// exist), both data files (append mode) and the initial index.
func OpenSession(root string, id Identity, opts SessionOptions) (*SessionWriter, error) {
	name, err := id.Name().Dir()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrSessionExists, dir)
		}
		return nil, fmt.Errorf("capture: create session: %w", err)
	}
	w := &SessionWriter{dir: dir, opts: opts, idx: Index{
		PeerID:         id.Peer,
		Addr:           id.Addr,
		Direction:      id.Direction,
		ConnectionType: id.ConnectionType,
		UserAgent:      id.UserAgent,
		Start:          id.Start.UTC(),
	}}
	if w.recv, err = openAppend(filepath.Join(dir, RecvFile)); err == nil {
		w.sent, err = openAppend(filepath.Join(dir, SentFile))
	}
	if err == nil {
		err = WriteIndex(dir, w.idx)
	}
	if err != nil {
		w.closeFiles()
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("capture: open session %s: %w", dir, err)
	}
	return w, nil
}

// openAppend opens path for appending, creating it if needed.
func openAppend(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
}

// Dir returns the session directory.
func (w *SessionWriter) Dir() string { return w.dir }

// Index returns the session's current index (counts so far).
func (w *SessionWriter) Index() Index { return w.idx }

// WriteRecv writes a received message.
func (w *SessionWriter) WriteRecv(r Record) error { return w.Write(Recv, r) }

// WriteSent writes a sent message.
func (w *SessionWriter) WriteSent(r Record) error { return w.Write(Sent, r) }

// Write appends r to the data file of dir with a single write call (in
// Buffered mode: to the file's buffer, written with one call per batch),
// so a crash leaves at most one partial record at the end of a file. It returns
// an encoding error for an invalid record (the session goes on),
// ErrSessionLimit once the size limit is reached, and a write error (which
// stops the session and is recorded in the index) when the disk fails.
func (w *SessionWriter) Write(dir Direction, r Record) error {
	switch {
	case w.closed:
		return ErrSessionClosed
	case w.failed != nil:
		return fmt.Errorf("%w: %v", ErrSessionFailed, w.failed)
	case w.idx.TruncatedByLimit:
		return ErrSessionLimit
	}
	f, count := w.recv, &w.idx.RecvRecords
	if dir == Sent {
		f, count = w.sent, &w.idx.SentRecords
	} else if dir != Recv {
		return fmt.Errorf("capture: unknown direction %q", dir)
	}
	base := w.buf[:0]
	if w.opts.Buffered {
		base = w.pending[side(dir)]
	}
	start := len(base)
	buf, err := AppendRecord(base, r)
	if err != nil {
		return err
	}
	size := uint64(len(buf) - start)
	if w.opts.MaxBytes > 0 && w.idx.Bytes+w.pendingBytes()+size > w.opts.MaxBytes {
		if w.opts.Buffered {
			w.pending[side(dir)] = buf[:start]
		}
		w.idx.TruncatedByLimit = true
		if err := w.Flush(); err != nil {
			return err
		}
		if err := WriteIndex(w.dir, w.idx); err != nil {
			return w.fail(err)
		}
		return ErrSessionLimit
	}
	if w.opts.Buffered {
		w.pending[side(dir)] = buf
		if len(buf) >= w.bufferLimit() {
			return w.flushFile(side(dir), f)
		}
		return nil
	}
	w.buf = buf
	n, err := f.Write(buf)
	w.idx.Bytes += uint64(n)
	if err != nil {
		return w.fail(err)
	}
	*count++
	return nil
}

// side is the pending index of a direction.
func side(dir Direction) int {
	if dir == Sent {
		return 1
	}
	return 0
}

// bufferLimit is the pending size that triggers a write in Buffered mode.
func (w *SessionWriter) bufferLimit() int {
	if w.opts.BufferBytes > 0 {
		return w.opts.BufferBytes
	}
	return DefaultBufferBytes
}

// Pending reports whether Buffered records wait for Flush.
func (w *SessionWriter) Pending() bool { return len(w.pending[0])+len(w.pending[1]) > 0 }

// Flush writes the records a Buffered session holds, one write call per
// data file. A write error stops the session as in Write. Without
// Buffered it does nothing.
func (w *SessionWriter) Flush() error {
	if w.failed != nil || w.recv == nil {
		return w.failed
	}
	if err := w.flushFile(0, w.recv); err != nil {
		return err
	}
	return w.flushFile(1, w.sent)
}

// flushFile writes one file's pending records and counts those that
// reached the file whole (all of them, unless the write failed part way).
func (w *SessionWriter) flushFile(i int, f *os.File) error {
	buf := w.pending[i]
	if len(buf) == 0 {
		return nil
	}
	n, err := f.Write(buf)
	w.pending[i] = buf[:0]
	w.idx.Bytes += uint64(n)
	whole := wholeRecords(buf[:n])
	if i == 1 {
		w.idx.SentRecords += whole
	} else {
		w.idx.RecvRecords += whole
	}
	if err != nil {
		return w.fail(err)
	}
	return nil
}

// pendingBytes is the size of the records waiting for Flush.
func (w *SessionWriter) pendingBytes() uint64 {
	return uint64(len(w.pending[0]) + len(w.pending[1]))
}

// wholeRecords counts the complete records at the start of buf, which
// holds records as AppendRecord encodes them.
func wholeRecords(buf []byte) uint64 {
	var n uint64
	for len(buf) >= HeaderSize {
		size := HeaderSize + int(binary.LittleEndian.Uint32(buf[HeaderSize-lengthSize:HeaderSize]))
		if size > len(buf) {
			break
		}
		buf = buf[size:]
		n++
	}
	return n
}

// fail stops the session after a write error and records it in the index
// (best effort: the disk may be what failed).
func (w *SessionWriter) fail(err error) error {
	w.failed = err
	w.idx.Error = err.Error()
	_ = WriteIndex(w.dir, w.idx)
	return fmt.Errorf("capture: session %s: %w", w.dir, err)
}

// Err returns the write error that stopped the session, or nil.
func (w *SessionWriter) Err() error { return w.failed }

// AddDropped counts n records dropped before reaching this session (a
// full capture queue). The count reaches the index at the next index
// write (SyncIndex or Close).
func (w *SessionWriter) AddDropped(n uint64) { w.idx.DroppedRecords += n }

// SetUserAgent records the peer's user agent and rewrites the index.
func (w *SessionWriter) SetUserAgent(ua string) error {
	w.idx.UserAgent = ua
	return w.SyncIndex()
}

// SyncIndex rewrites the index with the current counts.
func (w *SessionWriter) SyncIndex() error {
	if err := w.Flush(); err != nil {
		return err
	}
	if err := WriteIndex(w.dir, w.idx); err != nil {
		if w.failed == nil {
			return w.fail(err)
		}
		return err
	}
	return nil
}

// Close closes the data files and finalises the index with end as the end
// time. Calling it again does nothing.
func (w *SessionWriter) Close(end time.Time) error {
	if w.closed {
		return nil
	}
	ferr := w.Flush()
	w.closed = true
	err := w.closeFiles()
	if ferr != nil && err == nil && w.idx.Error == "" {
		err = ferr
	}
	e := end.UTC()
	w.idx.End = &e
	if err != nil && w.idx.Error == "" {
		w.idx.Error = err.Error()
	}
	if ierr := WriteIndex(w.dir, w.idx); err == nil {
		err = ierr
	}
	if w.onClose != nil {
		w.onClose()
	}
	return err
}

// closeFiles closes whichever data files are open.
func (w *SessionWriter) closeFiles() error {
	var errs []error
	for _, f := range []*os.File{w.recv, w.sent} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	w.recv, w.sent = nil, nil
	return errors.Join(errs...)
}
