package peerman_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/btcsuite/btcd/wire/v2"
)

// versionPayload builds a version payload by hand, so that it can break
// the rules wire's encoder enforces (a user agent over 256 bytes).
func versionPayload(userAgent string) []byte {
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	addr := func() { // services, IPv6-mapped 127.0.0.1, port (big-endian)
		le(uint64(0))
		b.Write(net.IPv4(127, 0, 0, 1).To16())
		_ = binary.Write(&b, binary.BigEndian, uint16(8333))
	}
	le(int32(70016))
	le(uint64(wire.SFNodeNetwork | wire.SFNodeWitness))
	le(time.Now().Unix())
	addr()
	addr()
	le(wiretest.RandomNonce())
	_ = wire.WriteVarString(&b, 0, userAgent)
	le(int32(1))
	b.WriteByte(1)
	return b.Bytes()
}

// newVersion is a well-formed version message from a wiretest client.
func newVersion() *wire.MsgVersion {
	me := wire.NewNetAddressIPPort(net.IPv4(127, 0, 0, 1), 1, wire.SFNodeNetwork)
	v := wire.NewMsgVersion(me, me, wiretest.RandomNonce(), 1)
	v.Services = wire.SFNodeNetwork | wire.SFNodeWitness
	return v
}

// dialPeer connects a wiretest client to the fixture and returns it with
// its PeerStarted.
func dialPeer(t *testing.T, f *fixture) (*wiretest.Client, *peermanpb.PeerStarted) {
	t.Helper()
	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, f.peerOf(c.LocalAddr())
}

// expectDisconnect waits for peer's DisconnectPeer, checks its reason and
// misbehaving flag, then waits for the connection to close and the peer
// to leave GetPeerInfo.
func expectDisconnect(t *testing.T, f *fixture, c *wiretest.Client, peer uint64, reason peermanpb.DisconnectReason, misbehaving bool) {
	t.Helper()
	d := f.disconnectOf(peer)
	if d.GetReason() != reason || d.GetMisbehaving() != misbehaving {
		t.Fatalf("DisconnectPeer reason %v misbehaving %v (%q), want %v misbehaving %v",
			d.GetReason(), d.GetMisbehaving(), d.GetDetail(), reason, misbehaving)
	}
	t.Logf("disconnected: %v %q", d.GetReason(), d.GetDetail())
	if c != nil {
		if err := c.WaitClosed(waitLong); err != nil {
			t.Fatal(err)
		}
	}
	f.gone(peer)
}

