package addrman_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/addrman/bookfile"
)

// waitLong bounds every wait; generous so a loaded machine passes.
const waitLong = 30 * time.Second

// t0 is the tests' start time on the manual clock.
var t0 = time.Unix(1_700_000_000, 0)

// logBuffer collects log output from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// logger returns a debug-level text logger writing to l.
func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// env is one actor system with one addrman actor under test.
type env struct {
	t      *testing.T
	system *actor.ActorSystem
	cfg    addrman.Config
	clock  *actors.ManualClock
	logs   *logBuffer
	pid    *actor.PID
}

// newEnv prepares a system, a manual clock at t0, a log buffer and a config
// whose file lies in a fresh temporary directory; mutate may change it.
func newEnv(t *testing.T) *env {
	t.Helper()
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	e := &env{t: t, system: system, clock: actors.NewManualClock(t0), logs: &logBuffer{}}
	e.cfg = addrman.Config{
		File:          filepath.Join(t.TempDir(), "net", "addrman.dat"),
		FlushInterval: -1,
		Clock:         e.clock,
		Logger:        e.logs.logger(),
		Rand:          rand.New(rand.NewPCG(1, 2)),
	}
	t.Cleanup(func() {
		e.stop()
		system.Shutdown()
	})
	return e
}

// start spawns the addrman actor with e.cfg and waits until it answers.
func (e *env) start() {
	e.t.Helper()
	e.pid = e.system.Root.Spawn(actor.PropsFromProducer(addrman.NewActor(e.cfg)))
	e.info()
}

// stop stops the actor and waits until it is gone.
func (e *env) stop() {
	if e.pid == nil {
		return
	}
	if err := e.system.Root.StopFuture(e.pid).Wait(); err != nil {
		e.t.Errorf("stopping addrman: %v", err)
	}
	e.pid = nil
}

// restart makes protoactor restart the actor in place, as a supervisor does
// after a failure.
func (e *env) restart() {
	e.t.Helper()
	proc, ok := e.system.ProcessRegistry.Get(e.pid)
	if !ok {
		e.t.Fatalf("addrman process not found")
	}
	proc.SendSystemMessage(e.pid, &actor.Restart{})
}

// send delivers msg without waiting for an answer.
func (e *env) send(msg any) { e.system.Root.Send(e.pid, msg) }

// ask sends msg and returns the answer of type T.
func ask[T any](e *env, msg any) T {
	e.t.Helper()
	res, err := e.system.Root.RequestFuture(e.pid, msg, waitLong).Result()
	if err != nil {
		e.t.Fatalf("asking %T: %v", msg, err)
	}
	out, ok := res.(T)
	if !ok {
		e.t.Fatalf("%T answered with %T", msg, res)
	}
	return out
}

// counts is one network's line of GetAddrmanInfo.
type counts struct{ new, tried, total uint64 }

// info returns GetAddrmanInfo by network name.
func (e *env) info() map[string]counts {
	e.t.Helper()
	out := map[string]counts{}
	for _, n := range ask[*addrmanpb.AddrmanInfo](e, &addrmanpb.GetAddrmanInfo{}).GetNetworks() {
		out[n.GetNetwork()] = counts{n.GetNew(), n.GetTried(), n.GetTotal()}
	}
	return out
}

// all returns the all_networks line.
func (e *env) all() counts {
	e.t.Helper()
	return e.info()[addrman.AllNetworks]
}

// nodeAddresses returns GetNodeAddresses.
func (e *env) nodeAddresses(count uint32, network string) []*addrmanpb.NetAddr {
	e.t.Helper()
	return ask[*addrmanpb.AddrList](e, &addrmanpb.GetNodeAddresses{Count: count, Network: network}).GetAddrs()
}

// eventually polls cond until it holds or waitLong passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// routableAddrs returns n distinct routable IPv4 addresses drawn from seed,
// as the boundary carries them, seen at seen.
func routableAddrs(n int, seed uint64, seen time.Time) []*addrmanpb.NetAddr {
	r := rand.New(rand.NewPCG(seed, 99))
	have := map[[4]byte]bool{}
	var out []*addrmanpb.NetAddr
	for len(out) < n {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], r.Uint32())
		a := book.AddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4(b), 8333))
		if !book.IsRoutable(a) || have[b] {
			continue
		}
		have[b] = true
		out = append(out, &addrmanpb.NetAddr{Network: 1, Addr: b[:], Port: 8333, Services: 9, Time: seen.Unix()})
	}
	return out
}

// offer sends AddAddresses from source and waits until it was handled.
func (e *env) offer(addrs []*addrmanpb.NetAddr, source string) {
	e.t.Helper()
	e.send(&addrmanpb.AddAddresses{Addrs: addrs, Source: source})
	e.info() // handled in order after the offer
}

// decodeFile decodes the book file at path.
func decodeFile(t *testing.T, path string) *book.Book {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	b, err := bookfile.Decode(data, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return b
}

// hostResolver is a fake Resolver: each name either answers a fixed list,
// fails, or hangs until its context ends (then reports on gaveUp).
type hostResolver struct {
	mu      sync.Mutex
	answers map[string][]string
	hang    map[string]bool
	asked   []string
	started chan string
	gaveUp  chan string
}

// newHostResolver returns a resolver with no names.
func newHostResolver() *hostResolver {
	return &hostResolver{answers: map[string][]string{}, hang: map[string]bool{},
		started: make(chan string, 64), gaveUp: make(chan string, 64)}
}

// LookupHost implements addrman.Resolver.
func (r *hostResolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	r.mu.Lock()
	r.asked = append(r.asked, host)
	ips, known := r.answers[host]
	hang := r.hang[host]
	r.mu.Unlock()
	r.started <- host
	if hang {
		<-ctx.Done()
		r.gaveUp <- host
		return nil, ctx.Err()
	}
	if !known {
		return nil, &lookupError{host: host}
	}
	return ips, nil
}

// askedHosts returns the names asked so far.
func (r *hostResolver) askedHosts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.asked...)
}

// lookupError is the fake resolver's "no such host".
type lookupError struct{ host string }

func (e *lookupError) Error() string { return "no such host " + e.host }

// waitFor reads from ch until want arrives or waitLong passes.
func waitFor(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	timeout := time.After(waitLong)
	for {
		select {
		case got := <-ch:
			if got == want {
				return
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %q", want)
		}
	}
}

// logged reports whether one log line holds every fragment.
func (e *env) logged(fragments ...string) bool {
	for _, line := range strings.Split(e.logs.String(), "\n") {
		all := true
		for _, f := range fragments {
			if !strings.Contains(line, f) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
