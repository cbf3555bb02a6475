package dump

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// Defaults of the zero Config fields.
const (
	// DefaultInterval is the time between two periodic dumps.
	DefaultInterval = time.Minute
	// DefaultMaxBytes bounds one dump file (16 MiB).
	DefaultMaxBytes = 16 << 20
	// DefaultMaxFiles is how many rotated files are kept.
	DefaultMaxFiles = 4
	// DefaultRequestTimeout bounds the wait for peerman's PeerStatsList. It
	// exceeds peerman's own wait for its Peers' answers.
	DefaultRequestTimeout = 30 * time.Second
)

// MinMaxBytes is the smallest accepted Config.MaxBytes: one record of a
// busy peer takes several kilobytes, and a record larger than a file is
// dropped.
const MinMaxBytes = 64 << 10

// Config configures the dump actor. The zero value of every field but Dir
// selects a default (documented per field).
type Config struct {
	// Dir is the directory of the dump files (the node passes
	// <datadir>/<network>/peerstats). Required.
	Dir string
	// Interval is the time between two periodic dumps; zero means
	// DefaultInterval.
	Interval time.Duration
	// Filter selects the peers dumped, in the telemetry/peerfilter
	// language; empty or blank selects every peer. peerman applies it to
	// the periodic dumps; the actor applies it to final records.
	Filter string
	// MaxBytes bounds each file; zero means DefaultMaxBytes, otherwise at
	// least MinMaxBytes.
	MaxBytes int64
	// MaxFiles is how many rotated files are kept besides the current one;
	// zero means DefaultMaxFiles. Disk use stays within
	// MaxBytes*(MaxFiles+1).
	MaxFiles int
	// RequestTimeout bounds the wait for peerman's answer; zero means
	// DefaultRequestTimeout. A tick that comes while a question is pending
	// is skipped (and counted).
	RequestTimeout time.Duration
	// Peerman is asked GetPeerStats every Interval. Nil writes no periodic
	// records, only final ones.
	Peerman *actor.PID
	// Clock is the only source of time; nil means actors.SystemClock.
	Clock actors.Clock
	// Logger receives the actor's logs; nil discards them.
	Logger *slog.Logger
}

// Validate reports what is wrong with cfg, naming the field.
func (c Config) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("dump: Dir is empty"))
	}
	if c.Interval < 0 {
		errs = append(errs, fmt.Errorf("dump: Interval %v is negative", c.Interval))
	}
	if c.MaxBytes != 0 && c.MaxBytes < MinMaxBytes {
		errs = append(errs, fmt.Errorf("dump: MaxBytes %d is below the minimum %d", c.MaxBytes, MinMaxBytes))
	}
	if c.MaxFiles < 0 {
		errs = append(errs, fmt.Errorf("dump: MaxFiles %d is negative", c.MaxFiles))
	}
	if c.RequestTimeout < 0 {
		errs = append(errs, fmt.Errorf("dump: RequestTimeout %v is negative", c.RequestTimeout))
	}
	if _, err := parseFilter(c.Filter); err != nil {
		errs = append(errs, fmt.Errorf("dump: Filter: %w", err))
	}
	return errors.Join(errs...)
}

// withDefaults returns c with every zero field that has a default filled.
func (c Config) withDefaults() Config {
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.MaxFiles == 0 {
		c.MaxFiles = DefaultMaxFiles
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.Clock == nil {
		c.Clock = actors.SystemClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// parseFilter parses a dump filter; a blank filter selects every peer and
// is returned as nil.
func parseFilter(src string) (*peerfilter.Filter, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	return peerfilter.Parse(src)
}
