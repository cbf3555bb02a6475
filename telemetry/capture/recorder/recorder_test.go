package recorder

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/capturepb"
)

// records reads a session back.
func records(t *testing.T, dir string) []capture.MergedRecord {
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
			t.Fatal(err)
		}
		out = append(out, r)
	}
}

func TestSessionLifecycleOnDisk(t *testing.T) {
	root := t.TempDir()
	h := start(t, Config{Root: root, Filter: "all"})
	t0 := time.Unix(1_700_000_000, 0)
	// Tapped by its Peer already: no SetCapture needed.
	h.connected(1, t0, h.pid)
	h.frame(1, true, "version", []byte{1, 2, 3}, t0.Add(time.Millisecond))
	h.frame(1, false, "version", []byte{4, 5}, t0.Add(2*time.Millisecond))
	h.frame(1, false, "verack", nil, t0.Add(3*time.Millisecond))
	h.frame(1, true, "verack", nil, t0.Add(4*time.Millisecond))
	h.frame(99, false, "ping", make([]byte, 8), t0) // no such session: ignored
	h.sys.Root.Send(h.pid, &peermanpb.PeerHandshaken{PeerId: 1, ConnId: 1, UserAgent: "/Satoshi:27.0.0/"})
	l := h.list(t)
	if len(l.GetSessions()) != 1 || l.GetRecords() != 4 || !l.GetEnabled() {
		t.Fatalf("list %v", l)
	}
	dir := l.GetSessions()[0].GetDir()
	if filepath.Base(dir) != "10.0.0.1_8333-peer1-1700000000" {
		t.Fatalf("session dir %s", dir)
	}
	end := t0.Add(time.Minute)
	h.sys.Root.Send(h.pid, &peermanpb.PeerDisconnected{PeerId: 1, ConnId: 1, TimeUnixNano: end.UnixNano()})
	eventually(t, "session closed", func() bool { return len(h.list(t).GetSessions()) == 0 })
	idx, err := capture.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if idx.End == nil || !idx.End.Equal(end) || idx.UserAgent != "/Satoshi:27.0.0/" || idx.RecvRecords != 2 ||
		idx.SentRecords != 2 || idx.Direction != capture.ConnOutbound || idx.ConnectionType != "outbound-full-relay" {
		t.Fatalf("index %+v", idx)
	}
	recs := records(t, dir)
	want := []string{"sent version", "recv version", "recv verack", "sent verack"}
	for i, r := range recs {
		if got := string(r.Direction) + " " + r.Command; i >= len(want) || got != want[i] {
			t.Fatalf("record %d is %s", i, got)
		}
	}
	if !bytes.Equal(recs[0].Payload, []byte{1, 2, 3}) || !recs[1].Time.Equal(t0.Add(2*time.Millisecond)) {
		t.Fatalf("record contents %+v", recs[:2])
	}
	// Nothing was tapped by the recorder itself, and peerman was told
	// nothing (it takes the initial selection from its own config).
	for _, p := range []*probe{h.conn, h.peerman} {
		select {
		case m := <-p.ch:
			t.Fatalf("unexpected %T", m)
		default:
		}
	}
}

func TestStartAndStopApplyToConnectedPeers(t *testing.T) {
	root := t.TempDir()
	h := start(t, Config{Root: root})
	t0 := time.Now()
	h.connected(1, t0, nil)
	h.connected(2, t0, nil)
	if r := h.ask(t, &capturepb.StartCapture{Filter: "id=1 or"}); !strings.Contains(r.GetError(), "column") {
		t.Fatalf("bad filter answered %v", r)
	}
	r := h.ask(t, &capturepb.StartCapture{Filter: "id=1"})
	if r.GetError() != "" || len(r.GetList().GetSessions()) != 1 || r.GetList().GetFilter() != "id=1" {
		t.Fatalf("start id=1: %v", r)
	}
	if tap := expect[*sockmanpb.SetCapture](t, h.conn); tap.GetConnId() != 1 || !tap.GetSink().Equal(h.pid) {
		t.Fatalf("tap %v", tap)
	}
	if sel := expect[*peermanpb.SetCaptureSelection](t, h.peerman); sel.GetFilter() != "id=1" || !sel.GetSink().Equal(h.pid) {
		t.Fatalf("peerman told %v", sel)
	}
	r = h.ask(t, &capturepb.StartCapture{Filter: "id=2"})
	if len(r.GetList().GetSessions()) != 2 || r.GetList().GetFilter() != "id=1 or id=2" {
		t.Fatalf("start id=2: %v", r.GetList())
	}
	expect[*sockmanpb.SetCapture](t, h.conn)
	expect[*peermanpb.SetCaptureSelection](t, h.peerman)
	r = h.ask(t, &capturepb.StopCapture{Filter: "id=1"})
	l := r.GetList()
	if len(l.GetSessions()) != 1 || l.GetSessions()[0].GetPeerId() != 2 || l.GetFilter() != "(id=1 or id=2) and not id=1" {
		t.Fatalf("stop id=1: %v", l)
	}
	if untap := expect[*sockmanpb.SetCapture](t, h.conn); untap.GetConnId() != 1 || untap.GetSink() != nil {
		t.Fatalf("untap %v", untap)
	}
	expect[*peermanpb.SetCaptureSelection](t, h.peerman)
	// A new peer matching no more: nothing; a new peer tapped by its Peer
	// although no longer selected (the selection changed meanwhile) is
	// untapped.
	h.connected(3, t0, h.pid)
	if untap := expect[*sockmanpb.SetCapture](t, h.conn); untap.GetConnId() != 3 || untap.GetSink() != nil {
		t.Fatalf("untap %v", untap)
	}
	l = h.ask(t, &capturepb.StopCapture{}).GetList()
	if l.GetEnabled() || l.GetFilter() != "" || len(l.GetSessions()) != 0 || l.GetSessionsOpened() != 2 || l.GetSessionsClosed() != 2 {
		t.Fatalf("stop all: %v", l)
	}
}

