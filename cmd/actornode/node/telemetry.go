package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/attribute"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/config"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/rpc"
	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/recorder"
	"github.com/actornode/actornode/telemetry/metrics"
	"github.com/actornode/actornode/telemetry/service"
	"github.com/actornode/actornode/telemetry/trace"
)

// telemetryShutdownTimeout bounds the final flush of queued spans and the
// shutdown of the metrics endpoint, each, after the actors have stopped. A
// collector that is down costs at most this much at exit.
const telemetryShutdownTimeout = 2 * time.Second

// Actor kinds of the per-connection actors in the mailbox metrics.
const (
	mailboxKindPeer = "peer"
	mailboxKindConn = "conn"
)

// nodeTelemetry is the node's tracer and metrics, built before the actors
// and shut down after them.
type nodeTelemetry struct {
	cfg     config.Telemetry
	tracer  *trace.Tracer
	metrics *metrics.Metrics
	send    actor.SenderMiddleware
}

// startTelemetry builds the tracer and the metrics of cfg (one resource,
// one instance id for both), registers the dropped-span counter and binds
// the metrics endpoint. A collector that is down is not an error; a bad
// setting or a metrics address in use is.
func startTelemetry(cfg config.Config, log *slog.Logger) (*nodeTelemetry, error) {
	info := service.Info{Version: Version(), InstanceID: service.NewInstanceID(), Network: cfg.Network}
	tc := cfg.Telemetry.Traces
	tracer, err := trace.New(trace.Config{
		Sampler:   tc.Sampler,
		Ratio:     tc.Ratio,
		Peers:     tc.Peers,
		Endpoint:  tc.Endpoint,
		Protocol:  tc.Protocol,
		QueueSize: tc.QueueSize,
	}, info, trace.WithLogger(log))
	if err != nil {
		return nil, err
	}
	t := &nodeTelemetry{cfg: cfg.Telemetry, tracer: tracer, send: tracer.SendMiddleware()}
	if t.metrics, err = metrics.New(metrics.Config{Listen: cfg.Telemetry.Metrics.Listen}, info); err != nil {
		t.shutdown(log)
		return nil, err
	}
	if err := t.metrics.ObserveCounter(trace.MetricDroppedSpans,
		"Finished spans that never reached the collector: dropped at a full export queue or lost in a failed export.",
		tracer.DroppedSpans); err != nil {
		t.shutdown(log)
		return nil, fmt.Errorf("telemetry.metrics: %w", err)
	}
	if err := t.metrics.Start(); err != nil {
		t.shutdown(log)
		return nil, err
	}
	if addr := t.metrics.Addr(); addr != nil {
		log.Info("metrics served", "url", "http://"+addr.String()+metrics.Path)
	}
	if tracer.Enabled() {
		log.Info("tracing on", "sampler", tc.Sampler, "ratio", tc.Ratio, "peers", tc.Peers,
			"endpoint", tc.Endpoint, "protocol", tc.Protocol)
	}
	return t, nil
}

// chain returns the middleware of the actors of subsystem sub: the tracing
// slots (nil when tracing is off) and the handler-duration metrics (nil when
// metrics are off; actors.NewProps skips nil entries). Each subsystem gets
// its own chain because spans and metric labels name the subsystem.
func (t *nodeTelemetry) chain(sub actors.Subsystem) actors.Chain {
	return actors.Chain{
		Tracing:     t.tracer.ReceiveMiddleware(sub),
		TracingSend: t.send,
		Receive:     []actor.ReceiverMiddleware{t.metrics.ReceiveMiddleware(sub)},
	}
}

// mailbox returns fresh counters for the mailboxes of sub's actors of the
// given kind, reported in the mailbox metrics.
func (t *nodeTelemetry) mailbox(sub actors.Subsystem, kind string) (*actors.MailboxCounters, error) {
	c := &actors.MailboxCounters{}
	if err := t.metrics.ObserveMailbox(sub, kind, c); err != nil {
		return nil, err
	}
	return c, nil
}

// info answers gettelemetryinfo: the settings and the export counters,
// read atomically. It is safe for concurrent use.
func (t *nodeTelemetry) info() rpc.TelemetryInfo {
	tc := t.cfg.Traces
	s := t.tracer.Stats()
	listen := t.cfg.Metrics.Listen
	if addr := t.metrics.Addr(); addr != nil {
		listen = addr.String()
	}
	return rpc.TelemetryInfo{
		Traces: rpc.TraceInfo{
			Sampler: tc.Sampler, Ratio: tc.Ratio, Peers: tc.Peers, Endpoint: tc.Endpoint, Protocol: tc.Protocol,
			Queued: s.Queued, Exported: s.Exported, Dropped: s.Dropped, Failed: s.Failed,
		},
		Metrics: rpc.MetricsInfo{Listen: listen},
	}
}

