package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/actornode/actornode/telemetry/peerfilter"
)

// Constraints on individual values.
const (
	// MinMaxSendQueue is the smallest accepted p2p.maxsendqueue: one
	// maximum-size message (4,000,000 byte payload plus its 24 byte header).
	MinMaxSendQueue = 4_000_024
	// MinMaxBodyBytes is the smallest accepted rpc.maxbodybytes.
	MinMaxBodyBytes = 1024
)

// Mailbox kinds accepted in actors.<name>.mailbox.kind.
const (
	// MailboxUnbounded never drops a message.
	MailboxUnbounded = "unbounded"
	// MailboxDropping holds at most Mailbox.Size messages and drops the
	// newest (the message being posted) when full.
	MailboxDropping = "dropping"
)

// keySpec holds what one key accepts beyond its value kind, and its
// one-line description for --help.
type keySpec struct {
	usage string
	// oneOf lists the accepted strings; emptyOK also accepts "".
	oneOf   []string
	emptyOK bool
	// nonEmpty rejects the empty string.
	nonEmpty bool
	// min is the smallest accepted integer.
	min int64
	// addrs says which addresses a list key accepts.
	addrs addrPolicy
	// fmin and fmax bound a number (kindFloat), both included.
	fmin, fmax float64
	// hostPort requires a non-empty string to be a host:port address.
	hostPort bool
	// parse, when set, checks a non-empty string and returns its problem,
	// or "" when it is acceptable.
	parse func(string) string
}

// logLevels lists the accepted log levels.
func logLevels() []string { return []string{"debug", "info", "warn", "error"} }

// specPattern replaces the per-actor and per-subsystem segment of key by *,
// so that actors.peer.throughput becomes actors.*.throughput.
func specPattern(key string) (pattern, name string) {
	parts := strings.Split(key, ".")
	switch {
	case len(parts) >= 3 && parts[0] == "actors":
		name, parts[1] = parts[1], "*"
	case len(parts) == 3 && parts[0] == "log" && parts[1] == "levels":
		name, parts[2] = parts[2], "*"
	}
	return strings.Join(parts, "."), name
}

