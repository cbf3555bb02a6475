package recorder

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// DefaultQueueBytes bounds the frames waiting in the recorder's mailbox
// when Config.QueueBytes is zero: 64 MiB.
const DefaultQueueBytes = 64 << 20

// frameOverhead is what a queued frame is charged beyond its wire size: the
// message and its bookkeeping.
const frameOverhead = 128

// Config configures the capture recorder.
type Config struct {
	// Root is the capture directory, <datadir>/<network>/message_capture
	// (capture.Root).
	Root string
	// Filter is the initial selection (telemetry/peerfilter); empty
	// captures no peer until StartCapture.
	Filter string
	// MaxSessionBytes bounds the data files of one session; zero is no
	// limit.
	MaxSessionBytes uint64
	// MaxTotalBytes bounds all sessions on disk (oldest closed sessions are
	// removed first); zero is no limit.
	MaxTotalBytes uint64
	// QueueBytes bounds the captured frames waiting in the mailbox, each
	// counted as its wire size plus a small overhead; a frame that does not
	// fit is dropped and counted. A frame larger than the bound is taken
	// when the queue is empty. Zero means DefaultQueueBytes.
	QueueBytes uint64
	// Peerman receives the selection (peermanpb.SetCaptureSelection)
	// whenever StartCapture, StopCapture or a root error changes it, so
	// that new peers are tapped before their first message. Nothing is sent
	// when the recorder starts: peerman starts later and takes the initial
	// selection from its own config (peerman.Config.InitialCapture). Nil
	// means new peers are tapped when the recorder hears of them, after
	// their first messages.
	Peerman *actor.PID
	// Clock is the source of time; nil means actors.SystemClock.
	Clock actors.Clock
	// Logger receives the recorder's logs; nil discards them.
	Logger *slog.Logger
}

// Validate reports a configuration the recorder cannot run with.
func (cfg Config) Validate() error {
	if cfg.Root == "" {
		return errors.New("capture: no capture directory")
	}
	if cfg.Filter != "" {
		if _, err := peerfilter.Parse(cfg.Filter); err != nil {
			return fmt.Errorf("capture: filter: %w", err)
		}
	}
	return nil
}

// withDefaults returns cfg with every zero field that has a default filled.
func (cfg Config) withDefaults() Config {
	if cfg.QueueBytes == 0 {
		cfg.QueueBytes = DefaultQueueBytes
	}
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}
