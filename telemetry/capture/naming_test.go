package capture

import (
	"errors"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
)

func TestSessionNameRoundTrip(t *testing.T) {
	start := time.Unix(1_700_000_000, 999_000_000).UTC()
	cases := []struct {
		addr, dir string
	}{
		{"127.0.0.1:18444", "127.0.0.1_18444-peer7-1700000000"},
		{"[2001:db8::1]:8333", "[2001_db8__1]_8333-peer7-1700000000"},
		{"[::ffff:1.2.3.4]:8333", "[__ffff_1.2.3.4]_8333-peer7-1700000000"},
		{"abcdefghijklmnop.onion:8333", "abcdefghijklmnop.onion_8333-peer7-1700000000"},
		{"my-peer1-host:8333", "my-peer1-host_8333-peer7-1700000000"},
	}
	for _, c := range cases {
		n := SessionName{Addr: c.addr, Peer: actors.PeerID(7), Start: start}
		dir, err := n.Dir()
		if err != nil || dir != c.dir {
			t.Fatalf("%s: got %q, %v; want %q", c.addr, dir, err, c.dir)
		}
		back, err := ParseSessionName(dir)
		if err != nil {
			t.Fatalf("%s: parse: %v", dir, err)
		}
		if back.Addr != c.addr || back.Peer != 7 || !back.Start.Equal(start.Truncate(time.Second)) {
			t.Fatalf("%s: parsed %+v", dir, back)
		}
	}
}

func TestAddrDirMatchesCoreReplacement(t *testing.T) {
	// Core's directory is the address string with ':' replaced by '_'.
	got, err := AddrDir("[fe80::1]:8333")
	if err != nil || got != "[fe80__1]_8333" {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, bad := range []string{"1.2.3.4", "../x:1", "a/b:1", "a_b:1", ":8333", "1.2.3.4:99999"} {
		if _, err := AddrDir(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseSessionNameRejectsOthers(t *testing.T) {
	for _, s := range []string{
		"", "127.0.0.1_8333", "127.0.0.1_8333-peer-1", "127.0.0.1_8333-peer1-", "127.0.0.1_8333-peer01-5",
		"127.0.0.1_8333-peerx-5", "127.0.0.1-peer1-5", "[2001_db8__1_8333-peer1-5", "127.0.0.1_8333-peer1--5",
		"127.0.0.1_8333-peer1-99999999999999999999", "127.0.0.1_08333-peer1-5", "index.json",
	} {
		if n, err := ParseSessionName(s); !errors.Is(err, ErrBadSessionName) {
			t.Errorf("%q: got %+v, %v", s, n, err)
		}
	}
}

func TestReconnectingPeerGetsDistinctSessions(t *testing.T) {
	root := t.TempDir()
	start := time.Unix(1_700_000_000, 0)
	a := Identity{Peer: 1, Addr: "10.0.0.1:8333", Direction: ConnInbound, Start: start}
	w1, err := OpenSession(root, a, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w1.Close(start)
	// Same address, same second, new peer id: a new directory.
	b := a
	b.Peer = 2
	w2, err := OpenSession(root, b, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close(start)
	// Same address, same peer id (a restarted node), later connect time.
	c := a
	c.Start = start.Add(time.Second)
	w3, err := OpenSession(root, c, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w3.Close(start)
	if w1.Dir() == w2.Dir() || w1.Dir() == w3.Dir() || w2.Dir() == w3.Dir() {
		t.Fatal("sessions share a directory")
	}
	// Identical identity: refused rather than mixed into the old files.
	if _, err := OpenSession(root, a, SessionOptions{}); !errors.Is(err, ErrSessionExists) {
		t.Fatalf("reopen: got %v, want ErrSessionExists", err)
	}
}
