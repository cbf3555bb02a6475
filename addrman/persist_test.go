package addrman_test

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/addrman/bookfile"
)

// fillSome offers 300 addresses from one peer and marks every tenth Good.
func fillSome(e *env) counts {
	e.t.Helper()
	addrs := routableAddrs(300, 7, t0.Add(-time.Hour))
	e.offer(addrs, "203.0.113.9:8333")
	for i := 0; i < len(addrs); i += 10 {
		a, err := addrman.FromNetAddr(addrs[i])
		if err != nil {
			e.t.Fatal(err)
		}
		e.send(&addrmanpb.Good{Address: a.String()})
	}
	c := e.all()
	if c.new == 0 || c.tried == 0 {
		e.t.Fatalf("book after filling: %+v, want new and tried entries", c)
	}
	return c
}

func TestStopWritesAndStartReloads(t *testing.T) {
	e := newEnv(t)
	e.start()
	if got := e.all(); got != (counts{}) {
		t.Fatalf("new book: %+v, want empty", got)
	}
	if !e.logged("no address book file", e.cfg.File) {
		t.Fatalf("missing-file start not logged:\n%s", e.logs)
	}
	want := fillSome(e)
	before := e.info()
	if _, err := os.Stat(e.cfg.File); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("file written before stop with periodic writes off: %v", err)
	}
	e.stop()
	if !e.logged("address book written", "why=stop", "entries="+strconv.FormatUint(want.total, 10)) {
		t.Fatalf("write at stop not logged with its entry count:\n%s", e.logs)
	}
	if got := decodeFile(t, e.cfg.File).Len(); uint64(got) != want.total {
		t.Fatalf("file holds %d entries, want %d", got, want.total)
	}
	if info, err := os.Stat(e.cfg.File); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v %v, want 0600", info.Mode(), err)
	}
	leftovers, _ := filepath.Glob(e.cfg.File + ".tmp-*")
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}

	e.start()
	if got := e.info(); !equalInfo(got, before) {
		t.Fatalf("after reload %+v, want %+v", got, before)
	}
	if !e.logged("address book loaded", e.cfg.File, "entries="+strconv.FormatUint(want.total, 10)) {
		t.Fatalf("load not logged:\n%s", e.logs)
	}
}

// equalInfo compares two GetAddrmanInfo answers.
func equalInfo(a, b map[string]counts) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRestartWritesBeforeReloading(t *testing.T) {
	e := newEnv(t)
	e.start()
	want := fillSome(e)
	e.restart()
	// The restarted incarnation answers only after it reloaded the file
	// the old one wrote in Restarting.
	eventually(t, "the restarted actor reloaded the book", func() bool {
		return e.logged("address book loaded", "entries="+strconv.FormatUint(want.total, 10))
	})
	if got := e.all(); got != want {
		t.Fatalf("after restart %+v, want %+v", got, want)
	}
	if !e.logged("address book written", "why=restart") {
		t.Fatalf("write at restart not logged:\n%s", e.logs)
	}
}

// writeBookFile writes a valid book of n addresses to path and returns its
// bytes.
func writeBookFile(t *testing.T, path string, n int) []byte {
	t.Helper()
	b := book.New(book.Key{1, 2, 3}, rand.New(rand.NewPCG(3, 3)))
	for _, na := range routableAddrs(n, 11, t0) {
		a, err := addrman.FromNetAddr(na)
		if err != nil {
			t.Fatal(err)
		}
		b.Add([]book.Address{a}, a.Addr, 0, t0)
	}
	data := bookfile.Encode(b)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRefusedFileIsMovedAside(t *testing.T) {
	cases := map[string]struct {
		damage func([]byte) []byte
		reason string
	}{
		"truncated": {func(b []byte) []byte { return b[:len(b)/2] }, "bookfile: truncated"},
		"corrupt": {func(b []byte) []byte {
			c := append([]byte(nil), b...)
			c[len(c)/2] ^= 0x40
			return c
		}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			good := writeBookFile(t, e.cfg.File, 50)
			bad := tc.damage(good)
			if err := os.WriteFile(e.cfg.File, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			_, decodeErr := bookfile.Decode(bad, rand.New(rand.NewPCG(1, 1)))
			var de *bookfile.DecodeError
			if !errors.As(decodeErr, &de) {
				t.Fatalf("damaged file decodes: %v", decodeErr)
			}

			e.start()
			if got := e.all(); got != (counts{}) {
				t.Fatalf("book after a refused file: %+v, want empty", got)
			}
			aside := e.cfg.File + ".corrupt-" + strconv.FormatInt(t0.Unix(), 10)
			kept, err := os.ReadFile(aside)
			if err != nil {
				t.Fatalf("refused file not moved aside: %v", err)
			}
			if string(kept) != string(bad) {
				t.Fatalf("moved-aside file differs from the refused one")
			}
			if _, err := os.Stat(e.cfg.File); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("refused file still in place: %v", err)
			}
			if !e.logged("level=ERROR", "path="+e.cfg.File, "offset="+strconv.Itoa(de.Offset), "moved_to="+aside) {
				t.Fatalf("refusal not logged with path, offset and new name:\n%s", e.logs)
			}
			if tc.reason != "" && !e.logged(`reason="`+tc.reason+`"`) {
				t.Fatalf("reason %q not logged:\n%s", tc.reason, e.logs)
			}

			// The empty book serves and is written as usual; the old
			// file stays aside.
			e.offer(routableAddrs(5, 1, t0), "198.51.100.1:8333")
			e.stop()
			if got := decodeFile(t, e.cfg.File).Len(); got != 5 {
				t.Fatalf("new file holds %d entries, want 5", got)
			}
			if again, _ := os.ReadFile(aside); string(again) != string(bad) {
				t.Fatalf("moved-aside file changed")
			}
		})
	}
}

