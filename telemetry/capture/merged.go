package capture

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MergedRecord is a record of a session together with its direction and
// its offset in its file.
type MergedRecord struct {
	Record
	// Direction says which file the record came from.
	Direction Direction
	// Offset is where the record starts in its file.
	Offset int64
}

// MergedReader returns the records of a session's two files merged by
// time. Each file's own order is kept (a file is never re-sorted); between
// the files the earlier record comes first and, on equal times, the
// received one, which is the order Core's parser gives when it is handed
// the files in name order. A missing data file reads as empty.
type MergedReader struct {
	sides    [2]mergeSide
	partials []*PartialError
	err      error
}

// mergeSide is one file of a MergedReader with its look-ahead record.
type mergeSide struct {
	dir  Direction
	rd   *Reader
	head MergedRecord
	ok   bool
	done bool
}

// OpenMerged opens the data files of the session directory dir.
func OpenMerged(dir string) (*MergedReader, error) {
	m := &MergedReader{}
	for i, d := range []Direction{Recv, Sent} {
		name := RecvFile
		if d == Sent {
			name = SentFile
		}
		rd, err := OpenReader(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			m.sides[i] = mergeSide{dir: d, done: true}
			continue
		}
		if err != nil {
			_ = m.Close()
			return nil, fmt.Errorf("capture: open session %s: %w", dir, err)
		}
		m.sides[i] = mergeSide{dir: d, rd: rd}
	}
	return m, nil
}

// NewMerged returns a MergedReader over two readers already made; Close
// calls their Close.
func NewMerged(recv, sent *Reader) *MergedReader {
	return &MergedReader{sides: [2]mergeSide{{dir: Recv, rd: recv}, {dir: Sent, rd: sent}}}
}

// Next returns the next record in merged order. When both files are
// exhausted it returns, one per call, a *PartialError for each file that
// ends in a partial record, then io.EOF. Any other error (I/O, a
// *CorruptError) is returned at once and on every later call.
func (m *MergedReader) Next() (MergedRecord, error) {
	if m.err != nil {
		return MergedRecord{}, m.err
	}
	for i := range m.sides {
		if err := m.fill(&m.sides[i]); err != nil {
			m.err = err
			return MergedRecord{}, err
		}
	}
	r, s := &m.sides[0], &m.sides[1]
	var pick *mergeSide
	switch {
	case r.ok && s.ok:
		pick = r
		if s.head.Time.Before(r.head.Time) {
			pick = s
		}
	case r.ok:
		pick = r
	case s.ok:
		pick = s
	}
	if pick != nil {
		pick.ok = false
		return pick.head, nil
	}
	if len(m.partials) > 0 {
		p := m.partials[0]
		m.partials = m.partials[1:]
		return MergedRecord{}, p
	}
	return MergedRecord{}, io.EOF
}

// fill loads the side's next record if it has none and is not done.
func (m *MergedReader) fill(side *mergeSide) error {
	if side.ok || side.done {
		return nil
	}
	off := side.rd.Offset()
	rec, err := side.rd.Next()
	if err == nil {
		side.head, side.ok = MergedRecord{Record: rec, Direction: side.dir, Offset: off}, true
		return nil
	}
	side.done = true
	var pe *PartialError
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &pe):
		m.partials = append(m.partials, pe)
		return nil
	}
	return err
}

// Close closes both files.
func (m *MergedReader) Close() error {
	var errs []error
	for i := range m.sides {
		if m.sides[i].rd != nil {
			errs = append(errs, m.sides[i].rd.Close())
		}
	}
	return errors.Join(errs...)
}
