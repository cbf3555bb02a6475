//go:build !unix

package blockstore

import (
	"os"
	"path/filepath"
)

// lockDir opens dir/LOCK without locking it: outside Unix the store relies
// on the node's own datadir lock.
func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR|os.O_CREATE, 0o600)
}

// unlockDir closes the file opened by lockDir.
func unlockDir(f *os.File) error { return f.Close() }
