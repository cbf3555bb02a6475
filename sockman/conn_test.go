package sockman

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/btcsuite/btcd/wire/v2"
)

const (
	peerClosed    = sockmanpb.CloseReason_CLOSE_REASON_PEER_CLOSED
	badMagic      = sockmanpb.CloseReason_CLOSE_REASON_BAD_MAGIC
	oversized     = sockmanpb.CloseReason_CLOSE_REASON_OVERSIZED
	sendQueueFull = sockmanpb.CloseReason_CLOSE_REASON_SEND_QUEUE_FULL
	requested     = sockmanpb.CloseReason_CLOSE_REASON_REQUESTED
	shutdown      = sockmanpb.CloseReason_CLOSE_REASON_SHUTDOWN
)

func TestFramesRoundTripByteExact(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	if o.GetDirection() != sockmanpb.Direction_DIRECTION_INBOUND || o.GetConnId() == 0 {
		t.Fatalf("Opened %v", o)
	}
	msgs := sampleMessages()
	var sent uint64
	// Peer to owner: btcd's bytes arrive as Frames with the same payload.
	go func() {
		for _, m := range msgs {
			_ = wire.WriteMessage(nc, m, wire.ProtocolVersion, testNet)
		}
	}()
	for _, m := range msgs {
		want := btcdFrame(t, m)
		sent += uint64(len(want))
		f := expect[*sockmanpb.Frame](t, h.owner)
		if f.GetConnId() != o.GetConnId() || f.GetCommand() != m.Command() ||
			!bytes.Equal(f.GetPayload(), want[HeaderSize:]) || int(f.GetWireSize()) != len(want) || f.GetRecvTimeUnixNano() == 0 {
			t.Fatalf("%s: got Frame %q with %d payload bytes, wire %d", m.Command(), f.GetCommand(), len(f.GetPayload()), f.GetWireSize())
		}
	}
	// Owner to peer: Send produces exactly btcd's bytes on the socket.
	var want []byte
	for _, m := range msgs {
		frame := btcdFrame(t, m)
		want = append(want, frame...)
		h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{ConnId: o.GetConnId(), Command: m.Command(), Payload: frame[HeaderSize:]})
	}
	if got := readFull(t, nc, len(want)); !bytes.Equal(got, want) {
		t.Fatal("bytes on the socket differ from btcd's encoding")
	}
	deadline := time.Now().Add(waitLong)
	for {
		s := h.stats(t, o.GetConn())
		if s.GetBytesRecv() == sent && s.GetMsgsRecv() == uint64(len(msgs)) &&
			s.GetBytesSent() == uint64(len(want)) && s.GetMsgsSent() == uint64(len(msgs)) &&
			s.GetSendQueueBytes() == 0 && s.GetLastSendUnixNano() > 0 && s.GetLastRecvUnixNano() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats never settled: %v", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNothingIsReadBeforeStart(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connect(t)
	if _, err := nc.Write(btcdFrame(t, wire.NewMsgPing(7))); err != nil {
		t.Fatal(err)
	}
	h.owner.expectNothing(t)
	if s := h.stats(t, o.GetConn()); s.GetBytesRecv() != 0 {
		t.Fatalf("read %d bytes before Start", s.GetBytesRecv())
	}
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{Owner: h.owner.pid})
	if f := expect[*sockmanpb.Frame](t, h.owner); f.GetCommand() != "ping" {
		t.Fatalf("got %q", f.GetCommand())
	}
}

func TestStartMovesOwnership(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	_, _ = nc.Write(btcdFrame(t, wire.NewMsgPing(1)))
	expect[*sockmanpb.Frame](t, h.owner)
	second := newProbe(t, h.sys)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: second.pid})
	// GetConnStats is answered after Start is handled: ownership has moved.
	h.stats(t, o.GetConn())
	_, _ = nc.Write(btcdFrame(t, wire.NewMsgPing(2)))
	expect[*sockmanpb.Frame](t, second)
	_ = nc.Close()
	expectClosedOnce(t, second, o.GetConnId(), peerClosed)
	expectClosedOnce(t, h.manager, o.GetConnId(), peerClosed)
	h.owner.expectNothing(t)
}

