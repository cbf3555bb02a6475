package peercore

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// This file is a small scenario language for the core: a test is a
// conversation of steps ("they send version", "expect we send verack",
// "advance 61s", "expect disconnect handshake_timeout") run against a
// manual clock and a deterministic nonce source. Every output must be
// expected, in order; Changed outputs are skipped unless asked for.

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	fullServices = wire.SFNodeNetwork | wire.SFNodeWitness
	selfNonce    = uint64(0x5e1f5e1f5e1f5e1f)
	theirNonce   = uint64(0x7777)
)

// countingNonces is a deterministic NonceSource: distinct, non-zero values.
type countingNonces struct{ n uint64 }

func (c *countingNonces) Uint64() uint64 {
	c.n++
	return c.n * 0x0101_0101_0101
}

// testConfig is a typical connection of the given type.
func testConfig(ct ConnType) Config {
	return Config{
		ConnType:         ct,
		OurServices:      fullServices,
		RequiredServices: fullServices,
		RemoteServices:   fullServices,
		UserAgent:        "/actornode:0.1.0/",
		StartHeight:      100,
		Relay:            true,
		LocalAddr:        netip.MustParseAddrPort("10.0.0.1:50000"),
		RemoteAddr:       netip.MustParseAddrPort("203.0.113.5:8333"),
		Nonces:           &countingNonces{},
		SelfNonce:        func(n uint64) bool { return n == selfNonce },
	}
}

// scenario is the running conversation.
type scenario struct {
	t        *testing.T
	now      time.Time
	s        State
	pending  []Output
	step     int
	lastPing uint64
}

type step func(sc *scenario)

// run starts a connection with cfg at t0 and plays the steps. At the end
// every output must have been expected.
func run(t *testing.T, cfg Config, steps ...step) *scenario {
	t.Helper()
	s, out, err := New(cfg, t0)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	sc := &scenario{t: t, now: t0, s: s, pending: out}
	for i, st := range steps {
		sc.step = i + 1
		st(sc)
	}
	sc.step = len(steps) + 1
	expectQuiet()(sc)
	return sc
}

func (sc *scenario) fatalf(format string, args ...any) {
	sc.t.Helper()
	sc.t.Fatalf("step %d: %s\npending: %s", sc.step, fmt.Sprintf(format, args...), describe(sc.pending))
}

// feed steps the core and queues its outputs.
func (sc *scenario) feed(in Input) {
	var out []Output
	sc.s, out = Step(sc.s, in, sc.now)
	sc.pending = append(sc.pending, out...)
}

// pop returns the next output that is not Changed.
func (sc *scenario) pop() Output {
	sc.t.Helper()
	for len(sc.pending) > 0 {
		o := sc.pending[0]
		sc.pending = sc.pending[1:]
		if _, ok := o.(Changed); !ok {
			return o
		}
	}
	sc.fatalf("expected an output, got none")
	return nil
}