func TestSecondRefusedFileGetsItsOwnName(t *testing.T) {
	e := newEnv(t)
	aside := e.cfg.File + ".corrupt-" + strconv.FormatInt(t0.Unix(), 10)
	writeBookFile(t, e.cfg.File, 3)
	if err := os.WriteFile(aside, []byte("earlier"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.cfg.File, []byte("not a book"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.start()
	if got, _ := os.ReadFile(aside); string(got) != "earlier" {
		t.Fatalf("an earlier moved-aside file was overwritten: %q", got)
	}
	if got, err := os.ReadFile(aside + "-1"); err != nil || string(got) != "not a book" {
		t.Fatalf("second refused file: %q %v", got, err)
	}
}

func TestUnreadableFileStopsTheActorAndKeepsTheData(t *testing.T) {
	e := newEnv(t)
	// A directory where the file should be: it exists but cannot be read
	// as a file, so addrman must neither wipe nor move it.
	if err := os.MkdirAll(filepath.Join(e.cfg.File, "keep"), 0o700); err != nil {
		t.Fatal(err)
	}
	failures := make(chan string, 4)
	parent := e.system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			ctx.Spawn(actor.PropsFromProducer(addrman.NewActor(e.cfg)))
		}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(0, 0, func(reason interface{}) actor.Directive {
		failures <- errorText(reason)
		return actor.StopDirective
	}))))
	t.Cleanup(func() { _ = e.system.Root.StopFuture(parent).Wait() })
	select {
	case why := <-failures:
		if !e.logged("addrman cannot start", e.cfg.File) {
			t.Fatalf("failure not logged with the path:\n%s", e.logs)
		}
		if why == "" {
			t.Fatalf("empty failure reason")
		}
	case <-time.After(waitLong):
		t.Fatal("addrman started on an unreadable file")
	}
	if _, err := os.Stat(filepath.Join(e.cfg.File, "keep")); err != nil {
		t.Fatalf("unreadable data touched: %v", err)
	}
}

// errorText returns a panic reason's text, checking it is a *LoadError.
func errorText(reason any) string {
	var le *addrman.LoadError
	if err, ok := reason.(error); ok && errors.As(err, &le) && le.Op == "read" {
		return le.Error()
	}
	return ""
}

func TestPeriodicWrite(t *testing.T) {
	e := newEnv(t)
	e.cfg.FlushInterval = 15 * time.Minute
	e.start()
	e.offer(routableAddrs(40, 3, t0), "203.0.113.1:8333")
	e.clock.Advance(15*time.Minute - time.Second)
	e.info()
	if _, err := os.Stat(e.cfg.File); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("file written before the interval passed: %v", err)
	}
	e.clock.Advance(time.Second)
	eventually(t, "the periodic write", func() bool {
		_, err := os.Stat(e.cfg.File)
		return err == nil
	})
	if got := decodeFile(t, e.cfg.File).Len(); got != 40 {
		t.Fatalf("first write holds %d entries, want 40", got)
	}
	if !e.logged("address book written", "why=periodic", "entries=40", "took=") {
		t.Fatalf("periodic write not logged:\n%s", e.logs)
	}

	// The timer is re-armed: the next interval writes the next change.
	e.offer(routableAddrs(10, 4, t0), "203.0.113.2:8333")
	want := e.all().total
	e.clock.Advance(15 * time.Minute)
	eventually(t, "the second periodic write", func() bool {
		return e.logged("address book written", "why=periodic", "entries="+strconv.FormatUint(want, 10))
	})
	if got := decodeFile(t, e.cfg.File).Len(); uint64(got) != want {
		t.Fatalf("second write holds %d entries, want %d", got, want)
	}
}

func TestMemoryOnlyBookWritesNothing(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Dir(e.cfg.File)
	e.cfg.File = ""
	e.cfg.FlushInterval = time.Minute
	e.start()
	e.offer(routableAddrs(5, 3, t0), "203.0.113.1:8333")
	e.clock.Advance(time.Hour)
	e.stop()
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("memory-only addrman created %s: %v", dir, err)
	}
	if !e.logged("memory only") {
		t.Fatalf("memory-only mode not logged:\n%s", e.logs)
	}
}
