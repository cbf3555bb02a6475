package rpc

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// CookieUser is the user name of cookie authentication.
const CookieUser = "__cookie__"

// newCookie returns a fresh credential "__cookie__:<64 hex digits>" made
// from 32 random bytes.
func newCookie() (string, error) {
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return CookieUser + ":" + hex.EncodeToString(secret[:]), nil
}

// writeCookie writes cookie to path with mode 0600. It creates the directory
// (mode 0700) if needed, writes a temporary file in the same directory and
// renames it over path, so a reader never sees a partial cookie.
func writeCookie(path, cookie string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating cookie directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("creating temporary cookie file: %w", err)
	}
	tmpName := tmp.Name()
	fail := func(err error) error {
		_ = tmp.Close()
		_ = os.Remove(tmpName)
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		return fail(fmt.Errorf("setting cookie file mode: %w", err))
	}
	if _, err := tmp.WriteString(cookie); err != nil {
		return fail(fmt.Errorf("writing cookie: %w", err))
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("syncing cookie: %w", err))
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmpName)
		return fmt.Errorf("closing cookie: %w", err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		_ = os.Remove(tmpName)
		return fmt.Errorf("renaming cookie into place: %w", err)
	}
	return nil
}

// removeCookie deletes the cookie file; a file that is already gone is not
// an error.
func removeCookie(path string) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