func TestBadMagicCloses(t *testing.T) {
	h := newHarness(t, Config{Net: wire.TestNet3})
	nc, o := h.connectStarted(t)
	_, _ = nc.Write(btcdFrame(t, wire.NewMsgPing(1))) // mainnet magic
	c := expectClosedOnce(t, h.owner, o.GetConnId(), badMagic)
	expectClosedOnce(t, h.manager, o.GetConnId(), badMagic)
	if !strings.Contains(c.GetDetail(), "magic") {
		t.Fatalf("detail %q", c.GetDetail())
	}
	expectEOF(t, nc)
}

func TestOversizedCloses(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	var err error
	alloc := allocatedDuring(func() {
		_, err = nc.Write(header(testNet, "block", DefaultMaxPayload+1, [4]byte{}))
		expectClosedOnce(t, h.owner, o.GetConnId(), oversized)
	})
	if err != nil {
		t.Fatal(err)
	}
	if alloc >= DefaultMaxPayload {
		t.Fatalf("%d bytes allocated while refusing the frame", alloc)
	}
	expectClosedOnce(t, h.manager, o.GetConnId(), oversized)
	expectEOF(t, nc)
}

func TestHalfHeaderThenSilenceKeepsConnection(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	_, _ = nc.Write(btcdFrame(t, wire.NewMsgPing(1))[:12])
	h.owner.expectNothing(t)
	h.manager.expectNothing(t)
	// Still open: a Send reaches the client.
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{Command: "pong", Payload: make([]byte, 8)})
	if got := readFull(t, nc, HeaderSize+8); string(got[4:8]) != "pong" {
		t.Fatalf("got %q", got)
	}
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Close{ConnId: o.GetConnId(), Detail: "stalled"})
	c := expectClosedOnce(t, h.owner, o.GetConnId(), requested)
	if c.GetDetail() != "stalled" {
		t.Fatalf("detail %q", c.GetDetail())
	}
	expectClosedOnce(t, h.manager, o.GetConnId(), requested)
}

func TestHalfHeaderThenEOF(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	_, _ = nc.Write(btcdFrame(t, wire.NewMsgPing(1))[:12])
	_ = nc.Close()
	c := expectClosedOnce(t, h.owner, o.GetConnId(), peerClosed)
	if !strings.Contains(c.GetDetail(), "truncated") || !strings.Contains(c.GetDetail(), "12 of 24 header") {
		t.Fatalf("detail %q", c.GetDetail())
	}
	expectClosedOnce(t, h.manager, o.GetConnId(), peerClosed)
}

func TestBadChecksumDropsOneFrame(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	bad := btcdFrame(t, wire.NewMsgPing(1))
	bad[23] ^= 0x01
	good := btcdFrame(t, wire.NewMsgPing(2))
	_, _ = nc.Write(append(append([]byte{}, bad...), good...))
	d := expect[*sockmanpb.FrameDropped](t, h.owner)
	if d.GetReason() != "bad checksum" || d.GetCommand() != "ping" || int(d.GetWireSize()) != len(bad) {
		t.Fatalf("FrameDropped %v", d)
	}
	f := expect[*sockmanpb.Frame](t, h.owner)
	if !bytes.Equal(f.GetPayload(), good[HeaderSize:]) {
		t.Fatal("the frame after the bad one was not delivered intact")
	}
	s := h.stats(t, o.GetConn())
	if s.GetBadChecksums() != 1 || s.GetMsgsRecv() != 1 || s.GetBytesRecv() != uint64(len(bad)+len(good)) {
		t.Fatalf("stats %v", s)
	}
	h.manager.expectNothing(t)
}

