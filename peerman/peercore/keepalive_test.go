package peercore

import (
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// pingStats checks the ping figures of the snapshot.
func pingStats(last, minimum time.Duration, sent, pongs, bad uint64) step {
	return peer(func(t *testing.T, p PeerInfo) {
		t.Helper()
		if p.LastPing != last || p.MinPing != minimum || p.PingsSent != sent ||
			p.PongsReceived != pongs || p.BadPongs != bad {
			t.Fatalf("ping stats last=%v min=%v sent=%d pongs=%d bad=%d, want %v %v %d %d %d",
				p.LastPing, p.MinPing, p.PingsSent, p.PongsReceived, p.BadPongs, last, minimum, sent, pongs, bad)
		}
	})
}

func TestPingPongLastAndMinPing(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		outboundHandshake(), // first ping at t0
		elapse(300*time.Millisecond),
		peer(func(t *testing.T, p PeerInfo) {
			if p.PingNonce == 0 || p.PingWait != 300*time.Millisecond || !p.PingSent.Equal(t0) {
				t.Fatalf("outstanding ping: %+v", p)
			}
		}),
		theyPong(),
		expectChanged(),
		pingStats(300*time.Millisecond, 300*time.Millisecond, 1, 1, 0),
		peer(func(t *testing.T, p PeerInfo) {
			if p.PingNonce != 0 || p.PingWait != 0 {
				t.Fatalf("ping still outstanding: %+v", p)
			}
		}),
		// The next ping is due PingInterval after the previous one.
		advance(2*time.Minute-300*time.Millisecond),
		expectQuiet(),
		advance(time.Second),
		expectSend("ping"),
		elapse(100*time.Millisecond),
		theyPong(),
		pingStats(100*time.Millisecond, 100*time.Millisecond, 2, 1+1, 0),
		advance(2*time.Minute),
		expectSend("ping"),
		elapse(500*time.Millisecond),
		theyPong(),
		pingStats(500*time.Millisecond, 100*time.Millisecond, 3, 3, 0),
	)
}

func TestBadPongsAreIgnoredButCounted(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		outboundHandshake(),
		elapse(time.Second),
		theySend(wire.NewMsgPong(12345)),
		expectIgnored("pong", IgnorePongNonceMismatch),
		peer(func(t *testing.T, p PeerInfo) {
			if p.PingNonce == 0 {
				t.Fatal("a mismatched pong must leave the ping outstanding")
			}
		}),
		theyPong(),
		pingStats(time.Second, time.Second, 1, 1, 1),
		theyPong(),
		expectIgnored("pong", IgnorePongUnsolicited),
		input(SendPing{}),
		expectSend("ping"),
		theySend(wire.NewMsgPong(0)),
		expectIgnored("pong", IgnorePongNonceZero),
		// Nonce zero cancels the ping without a measurement.
		peer(func(t *testing.T, p PeerInfo) {
			if p.PingNonce != 0 {
				t.Fatal("nonce zero must cancel the outstanding ping")
			}
		}),
		pingStats(time.Second, time.Second, 2, 1, 3),
	)
}

func TestWeAnswerPings(t *testing.T) {
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		theySend(wire.NewMsgPing(42)),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if p, ok := msg.(*wire.MsgPong); !ok || p.Nonce != 42 {
				t.Fatalf("want pong 42, got %#v", msg)
			}
		}),
	)
}

func TestSendPingRequest(t *testing.T) {
	var first uint64
	run(t, testConfig(ConnOutboundFullRelay),
		expectSend("version"),
		// Queued before the handshake: nothing is sent yet.
		input(SendPing{}),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
		peer(func(t *testing.T, p PeerInfo) { first = p.PingNonce }),
		// With a ping outstanding, a request replaces it at once (Core).
		elapse(time.Second),
		input(SendPing{}),
		expectSend("ping"),
		peer(func(t *testing.T, p PeerInfo) {
			if p.PingNonce == first || p.PingsSent != 2 || !p.PingSent.Equal(t0.Add(time.Second)) {
				t.Fatalf("ping not replaced: %+v", p)
			}
		}),
		func(sc *scenario) { theySend(wire.NewMsgPong(first))(sc) },
		expectIgnored("pong", IgnorePongNonceMismatch),
	)
}

func TestPingTimeout(t *testing.T) {
	steps := []step{outboundHandshake()}
	// The peer stays chatty (its own pings, which we answer) but never
	// answers ours.
	for range 20 {
		steps = append(steps,
			elapse(time.Minute),
			theySend(wire.NewMsgPing(7)),
			expectSend("pong"))
	}
	steps = append(steps,
		// Exactly 20 minutes: still connected.
		expectQuiet(),
		advance(time.Second),
		expectDisconnect(ReasonPingTimeout),
	)
	run(t, testConfig(ConnOutboundFullRelay), steps...)
}

