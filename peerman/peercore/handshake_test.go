package peercore

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

func TestOutboundHandshake(t *testing.T) {
	cfg := testConfig(ConnOutboundFullRelay)
	var ourNonce uint64
	run(t, cfg,
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			v, ok := msg.(*wire.MsgVersion)
			if !ok {
				t.Fatalf("first message is %s, want version", msg.Command())
			}
			if v.ProtocolVersion != 70016 || v.Services != fullServices || v.LastBlock != 100 ||
				v.UserAgent != "/actornode:0.1.0/" || v.DisableRelayTx {
				t.Fatalf("unexpected version fields: %+v", v)
			}
			if !v.Timestamp.Equal(t0) {
				t.Fatalf("timestamp %v, want %v", v.Timestamp, t0)
			}
			if got := addrPort(v.AddrYou); got != cfg.RemoteAddr || v.AddrYou.Services != fullServices {
				t.Fatalf("addr_recv %v services %v, want %v with their services", got, v.AddrYou.Services, cfg.RemoteAddr)
			}
			if addrPort(v.AddrMe).IsValid() || v.AddrMe.Services != fullServices {
				t.Fatalf("addr_from %+v, want the zero address with our services", v.AddrMe)
			}
			if v.Nonce == 0 {
				t.Fatal("version nonce is zero")
			}
			ourNonce = v.Nonce
		}),
		peer(func(t *testing.T, p PeerInfo) {
			if p.Handshake != AwaitingVersion || p.OurNonce != ourNonce || !p.LastSend.Equal(t0) {
				t.Fatalf("after New: %+v", p)
			}
		}),
		elapse(2*time.Second),
		theySend(version(withTimestamp(t0.Add(-3*time.Second)))),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		expectChanged(),
		peer(func(t *testing.T, p PeerInfo) {
			if p.Handshake != AwaitingVerack || p.Version != 70016 || p.CommonVersion != 70016 ||
				p.UserAgent != "/Satoshi:27.0.0/" || p.StartHeight != 850000 || !p.Relay ||
				p.Services != fullServices {
				t.Fatalf("after their version: %+v", p)
			}
			if p.TimeOffset != -5 {
				t.Fatalf("time offset %d, want -5", p.TimeOffset)
			}
			if p.AddrLocal != netip.MustParseAddrPort("10.0.0.1:50000") {
				t.Fatalf("addrlocal %v", p.AddrLocal)
			}
		}),
		theySend(&wire.MsgWTxIdRelay{}),
		theySend(&wire.MsgSendAddrV2{}),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
		peer(func(t *testing.T, p PeerInfo) {
			if p.Handshake != Established || !p.WTxIDRelay || !p.SendAddrV2 || p.OurFeeFilter != 1000 ||
				p.PingsSent != 1 || p.PingNonce == 0 {
				t.Fatalf("after verack: %+v", p)
			}
		}),
	)
}

func TestOurSendcmpctAndFeefilterValues(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		expectSend("version"),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		theySend(&wire.MsgVerAck{}),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			m := msg.(*MsgSendCmpct)
			if m.Announce || m.Version != 2 {
				t.Fatalf("sendcmpct %+v, want announce=false version=2", m)
			}
		}),
		expectHandshakeDone(),
		expectSend("ping"),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if m := msg.(*wire.MsgFeeFilter); m.MinFee != 1000 {
				t.Fatalf("feefilter %d, want 1000", m.MinFee)
			}
		}),
	)
}

func TestInboundHandshake(t *testing.T) {
	run(t, testConfig(ConnInbound),
		// Inbound: we wait for their version and say nothing.
		advance(time.Second),
		expectQuiet(),
		theySend(version()),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			v, ok := msg.(*wire.MsgVersion)
			if !ok || !v.Timestamp.Equal(t0.Add(time.Second)) {
				t.Fatalf("want our version stamped at receipt, got %s", msg.Command())
			}
		}),
		// No getaddr to inbound peers.
		expectSend("wtxidrelay", "sendaddrv2", "verack"),
		theySend(&wire.MsgWTxIdRelay{}),
		theySend(&wire.MsgSendAddrV2{}),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
	)
}

func TestOldPeerGetsNoNewMessages(t *testing.T) {
	// A 70012 peer: no wtxidrelay/sendaddrv2 (< 70016), no sendcmpct
	// (< 70014), no feefilter (< 70013).
	run(t, testConfig(ConnInbound),
		theySend(version(withProtocol(70012))),
		expectSend("version", "verack"),
		peer(func(t *testing.T, p PeerInfo) {
			if p.CommonVersion != 70012 {
				t.Fatalf("common version %d", p.CommonVersion)
			}
		}),
		theySend(&wire.MsgVerAck{}),
		expectHandshakeDone(),
		expectSend("ping"),
	)
}

