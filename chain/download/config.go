package download

import "time"

// Defaults applied by New to zero fields of Config.
const (
	// DefaultWindow is the number of blocks the window admits past the first
	// block not stored yet, itself included (Core's BLOCK_DOWNLOAD_WINDOW).
	DefaultWindow = 1024
	// DefaultMaxInFlightPerPeer bounds the blocks requested from one peer and
	// not received yet (Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER).
	DefaultMaxInFlightPerPeer = 16
	// DefaultStallTimeoutBase is the first and smallest stall timeout (Core's
	// BLOCK_STALLING_TIMEOUT_DEFAULT).
	DefaultStallTimeoutBase = 2 * time.Second
	// DefaultStallTimeoutMax caps the doubling stall timeout (Core's
	// BLOCK_STALLING_TIMEOUT_MAX).
	DefaultStallTimeoutMax = 64 * time.Second
	// DefaultBlockTimeoutBase is the block timeout of a peer when no other
	// peer is downloading (Core: one 10-minute block interval).
	DefaultBlockTimeoutBase = 10 * time.Minute
	// DefaultBlockTimeoutPerPeer is added to the block timeout for every
	// other peer downloading (Core: half a block interval).
	DefaultBlockTimeoutPerPeer = 5 * time.Minute
)

// stallDecay is the factor the stall timeout shrinks by per stored block
// (Core's BlockConnected), before truncation to whole seconds.
const stallDecay = 0.85

// Config tunes the scheduler. A zero or negative field takes its default;
// a StallTimeoutMax below StallTimeoutBase is raised to it.
type Config struct {
	// Window is the number of heights, from the first block not stored
	// yet, whose blocks may be requested (default 1024).
	Window int
	// MaxInFlightPerPeer bounds the blocks in flight from one peer
	// (default 16).
	MaxInFlightPerPeer int
	// StallTimeoutBase is the initial and minimum stall timeout (2 s).
	StallTimeoutBase time.Duration
	// StallTimeoutMax caps the stall timeout (64 s).
	StallTimeoutMax time.Duration
	// BlockTimeoutBase is how long a peer's oldest block may be in flight
	// when no other peer is downloading (10 min).
	BlockTimeoutBase time.Duration
	// BlockTimeoutPerPeer is added to BlockTimeoutBase for every other peer
	// we are downloading from (5 min).
	BlockTimeoutPerPeer time.Duration
}

// withDefaults returns cfg with every unset field at its default.
func (cfg Config) withDefaults() Config {
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.MaxInFlightPerPeer <= 0 {
		cfg.MaxInFlightPerPeer = DefaultMaxInFlightPerPeer
	}
	if cfg.StallTimeoutBase <= 0 {
		cfg.StallTimeoutBase = DefaultStallTimeoutBase
	}
	if cfg.StallTimeoutMax <= 0 {
		cfg.StallTimeoutMax = DefaultStallTimeoutMax
	}
	cfg.StallTimeoutMax = max(cfg.StallTimeoutMax, cfg.StallTimeoutBase)
	if cfg.BlockTimeoutBase <= 0 {
		cfg.BlockTimeoutBase = DefaultBlockTimeoutBase
	}
	if cfg.BlockTimeoutPerPeer <= 0 {
		cfg.BlockTimeoutPerPeer = DefaultBlockTimeoutPerPeer
	}
	return cfg
}
