package dump

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// waitFor is how long a test waits for an actor to do something.
const waitFor = 10 * time.Second

// standIn answers GetPeerStats like peerman would, with the peers it was
// given, and remembers the filters it was asked with.
type standIn struct {
	mu      sync.Mutex
	peers   []*peermanpb.PeerStats
	filters []string
	silent  bool
}

func (s *standIn) Receive(ctx actor.Context) {
	if m, ok := ctx.Message().(*peermanpb.GetPeerStats); ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.filters = append(s.filters, m.GetFilter())
		if !s.silent {
			ctx.Respond(&peermanpb.PeerStatsList{Peers: s.peers})
		}
	}
}

func (s *standIn) set(peers ...*peermanpb.PeerStats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peers = peers
}

func (s *standIn) asked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.filters...)
}

// harness is a real actor system with a dump actor and a stand-in peerman.
type harness struct {
	system  *actor.ActorSystem
	pid     *actor.PID
	peerman *standIn
	clock   *actors.ManualClock
	logs    *syncBuffer
	cfg     Config
}

// start spawns the dump actor with cfg (Dir, Interval, Filter, MaxBytes
// and MaxFiles are taken from it) and waits until it has started.
func start(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{peerman: &standIn{}, clock: actors.NewManualClock(t0)}
	quiet := slog.New(slog.DiscardHandler)
	h.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	cfg.Peerman = h.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return h.peerman }))
	cfg.Clock = h.clock
	cfg.Logger, h.logs = newLogger()
	if cfg.Interval == 0 {
		cfg.Interval = 10 * time.Second
	}
	h.cfg = cfg
	producer, err := NewActor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.pid = h.system.Root.Spawn(actor.PropsFromProducer(producer))
	t.Cleanup(func() {
		_ = h.system.Root.PoisonFuture(h.pid).Wait()
		h.system.Shutdown()
	})
	h.status(t) // Started is handled before any user message.
	return h
}

// status asks the actor for its Status.
func (h *harness) status(t *testing.T) *Status {
	t.Helper()
	res, err := h.system.Root.RequestFuture(h.pid, &GetStatus{}, waitFor).Result()
	if err != nil {
		t.Fatalf("dump actor did not answer GetStatus: %v", err)
	}
	return res.(*Status)
}

