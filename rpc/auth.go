package rpc

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// authenticator checks HTTP Basic credentials against the configured
// user/password and the cookie. It holds only SHA-256 digests of the
// accepted "user:password" strings, so every comparison is between equal
// lengths and takes the same time whatever the input.
type authenticator struct {
	accepted [][sha256.Size]byte
}

// newAuthenticator accepts user:password when both are non-empty and the
// cookie credential when it is non-empty ("__cookie__:<hex>").
func newAuthenticator(user, password, cookie string) authenticator {
	var a authenticator
	if user != "" && password != "" {
		a.accepted = append(a.accepted, sha256.Sum256([]byte(user+":"+password)))
	}
	if cookie != "" {
		a.accepted = append(a.accepted, sha256.Sum256([]byte(cookie)))
	}
	return a
}

// allows reports whether the request carries accepted Basic credentials.
func (a authenticator) allows(r *http.Request) bool {
	header := r.Header.Get("Authorization")
	scheme, encoded, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return false
	}
	got := sha256.Sum256(decoded)
	match := 0
	for _, want := range a.accepted {
		match |= subtle.ConstantTimeCompare(got[:], want[:])
	}
	return match == 1
}