func describe(outs []Output) string {
	var parts []string
	for _, o := range outs {
		switch o := o.(type) {
		case Send:
			parts = append(parts, "send "+o.Msg.Command())
		case Disconnect:
			parts = append(parts, "disconnect "+o.Reason.String()+" ("+o.Detail+")")
		case Misbehaving:
			parts = append(parts, "misbehaving "+o.Reason.String())
		case Ignored:
			parts = append(parts, "ignored "+o.Command+" "+o.Reason.String())
		case Unknown:
			parts = append(parts, "unknown "+o.Command)
		case Other:
			parts = append(parts, "other "+o.Msg.Command())
		default:
			parts = append(parts, fmt.Sprintf("%T", o))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// encode serialises a message as a peer would.
func encode(t *testing.T, msg wire.Message, pver uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := msg.BtcEncode(&buf, pver, wire.WitnessEncoding); err != nil {
		t.Fatalf("encode %s: %v", msg.Command(), err)
	}
	return buf.Bytes()
}

// theySend delivers msg, encoded with the common version (a version
// message with its own protocol version).
func theySend(msg wire.Message) step {
	return func(sc *scenario) {
		pver := sc.s.CommonVersion()
		if v, ok := msg.(*wire.MsgVersion); ok {
			pver = uint32(v.ProtocolVersion)
		}
		sc.feed(Received{Command: msg.Command(), Payload: encode(sc.t, msg, pver)})
	}
}

// theySendRaw delivers a frame with an arbitrary payload.
func theySendRaw(command string, payload []byte) step {
	return func(sc *scenario) { sc.feed(Received{Command: command, Payload: payload}) }
}

// theyPong answers our last ping, with the right nonce.
func theyPong() step {
	return func(sc *scenario) {
		if sc.lastPing == 0 {
			sc.fatalf("no ping to answer")
		}
		theySend(wire.NewMsgPong(sc.lastPing))(sc)
	}
}

// input delivers any input.
func input(in Input) step { return func(sc *scenario) { sc.feed(in) } }

// elapse moves the clock without a tick.
func elapse(d time.Duration) step { return func(sc *scenario) { sc.now = sc.now.Add(d) } }

// advance moves the clock and delivers a tick.
func advance(d time.Duration) step {
	return func(sc *scenario) {
		sc.now = sc.now.Add(d)
		sc.feed(Tick{})
	}
}

// tickEvery advances by every for total, a tick each time.
func tickEvery(every, total time.Duration) step {
	return func(sc *scenario) {
		for d := time.Duration(0); d < total; d += every {
			advance(every)(sc)
		}
	}
}

// expectSend expects Send outputs with these commands, in order.
func expectSend(commands ...string) step {
	return func(sc *scenario) {
		sc.t.Helper()
		for _, cmd := range commands {
			o := sc.pop()
			send, ok := o.(Send)
			if !ok || send.Msg.Command() != cmd {
				sc.fatalf("expected send %s, got %s", cmd, describe([]Output{o}))
			}
			if p, ok := send.Msg.(*wire.MsgPing); ok {
				sc.lastPing = p.Nonce
			}
			// Every message we send must encode with the version given.
			var buf bytes.Buffer
			if err := send.Msg.BtcEncode(&buf, send.ProtocolVersion, wire.WitnessEncoding); err != nil {
				sc.fatalf("our %s does not encode at version %d: %v", cmd, send.ProtocolVersion, err)
			}
		}
	}
}

// expectSendMsg expects one Send and checks it.
func expectSendMsg(check func(t *testing.T, msg wire.Message)) step {
	return func(sc *scenario) {
		o := sc.pop()
		send, ok := o.(Send)
		if !ok {
			sc.fatalf("expected a send, got %s", describe([]Output{o}))
		}
		check(sc.t, send.Msg)
	}
}

// expectDisconnect expects Disconnect with reason.
func expectDisconnect(reason DisconnectReason) step {
	return func(sc *scenario) {
		o := sc.pop()
		if d, ok := o.(Disconnect); !ok || d.Reason != reason {
			sc.fatalf("expected disconnect %s, got %s", reason, describe([]Output{o}))
		}
	}
}

// expectMisbehaving expects Misbehaving with reason.
func expectMisbehaving(reason DisconnectReason) step {
	return func(sc *scenario) {
		o := sc.pop()
		if m, ok := o.(Misbehaving); !ok || m.Reason != reason {
			sc.fatalf("expected misbehaving %s, got %s", reason, describe([]Output{o}))
		}
	}
}

// expectPunished expects Misbehaving then Disconnect, both with reason.
func expectPunished(reason DisconnectReason) step {
	return func(sc *scenario) {
		expectMisbehaving(reason)(sc)
		expectDisconnect(reason)(sc)
	}
}

// expectHandshakeDone expects HandshakeDone.
func expectHandshakeDone() step {
	return func(sc *scenario) {
		o := sc.pop()
		if _, ok := o.(HandshakeDone); !ok {
			sc.fatalf("expected handshake done, got %s", describe([]Output{o}))
		}
	}
}

// expectIgnored expects Ignored for command with reason.
func expectIgnored(command string, reason IgnoreReason) step {
	return func(sc *scenario) {
		o := sc.pop()
		if ig, ok := o.(Ignored); !ok || ig.Command != command || ig.Reason != reason {
			sc.fatalf("expected ignored %s %s, got %s", command, reason, describe([]Output{o}))
		}
	}
}

// expectUnknown expects Unknown for command.
func expectUnknown(command string) step {
	return func(sc *scenario) {
		o := sc.pop()
		if u, ok := o.(Unknown); !ok || u.Command != command {
			sc.fatalf("expected unknown %s, got %s", command, describe([]Output{o}))
		}
	}
}

// expectOther expects Other carrying a message with this command.
func expectOther(command string) step {
	return func(sc *scenario) {
		o := sc.pop()
		if other, ok := o.(Other); !ok || other.Msg.Command() != command {
			sc.fatalf("expected other %s, got %s", command, describe([]Output{o}))
		}
	}
}

// expectChanged expects Changed as the very next output.
func expectChanged() step {
	return func(sc *scenario) {
		if len(sc.pending) == 0 {
			sc.fatalf("expected changed, got nothing")
		}
		if _, ok := sc.pending[0].(Changed); !ok {
			sc.fatalf("expected changed first")
		}
		sc.pending = sc.pending[1:]
	}
}

// expectQuiet expects no outputs but Changed.
func expectQuiet() step {
	return func(sc *scenario) {
		for _, o := range sc.pending {
			if _, ok := o.(Changed); !ok {
				sc.fatalf("expected no more outputs")
			}
		}
		sc.pending = nil
	}
}

// peer checks the snapshot at the current time.
func peer(check func(t *testing.T, p PeerInfo)) step {
	return func(sc *scenario) {
		sc.t.Helper()
		check(sc.t, sc.s.Snapshot(sc.now))
	}
}

// version builds the peer's version message with options applied.
func version(opts ...func(*wire.MsgVersion)) *wire.MsgVersion {
	v := &wire.MsgVersion{
		ProtocolVersion: 70016,
		Services:        fullServices,
		Timestamp:       t0,
		AddrYou:         wire.NetAddress{IP: netip.MustParseAddr("10.0.0.1").AsSlice(), Port: 50000},
		Nonce:           theirNonce,
		UserAgent:       "/Satoshi:27.0.0/",
		LastBlock:       850000,
	}
	for _, o := range opts {
		o(v)
	}
	return v
}

func withProtocol(p int32) func(*wire.MsgVersion) {
	return func(v *wire.MsgVersion) { v.ProtocolVersion = p }
}

func withServices(s wire.ServiceFlag) func(*wire.MsgVersion) {
	return func(v *wire.MsgVersion) { v.Services = s }
}

func withNonce(n uint64) func(*wire.MsgVersion) {
	return func(v *wire.MsgVersion) { v.Nonce = n }
}

func withTimestamp(ts time.Time) func(*wire.MsgVersion) {
	return func(v *wire.MsgVersion) { v.Timestamp = ts }
}

// outboundHandshake is the full outbound handshake with a modern peer.
func outboundHandshake() step {
	return func(sc *scenario) {
		for _, st := range []step{
			expectSend("version"),
			theySend(version()),
			expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
			theySend(&wire.MsgWTxIdRelay{}),
			theySend(&wire.MsgSendAddrV2{}),
			theySend(&wire.MsgVerAck{}),
			expectSend("sendcmpct"),
			expectHandshakeDone(),
			expectSend("ping", "feefilter"),
		} {
			st(sc)
		}
	}
}

// inboundHandshake is the full inbound handshake with a modern peer.
func inboundHandshake() step {
	return func(sc *scenario) {
		for _, st := range []step{
			theySend(version()),
			expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
			theySend(&wire.MsgWTxIdRelay{}),
			theySend(&wire.MsgSendAddrV2{}),
			theySend(&wire.MsgVerAck{}),
			expectSend("sendcmpct"),
			expectHandshakeDone(),
			expectSend("ping", "feefilter"),
		} {
			st(sc)
		}
	}
}
