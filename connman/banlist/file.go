package banlist

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// fileVersion is the version field of every entry written.
const fileVersion = 1

// fileEntry is one ban in the file, in Core's banlist.json shape.
type fileEntry struct {
	Version     int    `json:"version"`
	Address     string `json:"address"`
	BanCreated  int64  `json:"ban_created"`
	BannedUntil int64  `json:"banned_until"`
}

// fileForm is the whole file.
type fileForm struct {
	BannedNets []fileEntry `json:"banned_nets"`
}

// Encode returns the file form of l.
func Encode(l *List) ([]byte, error) {
	f := fileForm{BannedNets: []fileEntry{}}
	for _, e := range l.Entries() {
		f.BannedNets = append(f.BannedNets, fileEntry{
			Version:     fileVersion,
			Address:     e.Subnet.String(),
			BanCreated:  e.Created.Unix(),
			BannedUntil: e.Until.Unix(),
		})
	}
	return json.MarshalIndent(f, "", "  ")
}

// Decode parses the file form. It fails on malformed JSON, an unknown
// version or an unparseable subnet.
func Decode(data []byte) (*List, error) {
	var f fileForm
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.BannedNets == nil {
		return nil, errors.New("no banned_nets array")
	}
	l := New()
	for i, fe := range f.BannedNets {
		if fe.Version != fileVersion {
			return nil, fmt.Errorf("entry %d: unsupported version %d", i, fe.Version)
		}
		p, err := ParseSubnet(fe.Address)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		l.bans[p] = Entry{Subnet: p, Created: time.Unix(fe.BanCreated, 0), Until: time.Unix(fe.BannedUntil, 0)}
	}
	return l, nil
}

// CorruptError reports a ban file that exists but cannot be read back.
type CorruptError struct {
	// Path is the file.
	Path string
	// Err is what is wrong with it.
	Err error
}

// Error implements error.
func (e *CorruptError) Error() string { return "ban file " + e.Path + " is corrupt: " + e.Err.Error() }

// Unwrap returns the underlying problem.
func (e *CorruptError) Unwrap() error { return e.Err }

// Load reads the ban file at path. A missing file is an empty List. A file
// that cannot be parsed gives a *CorruptError; any other read failure is
// returned as is.
func Load(path string) (*List, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, err
	}
	l, err := Decode(data)
	if err != nil {
		return nil, &CorruptError{Path: path, Err: err}
	}
	return l, nil
}

// Quarantine renames a corrupt ban file to <path>.corrupt-<time> so that it
// is kept for inspection and a fresh file can be written. It returns the
// new name.
func Quarantine(path string, now time.Time) (string, error) {
	to := path + ".corrupt-" + now.UTC().Format("20060102T150405.000000000Z")
	if err := os.Rename(path, to); err != nil {
		return "", err
	}
	return to, nil
}

// Save writes l to path atomically: it writes a temporary file in the same
// directory, syncs it, renames it over path and syncs the directory, so a
// crash leaves either the old file or the new one.
func Save(path string, l *List) error {
	data, err := Encode(l)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // no-op after a successful rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync()
}
