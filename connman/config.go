package connman

import (
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/banlist"
	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/connman/outbound"
)

// DefaultBanTime is how long a setban without a bantime lasts (Core's
// -bantime default).
const DefaultBanTime = 24 * time.Hour

// Config configures the connman actor. Zero values select defaults except
// where a field says otherwise.
type Config struct {
	// Listen lists host:port addresses to accept peers on.
	Listen []string
	// Connect, when non-empty, lists the only peers to connect out to.
	Connect []string
	// AddNode lists peers kept connected in addition.
	AddNode []string
	// NoBan lists addresses or CIDR subnets whose peers are never banned,
	// discouraged or evicted (Core's noban permission).
	NoBan []string
	// DefaultPort is added to addnode and disconnectnode addresses given
	// without a port.
	DefaultPort string
	// MaxConnections bounds inbound plus automatic outbound connections;
	// zero means outbound.DefaultMaxConnections, negative means zero.
	MaxConnections int
	// MaxOutboundFullRelay is the number of full-relay outbound slots;
	// zero means 8, negative means none.
	MaxOutboundFullRelay int
	// MaxBlockRelayOnly is the number of block-relay-only slots; zero
	// means 2, negative means none.
	MaxBlockRelayOnly int
	// MaxFeelers is the number of feeler slots; zero means 1, negative
	// means none.
	MaxFeelers int
	// DialTimeout bounds one dial; zero leaves sockman's default.
	DialTimeout time.Duration
	// BanFile is where bans are kept (for example <NetDir>/banlist.json);
	// empty keeps them in memory only.
	BanFile string
	// DefaultBanTime is the length of a ban given without a time; zero
	// means DefaultBanTime.
	DefaultBanTime time.Duration
	// Sockman is the sockman actor.
	Sockman *actor.PID
	// Peerman receives AttachPeer for every accepted connection.
	Peerman *actor.PID
	// Addrman is the address manager automatic outbound connections draw
	// their addresses from and report to; nil means no automatic outbound
	// connections (only manual peers are dialled). A non-empty Connect
	// also disables them.
	Addrman *actor.PID
	// Rand times the feelers; nil means math/rand/v2's shared source.
	Rand Random
	// Node is the root supervisor, told when a listener cannot be opened.
	Node *actor.PID
	// Clock is connman's only source of time and timers.
	Clock actors.Clock
	// Logger is connman's logger.
	Logger *slog.Logger
	// EvictionKey seeds the keyed netgroups of eviction; nil means a
	// random key, chosen once per NewActor (so kept across restarts).
	EvictionKey []byte

	// groupOf replaces netgroup.Of for the one-outbound-per-group rule;
	// only tests set it, to spread loopback peers over many groups.
	groupOf outbound.Grouper
}

// Random is the source of randomness of connman's timing.
type Random interface {
	// ExpFloat64 returns an exponentially distributed value with mean 1,
	// as math/rand/v2's Rand does.
	ExpFloat64() float64
}

// sharedRand is math/rand/v2's goroutine-safe, randomly seeded source.
type sharedRand struct{}

// ExpFloat64 implements Random.
func (sharedRand) ExpFloat64() float64 { return rand.ExpFloat64() }

// withDefaults returns cfg with zero fields replaced by their defaults.
func (cfg Config) withDefaults() Config {
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DefaultBanTime <= 0 {
		cfg.DefaultBanTime = DefaultBanTime
	}
	if cfg.Rand == nil {
		cfg.Rand = sharedRand{}
	}
	if cfg.groupOf == nil {
		cfg.groupOf = netgroup.Of
	}
	return cfg
}

// limits returns the slot limits the configuration asks for.
func (cfg Config) limits() outbound.Limits {
	pick := func(v, def int) int {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	return outbound.Limits{
		MaxConnections: pick(cfg.MaxConnections, outbound.DefaultMaxConnections),
		FullRelay:      pick(cfg.MaxOutboundFullRelay, outbound.DefaultFullRelay),
		BlockRelayOnly: pick(cfg.MaxBlockRelayOnly, outbound.DefaultBlockRelayOnly),
		Feelers:        pick(cfg.MaxFeelers, outbound.DefaultFeelers),
	}.Effective()
}

// noBanSubnets parses cfg.NoBan, logging and skipping bad entries.
func (cfg Config) noBanSubnets() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range cfg.NoBan {
		p, err := banlist.ParseSubnet(s)
		if err != nil {
			cfg.Logger.Error("ignoring noban entry", "entry", s, "error", err)
			continue
		}
		out = append(out, p)
	}
	return out
}

// withPort returns addr with DefaultPort added when it has none.
func (cfg Config) withPort(addr string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil || cfg.DefaultPort == "" {
		return addr
	}
	if a, err := netip.ParseAddr(addr); err == nil {
		return net.JoinHostPort(a.String(), cfg.DefaultPort)
	}
	if len(addr) > 2 && addr[0] == '[' && addr[len(addr)-1] == ']' {
		return addr + ":" + cfg.DefaultPort
	}
	return net.JoinHostPort(addr, cfg.DefaultPort)
}