// records polls the dump directory until it holds want records.
func (h *harness) records(t *testing.T, want int) []Record {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		recs, skipped, err := ReadRecords(h.cfg.Dir)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if len(skipped) != 0 {
			t.Fatalf("skipped lines in a file the actor wrote: %+v", skipped)
		}
		if len(recs) >= want || time.Now().After(deadline) {
			if len(recs) != want {
				t.Fatalf("%d records on disk, want %d", len(recs), want)
			}
			return recs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPeriodicRecordsOnEachTick(t *testing.T) {
	h := start(t, Config{Dir: t.TempDir(), Filter: "dir=inbound or type=manual"})
	h.peerman.set(
		peerStats(1, true, peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, "198.51.100.7:50000"),
		peerStats(2, false, peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL, "192.0.2.1:8333"),
	)
	if recs, _, _ := ReadRecords(h.cfg.Dir); len(recs) != 0 {
		t.Fatalf("%d records before the first tick", len(recs))
	}
	h.clock.Advance(10 * time.Second)
	recs := h.records(t, 2)
	h.peerman.set(peerStats(2, false, peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL, "192.0.2.1:8333"))
	h.clock.Advance(10 * time.Second)
	recs = h.records(t, 3)

	for i, want := range []struct {
		id  uint64
		sec int
	}{{1, 10}, {2, 10}, {2, 20}} {
		r := recs[i]
		if r.Kind != KindPeriodic || r.Peer.ID != want.id || !r.Time.Equal(t0.Add(time.Duration(want.sec)*time.Second)) {
			t.Errorf("record %d: %s peer %d at %v, want periodic peer %d at t0+%ds", i, r.Kind, r.Peer.ID, r.Time, want.id, want.sec)
		}
	}
	if r := recs[0]; r.Peer.Direction != "inbound" || r.Peer.ConnectionType != "inbound" || r.Peer.Addr != "198.51.100.7:50000" ||
		r.Stats.TxReceived != 10 || r.Stats.Peer.Bytessent != 1000 || r.Stats.ByType[0].Msgtype != "ping" {
		t.Errorf("record 0 content %+v", r)
	}
	if got := h.peerman.asked(); len(got) != 2 || got[0] != h.cfg.Filter || got[1] != h.cfg.Filter {
		t.Errorf("peerman asked with filters %q, want the configured filter twice", got)
	}
	st := h.status(t)
	if !st.Enabled || st.Periodic != 3 || st.Final != 0 || st.File != filepath.Join(h.cfg.Dir, FileName) || st.Bytes == 0 {
		t.Errorf("status %+v", st)
	}
}

func TestPeerFinalWritesOneFinalRecord(t *testing.T) {
	h := start(t, Config{Dir: t.TempDir()})
	gone := peerStats(5, false, peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY, "203.0.113.9:8333")
	gone.Final = true
	gone.TimeUnixNano = t0.Add(3 * time.Second).UnixNano()
	h.system.Root.Send(h.pid, &peermanpb.PeerFinal{Stats: gone})
	recs := h.records(t, 1)
	r := recs[0]
	if r.Kind != KindFinal || r.Peer.ID != 5 || !r.Stats.Final || r.Stats.TimeUnixNano != gone.TimeUnixNano ||
		r.Stats.TxReceived != 50 || r.Peer.ConnectionType != "outbound-full-relay" || r.Peer.Direction != "outbound" {
		t.Fatalf("final record %+v", r)
	}

	// A second final for the same peer, and periodic stats gathered before
	// it left but answered after, are left out.
	h.system.Root.Send(h.pid, &peermanpb.PeerFinal{Stats: gone})
	h.peerman.set(gone, peerStats(6, true, peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, "198.51.100.8:1"))
	h.clock.Advance(10 * time.Second)
	recs = h.records(t, 2)
	if recs[1].Peer.ID != 6 || recs[1].Kind != KindPeriodic {
		t.Fatalf("record after the final: %+v", recs[1])
	}
	st := h.status(t)
	if st.Final != 1 || st.Periodic != 1 || st.DuplicateFinals != 1 || st.StalePeriodic != 1 {
		t.Fatalf("status %+v", st)
	}
}

func TestFinalRecordsFollowTheFilter(t *testing.T) {
	h := start(t, Config{Dir: t.TempDir(), Filter: "addr=10.0.0.0/8 or ua=*btcd*"})
	in := peerStats(1, true, peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, "10.1.2.3:50000")
	out := peerStats(2, false, peermanpb.ConnectionType_CONNECTION_TYPE_FEELER, "192.0.2.1:8333")
	btcd := peerStats(3, false, peermanpb.ConnectionType_CONNECTION_TYPE_FEELER, "192.0.2.2:8333")
	btcd.Peer.Subver = "/btcd:0.24.0/"
	for _, s := range []*peermanpb.PeerStats{in, out, btcd, {}} {
		h.system.Root.Send(h.pid, &peermanpb.PeerFinal{Stats: s})
	}
	st := h.status(t) // answered after the finals sent before it
	if st.Final != 2 || st.FilteredFinals != 2 {
		t.Fatalf("status %+v, want 2 final records and 2 filtered out", st)
	}
	recs := h.records(t, 2)
	if recs[0].Peer.ID != 1 || recs[1].Peer.ID != 3 {
		t.Fatalf("final records for peers %d and %d, want 1 and 3", recs[0].Peer.ID, recs[1].Peer.ID)
	}
}

func TestUnwritableDirectoryStopsDumpingAndTheActorKeepsAnswering(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "blocker")
	writeFile(t, filepath.Dir(blocker), "blocker", []byte("a file where the directory should be"))
	h := start(t, Config{Dir: filepath.Join(blocker, "peerstats")})
	st := h.status(t)
	if st.Enabled || st.LastError == "" {
		t.Fatalf("status %+v, want disabled with an error", st)
	}
	h.system.Root.Send(h.pid, &peermanpb.PeerFinal{Stats: peerStats(1, true, 1, "10.0.0.1:1")})
	h.clock.Advance(time.Minute)
	st = h.status(t)
	if st.Dropped != 1 || st.Final != 0 || st.Periodic != 0 {
		t.Fatalf("status %+v, want the final record dropped", st)
	}
	if n := len(h.peerman.asked()); n != 0 {
		t.Fatalf("peerman asked %d times after dumping stopped", n)
	}
	if n := strings.Count(h.logs.String(), "peer stats dumps stopped"); n != 1 {
		t.Fatalf("%d log lines about stopping, want 1:\n%s", n, h.logs.String())
	}
}

func TestWriteFailureMidRunStopsDumpingOnce(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "peerstats")
	h := start(t, Config{Dir: dir, MaxBytes: MinMaxBytes, MaxFiles: 1})
	send := func(from, to int) {
		for id := from; id < to; id++ {
			h.system.Root.Send(h.pid, &peermanpb.PeerFinal{Stats: peerStats(uint64(id), true, 1, "10.0.0.1:1")})
		}
	}
	send(1, 4)
	if st := h.status(t); !st.Enabled || st.Final != 3 {
		t.Fatalf("status %+v before the failure", st)
	}
	// The directory is replaced by a file: the writes go on into the open
	// file until a rotation is needed, which fails.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, parent, "peerstats", []byte("in the way"))
	perRecord := len(mustRecordLine(t, KindFinal, 1, 0)) + 1
	send(4, 4+3*MinMaxBytes/perRecord)
	st := h.status(t)
	if st.Enabled || st.LastError == "" || st.Dropped == 0 || st.Final == 0 {
		t.Fatalf("status %+v, want dumping stopped with an error after some records", st)
	}
	if n := strings.Count(h.logs.String(), "peer stats dumps stopped"); n != 1 {
		t.Fatalf("%d log lines about stopping, want 1:\n%s", n, h.logs.String())
	}
	h.clock.Advance(time.Minute)
	if st := h.status(t); st.Enabled || len(h.peerman.asked()) != 0 {
		t.Fatalf("after the failure: status %+v, peerman asked %d times", st, len(h.peerman.asked()))
	}
}

