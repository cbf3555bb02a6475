package node_test

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/telemetry/capture"
)

// captureSession is one element of listcaptures' sessions.
type captureSession struct {
	ID             uint64 `json:"id"`
	Addr           string `json:"addr"`
	Dir            string `json:"dir"`
	Recording      bool   `json:"recording"`
	RecvRecords    uint64 `json:"recv_records"`
	SentRecords    uint64 `json:"sent_records"`
	DroppedRecords uint64 `json:"dropped_records"`
	Error          string `json:"error"`
}

// captureList is listcaptures' result.
type captureList struct {
	Enabled   bool             `json:"enabled"`
	Filter    string           `json:"filter"`
	Dir       string           `json:"dir"`
	Sessions  []captureSession `json:"sessions"`
	Records   uint64           `json:"records"`
	Failed    bool             `json:"failed"`
	LastError string           `json:"last_error"`
}

func (n *testNode) captures() captureList {
	n.t.Helper()
	var out captureList
	if err := n.rpc(&out, "listcaptures"); err != nil {
		n.t.Fatalf("listcaptures: %v", err)
	}
	return out
}

// sessionOf returns the session of the peer at addr, if any.
func (l captureList) sessionOf(addr string) (captureSession, bool) {
	for _, s := range l.Sessions {
		if s.Addr == addr {
			return s, true
		}
	}
	return captureSession{}, false
}

