package addrman

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/addrman/bookfile"
)

// LoadError is why the actor could not start: the book file exists but
// cannot be read, or a refused file cannot be moved aside. Either way the
// file may hold good data, so addrman refuses to start rather than
// overwrite it; the actor panics with a *LoadError and its parent's
// supervision decides.
type LoadError struct {
	// Path is the book file.
	Path string
	// Op says what failed ("read", "move aside").
	Op string
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *LoadError) Error() string {
	return "addrman: cannot " + e.Op + " " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// loadOutcome says what load found.
type loadOutcome uint8

// The outcomes of load.
const (
	// loadedFile: the file was decoded.
	loadedFile loadOutcome = iota + 1
	// loadedNone: there is no file (or no path): a new book.
	loadedNone
	// loadedCorrupt: the file was refused and moved aside: a new book.
	loadedCorrupt
)

// load reads the book at path. A missing file, or no path, gives a new
// book with a fresh key. A file Decode refuses is logged with its path
// and the decoder's offset and reason, renamed to
// <path>.corrupt-<unix time>, and replaced by a new book. A file that
// exists but cannot be read, or cannot be moved aside, is a *LoadError.
func load(path string, cfg Config, rng book.Random, now time.Time, log *slog.Logger) (*book.Book, loadOutcome, error) {
	if path == "" {
		log.Warn("address book kept in memory only: no file configured")
		return book.New(newKey(cfg, rng), rng), loadedNone, nil
	}
	start := time.Now()
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		log.Info("no address book file; starting a new book", slog.String("path", path))
		return book.New(newKey(cfg, rng), rng), loadedNone, nil
	case err != nil:
		return nil, 0, &LoadError{Path: path, Op: "read", Err: err}
	}
	b, err := bookfile.Decode(data, rng)
	if err == nil {
		log.Info("address book loaded", slog.String("path", path), slog.Int("entries", b.Len()),
			slog.Int("new", b.Size(0, book.TableNew)), slog.Int("tried", b.Size(0, book.TableTried)),
			slog.Int("bytes", len(data)), slog.Duration("took", time.Since(start)))
		return b, loadedFile, nil
	}
	attrs := []any{slog.String("path", path), slog.Int("bytes", len(data)), slog.Any("err", err)}
	var de *bookfile.DecodeError
	if errors.As(err, &de) {
		attrs = append(attrs, slog.Int("offset", de.Offset), slog.String("reason", de.Reason.String()))
	}
	aside, mvErr := moveAside(path, now)
	if mvErr != nil {
		log.Error("address book file is unreadable and cannot be moved aside", append(attrs, slog.Any("move_err", mvErr))...)
		return nil, 0, &LoadError{Path: path, Op: "move aside", Err: mvErr}
	}
	log.Error("address book file refused; moved aside, starting with an empty book",
		append(attrs, slog.String("moved_to", aside))...)
	return book.New(newKey(cfg, rng), rng), loadedCorrupt, nil
}

// moveAside renames path to <path>.corrupt-<unix time of now>, adding
// -1, -2, ... when that name is taken, and returns the new name.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + strconv.FormatInt(now.Unix(), 10)
	name := base
	for i := 1; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			break
		}
		if i > 1000 {
			return "", fmt.Errorf("no free name after %s", base)
		}
		name = base + "-" + strconv.Itoa(i)
	}
	if err := os.Rename(path, name); err != nil {
		return "", err
	}
	return name, nil
}

// writeAtomic replaces path with data so that a crash at any moment leaves
// either the old file or the new one: it writes a temporary file in the
// same directory, syncs it, renames it over path and syncs the directory.
// The directory is created (mode 0700) when missing; the file has mode
// 0600.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