func TestUnansweredRequestSkipsTicks(t *testing.T) {
	h := start(t, Config{Dir: t.TempDir(), RequestTimeout: time.Hour})
	h.peerman.mu.Lock()
	h.peerman.silent = true
	h.peerman.mu.Unlock()
	h.clock.Advance(10 * time.Second)
	deadline := time.Now().Add(waitFor)
	for len(h.peerman.asked()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	h.clock.Advance(10 * time.Second)
	st := h.status(t)
	if len(h.peerman.asked()) != 1 || st.SkippedTicks != 1 || !st.Enabled {
		t.Fatalf("peerman asked %d times, status %+v; want one question and one skipped tick", len(h.peerman.asked()), st)
	}
}

func TestRefusedRequestIsCountedAndLoggedOnce(t *testing.T) {
	h := start(t, Config{Dir: t.TempDir(), RequestTimeout: 50 * time.Millisecond})
	h.peerman.mu.Lock()
	h.peerman.silent = true
	h.peerman.mu.Unlock()
	for i := 1; i <= 2; i++ {
		h.clock.Advance(10 * time.Second)
		deadline := time.Now().Add(waitFor)
		for h.status(t).FailedRequests != uint64(i) {
			if time.Now().After(deadline) {
				t.Fatalf("request %d never failed", i)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if n := strings.Count(h.logs.String(), "level=WARN msg=\"periodic dump got no stats"); n != 1 {
		t.Fatalf("%d warnings about failed requests, want 1:\n%s", n, h.logs.String())
	}
	if st := h.status(t); !st.Enabled {
		t.Fatalf("a failed request stopped dumping: %+v", st)
	}
}

func TestStopSyncsAndAFreshActorAppends(t *testing.T) {
	dir := t.TempDir()
	h := start(t, Config{Dir: dir})
	h.system.Root.Send(h.pid, &peermanpb.PeerFinal{Stats: peerStats(1, true, 1, "10.0.0.1:1")})
	h.status(t)
	if err := h.system.Root.PoisonFuture(h.pid).Wait(); err != nil {
		t.Fatal(err)
	}
	h2 := start(t, Config{Dir: dir})
	h2.system.Root.Send(h2.pid, &peermanpb.PeerFinal{Stats: peerStats(2, true, 1, "10.0.0.2:1")})
	recs := h2.records(t, 2)
	if recs[0].Peer.ID != 1 || recs[1].Peer.ID != 2 {
		t.Fatalf("records for peers %d, %d", recs[0].Peer.ID, recs[1].Peer.ID)
	}
}

func TestNewActorRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no dir":         {},
		"bad filter":     {Dir: "x", Filter: "addr=="},
		"small files":    {Dir: "x", MaxBytes: MinMaxBytes - 1},
		"negative files": {Dir: "x", MaxFiles: -1},
		"negative time":  {Dir: "x", Interval: -time.Second},
	} {
		if _, err := NewActor(cfg); err == nil {
			t.Errorf("%s: NewActor accepted %+v", name, cfg)
		}
	}
	if _, err := NewActor(Config{Dir: "x", Filter: "  "}); err != nil {
		t.Errorf("blank filter (every peer) refused: %v", err)
	}
	err := Config{Dir: "x", Filter: "addr=="}.Validate()
	if err == nil || !strings.Contains(err.Error(), "Filter") {
		t.Errorf("filter error %v does not name the field", err)
	}
}
