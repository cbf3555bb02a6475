package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/actors/actorspb"
	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/chain/chainman"
	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/config"
	"github.com/actornode/actornode/connman"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman"
	"github.com/actornode/actornode/rpc"
	"github.com/actornode/actornode/rpc/rpcpb"
	"github.com/actornode/actornode/sockman"
	"github.com/actornode/actornode/telemetry"
	"github.com/actornode/actornode/telemetry/dump"
)

// Options are the parts of a running node that do not come from config.
type Options struct {
	// LogOutput receives the logs; nil means io.Discard.
	LogOutput io.Writer
	// Clock is the node's clock; nil means the system clock.
	Clock actors.Clock
}

// Running is a started node.
type Running struct {
	cfg       config.Config
	system    *actor.ActorSystem
	node      *actors.Node
	log       *slog.Logger
	telemetry *nodeTelemetry
	telLog    *slog.Logger
	capture   *actor.PID
}

// Start builds and starts every subsystem from cfg. The returned node is
// serving: its listeners are bound (or it has already asked to stop; see
// Done).
func Start(cfg config.Config, opts Options) (*Running, error) {
	if opts.LogOutput == nil {
		opts.LogOutput = io.Discard
	}
	if opts.Clock == nil {
		opts.Clock = actors.SystemClock{}
	}
	logs, err := telemetry.NewLogs(opts.LogOutput, telemetry.LogConfig{
		Format: cfg.Log.Format,
		Level:  cfg.Log.Level,
		Levels: map[string]string{
			"sockman": cfg.Log.Levels.Sockman, "connman": cfg.Log.Levels.Connman,
			"peerman": cfg.Log.Levels.Peerman, "addrman": cfg.Log.Levels.Addrman,
			"rpc": cfg.Log.Levels.RPC, "node": cfg.Log.Levels.Node,
		},
	})
	if err != nil {
		return nil, err
	}
	actorLog := logs.For("actor-system")
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		// protoactor logs every supervision event at info; ours are better.
		return slog.New(warnOnly{actorLog.Handler()})
	}))
	r := &Running{cfg: cfg, system: system, log: logs.For("node"), telLog: logs.For("telemetry")}
	if r.telemetry, err = startTelemetry(cfg, r.telLog); err != nil {
		system.Shutdown()
		return nil, err
	}
	children, err := r.children(logs, opts.Clock)
	if err != nil {
		system.Shutdown()
		r.stopTelemetry()
		return nil, err
	}
	n, err := actors.StartNode(system, actors.NodeConfig{Children: children, Clock: opts.Clock, Logger: r.log})
	if err != nil {
		system.Shutdown()
		r.stopTelemetry()
		return nil, err
	}
	r.node = n
	if err := r.telemetry.observeTraffic(system, actors.ChildPID(system, actors.SubsystemPeerman)); err != nil {
		_ = r.Shutdown()
		return nil, fmt.Errorf("telemetry.metrics: %w", err)
	}
	r.log.Info("actornode started", "version", Version(), "network", cfg.Network, "datadir", cfg.NetDir())
	return r, nil
}

