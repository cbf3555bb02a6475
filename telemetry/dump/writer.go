package dump

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Permissions of what the writer creates: dumps hold peer addresses, so
// they are private to the node's user.
const (
	dirPerm  = 0o700
	filePerm = 0o600
)

// ErrRecordTooLarge is returned by Append for a record that could not fit
// in a file of WriterConfig.MaxBytes even alone. It is not sticky: the
// record is dropped and the writer goes on.
var ErrRecordTooLarge = errors.New("dump: record larger than the file size limit")

// ErrClosed is returned by a Writer used after Close.
var ErrClosed = errors.New("dump: writer closed")

// WriterConfig says where a Writer writes and how much it keeps.
type WriterConfig struct {
	// Dir is the directory of the files; it is created if missing.
	Dir string
	// MaxBytes bounds each file: a record that would take the current file
	// past it rotates first.
	MaxBytes int64
	// MaxFiles is how many rotated files are kept besides the current one;
	// 0 keeps none (a rotation starts the current file afresh). Total disk
	// use stays within MaxBytes*(MaxFiles+1).
	MaxFiles int
}

// WriterStats are a Writer's counts since it was opened.
type WriterStats struct {
	// Records and Bytes count the lines appended (newlines included).
	Records uint64
	Bytes   uint64
	// Rotations counts the rotations done.
	Rotations uint64
	// TooLarge counts the records refused with ErrRecordTooLarge.
	TooLarge uint64
	// Repaired is the size of the torn last line (from a crash) that Open
	// cut off the current file; 0 when the file ended cleanly.
	Repaired int64
	// Size is the current file's size.
	Size int64
}

// Writer appends records as JSON lines to a rotating file. Each record is
// written with one write call, so a crash leaves at most a partial last
// line, which readers skip and the next OpenWriter cuts off. The file is
// fsynced on Sync, before each rotation and on Close; between those the
// operating system buffers (a process crash loses nothing written, a power
// loss may lose what was written since the last fsync). A Writer is not
// safe for concurrent use; the dump actor owns one.
type Writer struct {
	cfg WriterConfig
	f   *os.File
	// err is the first write, rotation or sync error; once set, every call
	// returns it (the file is in an unknown state).
	err   error
	buf   []byte
	dirty bool
	stats WriterStats
}