// specFor returns the spec of a schema key.
func specFor(key string) keySpec {
	pattern, name := specPattern(key)
	switch pattern {
	case "network":
		return keySpec{usage: "Bitcoin network to join", oneOf: networks()}
	case "datadir":
		return keySpec{usage: "root directory for everything the node writes (~ is the home directory)", nonEmpty: true}
	case "log.level":
		return keySpec{usage: "default log level for every subsystem", oneOf: logLevels()}
	case "log.format":
		return keySpec{usage: "log output format", oneOf: []string{"text", "json"}}
	case "log.levels.*":
		return keySpec{usage: "log level of the " + name + " subsystem; empty inherits log.level", oneOf: logLevels(), emptyOK: true}
	case "p2p.listen":
		return keySpec{usage: "address to accept peers on; repeat for several, give an empty value to not listen", addrs: addrListen}
	case "p2p.connect":
		return keySpec{usage: "connect only to this peer; repeat for several", addrs: addrPeer}
	case "p2p.addnode":
		return keySpec{usage: "keep this peer connected in addition to automatic ones; repeat for several", addrs: addrPeer}
	case "p2p.maxconnections":
		return keySpec{usage: "maximum number of inbound plus outbound peer connections", min: 1}
	case "p2p.dnsseed":
		return keySpec{usage: "discover peer addresses through the network's DNS seeds"}
	case "p2p.dialtimeout":
		return keySpec{usage: "time limit of one outbound connection attempt"}
	case "p2p.maxsendqueue":
		return keySpec{usage: "byte limit of one connection's send queue", min: MinMaxSendQueue}
	case "p2p.maxrecvbuffer":
		return keySpec{usage: "bytes a peer may have sent that are not handled yet before its socket is paused", min: MinMaxSendQueue}
	case "p2p.maxoutbound":
		return keySpec{usage: "number of automatic outbound full-relay peers", min: 0}
	case "p2p.maxblockrelay":
		return keySpec{usage: "number of automatic outbound block-relay-only peers", min: 0}
	case "p2p.handshaketimeout":
		return keySpec{usage: "time limit of the version/verack handshake"}
	case "p2p.inactivitytimeout":
		return keySpec{usage: "disconnect a peer when nothing was sent or received for this long"}
	case "p2p.pinginterval":
		return keySpec{usage: "how often each peer is pinged"}
	case "p2p.pingtimeout":
		return keySpec{usage: "disconnect a peer whose pong is this late"}
	case "p2p.bantime":
		return keySpec{usage: "duration of a setban ban when none is given"}
	case "rpc.listen":
		return keySpec{usage: "address the JSON-RPC server binds; repeat for several, give an empty value to disable RPC", addrs: addrListen}
	case "rpc.user":
		return keySpec{usage: "JSON-RPC basic authentication user (set with rpc.password)"}
	case "rpc.password":
		return keySpec{usage: "JSON-RPC basic authentication password (set with rpc.user)"}
	case "rpc.cookiefile":
		return keySpec{usage: "path of the RPC authentication cookie; empty means datadir/<network>/.cookie"}
	case "rpc.maxbodybytes":
		return keySpec{usage: "largest accepted JSON-RPC request body in bytes", min: MinMaxBodyBytes}
	case "actors.*.mailbox.kind":
		return keySpec{usage: "mailbox of the " + name + " actor", oneOf: []string{MailboxUnbounded, MailboxDropping}}
	case "actors.*.mailbox.size":
		return keySpec{usage: "capacity of the " + name + " actor's dropping mailbox", min: 0}
	case "actors.*.throughput":
		return keySpec{usage: "messages the " + name + " actor handles before yielding its goroutine", min: 1}
	case "actors.*.restarts.max":
		return keySpec{usage: "restarts of the " + name + " actor allowed within its restarts.within", min: 0}
	case "actors.*.restarts.within":
		return keySpec{usage: "window in which the " + name + " actor's restarts are counted"}
	case "chain.prune":
		return keySpec{usage: "bytes of stored blocks kept when pruning (the last 288 blocks are always kept); 0 keeps every block", min: 0}
	case "chain.flushinterval":
		return keySpec{usage: "how often stored blocks are made durable (fsync)"}
	case "chain.progressinterval":
		return keySpec{usage: "how often a progress line is logged while syncing"}
	case "shutdown.timeout":
		return keySpec{usage: "how long a clean stop may take before the process exits anyway"}
	case "telemetry.traces.sampler":
		return keySpec{usage: "which messages start a trace: off (only peers selected by telemetry.traces.peers), ratio or always",
			oneOf: []string{SamplerOff, SamplerRatio, SamplerAlways}}
	case "telemetry.traces.ratio":
		return keySpec{usage: "fraction of root messages traced when telemetry.traces.sampler is ratio", fmin: 0, fmax: 1}
	case "telemetry.traces.peers":
		return keySpec{usage: "peer filter selecting peers traced in full whatever the sampler (see docs/tracing.md); empty selects none",
			parse: checkPeerFilter}
	case "telemetry.traces.endpoint":
		return keySpec{usage: "trace collector as host:port or URL (OTLP); empty is the protocol's default on 127.0.0.1"}
	case "telemetry.traces.protocol":
		return keySpec{usage: "OTLP transport to the trace collector", oneOf: []string{TraceProtocolGRPC, TraceProtocolHTTP}}
	case "telemetry.traces.queuesize":
		return keySpec{usage: "finished spans waiting for export before new ones are dropped (and counted)", min: 1}
	case "telemetry.accounting.enabled":
		return keySpec{usage: "time every handler (wall and CPU) and track requests per peer; counts are kept either way"}
	case "telemetry.dump.enabled":
		return keySpec{usage: "write periodic and final per-peer stats records to datadir/<network>/peerstats/"}
	case "telemetry.dump.interval":
		return keySpec{usage: "how often a stats record per selected peer is written"}
	case "telemetry.dump.filter":
		return keySpec{usage: "peer filter selecting the peers dumped (see docs/tracing.md); empty selects all", parse: checkPeerFilter}
	case "telemetry.dump.maxbytes":
		return keySpec{usage: "size in bytes at which the stats file is rotated", min: 65536}
	case "telemetry.dump.maxfiles":
		return keySpec{usage: "rotated stats files kept", min: 1}
	case "capture.enabled":
		return keySpec{usage: "capture the messages of the peers capture.filter selects to datadir/<network>/message_capture/"}
	case "capture.filter":
		return keySpec{usage: "peer filter selecting the peers captured when capture.enabled (see docs/tracing.md)", parse: checkPeerFilter, nonEmpty: true}
	case "capture.maxsessionbytes":
		return keySpec{usage: "byte limit of one capture session's files; 0 is no limit", min: 0}
	case "capture.maxtotalbytes":
		return keySpec{usage: "byte limit of all capture sessions on disk, oldest removed first; 0 is no limit", min: 0}
	case "capture.queuebytes":
		return keySpec{usage: "bytes of captured messages waiting to be written before new ones are dropped (and counted)", min: 65536}
	case "telemetry.metrics.listen":
		return keySpec{usage: "host:port serving Prometheus metrics at /metrics; empty disables metrics", hostPort: true}
	}
	return keySpec{}
}