func (r *Running) children(logs *telemetry.Logs, clock actors.Clock) ([]actors.ChildSpec, error) {
	cfg := r.cfg
	sys := r.system
	nodePID := actors.NodePID(sys)
	sockmanPID := actors.ChildPID(sys, actors.SubsystemSockman)
	connmanPID := actors.ChildPID(sys, actors.SubsystemConnman)
	peermanPID := actors.ChildPID(sys, actors.SubsystemPeerman)
	addrmanPID := actors.ChildPID(sys, actors.SubsystemAddrman)
	chainmanPID := actors.ChildPID(sys, actors.SubsystemChainman)
	// The block tip's height, for the start_height of our version
	// messages: chainman publishes it, Peer actors read it.
	tipHeight := new(atomic.Int32)
	services := servicesFor(cfg.Chain.Prune)
	tel := r.telemetry

	// Connection actors and Peer actors are spawned per connection by
	// sockman and peerman; both get their subsystem's middleware, and each
	// kind shares one set of mailbox counters. Peer actors use the
	// actors.peer settings; connection actors the defaults.
	peerCounters, err := tel.mailbox(actors.SubsystemPeerman, mailboxKindPeer)
	if err != nil {
		return nil, err
	}
	connCounters, err := tel.mailbox(actors.SubsystemSockman, mailboxKindConn)
	if err != nil {
		return nil, err
	}
	peerChain, connChain := tel.chain(actors.SubsystemPeerman), tel.chain(actors.SubsystemSockman)
	if _, err := actors.NewProps(func() actor.Actor { return nil }, settings(cfg.Actors.Peer), peerChain, peerCounters); err != nil {
		return nil, fmt.Errorf("actors.peer: %w", err)
	}
	peerProps := func(p actor.Producer) *actor.Props {
		props, _ := actors.NewProps(p, settings(cfg.Actors.Peer), peerChain, peerCounters)
		return props
	}
	connProps := func(p actor.Producer) *actor.Props {
		props, _ := actors.NewProps(p, actors.Settings{}, connChain, connCounters)
		return props
	}

	// The telemetry subsystem hosts the per-peer stats dump writer (when
	// enabled; Peer actors send it their final records) and the capture
	// recorder (always: startcapture may switch capture on at runtime).
	var statsSink *actor.PID
	var telKids []telemetryChild
	telChain := tel.chain(actors.SubsystemTelemetry)
	if d := cfg.Telemetry.Dump; d.Enabled {
		producer, err := dump.NewActor(dump.Config{
			Dir:      filepath.Join(cfg.NetDir(), "peerstats"),
			Interval: d.Interval,
			Filter:   d.Filter,
			MaxBytes: int64(d.MaxBytes),
			MaxFiles: d.MaxFiles,
			Peerman:  peermanPID,
			Clock:    clock,
			Logger:   logs.For("telemetry"),
		})
		if err != nil {
			return nil, fmt.Errorf("telemetry.dump: %w", err)
		}
		counters, err := tel.mailbox(actors.SubsystemTelemetry, telemetryChildDump)
		if err != nil {
			return nil, err
		}
		props, err := actors.NewProps(producer, settings(cfg.Actors.Telemetry), telChain, counters)
		if err != nil {
			return nil, fmt.Errorf("actors.telemetry: %w", err)
		}
		statsSink = telemetryChildPID(sys, telemetryChildDump)
		telKids = append(telKids, telemetryChild{name: telemetryChildDump, props: props})
	}
	capturePID := telemetryChildPID(sys, telemetryChildCapture)
	captureProps, err := captureRecorderProps(cfg, peermanPID, clock, logs.For("telemetry"))
	if err != nil {
		return nil, err
	}
	telKids = append(telKids, telemetryChild{name: telemetryChildCapture, props: captureProps})
	r.capture = capturePID

	specs := []childSpec{
		{actors.SubsystemSockman, sockman.NewActor(sockman.Config{
			Net:           cfg.ChainParams().Net,
			MaxSendQueue:  cfg.P2P.MaxSendQueue,
			MaxRecvBuffer: cfg.P2P.MaxRecvBuffer,
			DialTimeout:   cfg.P2P.DialTimeout,
			Clock:         clock,
			Logger:        logs.For("sockman"),
			ConnProps:     connProps,
		}), cfg.Actors.Sockman, []actor.PropsOption{actor.WithSupervisor(actors.NewStopOnFailure(logs.For("sockman")))}},
	}
	specs = append(specs, childSpec{actors.SubsystemTelemetry, newTelemetryHost(telKids), cfg.Actors.Telemetry, nil})
	specs = append(specs, []childSpec{
		{actors.SubsystemAddrman, addrman.NewActor(addrman.Config{
			File:    filepath.Join(cfg.NetDir(), "addrman.dat"),
			Params:  cfg.ChainParams(),
			DNSSeed: cfg.P2P.DNSSeed,
			Clock:   clock,
			Logger:  logs.For("addrman"),
		}), cfg.Actors.Addrman, nil},
		{actors.SubsystemChainman, chainman.NewActor(chainman.Config{
			Params:           cfg.ChainParams(),
			Dir:              filepath.Join(cfg.NetDir(), "blocks"),
			PruneTarget:      int64(cfg.Chain.Prune),
			FlushInterval:    cfg.Chain.FlushInterval,
			ProgressInterval: cfg.Chain.ProgressInterval,
			OnTip:            func(t *chainpb.TipSnapshot) { tipHeight.Store(t.GetBlockHeight()) },
			Node:             nodePID,
			Clock:            clock,
			Logger:           logs.For(string(actors.SubsystemChainman)),
		}), cfg.Actors.Chainman, nil},
		{actors.SubsystemPeerman, peerman.NewActor(peerman.Config{
			Net:               cfg.ChainParams().Net,
			UserAgent:         UserAgent(),
			ProtocolVersion:   ProtocolVersion,
			OurServices:       services,
			StartHeight:       tipHeight.Load,
			Chainman:          chainmanPID,
			RequiredServices:  wire.SFNodeNetwork | wire.SFNodeWitness,
			Relay:             true,
			HandshakeTimeout:  cfg.P2P.HandshakeTimeout,
			InactivityTimeout: cfg.P2P.InactivityTimeout,
			PingInterval:      cfg.P2P.PingInterval,
			PingTimeout:       cfg.P2P.PingTimeout,
			Connman:           connmanPID,
			Addrman:           addrmanPID,
			Clock:             clock,
			Logger:            logs.For("peerman"),
			PeerProps:         peerProps,
			StatsSink:         statsSink,
			Watchers:          []*actor.PID{capturePID, chainmanPID},
			InitialCapture:    initialCapture(cfg, capturePID),
			NoAccounting:      !cfg.Telemetry.Accounting.Enabled,
		}), cfg.Actors.Peerman, []actor.PropsOption{actor.WithSupervisor(actors.NewStopOnFailure(logs.For("peerman")))}},
		{actors.SubsystemConnman, connman.NewActor(connman.Config{
			Listen:               cfg.P2PListenAddrs(),
			Connect:              cfg.P2PConnectAddrs(),
			AddNode:              cfg.P2PAddNodeAddrs(),
			DefaultPort:          config.DefaultP2PPort(cfg.Network),
			MaxConnections:       cfg.P2P.MaxConnections,
			MaxOutboundFullRelay: nonZero(cfg.P2P.MaxOutbound),
			MaxBlockRelayOnly:    nonZero(cfg.P2P.MaxBlockRelay),
			DialTimeout:          cfg.P2P.DialTimeout,
			BanFile:              filepath.Join(cfg.NetDir(), "banlist.json"),
			DefaultBanTime:       cfg.P2P.BanTime,
			Sockman:              sockmanPID,
			Peerman:              peermanPID,
			Addrman:              addrmanPID,
			Node:                 nodePID,
			Clock:                clock,
			Logger:               logs.For("connman"),
		}), cfg.Actors.Connman, nil},
		{actors.SubsystemRPC, rpc.NewActor(rpc.Config{
			Listen:       cfg.RPCListenAddrs(),
			User:         cfg.RPC.User,
			Password:     cfg.RPC.Password,
			CookieFile:   cfg.CookiePath(),
			MaxBodyBytes: cfg.RPC.MaxBodyBytes,
			Logger:       logs.For("rpc"),
			Info: rpc.NodeInfo{
				Version:         rpc.VersionNumber(VersionMajor, VersionMinor, VersionPatch),
				Subversion:      UserAgent(),
				ProtocolVersion: ProtocolVersion,
				LocalServices:   uint64(services),
				Network:         cfg.Network,
				LocalRelay:      true,
			},
			Node:    nodePID,
			Connman: connmanPID,
			Peerman: peermanPID,
			Sockman: sockmanPID,
			Addrman: addrmanPID,
			Capture: capturePID,
			OnStartError: func(err *rpc.StartError) {
				sys.Root.Send(nodePID, &actorspb.Fatal{Subsystem: "rpc", Reason: err.Error()})
			},
			TelemetryStats: tel.info,
			Chainman:       chainmanPID,
		}, rpc.ChainMethods()...), cfg.Actors.RPC, nil},
	}...)
	if err := checkStartOrder(specs); err != nil {
		return nil, err
	}
	var out []actors.ChildSpec
	for _, s := range specs {
		counters, err := tel.mailbox(s.name, string(s.name))
		if err != nil {
			return nil, err
		}
		props, err := actors.NewProps(s.producer, settings(s.settings), tel.chain(s.name), counters, s.extra...)
		if err != nil {
			return nil, fmt.Errorf("actors.%s: %w", s.name, err)
		}
		out = append(out, actors.ChildSpec{
			Name:     s.name,
			Props:    props,
			Restarts: actors.RestartPolicy{Max: s.settings.Restarts.Max, Within: s.settings.Restarts.Within},
		})
	}
	return out, nil
}

