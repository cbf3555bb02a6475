package addrman

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/addrman/bookfile"
)

// NewActor returns the producer of the addrman actor.
//
// On Started the actor loads the book from cfg.File (see the package
// documentation for missing and refused files), arms the periodic write and,
// when DNS seeding is enabled and the book is empty, asks the seeds. It
// answers every message of addrmanpb (see handlers.go) and writes a changed
// book every cfg.FlushInterval and on Stopping and Restarting. A file that
// exists but cannot be read makes Started panic with a *LoadError.
func NewActor(cfg Config) actor.Producer {
	cfg = cfg.withDefaults()
	return func() actor.Actor { return &addrmanActor{cfg: cfg, log: cfg.Logger} }
}

// flushTick asks the actor for its periodic write. owner is the actor
// incarnation that armed the timer; a tick from an earlier incarnation is
// ignored, so a restart never leaves two timer chains running.
type flushTick struct{ owner *addrmanActor }

// addrmanActor owns the book of one incarnation.
type addrmanActor struct {
	cfg   Config
	log   *slog.Logger
	book  *book.Book
	rng   book.Random
	cache *addrCache
	// dirty is set by every change to the book and cleared by a write.
	dirty  bool
	timer  actors.Timer
	seeder *seeder
}

// Receive implements actor.Actor.
func (a *addrmanActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *actor.Stopping:
		a.shutdown("stop", false)
	case *actor.Restarting:
		a.shutdown("restart", true)
	case *flushTick:
		if msg.owner == a {
			a.flush("periodic")
			a.armFlush(ctx)
		}
	case *seedResult:
		a.onSeedResult(msg)
	default:
		if a.book != nil {
			a.handle(ctx)
		}
	}
}

// start loads the book, arms the periodic write and starts DNS seeding
// when the book is empty.
func (a *addrmanActor) start(ctx actor.Context) {
	a.rng = newRandom(a.cfg)
	a.cache = newAddrCache()
	b, outcome, err := load(a.cfg.File, a.cfg, a.rng, a.cfg.Clock.Now(), a.log)
	if err != nil {
		a.log.Error("addrman cannot start", slog.Any("err", err))
		panic(err)
	}
	a.book = b
	// A new book is written at the first flush, so the file exists (and a
	// refused file is replaced) even when nothing is learnt.
	a.dirty = outcome != loadedFile
	a.armFlush(ctx)
	a.maybeSeed(ctx)
}

// armFlush schedules the next periodic write.
func (a *addrmanActor) armFlush(ctx actor.Context) {
	if a.cfg.File == "" || a.cfg.FlushInterval < 0 {
		return
	}
	root, self := ctx.ActorSystem().Root, ctx.Self()
	a.timer = a.cfg.Clock.AfterFunc(a.cfg.FlushInterval, func() {
		root.Send(self, &flushTick{owner: a})
	})
}

// maybeSeed starts the DNS lookups when seeding is enabled and the book is
// empty.
func (a *addrmanActor) maybeSeed(ctx actor.Context) {
	if !a.cfg.DNSSeed || a.book.Len() > 0 {
		return
	}
	if a.cfg.Params == nil {
		a.log.Warn("DNS seeding enabled but no network configured; not seeding")
		return
	}
	hosts := seedHosts(a.cfg)
	if len(hosts) == 0 {
		a.log.Info("address book is empty and the network has no DNS seeds", slog.String("network", a.cfg.Params.Name))
		return
	}
	a.log.Info("address book is empty; asking DNS seeds", slog.Any("seeds", hosts),
		slog.Duration("timeout", a.cfg.SeedTimeout))
	a.seeder = startSeeding(a.cfg, hosts, ctx.ActorSystem().Root, ctx.Self())
}

// onSeedResult adds a seed's answer to the book.
func (a *addrmanActor) onSeedResult(r *seedResult) {
	if a.book == nil {
		return
	}
	if r.err != nil {
		a.log.Warn("DNS seed lookup failed", slog.String("seed", r.host), slog.Any("err", r.err))
		return
	}
	port, err := strconv.ParseUint(a.cfg.Params.DefaultPort, 10, 16)
	if err != nil {
		a.log.Error("network has no usable default port; seed answer dropped",
			slog.String("seed", r.host), slog.String("port", a.cfg.Params.DefaultPort))
		return
	}
	now := a.cfg.Clock.Now()
	addrs := seedAddresses(r.ips, uint16(port), now, a.rng)
	// The book has no network for a seed's name, so the source is unknown:
	// every seed answer shares one source group.
	added := a.book.Add(addrs, book.Addr{}, 0, now)
	if len(addrs) > 0 {
		a.dirty = true
	}
	a.log.Info("DNS seed answered", slog.String("seed", r.host), slog.Int("addresses", len(addrs)), slog.Int("added", added))
}

