package capture

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/actornode/actornode/actors"
)

// File names inside a session directory. The two data files carry Core's
// names (Core's parser tells the direction from "recv" in the file name).
const (
	// RecvFile holds the messages received from the peer.
	RecvFile = "msgs_recv.dat"
	// SentFile holds the messages sent to the peer.
	SentFile = "msgs_sent.dat"
	// IndexFile is the session's JSON index.
	IndexFile = "index.json"
	// DirName is the name of the capture root inside a network's data
	// directory.
	DirName = "message_capture"
)

// peerMarker separates the address part of a session directory name from
// the peer id.
const peerMarker = "-peer"

// ErrBadSessionName reports a directory name that is not a session name.
var ErrBadSessionName = errors.New("capture: not a session directory name")

// Root returns the capture root of a network: <datadir>/<network>/message_capture.
func Root(dataDir, network string) string {
	return filepath.Join(dataDir, network, DirName)
}

// SessionName identifies one capture session: the peer's address, its peer
// id and the connect time (whole seconds). A peer that reconnects gets a
// new peer id and usually a new connect time, so two sessions never share a
// directory.
type SessionName struct {
	// Addr is the peer's address as host:port (IPv6 hosts in brackets).
	Addr string
	// Peer is the peer id of the session.
	Peer actors.PeerID
	// Start is the connect time; only whole seconds are kept in the name.
	Start time.Time
}

// AddrDir returns Core's directory name for a host:port address: the
// address with every ':' replaced by '_'. IPv6 keeps its brackets, as in
// Core ("[2001:db8::1]:8333" becomes "[2001_db8__1]_8333").
func AddrDir(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("capture: address %q: %w", addr, err)
	}
	if host == "" || strings.ContainsAny(host, "/\\_\x00") || strings.Contains(host, "..") {
		return "", fmt.Errorf("capture: address %q: host unusable in a directory name", addr)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return "", fmt.Errorf("capture: address %q: bad port", addr)
	}
	return strings.ReplaceAll(net.JoinHostPort(host, strconv.FormatUint(p, 10)), ":", "_"), nil
}

// parseAddrDir reverses AddrDir.
func parseAddrDir(s string) (string, error) {
	var host, port string
	if strings.HasPrefix(s, "[") {
		h, p, ok := strings.Cut(s[1:], "]_")
		if !ok {
			return "", ErrBadSessionName
		}
		host, port = strings.ReplaceAll(h, "_", ":"), p
	} else {
		i := strings.LastIndexByte(s, '_')
		if i < 0 {
			return "", ErrBadSessionName
		}
		host, port = s[:i], s[i+1:]
	}
	addr := net.JoinHostPort(host, port)
	if back, err := AddrDir(addr); err != nil || back != s {
		return "", ErrBadSessionName
	}
	return addr, nil
}

// Dir returns the directory name of the session,
// <ip>_<port>-peer<id>-<unix seconds of connect>, or an error when the
// address cannot be part of a directory name or the start is before 1970.
func (n SessionName) Dir() (string, error) {
	a, err := AddrDir(n.Addr)
	if err != nil {
		return "", err
	}
	if n.Start.Unix() < 0 {
		return "", ErrTimeBeforeEpoch
	}
	return a + peerMarker + n.Peer.String() + "-" + strconv.FormatInt(n.Start.Unix(), 10), nil
}

// ParseSessionName parses a directory name made by SessionName.Dir.
func ParseSessionName(dir string) (SessionName, error) {
	i := strings.LastIndexByte(dir, '-')
	if i < 0 {
		return SessionName{}, ErrBadSessionName
	}
	secs, ok := parseDigits(dir[i+1:])
	if !ok {
		return SessionName{}, ErrBadSessionName
	}
	rest := dir[:i]
	j := strings.LastIndex(rest, peerMarker)
	if j < 0 {
		return SessionName{}, ErrBadSessionName
	}
	id, ok := parseDigits(rest[j+len(peerMarker):])
	if !ok {
		return SessionName{}, ErrBadSessionName
	}
	addr, err := parseAddrDir(rest[:j])
	if err != nil {
		return SessionName{}, err
	}
	if secs > 1<<62 {
		return SessionName{}, ErrBadSessionName
	}
	n := SessionName{Addr: addr, Peer: actors.PeerID(id), Start: time.Unix(int64(secs), 0).UTC()}
	if back, err := n.Dir(); err != nil || back != dir {
		return SessionName{}, ErrBadSessionName
	}
	return n, nil
}

// parseDigits parses a canonical decimal number (no sign, no leading zero
// unless it is "0").
func parseDigits(s string) (uint64, bool) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}