// nonZero maps a configured 0 ("none") to the negative value connman reads
// as none; connman reads 0 as "Core's default".
func nonZero(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// childSpec is one subsystem before its Props are built.
type childSpec struct {
	name     actors.Subsystem
	producer actor.Producer
	settings config.Actor
	extra    []actor.PropsOption
}

// checkStartOrder refuses a tree whose subsystems are not in the relative
// order of actors.Subsystems (optional ones may be absent).
func checkStartOrder(specs []childSpec) error {
	next := 0
	for _, s := range specs {
		for next < len(actors.Subsystems) && actors.Subsystems[next] != s.name {
			next++
		}
		if next == len(actors.Subsystems) {
			return fmt.Errorf("subsystem %s is out of order: keep actors.Subsystems' start order", s.name)
		}
		next++
	}
	return nil
}

func settings(a config.Actor) actors.Settings {
	return actors.Settings{MailboxKind: a.Mailbox.Kind, MailboxSize: a.Mailbox.Size, Throughput: a.Throughput}
}

// Capture returns the PID of the capture recorder, which answers the
// capturepb messages.
func (r *Running) Capture() *actor.PID { return r.capture }

// System returns the node's actor system (for tests and in-process tools).
func (r *Running) System() *actor.ActorSystem { return r.system }

// Done is closed when the node has been asked to stop.
func (r *Running) Done() <-chan struct{} { return r.node.Done() }

// Reason says why the node is stopping; it blocks until Done is closed.
func (r *Running) Reason() actors.StopReason { return r.node.Reason() }

// RequestStop asks the node to stop (a signal arrived, say).
func (r *Running) RequestStop(reason string) { r.node.RequestStop(actors.StopReason{Reason: reason}) }

// Shutdown stops every subsystem (reverse start order) within the
// configured shutdown timeout and shuts the actor system down; then it
// flushes the queued spans and stops the metrics endpoint, each bounded by
// telemetryShutdownTimeout. Telemetry trouble at exit is logged, not
// returned: the spans it loses are counted.
func (r *Running) Shutdown() error {
	err := r.node.Shutdown(r.cfg.Shutdown.Timeout)
	r.system.Shutdown()
	r.stopTelemetry()
	if err != nil {
		r.log.Error("shutdown incomplete", "error", err)
	} else {
		r.log.Info("actornode stopped")
	}
	return err
}

// P2PAddrs returns the addresses the P2P listeners are bound to, waiting up
// to timeout for them all to be up.
func (r *Running) P2PAddrs(timeout time.Duration) ([]string, error) {
	deadline := time.Now().Add(timeout)
	for {
		res, err := r.system.Root.RequestFuture(actors.ChildPID(r.system, actors.SubsystemConnman), &connmanpb.GetListenAddrs{}, timeout).Result()
		if err != nil {
			return nil, err
		}
		bound := res.(*connmanpb.ListenAddrs).GetBound()
		if len(bound) == len(r.cfg.P2PListenAddrs()) {
			return bound, nil
		}
		if time.Now().After(deadline) {
			return bound, errors.New("P2P listeners not all bound in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// RPCAddrs returns the addresses the RPC server is bound to.
func (r *Running) RPCAddrs(timeout time.Duration) ([]string, error) {
	res, err := r.system.Root.RequestFuture(actors.ChildPID(r.system, actors.SubsystemRPC), &rpcpb.GetBoundAddrs{}, timeout).Result()
	if err != nil {
		return nil, err
	}
	return res.(*rpcpb.BoundAddrs).GetAddrs(), nil
}

// stopTelemetry shuts the tracer, then the metrics, down, logging trouble.
func (r *Running) stopTelemetry() {
	if err := r.telemetry.shutdown(r.telLog); err != nil {
		r.telLog.Warn("telemetry did not shut down cleanly", "error", err)
	}
}

// warnOnly drops records below warn.
type warnOnly struct{ slog.Handler }

// Enabled reports whether lv is at least warn.
func (h warnOnly) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelWarn }
