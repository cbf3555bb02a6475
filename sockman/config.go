package sockman

import (
	"log/slog"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// DefaultMaxSendQueue is the send queue limit, in wire bytes, used when
// Config.MaxSendQueue is zero: room for two maximal messages.
const DefaultMaxSendQueue = 2 * (HeaderSize + DefaultMaxPayload)

// DefaultMaxRecvBuffer is the receive budget, in wire bytes, used when
// Config.MaxRecvBuffer is zero: Bitcoin Core's -maxreceivebuffer default of
// 5000 KB.
const DefaultMaxRecvBuffer = 5_000_000

// DefaultMaxRecvFrames bounds the frames delivered to a flow-controlled
// owner and not yet acknowledged when Config.MaxRecvFrames is zero. Bytes
// alone let a flood of 32-byte pings park about 156,000 messages per
// connection in the owner's mailbox, and with 100 such peers the garbage
// collector, not the handlers, set the pace (docs/benchmarks.md).
const DefaultMaxRecvFrames = 1024

// DefaultDialTimeout bounds a dial when neither Dial.timeout_ms nor
// Config.DialTimeout is set. It matches Bitcoin Core's default connect
// timeout.
const DefaultDialTimeout = 5 * time.Second

// DefaultStopWait bounds how long a stopping sockman actor waits for its
// listeners, dials and connections to wind down.
const DefaultStopWait = 5 * time.Second

// Config configures a sockman actor. The zero value of every field except Net
// selects a default.
type Config struct {
	// Net is the magic every frame carries, sent and expected.
	Net wire.BitcoinNet
	// MaxPayload is the largest payload accepted from a peer; a header
	// claiming more closes the connection (OVERSIZED). Zero means
	// DefaultMaxPayload.
	MaxPayload uint32
	// MaxSendQueue is the most wire bytes one connection may hold queued and
	// unwritten. A Send that would go beyond it closes the connection
	// (SEND_QUEUE_FULL); a Send into an empty queue is always accepted. Zero
	// means DefaultMaxSendQueue.
	MaxSendQueue int
	// MaxRecvBuffer is each connection's receive budget: once a
	// flow-controlled owner (Start.flow_control) holds this many delivered
	// wire bytes it has not acknowledged with Consumed, the socket is not
	// read until it does. Zero means DefaultMaxRecvBuffer; a value below one
	// maximal frame (HeaderSize + MaxPayload) means one maximal frame.
	MaxRecvBuffer int
	// MaxRecvFrames bounds the unacknowledged frames the same way; zero
	// means DefaultMaxRecvFrames.
	MaxRecvFrames int
	// DialTimeout bounds a dial whose Dial.timeout_ms is zero. Zero means
	// DefaultDialTimeout.
	DialTimeout time.Duration
	// StopWait bounds how long stopping waits for goroutines to exit. Zero
	// means DefaultStopWait.
	StopWait time.Duration
	// Clock stamps Opened, Frame, Closed and the stats. Nil means
	// actors.SystemClock.
	Clock actors.Clock
	// Logger receives sockman's logs. Nil discards them.
	Logger *slog.Logger
	// ConnProps builds the Props of each connection actor from its producer;
	// the node uses it to add middleware. It is called once per connection.
	// Nil means actor.PropsFromProducer.
	ConnProps func(actor.Producer) *actor.Props

	// totals and listens are shared by every actor NewActor produces, so
	// they survive a restart.
	totals  *netTotals
	listens *listenRegistry
}

// withDefaults returns cfg with every zero field replaced by its default.
func (cfg Config) withDefaults() Config {
	if cfg.MaxPayload == 0 {
		cfg.MaxPayload = DefaultMaxPayload
	}
	if cfg.MaxSendQueue <= 0 {
		cfg.MaxSendQueue = DefaultMaxSendQueue
	}
	if cfg.MaxRecvBuffer <= 0 {
		cfg.MaxRecvBuffer = DefaultMaxRecvBuffer
	}
	cfg.MaxRecvBuffer = max(cfg.MaxRecvBuffer, HeaderSize+int(cfg.MaxPayload))
	if cfg.MaxRecvFrames <= 0 {
		cfg.MaxRecvFrames = DefaultMaxRecvFrames
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	if cfg.StopWait <= 0 {
		cfg.StopWait = DefaultStopWait
	}
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ConnProps == nil {
		cfg.ConnProps = func(p actor.Producer) *actor.Props { return actor.PropsFromProducer(p) }
	}
	return cfg
}