// shutdown flushes the queued spans and stops the metrics endpoint, each
// within telemetryShutdownTimeout. Call it after the actors have stopped.
func (t *nodeTelemetry) shutdown(log *slog.Logger) error {
	var errs []error
	if t.tracer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), telemetryShutdownTimeout)
		if err := t.tracer.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("trace shutdown: %w", err))
		}
		cancel()
		if t.tracer.Enabled() {
			s := t.tracer.Stats()
			log.Info("tracing stopped", "exported", s.Exported, "dropped", s.Dropped, "failed", s.Failed)
		}
	}
	if t.metrics != nil {
		ctx, cancel := context.WithTimeout(context.Background(), telemetryShutdownTimeout)
		if err := t.metrics.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("metrics shutdown: %w", err))
		}
		cancel()
	}
	return errors.Join(errs...)
}

// observeTraffic exports the node's traffic as two labelled counters,
// actornode.net.messages and actornode.net.bytes, by direction, connection
// type and message type (never by peer). The figures are peerman's
// GetNetMsgStats, counted by each Peer actor where each message happened;
// the scrape goroutine asks for them (it is not an actor, so it may wait).
func (t *nodeTelemetry) observeTraffic(system *actor.ActorSystem, peerman *actor.PID) error {
	collect := func(pick func(*peermanpb.NetMsgStatsEntry) uint64) func() []metrics.Labelled {
		return func() []metrics.Labelled {
			res, err := system.Root.RequestFuture(peerman, &peermanpb.GetNetMsgStats{}, 2*time.Second).Result()
			stats, ok := res.(*peermanpb.NetMsgStats)
			if err != nil || !ok {
				return nil
			}
			type key struct{ dir, conn, msg string }
			sums := map[key]uint64{}
			for _, e := range stats.GetEntries() {
				sums[key{e.GetDirection(), e.GetConnectionType(), e.GetMsgtype()}] += pick(e)
			}
			out := make([]metrics.Labelled, 0, len(sums))
			for k, v := range sums {
				out = append(out, metrics.Labelled{Value: v, Labels: []attribute.KeyValue{
					attribute.String("direction", k.dir),
					attribute.String("connection_type", k.conn),
					attribute.String("msgtype", k.msg),
				}})
			}
			return out
		}
	}
	if err := t.metrics.ObserveLabelledCounter("actornode.net.messages", "{message}",
		"Bitcoin messages by direction, connection type and message type, over every peer.",
		collect((*peermanpb.NetMsgStatsEntry).GetCount)); err != nil {
		return err
	}
	return t.metrics.ObserveLabelledCounter("actornode.net.bytes", "By",
		"Wire bytes (headers included) by direction, connection type and message type, over every peer.",
		collect((*peermanpb.NetMsgStatsEntry).GetBytes))
}

// The actors the telemetry subsystem hosts, by child name.
const (
	telemetryChildDump    = "dump"
	telemetryChildCapture = "capture"
)

// telemetryChildPID returns the PID the telemetry subsystem's child name
// has (or will have) in system.
func telemetryChildPID(system *actor.ActorSystem, name string) *actor.PID {
	return system.NewLocalPID(actors.ChildPID(system, actors.SubsystemTelemetry).GetId() + "/" + name)
}

// telemetryChild is one actor the telemetry subsystem spawns.
type telemetryChild struct {
	name  string
	props *actor.Props
}

// telemetryHost is the telemetry subsystem's actor: it only spawns its
// children (the dump writer, the capture recorder) by name when it starts,
// and supervises them with protoactor's default strategy (restart).
type telemetryHost struct {
	children []telemetryChild
}

// newTelemetryHost returns the producer of the telemetry subsystem.
func newTelemetryHost(children []telemetryChild) actor.Producer {
	return func() actor.Actor { return &telemetryHost{children: children} }
}

// Receive spawns the children on Started; a child that cannot be spawned
// fails the subsystem.
func (h *telemetryHost) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); !ok {
		return
	}
	for _, c := range h.children {
		if _, err := ctx.SpawnNamed(c.props, c.name); err != nil {
			panic(fmt.Sprintf("telemetry: spawning %s: %v", c.name, err))
		}
	}
}

// captureRecorderProps builds the capture recorder: its directory, limits
// and initial selection from cfg.Capture, its bounded mailbox, and peerman
// to tell the selection.
func captureRecorderProps(cfg config.Config, peerman *actor.PID, clock actors.Clock, log *slog.Logger) (*actor.Props, error) {
	c := cfg.Capture
	rc := recorder.Config{
		Root:            capture.Root(cfg.DataDir, cfg.Network),
		MaxSessionBytes: uint64(c.MaxSessionBytes),
		MaxTotalBytes:   uint64(c.MaxTotalBytes),
		QueueBytes:      uint64(c.QueueBytes),
		Peerman:         peerman,
		Clock:           clock,
		Logger:          log,
	}
	if c.Enabled {
		rc.Filter = c.Filter
	}
	rec, err := recorder.New(rc)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	return rec.Props(), nil
}

// initialCapture is peerman's capture selection at start: capture.filter
// with the recorder as sink when capture.enabled, none otherwise.
func initialCapture(cfg config.Config, recorder *actor.PID) *peermanpb.SetCaptureSelection {
	if !cfg.Capture.Enabled {
		return nil
	}
	return &peermanpb.SetCaptureSelection{Filter: cfg.Capture.Filter, Sink: recorder}
}
