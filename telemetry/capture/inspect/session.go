package inspect

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// PeerInfo is what is known of the peer of a session: from its index.json
// when readable, else from the session directory's name.
type PeerInfo struct {
	// ID is the peer id; 0 when unknown.
	ID actors.PeerID
	// Addr is the peer's address as host:port; empty when unknown.
	Addr string
	// Direction says who opened the connection; empty when unknown.
	Direction capture.ConnDirection
	// ConnType is the connection type as getpeerinfo names it.
	ConnType string
	// UserAgent is the peer's user agent, empty when unknown.
	UserAgent string
}

// Session is one capture session to read: a session directory, or the
// data files of one that were named on the command line.
type Session struct {
	// Dir is the session directory.
	Dir string
	// Name is the directory's base name, which tools print as the session.
	Name string
	// Network is the network folder above message_capture ("regtest"),
	// or empty when the path does not show it.
	Network string
	// Peer describes the session's peer.
	Peer PeerInfo
	// Index is the session's index, nil when it could not be read.
	Index *capture.Index
	// IndexErr says why the index could not be read.
	IndexErr error
	// Files are the data files to read; both of the directory's unless
	// the caller named single files.
	Files []string
}

// FilterPeer returns the session's peer as the peer filter language sees
// it. An unknown address matches no addr= term.
func (s *Session) FilterPeer() peerfilter.Peer {
	p := peerfilter.Peer{ID: s.Peer.ID, ConnType: s.Peer.ConnType, UserAgent: s.Peer.UserAgent}
	if ap, err := netip.ParseAddrPort(s.Peer.Addr); err == nil {
		p.Addr = ap
	}
	p.Inbound = s.Peer.Direction == capture.ConnInbound
	return p
}

// Label returns "peer<id> <addr>" or what of it is known, for timelines.
func (s *Session) Label() string {
	id := "peer?"
	if s.Peer.ID != 0 {
		id = "peer" + s.Peer.ID.String()
	}
	addr := s.Peer.Addr
	if addr == "" {
		addr = s.Name
	}
	return id + " " + addr
}

// ErrNoSessions reports a directory holding no capture session.
var ErrNoSessions = errors.New("no capture sessions found")

// Discover turns command-line paths into sessions, in the order given:
// a .dat file (its directory is the session, only that file is read), a
// session directory (one holding msgs_recv.dat, msgs_sent.dat or
// index.json), or any other directory such as the message_capture root,
// whose immediate subdirectories that are sessions are taken in name
// order. Naming both data files of one directory, or a directory twice,
// gives one session.
func Discover(paths []string) ([]*Session, error) {
	var out []*Session
	byDir := map[string]*Session{}
	add := func(dir string, file string) {
		dir = filepath.Clean(dir)
		s := byDir[dir]
		if s == nil {
			s = newSession(dir)
			byDir[dir] = s
			out = append(out, s)
		}
		if file == "" {
			s.Files = []string{filepath.Join(dir, capture.RecvFile), filepath.Join(dir, capture.SentFile)}
		} else if !slices.Contains(s.Files, file) {
			s.Files = append(s.Files, file)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if !strings.HasSuffix(p, ".dat") {
				return nil, fmt.Errorf("%s: not a capture file (want a .dat file or a directory)", p)
			}
			add(filepath.Dir(p), filepath.Clean(p))
			continue
		}
		if isSessionDir(p) {
			add(p, "")
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		found := 0
		for _, e := range entries {
			sub := filepath.Join(p, e.Name())
			if e.IsDir() && isSessionDir(sub) {
				add(sub, "")
				found++
			}
		}
		if found == 0 {
			return nil, fmt.Errorf("%s: %w", p, ErrNoSessions)
		}
	}
	return out, nil
}

// isSessionDir reports whether dir holds a data file or an index.
func isSessionDir(dir string) bool {
	for _, name := range []string{capture.RecvFile, capture.SentFile, capture.IndexFile} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

// newSession describes the session directory dir from its index and name.
func newSession(dir string) *Session {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	s := &Session{Dir: dir, Name: filepath.Base(abs), Network: NetworkOf(abs)}
	if n, err := capture.ParseSessionName(s.Name); err == nil {
		s.Peer.ID, s.Peer.Addr = n.Peer, n.Addr
	}
	idx, err := capture.ReadIndex(dir)
	if err != nil {
		s.IndexErr = err
		return s
	}
	s.Index = &idx
	s.Peer = PeerInfo{ID: idx.PeerID, Addr: idx.Addr, Direction: idx.Direction, ConnType: idx.ConnectionType, UserAgent: idx.UserAgent}
	return s
}

// NetworkOf returns the network folder of a path inside a capture root,
// <datadir>/<network>/message_capture/..., or "" when the path has no
// message_capture component with a parent.
func NetworkOf(path string) string {
	parts := strings.Split(filepath.ToSlash(filepath.Clean(path)), "/")
	for i := len(parts) - 1; i > 0; i-- {
		if parts[i] == capture.DirName && parts[i-1] != "" {
			return parts[i-1]
		}
	}
	return ""
}