func TestMessagesBeforeVersionAreIgnored(t *testing.T) {
	run(t, testConfig(ConnInbound),
		theySend(&wire.MsgVerAck{}),
		expectIgnored("verack", IgnoreBeforeVersion),
		theySend(wire.NewMsgPing(1)),
		expectIgnored("ping", IgnoreBeforeVersion),
		theySend(&wire.MsgWTxIdRelay{}),
		expectIgnored("wtxidrelay", IgnoreBeforeVersion),
		theySend(wire.NewMsgInv()),
		expectIgnored("inv", IgnoreBeforeVersion),
		// The handshake still works afterwards, and the early verack did
		// not count.
		theySend(version()),
		expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
		peer(func(t *testing.T, p PeerInfo) {
			if p.Handshake != AwaitingVerack || p.WTxIDRelay {
				t.Fatalf("early messages had an effect: %+v", p)
			}
		}),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
	)
}

func TestMessagesBetweenVersionAndVerackAreIgnored(t *testing.T) {
	run(t, testConfig(ConnInbound),
		theySend(version()),
		expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
		theySend(wire.NewMsgPing(9)),
		expectIgnored("ping", IgnoreBeforeVerack),
		theySend(&wire.MsgSendHeaders{}),
		expectIgnored("sendheaders", IgnoreBeforeVerack),
		theySend(wire.NewMsgAddr()),
		expectIgnored("addr", IgnoreBeforeVerack),
		theySend(&wire.MsgWTxIdRelay{}),
		theySend(&wire.MsgWTxIdRelay{}),
		expectIgnored("wtxidrelay", IgnoreDuplicateNegotiation),
		peer(func(t *testing.T, p PeerInfo) {
			if p.SendHeaders || !p.WTxIDRelay {
				t.Fatalf("unexpected state %+v", p)
			}
		}),
	)
}

func TestUnknownCommandIsReported(t *testing.T) {
	run(t, testConfig(ConnInbound),
		theySendRaw("foo", []byte{1, 2, 3}),
		expectUnknown("foo"),
		inboundHandshake(),
		theySendRaw("cmpctblock", []byte{1, 2, 3}),
		expectUnknown("cmpctblock"),
	)
}

func TestDuplicateVersion(t *testing.T) {
	run(t, testConfig(ConnInbound),
		theySend(version()),
		expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
		theySend(version()),
		expectDisconnect(ReasonDuplicateVersion),
		// Nothing more, whatever happens.
		theySend(&wire.MsgVerAck{}),
		advance(time.Hour),
		peer(func(t *testing.T, p PeerInfo) {
			if !p.Disconnected || p.Reason != ReasonDuplicateVersion || p.Handshake != AwaitingVerack {
				t.Fatalf("after disconnect: %+v", p)
			}
		}),
	)
}

func TestObsoleteVersion(t *testing.T) {
	run(t, testConfig(ConnInbound),
		theySend(version(withProtocol(31799))),
		expectDisconnect(ReasonObsoleteVersion),
	)
	// 31800 itself is accepted; a peer that old gets no ping nonce.
	run(t, testConfig(ConnInbound),
		theySend(version(withProtocol(31800))),
		expectSend("version", "verack"),
		theySend(&wire.MsgVerAck{}),
		expectHandshakeDone(),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if p, ok := msg.(*wire.MsgPing); !ok || p.Nonce != 0 {
				t.Fatalf("want a nonce-less ping, got %#v", msg)
			}
		}),
		// No pong can come, so none is awaited: a ping every interval
		// (strictly after 2 min, so every third one-minute tick).
		tickEvery(time.Minute, 19*time.Minute),
		expectSend("ping", "ping", "ping", "ping", "ping", "ping"),
		peer(func(t *testing.T, p PeerInfo) {
			if p.PingNonce != 0 || p.PingWait != 0 || p.PingsSent != 7 {
				t.Fatalf("nonce-less pings: %+v", p)
			}
		}),
	)
}

func TestSelfConnection(t *testing.T) {
	run(t, testConfig(ConnInbound),
		theySend(version(withNonce(selfNonce))),
		expectDisconnect(ReasonSelfConnection),
	)
	// Like Core, only the inbound side checks.
	run(t, testConfig(ConnOutboundFullRelay),
		expectSend("version"),
		theySend(version(withNonce(selfNonce))),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
	)
}