func TestUserAgentFilterIsAppliedAtHandshake(t *testing.T) {
	h := start(t, Config{Root: t.TempDir(), Filter: "ua=*Satoshi*"})
	h.connected(1, time.Now(), nil)
	h.connected(2, time.Now(), nil)
	h.sys.Root.Send(h.pid, &peermanpb.PeerHandshaken{PeerId: 1, ConnId: 1, UserAgent: "/Satoshi:27.0.0/"})
	h.sys.Root.Send(h.pid, &peermanpb.PeerHandshaken{PeerId: 2, ConnId: 2, UserAgent: "/btcd:0.26.2/"})
	l := h.list(t)
	if len(l.GetSessions()) != 1 || l.GetSessions()[0].GetPeerId() != 1 {
		t.Fatalf("list %v", l)
	}
	idx, err := capture.ReadIndex(l.GetSessions()[0].GetDir())
	if err != nil || idx.UserAgent != "/Satoshi:27.0.0/" {
		t.Fatalf("index %+v %v", idx, err)
	}
}

// gatedDispatcher runs nothing until its gate opens, so that messages pile
// up in the mailbox exactly as they would behind a slow disk.
type gatedDispatcher struct{ gate chan struct{} }

func (d gatedDispatcher) Schedule(fn func()) {
	go func() {
		<-d.gate
		fn()
	}()
}

func (d gatedDispatcher) Throughput() int { return 300 }

func TestFullQueueDropsAndCountsPerSession(t *testing.T) {
	root := t.TempDir()
	gate := make(chan struct{})
	payload := make([]byte, 1000)
	per := uint64(24+len(payload)) + frameOverhead
	h := start(t, Config{Root: root, Filter: "all", QueueBytes: 3 * per}, actor.WithDispatcher(gatedDispatcher{gate: gate}))
	t0 := time.Now()
	h.connected(1, t0, h.pid)
	for i := 0; i < 10; i++ {
		h.frame(1, false, "tx", payload, t0.Add(time.Duration(i)*time.Millisecond))
	}
	for i := 0; i < 4; i++ {
		h.frame(7, false, "tx", payload, t0) // a connection without a session
	}
	close(gate)
	l := h.list(t)
	if l.GetDroppedRecords() != 11 || l.GetDroppedUnattributed() != 4 || l.GetRecords() != 3 || l.GetQueueBytes() != 0 {
		t.Fatalf("list %v", l)
	}
	s := l.GetSessions()[0]
	if s.GetDroppedRecords() != 7 || s.GetRecvRecords() != 3 {
		t.Fatalf("session %v", s)
	}
	// The marker is in the index at once, not only at close.
	if idx, err := capture.ReadIndex(s.GetDir()); err != nil || idx.DroppedRecords != 7 {
		t.Fatalf("index %+v %v", idx, err)
	}
	if n := len(records(t, s.GetDir())); n != 3 {
		t.Fatalf("%d records on disk", n)
	}
}

func TestSessionLimitStopsThatSession(t *testing.T) {
	h := start(t, Config{Root: t.TempDir(), Filter: "all", MaxSessionBytes: 100})
	t0 := time.Now()
	h.connected(1, t0, h.pid)
	h.frame(1, false, "ping", make([]byte, 8), t0)
	h.frame(1, false, "tx", make([]byte, 200), t0)
	h.frame(1, false, "ping", make([]byte, 8), t0)
	if untap := expect[*sockmanpb.SetCapture](t, h.conn); untap.GetSink() != nil {
		t.Fatalf("untap %v", untap)
	}
	s := h.list(t).GetSessions()[0]
	if !s.GetTruncated() || s.GetRecording() || s.GetRecvRecords() != 1 {
		t.Fatalf("session %v", s)
	}
}

func TestUnusableRootStopsAllCapture(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := start(t, Config{Root: filepath.Join(file, "message_capture"), Filter: "all"})
	h.connected(1, time.Now(), h.pid)
	if untap := expect[*sockmanpb.SetCapture](t, h.conn); untap.GetSink() != nil {
		t.Fatalf("untap %v", untap)
	}
	l := h.list(t)
	if !l.GetFailed() || l.GetEnabled() || !strings.Contains(l.GetLastError(), "not a directory") || len(l.GetSessions()) != 0 {
		t.Fatalf("list %v", l)
	}
	// A later StartCapture tries again and reports the same trouble.
	if r := h.ask(t, &capturepb.StartCapture{Filter: "all"}); !strings.Contains(r.GetError(), "not a directory") || !r.GetList().GetFailed() {
		t.Fatalf("restart answered %v", r)
	}
}