// expectNoDisconnect fails if peer asks for a disconnect within quiet.
func expectNoDisconnect(t *testing.T, f *fixture, peer uint64) {
	t.Helper()
	time.Sleep(quiet)
	if d, ok := find(f.ev, func(d *peermanpb.DisconnectPeer) bool { return d.GetPeerId() == peer }); ok {
		t.Fatalf("unexpected DisconnectPeer %v", d)
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, baseConfig())

	t.Run("user agent over 256 bytes", func(t *testing.T) {
		c, ps := dialPeer(t, f)
		if err := c.WriteRaw(wiretest.Frame(testNet, "version", versionPayload(strings.Repeat("u", 300)))); err != nil {
			t.Fatal(err)
		}
		expectDisconnect(t, f, c, ps.GetPeerId(), peermanpb.DisconnectReason_DISCONNECT_REASON_MALFORMED_MESSAGE, true)
	})

	t.Run("messages before version are ignored", func(t *testing.T) {
		c, ps := dialPeer(t, f)
		for _, m := range []wire.Message{wire.NewMsgPing(7), wire.NewMsgGetAddr(), wire.NewMsgSendHeaders(), wire.NewMsgFeeFilter(5)} {
			if err := c.WriteMessage(m); err != nil {
				t.Fatal(err)
			}
		}
		expectNoDisconnect(t, f, ps.GetPeerId())
		if _, err := c.Handshake(clientOptions("/late-version/", 1)); err != nil {
			t.Fatal(err)
		}
		eventually(t, func() string {
			s := f.snapshotOf(ps.GetPeerId())
			if !s.GetHandshakeDone() || s.GetMinfeefilter() != 0 || s.GetBytesrecvPerMsg()["ping"] != 32 {
				return fmt.Sprintf("snapshot %v", s)
			}
			return ""
		})
	})

	t.Run("verack before version is ignored", func(t *testing.T) {
		c, ps := dialPeer(t, f)
		if err := c.WriteMessage(wire.NewMsgVerAck()); err != nil {
			t.Fatal(err)
		}
		expectNoDisconnect(t, f, ps.GetPeerId())
		if s := f.snapshotOf(ps.GetPeerId()); s.GetHandshakeDone() {
			t.Fatal("handshake done after a lone verack")
		}
		if _, err := c.Handshake(clientOptions("/early-verack/", 1)); err != nil {
			t.Fatal(err)
		}
		eventually(t, func() string {
			if s := f.snapshotOf(ps.GetPeerId()); !s.GetHandshakeDone() || s.GetBytesrecvPerMsg()["verack"] != 48 {
				return fmt.Sprintf("snapshot %v", s)
			}
			return ""
		})
	})

	t.Run("duplicate version", func(t *testing.T) {
		c, ps := dialPeer(t, f)
		if _, err := c.Handshake(clientOptions("/twice/", 1)); err != nil {
			t.Fatal(err)
		}
		if err := c.WriteMessage(newVersion()); err != nil {
			t.Fatal(err)
		}
		expectDisconnect(t, f, c, ps.GetPeerId(), peermanpb.DisconnectReason_DISCONNECT_REASON_DUPLICATE_VERSION, false)
	})

	t.Run("unknown command and bad checksum count as other", func(t *testing.T) {
		c, ps := dialPeer(t, f)
		if _, err := c.Handshake(clientOptions("/odd/", 1)); err != nil {
			t.Fatal(err)
		}
		if err := c.WriteRaw(wiretest.Frame(testNet, "bogus", make([]byte, 10))); err != nil {
			t.Fatal(err)
		}
		pong, err := wiretest.MessageFrame(testNet, wire.NewMsgPong(1))
		if err != nil {
			t.Fatal(err)
		}
		pong[20] ^= 0xff // break the checksum
		if err := c.WriteRaw(pong); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Ping(9, waitLong); err != nil { // still talking
			t.Fatal(err)
		}
		s := f.snapshotOf(ps.GetPeerId())
		if got, want := s.GetBytesrecvPerMsg()[peerman.OtherCommand], uint64(24+10+24+8); got != want {
			t.Errorf("bytesrecv_per_msg[*other*] = %d, want %d (%v)", got, want, s.GetBytesrecvPerMsg())
		}
		if _, ok := s.GetBytesrecvPerMsg()["bogus"]; ok {
			t.Errorf("unknown command counted under its own name: %v", s.GetBytesrecvPerMsg())
		}
		expectNoDisconnect(t, f, ps.GetPeerId())
	})

	t.Run("self connection", func(t *testing.T) {
		f.dial(f.addr, peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY)
		in := waitFor(t, f.ev, "inbound side of the self connection", func(d *peermanpb.DisconnectPeer) bool {
			return d.GetReason() == peermanpb.DisconnectReason_DISCONNECT_REASON_SELF_CONNECTION
		})
		if d := f.disconnectOf(in.GetPeerId()); d.GetMisbehaving() {
			t.Errorf("self connection marked misbehaving")
		}
		f.gone(in.GetPeerId())
	})
}

func TestInactivity(t *testing.T) {
	cfg := baseConfig()
	cfg.HandshakeTimeout = 2 * time.Second
	cfg.InactivityTimeout = 3 * time.Second
	f := newFixture(t, cfg)
	c, ps := dialPeer(t, f)
	if _, err := c.Handshake(clientOptions("/silent/", 1)); err != nil {
		t.Fatal(err)
	}
	done := time.Now()
	expectDisconnect(t, f, c, ps.GetPeerId(), peermanpb.DisconnectReason_DISCONNECT_REASON_INACTIVITY, false)
	if waited := time.Since(done); waited < cfg.InactivityTimeout-500*time.Millisecond {
		t.Errorf("disconnected %v after the handshake, before the %v inactivity timeout", waited, cfg.InactivityTimeout)
	}
}

func TestHandshakeTimeout(t *testing.T) {
	cfg := baseConfig()
	cfg.HandshakeTimeout = time.Second
	f := newFixture(t, cfg)
	c, ps := dialPeer(t, f)
	if err := c.WriteMessage(newVersion()); err != nil { // and never verack
		t.Fatal(err)
	}
	expectDisconnect(t, f, c, ps.GetPeerId(), peermanpb.DisconnectReason_DISCONNECT_REASON_HANDSHAKE_TIMEOUT, false)
}