func TestMissingServices(t *testing.T) {
	for _, ct := range []ConnType{ConnOutboundFullRelay, ConnBlockRelayOnly, ConnAddrFetch} {
		t.Run(ct.String(), func(t *testing.T) {
			run(t, testConfig(ct),
				expectSend("version"),
				theySend(version(withServices(wire.SFNodeNetwork))),
				expectDisconnect(ReasonMissingServices),
			)
		})
	}
	// Inbound, manual and feeler peers need not offer anything.
	t.Run("inbound", func(t *testing.T) {
		run(t, testConfig(ConnInbound),
			theySend(version(withServices(0))),
			expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
		)
	})
	t.Run("manual", func(t *testing.T) {
		run(t, testConfig(ConnManual),
			expectSend("version"),
			theySend(version(withServices(0))),
			expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		)
	})
	t.Run("feeler", func(t *testing.T) {
		run(t, testConfig(ConnFeeler),
			expectSend("version"),
			theySend(version(withServices(0))),
			expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
			expectDisconnect(ReasonFeelerDone),
		)
	})
}

func TestNegotiationAfterVerack(t *testing.T) {
	for _, msg := range []wire.Message{&wire.MsgWTxIdRelay{}, &wire.MsgSendAddrV2{}} {
		t.Run(msg.Command(), func(t *testing.T) {
			run(t, testConfig(ConnOutboundFullRelay),
				outboundHandshake(),
				theySend(msg),
				expectDisconnect(ReasonNegotiationAfterVerack),
			)
		})
	}
}

func TestVerackBeforeVersionThenRedundantVerack(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		outboundHandshake(),
		theySend(&wire.MsgVerAck{}),
		expectIgnored("verack", IgnoreRedundantVerack),
	)
}

func TestFeelerDisconnectsAfterVersion(t *testing.T) {
	run(t, testConfig(ConnFeeler),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if v := msg.(*wire.MsgVersion); !v.DisableRelayTx {
				t.Fatal("feeler version must ask for no tx relay")
			}
		}),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		expectDisconnect(ReasonFeelerDone),
		theySend(&wire.MsgVerAck{}),
	)
}

func TestBlockRelayOnly(t *testing.T) {
	run(t, testConfig(ConnBlockRelayOnly),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if v := msg.(*wire.MsgVersion); !v.DisableRelayTx {
				t.Fatal("block-relay-only version must set relay=false")
			}
		}),
		theySend(version()),
		// No getaddr.
		expectSend("wtxidrelay", "sendaddrv2", "verack"),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		// No feefilter.
		expectSend("ping"),
		// Addresses are neither accepted nor asked for, even oversized.
		theySend(wire.NewMsgAddr()),
		expectIgnored("addr", IgnoreAddrRelayDisabled),
		theySendRaw("addr", []byte{0xfd, 0xe9, 0x03}),
		expectIgnored("addr", IgnoreAddrRelayDisabled),
		theySend(&wire.MsgGetAddr{}),
		expectIgnored("getaddr", IgnoreAddrRelayDisabled),
	)
}

func TestBlocksOnlyModeSendsNoFeefilter(t *testing.T) {
	cfg := testConfig(ConnOutboundFullRelay)
	cfg.Relay = false
	run(t, cfg,
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if !msg.(*wire.MsgVersion).DisableRelayTx {
				t.Fatal("relay=false config must announce relay=false")
			}
		}),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping"),
	)
}

func TestHandshakeTimeout(t *testing.T) {
	t.Run("inbound silent", func(t *testing.T) {
		run(t, testConfig(ConnInbound),
			advance(60*time.Second),
			expectQuiet(),
			advance(time.Second),
			expectDisconnect(ReasonHandshakeTimeout),
		)
	})
	t.Run("outbound no version", func(t *testing.T) {
		run(t, testConfig(ConnOutboundFullRelay),
			expectSend("version"),
			tickEvery(time.Second, 60*time.Second),
			expectQuiet(),
			advance(time.Second),
			expectDisconnect(ReasonHandshakeTimeout),
		)
	})
	t.Run("no verack", func(t *testing.T) {
		run(t, testConfig(ConnOutboundFullRelay),
			expectSend("version"),
			elapse(30*time.Second),
			theySend(version()),
			expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
			advance(30*time.Second),
			expectQuiet(),
			advance(time.Second),
			expectDisconnect(ReasonHandshakeTimeout),
		)
	})
	t.Run("verack just in time", func(t *testing.T) {
		run(t, testConfig(ConnOutboundFullRelay),
			expectSend("version"),
			theySend(version()),
			expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
			elapse(61*time.Second),
			// The verack is processed before the timers run.
			theySend(&wire.MsgVerAck{}),
			expectSend("sendcmpct"),
			expectHandshakeDone(),
			expectSend("ping", "feefilter"),
		)
	})
}