// readSession returns a session's records merged by time.
func readSession(t *testing.T, dir string) []capture.MergedRecord {
	t.Helper()
	m, err := capture.OpenMerged(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var out []capture.MergedRecord
	for {
		r, err := m.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
		out = append(out, r)
	}
}

// firstOf returns the index of the first record of dir and command at or
// after from, or -1.
func firstOf(recs []capture.MergedRecord, from int, dir capture.Direction, command string) int {
	for i := from; i < len(recs); i++ {
		if recs[i].Direction == dir && recs[i].Command == command {
			return i
		}
	}
	return -1
}

// nonceAt returns the ping or pong nonce of a record.
func nonceAt(r capture.MergedRecord) uint64 {
	if len(r.Payload) != 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(r.Payload)
}

// handshaken dials the node with a wiretest client from localIP and
// completes the handshake.
func handshaken(t *testing.T, n *testNode, localIP string) *wiretest.Client {
	t.Helper()
	c, err := wiretest.DialFrom(localIP, n.p2p, chaincfg.RegressionNetParams.Net)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCaptureBtcdSession: a capture of a real btcd session starts with the
// version exchange and shows the pings of both sides in order, and its index
// names the peer and is finalised when the node stops.
func TestCaptureBtcdSession(t *testing.T) {
	b := btcdtest.Start(t, btcdtest.Options{})
	n := startNode(t, "--p2p.connect", b.P2PAddr(), "--capture.enabled")
	eventually(t, 30*time.Second, "handshake with btcd", func() bool {
		for _, p := range n.peers() {
			if p.Addr == b.P2PAddr() && p.Version > 0 {
				return true
			}
		}
		return false
	})
	var dir string
	var recs []capture.MergedRecord
	eventually(t, 30*time.Second, "both pings and pongs captured", func() bool {
		// Both sides send a ping only to a peer whose handshake they have
		// completed, which "version > 0" above does not promise for both
		// ends: ask again until both exchanges are in the files.
		if err := n.rpc(nil, "ping"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.RPC("ping"); err != nil {
			t.Fatal(err)
		}
		s, ok := n.captures().sessionOf(b.P2PAddr())
		if !ok {
			return false
		}
		dir = s.Dir
		recs = readSession(t, dir)
		return firstOf(recs, 0, capture.Recv, "pong") >= 0 && firstOf(recs, 0, capture.Sent, "pong") >= 0
	})
	if len(recs) < 4 {
		t.Fatalf("only %d records", len(recs))
	}
	// We dialled: our version is the first message of the session, btcd's
	// version the first it sent, and each side's verack follows the
	// version it answers.
	if recs[0].Direction != capture.Sent || recs[0].Command != "version" {
		t.Fatalf("first record %s %s, want sent version", recs[0].Direction, recs[0].Command)
	}
	for _, d := range []capture.Direction{capture.Sent, capture.Recv} {
		v, va := firstOf(recs, 0, d, "version"), firstOf(recs, 0, d, "verack")
		if v < 0 || va < 0 || va < v {
			t.Fatalf("%s: version at %d, verack at %d", d, v, va)
		}
		for i, r := range recs {
			if r.Direction == d && i < v {
				t.Fatalf("%s: %s at %d before the version", d, r.Command, i)
			}
		}
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].Time.Before(recs[i-1].Time) {
			t.Fatalf("records out of time order at %d", i)
		}
	}
	// Our ping, then btcd's pong with its nonce; btcd's ping, then our pong.
	for _, d := range []capture.Direction{capture.Sent, capture.Recv} {
		other := capture.Recv
		if d == capture.Recv {
			other = capture.Sent
		}
		p := firstOf(recs, 0, d, "ping")
		if p < 0 {
			t.Fatalf("no %s ping", d)
		}
		q := p + 1
		for ; q < len(recs); q++ {
			if recs[q].Direction == other && recs[q].Command == "pong" && nonceAt(recs[q]) == nonceAt(recs[p]) {
				break
			}
		}
		if q == len(recs) || nonceAt(recs[p]) == 0 {
			t.Fatalf("%s ping (nonce %d) at %d has no answering pong after it", d, nonceAt(recs[p]), p)
		}
	}

	n.stop()
	idx, err := capture.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if idx.End == nil || !strings.Contains(idx.UserAgent, "btcd") || idx.Addr != b.P2PAddr() ||
		idx.Direction != capture.ConnOutbound || idx.ConnectionType != "manual" || idx.RecvRecords == 0 || idx.SentRecords == 0 {
		t.Fatalf("index %+v", idx)
	}
}

// TestCaptureFilterSelectsOnePeer: capture.filter captures only the peer it
// selects, from its version on.
func TestCaptureFilterSelectsOnePeer(t *testing.T) {
	n := startNode(t, "--capture.enabled", "--capture.filter", "addr=127.0.0.2")
	chosen := handshaken(t, n, "127.0.0.2")
	other := handshaken(t, n, "127.0.0.1")
	for i, c := range []*wiretest.Client{chosen, other} {
		if _, err := c.Ping(uint64(100+i), 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	var s captureSession
	eventually(t, 30*time.Second, "the chosen peer's ping captured", func() bool {
		l := n.captures()
		var ok bool
		s, ok = l.sessionOf(chosen.LocalAddr())
		return ok && firstOf(readSession(t, s.Dir), 0, capture.Recv, "ping") >= 0
	})
	l := n.captures()
	if len(l.Sessions) != 1 || !l.Enabled || l.Filter != "addr=127.0.0.2" {
		t.Fatalf("listcaptures %+v", l)
	}
	recs := readSession(t, s.Dir)
	if recs[0].Direction != capture.Recv || recs[0].Command != "version" {
		t.Fatalf("first record %s %s, want the inbound peer's version", recs[0].Direction, recs[0].Command)
	}
	entries, err := os.ReadDir(l.Dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("capture dir holds %d entries (%v), want the one session", len(entries), err)
	}
}

// TestCaptureStartStopOverRPC: startcapture and stopcapture take effect for
// connected and new peers, and listcaptures reports it.
func TestCaptureStartStopOverRPC(t *testing.T) {
	n := startNode(t)
	if l := n.captures(); l.Enabled || len(l.Sessions) != 0 {
		t.Fatalf("capture on by default: %+v", l)
	}
	first := handshaken(t, n, "127.0.0.1")
	if err := n.rpc(nil, "startcapture", "addr=127.0.0.1 or addr=127.0.0.3"); err != nil {
		t.Fatal(err)
	}
	// The connected peer gets a session starting now: a ping after it is
	// captured, the version before it is not.
	eventually(t, 30*time.Second, "a session for the connected peer", func() bool {
		_, ok := n.captures().sessionOf(first.LocalAddr())
		return ok
	})
	if _, err := first.Ping(7, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	s1, _ := n.captures().sessionOf(first.LocalAddr())
	eventually(t, 30*time.Second, "the connected peer's ping captured", func() bool {
		recs := readSession(t, s1.Dir)
		return firstOf(recs, 0, capture.Recv, "ping") >= 0 && firstOf(recs, 0, capture.Sent, "pong") >= 0 &&
			firstOf(recs, 0, capture.Recv, "version") < 0
	})
	// A new peer is captured from its version.
	second := handshaken(t, n, "127.0.0.3")
	var s2 captureSession
	eventually(t, 30*time.Second, "the new peer's handshake captured", func() bool {
		var ok bool
		s2, ok = n.captures().sessionOf(second.LocalAddr())
		return ok && firstOf(readSession(t, s2.Dir), 0, capture.Sent, "verack") >= 0
	})
	if recs := readSession(t, s2.Dir); recs[0].Command != "version" || recs[0].Direction != capture.Recv {
		t.Fatalf("new peer's session starts with %s %s", recs[0].Direction, recs[0].Command)
	}
	// A bad filter is refused with the parse error and changes nothing.
	err := n.rpc(nil, "startcapture", "addr=127.0.0.1 and")
	if err == nil || !strings.Contains(err.Error(), "column") || !strings.Contains(err.Error(), "(-8)") {
		t.Fatalf("bad filter: %v", err)
	}
	// Stopping one peer's capture closes its session only.
	var after captureList
	if err := n.rpc(&after, "stopcapture", "addr=127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, ok := after.sessionOf(first.LocalAddr()); ok || len(after.Sessions) != 1 || !after.Enabled {
		t.Fatalf("after stopcapture addr=127.0.0.1: %+v", after)
	}
	if idx, err := capture.ReadIndex(s1.Dir); err != nil || idx.End == nil {
		t.Fatalf("stopped session's index: %+v %v", idx, err)
	}
	before := readSession(t, s1.Dir)
	if _, err := first.Ping(8, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Ping(9, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the still selected peer's ping captured", func() bool {
		for _, r := range readSession(t, s2.Dir) {
			if r.Command == "ping" && nonceAt(r) == 9 {
				return true
			}
		}
		return false
	})
	if got := readSession(t, s1.Dir); len(got) != len(before) {
		t.Fatalf("stopped session grew from %d to %d records", len(before), len(got))
	}
	// Stopping everything.
	if err := n.rpc(&after, "stopcapture"); err != nil {
		t.Fatal(err)
	}
	if after.Enabled || after.Filter != "" || len(after.Sessions) != 0 {
		t.Fatalf("after stopcapture: %+v", after)
	}
}

// TestCaptureDiskFullIsSurvived: when the capture directory's file system
// fills up, the session stops with its error visible over RPC and the node
// keeps serving peers. The full disk is a real 256 KiB tmpfs; mounting one
// needs root (CAP_SYS_ADMIN), so the test is skipped elsewhere.
func TestCaptureDiskFullIsSurvived(t *testing.T) {
	datadir := t.TempDir()
	root := capture.Root(datadir, "regtest")
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", root).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", root).Run() })
	n := startNode(t, "--datadir", datadir, "--capture.enabled")
	c := handshaken(t, n, "127.0.0.1")
	// Unknown messages are ignored by the node but captured: 64 KiB each
	// until the tmpfs is full.
	junk := wiretest.Frame(chaincfg.RegressionNetParams.Net, "junk", make([]byte, 64<<10))
	for i := 0; i < 8; i++ {
		if err := c.WriteRaw(junk); err != nil {
			t.Fatal(err)
		}
	}
	var s captureSession
	eventually(t, 30*time.Second, "the session stopped by the full disk", func() bool {
		var ok bool
		s, ok = n.captures().sessionOf(c.LocalAddr())
		return ok && !s.Recording && s.Error != ""
	})
	l := n.captures()
	if !strings.Contains(s.Error, "no space left") || !strings.Contains(l.LastError, "no space left") {
		t.Fatalf("session error %q, last error %q", s.Error, l.LastError)
	}
	if !strings.Contains(n.logs.String(), "capture session stopped by a write error") {
		t.Fatal("no log line for the failed session")
	}
	// The node keeps serving: the same peer gets pongs, a new peer shakes
	// hands.
	if _, err := c.Ping(11, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	d := handshaken(t, n, "127.0.0.4")
	if _, err := d.Ping(12, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if len(n.peers()) != 2 {
		t.Fatalf("peers: %+v", n.peers())
	}
}