// shutdown stops the timer and the seed lookups and writes the book. On a
// restart the book is written only when it is consistent: the restart may
// follow a panic in the middle of a change, and a bad file would be
// refused at the next load anyway.
func (a *addrmanActor) shutdown(why string, check bool) {
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	a.seeder.stop(a.log)
	a.seeder = nil
	if a.book == nil {
		return
	}
	if check {
		if err := a.book.CheckInvariants(); err != nil {
			a.log.Error("address book inconsistent after a failure; keeping the last written file",
				slog.String("path", a.cfg.File), slog.Any("err", err))
			return
		}
	}
	a.flush(why)
}

// flush writes the book to its file if it changed since the last write,
// logging how many entries it wrote and how long it took. A failed write
// is logged and retried at the next flush.
func (a *addrmanActor) flush(why string) {
	if a.cfg.File == "" || !a.dirty {
		return
	}
	start := time.Now()
	data := bookfile.Encode(a.book)
	if err := writeAtomic(a.cfg.File, data); err != nil {
		a.log.Error("cannot write address book", slog.String("path", a.cfg.File), slog.String("why", why), slog.Any("err", err))
		return
	}
	a.dirty = false
	level := slog.LevelDebug
	if why != "periodic" {
		level = slog.LevelInfo
	}
	a.log.Log(context.Background(), level, "address book written", slog.String("path", a.cfg.File), slog.String("why", why),
		slog.Int("entries", a.book.Len()), slog.Int("bytes", len(data)), slog.Duration("took", time.Since(start)))
}

// handle answers the boundary messages.
func (a *addrmanActor) handle(ctx actor.Context) {
	now := a.cfg.Clock.Now()
	switch msg := ctx.Message().(type) {
	case *addrmanpb.AddAddresses:
		a.addAddresses(msg, now)
	case *addrmanpb.Attempt:
		if addr, ok := a.parse(msg.GetAddress(), "Attempt"); ok {
			a.book.Attempt(addr, msg.GetCountFailure(), now)
			a.dirty = true
		}
	case *addrmanpb.Good:
		if addr, ok := a.parse(msg.GetAddress(), "Good"); ok {
			a.book.Good(addr, now)
			a.dirty = true
		}
	case *addrmanpb.Connected:
		if addr, ok := a.parse(msg.GetAddress(), "Connected"); ok {
			a.book.Connected(addr, now)
			a.dirty = true
		}
	case *addrmanpb.SetServices:
		if addr, ok := a.parse(msg.GetAddress(), "SetServices"); ok {
			a.book.SetServices(addr, wire.ServiceFlag(msg.GetServices()))
			a.dirty = true
		}
	case *addrmanpb.ResolveCollisions:
		a.book.ResolveCollisions(now)
		a.dirty = true
	case *addrmanpb.Select:
		info, ok := a.book.Select(msg.GetNewOnly(), networkIDs(msg.GetNetworks()), now)
		ctx.Respond(selected(info, ok))
	case *addrmanpb.SelectTriedCollision:
		info, ok := a.book.SelectTriedCollision()
		ctx.Respond(selected(info, ok))
	case *addrmanpb.GetAddrCache:
		net := book.NetworkID(0)
		if n := msg.GetRequestorNetwork(); n <= 255 {
			net = book.NetworkID(n)
		}
		addrs := a.cache.answer(net, a.book, now, a.cfg.CacheLifetime, a.cfg.CacheJitter, a.rng)
		ctx.Respond(addrList(addrs))
	case *addrmanpb.GetNodeAddresses:
		ctx.Respond(a.nodeAddresses(msg, now))
	case *addrmanpb.GetAddrmanInfo:
		ctx.Respond(a.info())
	case *addrmanpb.AddPeerAddress:
		ctx.Respond(a.addPeerAddress(msg, now))
	}
}