func TestInactivityNothingReceived(t *testing.T) {
	cfg := testConfig(ConnOutboundFullRelay)
	cfg.PingTimeout = time.Hour
	steps := []step{outboundHandshake()}
	// We keep sending (requested pings); the peer says nothing.
	for range 4 {
		steps = append(steps, advance(5*time.Minute), input(SendPing{}), expectSend("ping"))
	}
	steps = append(steps,
		advance(time.Second),
		func(sc *scenario) {
			o := sc.pop()
			if d, ok := o.(Disconnect); !ok || d.Reason != ReasonInactivity || !strings.Contains(d.Detail, "received") {
				sc.fatalf("want inactivity for nothing received, got %s", describe([]Output{o}))
			}
		})
	run(t, cfg, steps...)
}

func TestInactivityNothingSent(t *testing.T) {
	cfg := testConfig(ConnOutboundFullRelay)
	cfg.PingTimeout = time.Hour
	steps := []step{outboundHandshake()}
	// The peer keeps talking without needing answers; we have nothing to
	// say (our ping is outstanding, our fee filter unchanged).
	for range 4 {
		steps = append(steps, advance(5*time.Minute), theySend(&wire.MsgSendHeaders{}))
	}
	steps = append(steps,
		advance(time.Second),
		func(sc *scenario) {
			o := sc.pop()
			if d, ok := o.(Disconnect); !ok || d.Reason != ReasonInactivity || !strings.Contains(d.Detail, "sent") {
				sc.fatalf("want inactivity for nothing sent, got %s", describe([]Output{o}))
			}
		})
	run(t, cfg, steps...)
}

func TestFeeFilterResentOnlyWhenChanged(t *testing.T) {
	cfg := testConfig(ConnOutboundFullRelay)
	cfg.PingTimeout = time.Hour
	run(t, cfg,
		outboundHandshake(),
		// Unchanged: nothing in 16 minutes (jitter is at most 15).
		tickEvery(time.Minute, 16*time.Minute),
		expectQuiet(),
		input(SetFeeFilter{MinFeeRate: 5000}),
		expectQuiet(),
		theySend(&wire.MsgSendHeaders{}), // keep the connection alive
		tickEvery(time.Minute, 16*time.Minute),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if f, ok := msg.(*wire.MsgFeeFilter); !ok || f.MinFee != 5000 {
				t.Fatalf("want feefilter 5000, got %#v", msg)
			}
		}),
		peer(func(t *testing.T, p PeerInfo) {
			if p.OurFeeFilter != 5000 {
				t.Fatalf("our fee filter %d", p.OurFeeFilter)
			}
		}),
	)
}

func TestEnableSendHeaders(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		expectSend("version"),
		input(EnableSendHeaders{}),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "sendheaders", "feefilter"),
		// Only once.
		input(EnableSendHeaders{}),
		expectQuiet(),
	)
}

func TestPeerPreferencesAreRecorded(t *testing.T) {
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		theySend(&wire.MsgSendHeaders{}),
		theySend(&MsgSendCmpct{Announce: true, Version: 2}),
		theySend(wire.NewMsgFeeFilter(2500)),
		peer(func(t *testing.T, p PeerInfo) {
			if !p.SendHeaders || !p.SendCmpct || !p.CmpctAnnounce || p.CmpctVersion != 2 || p.FeeFilter != 2500 {
				t.Fatalf("preferences not recorded: %+v", p)
			}
		}),
		theySend(&MsgSendCmpct{Announce: false, Version: 1}),
		expectIgnored("sendcmpct", IgnoreCmpctVersion),
		theySend(wire.NewMsgFeeFilter(-1)),
		expectIgnored("feefilter", IgnoreFeeFilterOutOfRange),
		peer(func(t *testing.T, p PeerInfo) {
			if !p.CmpctAnnounce || p.FeeFilter != 2500 {
				t.Fatalf("ignored messages had an effect: %+v", p)
			}
		}),
	)
}

func TestChangedOnlyWhenSnapshotChanges(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		outboundHandshake(),
		expectQuiet(), // drops the handshake's trailing Changed
		advance(time.Second),
		func(sc *scenario) {
			if len(sc.pending) != 0 {
				sc.fatalf("a quiet tick must produce no output")
			}
		},
		// A message that changes nothing visible but LastRecv: no Changed.
		theySend(wire.NewMsgPing(1)),
		expectSend("pong"),
		func(sc *scenario) {
			if len(sc.pending) != 0 {
				sc.fatalf("answering a ping changes no snapshot field but LastSend/LastRecv")
			}
		},
		theyPong(),
		expectChanged(),
	)
}