func TestSendQueueFullCloses(t *testing.T) {
	h := newHarness(t, Config{MaxSendQueue: 1 << 20})
	nc, o := h.connectStarted(t)
	payload := make([]byte, 64<<10)
	// The client never reads: kernel buffers fill, then the queue.
	for range 2000 {
		h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{Command: "block", Payload: payload})
	}
	c := expectClosedOnce(t, h.owner, o.GetConnId(), sendQueueFull)
	expectClosedOnce(t, h.manager, o.GetConnId(), sendQueueFull)
	// What was still queued is discarded at close; how much depends on how
	// far the write loop got, but never more than the limit.
	if c.GetStats().GetSendQueueBytes() > 1<<20 {
		t.Fatalf("send queue at close: %d bytes, over the 1 MiB limit", c.GetStats().GetSendQueueBytes())
	}
	_ = nc
}

func TestOwnerCloseIsRequested(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	for range 3 {
		h.sys.Root.Send(o.GetConn(), &sockmanpb.Close{ConnId: o.GetConnId(), Detail: "misbehaving"})
	}
	c := expectClosedOnce(t, h.owner, o.GetConnId(), requested)
	if c.GetDetail() != "misbehaving" || c.GetStats().GetConnId() != o.GetConnId() || c.GetTimeUnixNano() == 0 {
		t.Fatalf("Closed %v", c)
	}
	expectClosedOnce(t, h.manager, o.GetConnId(), requested)
	expectEOF(t, nc)
}

func TestCloseKeepsOwnerReason(t *testing.T) {
	h := newHarness(t, Config{})
	_, o := h.connectStarted(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Close{Reason: shutdown, Detail: "node stopping"})
	if c := expectClosedOnce(t, h.owner, o.GetConnId(), shutdown); c.GetDetail() != "node stopping" {
		t.Fatalf("detail %q", c.GetDetail())
	}
}

func TestRemoteCloseIsPeerClosed(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	_, _ = nc.Write(btcdFrame(t, wire.NewMsgPing(1)))
	_ = nc.Close()
	// The frame before the close always arrives before Closed.
	expect[*sockmanpb.Frame](t, h.owner)
	expectClosedOnce(t, h.owner, o.GetConnId(), peerClosed)
	expectClosedOnce(t, h.manager, o.GetConnId(), peerClosed)
}

func TestCloseBeforeStartGoesToManagerOnly(t *testing.T) {
	h := newHarness(t, Config{})
	_, o := h.connect(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Close{})
	expectClosedOnce(t, h.manager, o.GetConnId(), requested)
	h.owner.expectNothing(t)
}

func TestOwnerIsManagerGetsOneClosed(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connect(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{Owner: h.manager.pid})
	_ = nc.Close()
	expectClosedOnce(t, h.manager, o.GetConnId(), peerClosed)
}

// expectEOF checks that the peer sees the connection closed.
func expectEOF(t *testing.T, nc interface {
	Read([]byte) (int, error)
	SetReadDeadline(time.Time) error
}) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(waitLong))
	if _, err := io.ReadAll(nc); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("reading until close: %v", err)
	}
}

// resetClose closes the client with an RST instead of a FIN.
func resetClose(t *testing.T, nc net.Conn) {
	t.Helper()
	if err := nc.(*net.TCPConn).SetLinger(0); err != nil {
		t.Fatal(err)
	}
	_ = nc.Close()
}

func TestResetWhileReadingIsReadError(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connectStarted(t)
	resetClose(t, nc)
	c := expectClosedOnce(t, h.owner, o.GetConnId(), sockmanpb.CloseReason_CLOSE_REASON_READ_ERROR)
	if !strings.Contains(c.GetDetail(), "reset") {
		t.Fatalf("detail %q", c.GetDetail())
	}
}

func TestResetWhileWritingIsWriteError(t *testing.T) {
	h := newHarness(t, Config{})
	nc, o := h.connect(t) // not started: nothing reads, so only a write can fail
	resetClose(t, nc)
	deadline := time.Now().Add(waitLong)
	for {
		h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{Command: "ping", Payload: make([]byte, 8)})
		select {
		case m := <-h.manager.ch:
			c, ok := m.(*sockmanpb.Closed)
			if !ok || c.GetReason() != sockmanpb.CloseReason_CLOSE_REASON_WRITE_ERROR {
				t.Fatalf("got %T %v, want Closed WRITE_ERROR", m, m)
			}
			h.manager.expectNothing(t)
			return
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("writing to a reset connection never failed")
		}
	}
}
