package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
)

// readChunk is the most payload bytes the reader allocates ahead of data
// actually read, so a length field never causes a large allocation on its
// own.
const readChunk = 64 * 1024

// PartialError reports a record cut short at the end of a file, as a crash
// during a write leaves it. Every record before Offset is complete.
type PartialError struct {
	// Path names the file (or the name given to NewReader).
	Path string
	// Offset is where the partial record starts.
	Offset int64
	// Have is how many bytes of the record are present.
	Have int64
	// Need is how many bytes the record needs: HeaderSize while the header
	// itself is incomplete, HeaderSize plus the payload length otherwise.
	Need int64
}

// Error describes the partial record.
func (e *PartialError) Error() string {
	return fmt.Sprintf("capture: %s: partial record at offset %d (have %d of %d bytes)", e.Path, e.Offset, e.Have, e.Need)
}

// CorruptError reports a record that no writer of this format produces: a
// payload length above MaxPayloadLen. Reading stops there.
type CorruptError struct {
	// Path names the file (or the name given to NewReader).
	Path string
	// Offset is where the bad record starts.
	Offset int64
	// Length is the payload length its header claims.
	Length uint32
}

// Error describes the corrupt record.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("capture: %s: record at offset %d claims %d payload bytes (max %d)", e.Path, e.Offset, e.Length, MaxPayloadLen)
}

// Reader returns the records of one capture file in file order. It never
// panics on malformed input and never allocates more than a chunk beyond
// the bytes it has actually read.
type Reader struct {
	name   string
	br     *bufio.Reader
	closer io.Closer
	off    int64
	err    error
}

// NewReader returns a Reader over r; name is used in errors.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{name: name, br: bufio.NewReader(r)}
}

// OpenReader opens the capture file at path. Close releases it.
func OpenReader(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rd := NewReader(f, path)
	rd.closer = f
	return rd, nil
}

// Close closes the file opened by OpenReader; it does nothing for a Reader
// made by NewReader.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// Offset returns the offset just past the last complete record returned.
func (r *Reader) Offset() int64 { return r.off }

// Next returns the next record. At a clean end of input it returns io.EOF;
// when the last record is cut short it returns a *PartialError; a length
// above MaxPayloadLen gives a *CorruptError. Once Next has returned an
// error it returns the same error on every later call.
func (r *Reader) Next() (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	rec, n, err := r.read()
	if err != nil {
		r.err = err
		return Record{}, err
	}
	r.off += n
	return rec, nil
}

// read decodes one record and returns it with its encoded size.
func (r *Reader) read() (Record, int64, error) {
	var hdr [HeaderSize]byte
	n, err := io.ReadFull(r.br, hdr[:])
	switch {
	case err == io.EOF:
		return Record{}, 0, io.EOF
	case err == io.ErrUnexpectedEOF:
		return Record{}, 0, &PartialError{Path: r.name, Offset: r.off, Have: int64(n), Need: HeaderSize}
	case err != nil:
		return Record{}, 0, fmt.Errorf("capture: %s: offset %d: %w", r.name, r.off, err)
	}
	us := binary.LittleEndian.Uint64(hdr[:timeSize])
	cmd := hdr[timeSize : timeSize+commandSize]
	if i := bytes.IndexByte(cmd, 0); i >= 0 {
		cmd = cmd[:i]
	}
	length := binary.LittleEndian.Uint32(hdr[timeSize+commandSize:])
	if length > MaxPayloadLen {
		return Record{}, 0, &CorruptError{Path: r.name, Offset: r.off, Length: length}
	}
	payload, err := r.readPayload(int(length))
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, 0, &PartialError{Path: r.name, Offset: r.off, Have: int64(HeaderSize + len(payload)), Need: int64(HeaderSize) + int64(length)}
		}
		return Record{}, 0, fmt.Errorf("capture: %s: offset %d: %w", r.name, r.off, err)
	}
	rec := Record{
		Time:    time.UnixMicro(int64(us)).UTC(),
		Command: string(cmd),
		Payload: payload,
	}
	return rec, int64(HeaderSize) + int64(length), nil
}

// readPayload reads exactly n bytes in chunks, growing the buffer only as
// bytes arrive. On a short read it returns what it has and the error.
func (r *Reader) readPayload(n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, readChunk))
	for len(buf) < n {
		want := min(n-len(buf), readChunk)
		start := len(buf)
		buf = slices.Grow(buf, want)[:start+want]
		got, err := io.ReadFull(r.br, buf[start:])
		buf = buf[:start+got]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}