// OpenWriter creates cfg.Dir if needed, deletes rotated files numbered
// beyond cfg.MaxFiles (left by a run with a larger setting), and opens the
// current file for appending, cutting off a torn last line.
func OpenWriter(cfg WriterConfig) (*Writer, error) {
	switch {
	case cfg.Dir == "":
		return nil, errors.New("dump: no directory")
	case cfg.MaxBytes <= 0:
		return nil, fmt.Errorf("dump: file size limit %d is not positive", cfg.MaxBytes)
	case cfg.MaxFiles < 0:
		return nil, fmt.Errorf("dump: rotated file count %d is negative", cfg.MaxFiles)
	}
	if err := os.MkdirAll(cfg.Dir, dirPerm); err != nil {
		return nil, fmt.Errorf("dump: create directory: %w", err)
	}
	w := &Writer{cfg: cfg}
	if err := w.pruneExtra(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(w.path(0), os.O_RDWR|os.O_CREATE|os.O_APPEND, filePerm)
	if err != nil {
		return nil, fmt.Errorf("dump: open: %w", err)
	}
	size, cut, err := repairTail(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("dump: repair %s: %w", w.path(0), err)
	}
	w.f = f
	w.stats.Size = size
	w.stats.Repaired = cut
	return w, nil
}

// Path returns the path of the file being written.
func (w *Writer) Path() string { return w.path(0) }

// Stats returns the writer's counts.
func (w *Writer) Stats() WriterStats { return w.stats }

// Err returns the error that broke the writer, nil while it works.
func (w *Writer) Err() error { return w.err }

// Append writes line (one JSON record, no newline) followed by a newline,
// rotating first if the current file would exceed MaxBytes. A failed write,
// rotation or sync breaks the writer: that error is returned now and by
// every later call.
func (w *Writer) Append(line []byte) error {
	if w.err != nil {
		return w.err
	}
	if w.f == nil {
		return ErrClosed
	}
	if bytes.IndexByte(line, '\n') >= 0 {
		return ErrNewline
	}
	n := int64(len(line)) + 1
	if n > w.cfg.MaxBytes {
		w.stats.TooLarge++
		return ErrRecordTooLarge
	}
	if w.stats.Size > 0 && w.stats.Size+n > w.cfg.MaxBytes {
		if err := w.rotate(); err != nil {
			return w.fail(err)
		}
	}
	w.buf = append(append(w.buf[:0], line...), '\n')
	k, err := w.f.Write(w.buf)
	w.stats.Size += int64(k)
	w.dirty = true
	if err != nil {
		return w.fail(fmt.Errorf("dump: write %s: %w", w.path(0), err))
	}
	w.stats.Records++
	w.stats.Bytes += uint64(n)
	return nil
}

// Sync flushes what was appended since the last fsync to the disk; it does
// nothing when nothing was.
func (w *Writer) Sync() error {
	if w.err != nil {
		return w.err
	}
	if w.f == nil {
		return ErrClosed
	}
	if !w.dirty {
		return nil
	}
	if err := w.f.Sync(); err != nil {
		return w.fail(fmt.Errorf("dump: sync %s: %w", w.path(0), err))
	}
	w.dirty = false
	return nil
}

// Close syncs and closes the file. It returns the error that broke the
// writer, if any; closing twice is harmless.
func (w *Writer) Close() error {
	if w.f == nil {
		return w.err
	}
	var err error
	if w.err == nil && w.dirty {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	if w.err != nil {
		return w.err
	}
	if err != nil {
		return fmt.Errorf("dump: close %s: %w", w.path(0), err)
	}
	return nil
}

// fail records err as the writer's sticky error, closes the file and
// returns err.
func (w *Writer) fail(err error) error {
	w.err = err
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
	return err
}

// rotate moves the current file to number 1, shifting older files up and
// deleting the one past MaxFiles, then starts an empty current file. Every
// step is a rename or a delete of a whole file, so a crash between two
// steps leaves complete files in the right order (perhaps with a gap in
// the numbering, which readers and the next rotation accept).
func (w *Writer) rotate() error {
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("dump: sync before rotation: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("dump: close before rotation: %w", err)
	}
	w.f = nil
	w.dirty = false
	if w.cfg.MaxFiles == 0 {
		if err := removeIfExists(w.path(0)); err != nil {
			return err
		}
	} else {
		if err := removeIfExists(w.path(w.cfg.MaxFiles)); err != nil {
			return err
		}
		for i := w.cfg.MaxFiles - 1; i >= 0; i-- {
			if err := renameIfExists(w.path(i), w.path(i+1)); err != nil {
				return err
			}
		}
	}
	f, err := os.OpenFile(w.path(0), os.O_RDWR|os.O_CREATE|os.O_APPEND|os.O_TRUNC, filePerm)
	if err != nil {
		return fmt.Errorf("dump: open after rotation: %w", err)
	}
	w.f = f
	if err := syncDir(w.cfg.Dir); err != nil {
		return err
	}
	w.stats.Size = 0
	w.stats.Rotations++
	return nil
}

// pruneExtra deletes rotated files numbered beyond MaxFiles.
func (w *Writer) pruneExtra() error {
	entries, err := os.ReadDir(w.cfg.Dir)
	if err != nil {
		return fmt.Errorf("dump: list directory: %w", err)
	}
	for _, e := range entries {
		if i, ok := fileIndex(e.Name()); ok && i > w.cfg.MaxFiles && e.Type().IsRegular() {
			if err := removeIfExists(filepath.Join(w.cfg.Dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// path returns the path of file i (0 is the current file).
func (w *Writer) path(i int) string {
	if i == 0 {
		return filepath.Join(w.cfg.Dir, FileName)
	}
	return filepath.Join(w.cfg.Dir, rotatedName(i))
}

// repairTail cuts off the bytes after the last newline of f (a record torn
// by a crash) and returns the resulting size and how much was cut.
func repairTail(f *os.File) (size, cut int64, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	end := fi.Size()
	keep, err := lastNewlineEnd(f, end)
	if err != nil {
		return 0, 0, err
	}
	if keep == end {
		return end, 0, nil
	}
	if err := f.Truncate(keep); err != nil {
		return 0, 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, 0, err
	}
	return keep, end - keep, nil
}

// lastNewlineEnd returns the offset just past the last newline among the
// first end bytes of r, or 0 if there is none.
func lastNewlineEnd(r io.ReaderAt, end int64) (int64, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk)
	for end > 0 {
		start := max(end-chunk, 0)
		b := buf[:end-start]
		if _, err := r.ReadAt(b, start); err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			return start + int64(i) + 1, nil
		}
		end = start
	}
	return 0, nil
}

// removeIfExists deletes path; a missing file is not an error.
func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dump: rotate: %w", err)
	}
	return nil
}

// renameIfExists renames from to to; a missing from is not an error.
func renameIfExists(from, to string) error {
	if err := os.Rename(from, to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dump: rotate: %w", err)
	}
	return nil
}

// syncDir fsyncs a directory so that renames and new files in it survive a
// power loss.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("dump: sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("dump: sync directory: %w", err)
	}
	return nil
}
