package peercore

import (
	"bytes"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// countPayload is a payload that announces n entries after prefix and
// carries none: the limit check must fire on the count alone.
func countPayload(t *testing.T, prefix []byte, n uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.Write(prefix)
	if err := wire.WriteVarInt(&buf, 70016, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOversizedMessages(t *testing.T) {
	cases := []struct {
		command string
		prefix  []byte
		limit   uint64
		punish  bool
	}{
		{"addr", nil, 1000, true},
		{"addrv2", nil, 1000, true},
		{"inv", nil, 50000, true},
		{"getdata", nil, 50000, true},
		{"headers", nil, 2000, true},
		// Core only disconnects for oversized locators.
		{"getheaders", []byte{0x80, 0x11, 0x01, 0x00}, 101, false},
		{"getblocks", []byte{0x80, 0x11, 0x01, 0x00}, 101, false},
	}
	for _, c := range cases {
		t.Run(c.command, func(t *testing.T) {
			want := expectDisconnect(ReasonOversizedMessage)
			if c.punish {
				want = expectPunished(ReasonOversizedMessage)
			}
			run(t, testConfig(ConnInbound),
				inboundHandshake(),
				theySendRaw(c.command, countPayload(t, c.prefix, c.limit+1)),
				want,
			)
			// Manual peers are disconnected, never reported.
			run(t, testConfig(ConnManual),
				outboundHandshake(),
				theySendRaw(c.command, countPayload(t, c.prefix, c.limit+1)),
				expectDisconnect(ReasonOversizedMessage),
			)
		})
	}
}

func TestMessagesAtTheLimitPassThrough(t *testing.T) {
	locator := wire.NewMsgGetHeaders()
	for i := range MaxLocatorHashes {
		h := chainhash.Hash{byte(i)}
		if err := locator.AddBlockLocatorHash(&h); err != nil {
			t.Fatal(err)
		}
	}
	inv := wire.NewMsgInv()
	for i := range 3 {
		if err := inv.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessTx, &chainhash.Hash{byte(i)})); err != nil {
			t.Fatal(err)
		}
	}
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		theySend(locator),
		expectOther("getheaders"),
		theySend(inv),
		expectOther("inv"),
		theySend(wire.NewMsgHeaders()),
		expectOther("headers"),
		// An addr message at the limit is consumed by the core (addr_test.go).
		theySend(addrMsg(MaxAddrPerMsg, t0)),
		expectAddrReceived(1, false),
		func(sc *scenario) {
			// The handed-on message is decoded, with its content.
			sc.feed(Received{Command: "inv", Payload: encode(t, inv, 70016)})
			o := sc.pop()
			got, ok := o.(Other)
			if !ok || len(got.Msg.(*wire.MsgInv).InvList) != 3 {
				sc.fatalf("want the decoded inv, got %s", describe([]Output{o}))
			}
		},
	)
}

func TestMalformedMessages(t *testing.T) {
	cases := []struct {
		name    string
		command string
		payload []byte
	}{
		{"short ping", "ping", []byte{1, 2, 3}},
		{"ping with trailing bytes", "ping", make([]byte, 9)},
		{"garbled inv", "inv", []byte{0x02, 0x01}},
		{"sendheaders with payload", "sendheaders", []byte{0}},
		{"short sendcmpct", "sendcmpct", []byte{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run(t, testConfig(ConnInbound),
				inboundHandshake(),
				theySendRaw(c.command, c.payload),
				expectPunished(ReasonMalformedMessage),
			)
		})
	}
	t.Run("wtxidrelay with payload", func(t *testing.T) {
		run(t, testConfig(ConnInbound),
			theySend(version()),
			expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
			theySendRaw("wtxidrelay", []byte{1}),
			expectPunished(ReasonMalformedMessage),
		)
	})
	t.Run("truncated version", func(t *testing.T) {
		run(t, testConfig(ConnInbound),
			theySendRaw("version", []byte{0x80, 0x11, 0x01}),
			expectPunished(ReasonMalformedMessage),
		)
	})
}

func TestManualPeersAreNeverReported(t *testing.T) {
	run(t, testConfig(ConnManual),
		outboundHandshake(),
		theySendRaw("ping", []byte{1}),
		expectDisconnect(ReasonMalformedMessage),
	)
	run(t, testConfig(ConnManual),
		expectSend("version"),
		theySendRaw("version", []byte{1}),
		expectDisconnect(ReasonMalformedMessage),
	)
}

func TestGetAddrOnlyOnceAndOnlyFromInbound(t *testing.T) {
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		theySend(&wire.MsgGetAddr{}),
		expectGetAddrRequest(),
		theySend(&wire.MsgGetAddr{}),
		expectIgnored("getaddr", IgnoreRepeatedGetAddr),
	)
	run(t, testConfig(ConnOutboundFullRelay),
		outboundHandshake(),
		theySend(&wire.MsgGetAddr{}),
		expectIgnored("getaddr", IgnoreGetAddrFromOutbound),
	)
}

func TestOtherMessagesPassThroughAfterHandshake(t *testing.T) {
	tx := wire.NewMsgTx(2)
	tx.AddTxOut(wire.NewTxOut(1000, []byte{0x51}))
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{}, nil, [][]byte{{1, 2}}))
	run(t, testConfig(ConnOutboundFullRelay),
		expectSend("version"),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		theySend(tx),
		expectIgnored("tx", IgnoreBeforeVerack),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
		theySend(tx),
		expectOther("tx"),
		theySend(wire.NewMsgNotFound()),
		expectOther("notfound"),
	)
}
