package addrman

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman/book"
)

// Defaults applied by NewActor to zero fields of Config.
const (
	// DefaultFlushInterval is how often the book is written to its file,
	// as Core dumps peers.dat every 15 minutes.
	DefaultFlushInterval = 15 * time.Minute
	// DefaultSeedTimeout bounds one DNS seed lookup.
	DefaultSeedTimeout = 30 * time.Second
	// DefaultCacheLifetime is how long a getaddr answer is reused before
	// it is drawn again (Core: 21 hours).
	DefaultCacheLifetime = 21 * time.Hour
	// DefaultCacheJitter is the bound of the random time added to each
	// cache's lifetime (Core: up to 6 hours), so a peer cannot tell when
	// a fresh answer is due.
	DefaultCacheJitter = 6 * time.Hour
)

// Resolver looks up the addresses of a host name. *net.Resolver satisfies
// it; tests pass a stand-in so no test touches the real network.
type Resolver interface {
	// LookupHost returns the IP addresses of host as text, and must give
	// up when ctx is done.
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Config is everything the addrman actor needs. NewActor copies it; it is
// never changed afterwards.
type Config struct {
	// File is the full path of the address book file (normally
	// <datadir>/<network>/addrman.dat). Empty keeps the book in memory
	// only: nothing is read or written and a restart starts empty.
	File string
	// Params is the network: its DNS seeds and its default port, which
	// seed answers get. Nil disables DNS seeding.
	Params *chaincfg.Params
	// DNSSeed enables DNS seeding: when the book is empty at start, the
	// seeds are asked for addresses.
	DNSSeed bool
	// DNSSeeds, when non-nil, replaces Params' seeds; the names are asked
	// exactly as given.
	DNSSeeds []string
	// Resolver answers the DNS seed lookups; nil is net.DefaultResolver.
	Resolver Resolver
	// SeedTimeout bounds each seed lookup; zero is DefaultSeedTimeout.
	SeedTimeout time.Duration
	// FlushInterval is how often a changed book is written; zero is
	// DefaultFlushInterval, negative disables the periodic write (the
	// book is still written when the actor stops or restarts).
	FlushInterval time.Duration
	// CacheLifetime and CacheJitter set how long a getaddr answer cache
	// lives: CacheLifetime plus a random duration below CacheJitter. Zero
	// values are DefaultCacheLifetime and DefaultCacheJitter; a negative
	// jitter adds none.
	CacheLifetime, CacheJitter time.Duration
	// Clock is addrman's only source of time; nil is the wall clock.
	Clock actors.Clock
	// Logger receives addrman's logs; nil discards them.
	Logger *slog.Logger
	// Rand is the randomness of the book, the cache jitter and the seed
	// address ages. Nil draws a ChaCha8 source seeded from crypto/rand,
	// and the bucket key of a new book from crypto/rand. A non-nil Rand
	// (tests) also supplies the key of a new book, so the whole book is
	// reproducible; production code leaves it nil.
	Rand book.Random
}

// withDefaults returns cfg with zero fields replaced by their defaults.
func (cfg Config) withDefaults() Config {
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.SeedTimeout <= 0 {
		cfg.SeedTimeout = DefaultSeedTimeout
	}
	if cfg.FlushInterval == 0 {
		cfg.FlushInterval = DefaultFlushInterval
	}
	if cfg.CacheLifetime <= 0 {
		cfg.CacheLifetime = DefaultCacheLifetime
	}
	if cfg.CacheJitter == 0 {
		cfg.CacheJitter = DefaultCacheJitter
	}
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.DNSSeeds = cloneStrings(cfg.DNSSeeds)
	return cfg
}

// cloneStrings copies s, keeping nil as nil.
func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}