func TestUserAgentTooLongIsMalformed(t *testing.T) {
	v := version()
	v.UserAgent = "/" + strings.Repeat("x", 298) + "/"
	// btcd refuses to encode it, so build the payload by hand: encode a
	// short agent and splice in the long one.
	short := version()
	short.UserAgent = "/a/"
	payload := encode(t, short, 70016)
	ua := []byte(v.UserAgent)
	head := payload[:80] // version..nonce
	tail := payload[80+1+3:]
	long := append(append(append([]byte{}, head...), 0xfd, byte(len(ua)), byte(len(ua)>>8)), ua...)
	long = append(long, tail...)
	run(t, testConfig(ConnInbound),
		theySendRaw("version", long),
		expectPunished(ReasonMalformedMessage),
	)
	// A 256-byte agent is fine.
	ok := version()
	ok.UserAgent = strings.Repeat("y", 256)
	run(t, testConfig(ConnInbound),
		theySend(ok),
		expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
	)
}

func TestConfigValidation(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.ConnType = ConnTypeUnset },
		func(c *Config) { c.ConnType = 99 },
		func(c *Config) { c.UserAgent = strings.Repeat("u", 257) },
		func(c *Config) { c.ProtocolVersion = 300 },
		func(c *Config) { c.PingTimeout = -time.Second },
		func(c *Config) { c.MinFeeFilter = -1 },
	}
	for i, mutate := range bad {
		cfg := testConfig(ConnInbound)
		mutate(&cfg)
		if _, _, err := New(cfg, t0); err == nil {
			t.Errorf("case %d: New accepted an invalid config", i)
		}
	}
	// Zero fields get defaults; a nil nonce source uses crypto randomness.
	s, out, err := New(Config{ConnType: ConnOutboundFullRelay}, t0)
	if err != nil || len(out) != 1 || s.OurNonce() == 0 || s.CommonVersion() != DefaultProtocolVersion {
		t.Fatalf("defaults: err=%v out=%d nonce=%d", err, len(out), s.OurNonce())
	}
}

func TestStateIsAValue(t *testing.T) {
	s, _, err := New(testConfig(ConnInbound), t0)
	if err != nil {
		t.Fatal(err)
	}
	payload := encode(t, version(), 70016)
	copyBefore := s
	s2, out := Step(s, Received{Command: "version", Payload: payload}, t0)
	if len(out) == 0 || s2.Handshake() != AwaitingVerack {
		t.Fatalf("step did not advance: %d outputs", len(out))
	}
	if s.Handshake() != AwaitingVersion || s.Snapshot(t0) != copyBefore.Snapshot(t0) {
		t.Fatal("stepping changed the caller's copy")
	}
	// Changing the payload afterwards does not reach into the state.
	for i := range payload {
		payload[i] = 0
	}
	if got := s2.Snapshot(t0).UserAgent; got != "/Satoshi:27.0.0/" {
		t.Fatalf("state aliases the payload: user agent %q", got)
	}
}

func TestStringsAreStable(t *testing.T) {
	want := map[DisconnectReason]string{
		ReasonHandshakeTimeout:       "handshake_timeout",
		ReasonSelfConnection:         "self_connection",
		ReasonDuplicateVersion:       "duplicate_version",
		ReasonObsoleteVersion:        "obsolete_version",
		ReasonMissingServices:        "missing_services",
		ReasonNegotiationAfterVerack: "negotiation_after_verack",
		ReasonPingTimeout:            "ping_timeout",
		ReasonInactivity:             "inactivity",
		ReasonMalformedMessage:       "malformed_message",
		ReasonOversizedMessage:       "oversized_message",
		ReasonFeelerDone:             "feeler_done",
		ReasonAddrFetchDone:          "addr_fetch_done",
	}
	for r, s := range want {
		if r.String() != s {
			t.Errorf("%d: %q, want %q", r, r.String(), s)
		}
	}
	if DisconnectReason(200).String() != "unknown" || IgnoreReason(200).String() != "unknown" {
		t.Error("out-of-range reasons must print unknown")
	}
	for ct, s := range map[ConnType]string{
		ConnInbound: "inbound", ConnOutboundFullRelay: "outbound-full-relay",
		ConnBlockRelayOnly: "block-relay-only", ConnManual: "manual",
		ConnFeeler: "feeler", ConnAddrFetch: "addr-fetch",
	} {
		if ct.String() != s {
			t.Errorf("conn type %d: %q, want %q", ct, ct.String(), s)
		}
	}
}
