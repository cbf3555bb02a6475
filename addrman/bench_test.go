package addrman_test

import (
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/addrman/bookfile"
)

// fullBookFile writes a book filled close to the tables' capacity (about
// 78,000 of at most 81,920 entries) to a file in dir and returns its path
// and entry count.
func fullBookFile(b *testing.B, dir string) (string, int) {
	b.Helper()
	bk := book.New(book.Key{7}, rand.New(rand.NewPCG(1, 1)))
	r := rand.New(rand.NewPCG(2, 2))
	sources := make([]book.Addr, 512)
	routable := func() book.Addr {
		for {
			var ip [4]byte
			binary.BigEndian.PutUint32(ip[:], r.Uint32())
			if a := book.AddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4(ip), 8333)); book.IsRoutable(a) {
				return a
			}
		}
	}
	for i := range sources {
		sources[i] = routable()
	}
	for i := range 400_000 {
		a := routable()
		bk.Add([]book.Address{{Addr: a, Services: 9, Time: t0.Add(-time.Duration(r.IntN(72)) * time.Hour).Unix()}},
			sources[i%len(sources)], 0, t0)
		if i%3 == 0 {
			bk.Good(a, t0)
		}
	}
	path := filepath.Join(dir, "addrman.dat")
	if err := os.WriteFile(path, bookfile.Encode(bk), 0o600); err != nil {
		b.Fatal(err)
	}
	return path, bk.Len()
}

// BenchmarkStartWithFullBook measures an addrman start on a full book file:
// spawn, read and decode the file, answer the first question, stop.
func BenchmarkStartWithFullBook(b *testing.B) {
	path, entries := fullBookFile(b, b.TempDir())
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer system.Shutdown()
	cfg := addrman.Config{File: path, FlushInterval: -1, Clock: actors.NewManualClock(t0)}
	props := actor.PropsFromProducer(addrman.NewActor(cfg))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		pid := system.Root.Spawn(props)
		res, err := system.Root.RequestFuture(pid, &addrmanpb.GetAddrmanInfo{}, waitLong).Result()
		if err != nil {
			b.Fatal(err)
		}
		if n := res.(*addrmanpb.AddrmanInfo).GetNetworks(); n[len(n)-1].GetTotal() != uint64(entries) {
			b.Fatalf("loaded %d entries, want %d", n[len(n)-1].GetTotal(), entries)
		}
		if err := system.Root.StopFuture(pid).Wait(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(entries), "entries")
}