// expectation describes, for error messages, what a key accepts, such as
// "a whole number >= 1".
func (s keySpec) expectation(kind valueKind) string {
	switch kind {
	case kindString:
		switch {
		case len(s.oneOf) > 0 && s.emptyOK:
			return "one of " + strings.Join(s.oneOf, ", ") + ` or "" (inherit)`
		case len(s.oneOf) > 0:
			return "one of " + strings.Join(s.oneOf, ", ")
		case s.nonEmpty:
			return "a non-empty string"
		}
		return "a string"
	case kindInt:
		return fmt.Sprintf("a whole number >= %d", s.min)
	case kindBool:
		return "true or false"
	case kindDuration:
		return "a duration greater than zero such as 5s, 1m or 1h30m"
	case kindList:
		if s.addrs != addrNone {
			return "a list of host or host:port addresses"
		}
		return "a list of strings"
	case kindFloat:
		return fmt.Sprintf("a number from %g to %g", s.fmin, s.fmax)
	}
	return "a value"
}

// check returns the problem with a converted value v of the given kind, or
// "" when it is acceptable.
func (s keySpec) check(kind valueKind, v any) string {
	switch kind {
	case kindString:
		str := v.(string)
		if str == "" {
			if s.nonEmpty || (len(s.oneOf) > 0 && !s.emptyOK) {
				return "expected " + s.expectation(kind) + `, got ""`
			}
			return ""
		}
		if len(s.oneOf) > 0 && !slices.Contains(s.oneOf, str) {
			return fmt.Sprintf("expected %s, got %q", s.expectation(kind), str)
		}
		if s.hostPort {
			if _, port, err := splitAddr(str, addrListen); err != nil || port == "" {
				return fmt.Sprintf(`expected a host:port address or "" (off), got %q`, str)
			}
		}
		if s.parse != nil {
			return s.parse(str)
		}
	case kindFloat:
		if f := v.(float64); f < s.fmin || f > s.fmax {
			return fmt.Sprintf("expected %s, got %v", s.expectation(kind), f)
		}
	case kindInt:
		if n := v.(int64); n < s.min {
			return fmt.Sprintf("expected %s, got %d", s.expectation(kind), n)
		}
	case kindDuration:
		if d := v.(time.Duration); d <= 0 {
			return fmt.Sprintf("expected %s, got %s", s.expectation(kind), d)
		}
	case kindList:
		if s.addrs == addrNone {
			return ""
		}
		var problems []string
		for _, a := range v.([]string) {
			if _, _, err := splitAddr(a, s.addrs); err != nil {
				problems = append(problems, fmt.Sprintf("%q (%v)", a, err))
			}
		}
		if len(problems) > 0 {
			return "expected " + s.expectation(kind) + ", got " + strings.Join(problems, ", ")
		}
	}
	return ""
}

// checkPeerFilter returns the problem with a peer filter, or "".
func checkPeerFilter(src string) string {
	if _, err := peerfilter.Parse(src); err != nil {
		return err.Error()
	}
	return ""
}
