package chainman

import (
	"log/slog"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/chain/download"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// Defaults of the zero Config fields.
const (
	// DefaultFlushInterval is how often stored blocks are made durable.
	DefaultFlushInterval = time.Second
	// DefaultTickInterval is how often the download scheduler's timers are
	// evaluated.
	DefaultTickInterval = 200 * time.Millisecond
	// DefaultProgressInterval is how often a progress line is logged while
	// syncing.
	DefaultProgressInterval = 10 * time.Second
	// MinPruneKeep is how many blocks below the block tip pruning always
	// keeps (Core's MIN_BLOCKS_TO_KEEP).
	MinPruneKeep = 288
	// MaxTipAge is how old the block tip may be for the node to count as
	// out of initial block download (Core's DEFAULT_MAX_TIP_AGE).
	MaxTipAge = 24 * time.Hour
)

// Config configures the chain actor.
type Config struct {
	// Params are the network's parameters (required).
	Params *chaincfg.Params
	// Dir is the block store's directory (required).
	Dir string
	// PruneTarget, when positive, prunes old blocks once the store holds
	// more than this many bytes, always keeping MinPruneKeep blocks below
	// the block tip. Zero keeps every block.
	PruneTarget int64
	// MaxFileSize is the block store's data file size; zero is the
	// store's default.
	MaxFileSize int64
	// FlushInterval is how often stored blocks are flushed (made durable);
	// zero means DefaultFlushInterval.
	FlushInterval time.Duration
	// TickInterval is how often the scheduler's timers run; zero means
	// DefaultTickInterval.
	TickInterval time.Duration
	// ProgressInterval is how often a progress line is logged while the
	// block tip is behind the header tip; zero means
	// DefaultProgressInterval.
	ProgressInterval time.Duration
	// Download configures the scheduler; zero fields take its defaults.
	Download download.Config
	// OnTip, when set, is called (from the actor) with every new
	// TipSnapshot, e.g. to publish the height for version messages.
	OnTip func(*chainpb.TipSnapshot)
	// Node receives actorspb.Fatal when the block store cannot be opened
	// or fails; nil only logs.
	Node *actor.PID
	// Clock is the only source of time; nil means actors.SystemClock.
	Clock actors.Clock
	// Logger receives the logs; nil discards them.
	Logger *slog.Logger
}

// withDefaults fills the zero fields that have defaults.
func (c Config) withDefaults() Config {
	if c.FlushInterval <= 0 {
		c.FlushInterval = DefaultFlushInterval
	}
	if c.TickInterval <= 0 {
		c.TickInterval = DefaultTickInterval
	}
	if c.ProgressInterval <= 0 {
		c.ProgressInterval = DefaultProgressInterval
	}
	if c.Clock == nil {
		c.Clock = actors.SystemClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
