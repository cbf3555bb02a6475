package sockman

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// setCapture sends SetCapture{sink} and waits until the connection actor
// has handled it (a GetConnStats asked after it is answered after it).
func (h *harness) setCapture(t *testing.T, o *sockmanpb.Opened, sink *actor.PID) {
	t.Helper()
	h.sys.Root.Send(o.GetConn(), &sockmanpb.SetCapture{ConnId: o.GetConnId(), Sink: sink})
	h.stats(t, o.GetConn())
}

// writePing writes a ping with nonce from the peer's side.
func writePing(t *testing.T, nc net.Conn, nonce uint64) []byte {
	t.Helper()
	frame := btcdFrame(t, wire.NewMsgPing(nonce))
	if _, err := nc.Write(frame); err != nil {
		t.Fatalf("write: %v", err)
	}
	return frame
}

func TestCaptureTapsBothDirectionsFromTheFirstFrame(t *testing.T) {
	h := newHarness(t, Config{})
	sink := newProbe(t, h.sys)
	nc, o := h.connect(t)
	// SetCapture before Start: the connection actor handles them in order,
	// so the first frame read is already captured.
	h.sys.Root.Send(o.GetConn(), &sockmanpb.SetCapture{ConnId: o.GetConnId(), Sink: sink.pid})
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: h.owner.pid})
	msgs := sampleMessages()
	go func() {
		for _, m := range msgs {
			_ = wire.WriteMessage(nc, m, wire.ProtocolVersion, testNet)
		}
	}()
	for _, m := range msgs {
		want := btcdFrame(t, m)
		f := expect[*sockmanpb.Frame](t, h.owner)
		c := expect[*sockmanpb.CapturedFrame](t, sink)
		if c.GetSent() || c.GetConnId() != o.GetConnId() || c.GetCommand() != m.Command() ||
			!bytes.Equal(c.GetPayload(), want[HeaderSize:]) || int(c.GetWireSize()) != len(want) {
			t.Fatalf("%s: captured %q sent=%v with %d payload bytes, wire %d", m.Command(), c.GetCommand(), c.GetSent(),
				len(c.GetPayload()), c.GetWireSize())
		}
		if c.GetTimeUnixNano() != f.GetRecvTimeUnixNano() || c.GetTimeUnixNano() == 0 {
			t.Fatalf("%s: captured at %d, frame received at %d", m.Command(), c.GetTimeUnixNano(), f.GetRecvTimeUnixNano())
		}
	}
	// Sent messages are reported once flushed, stamped between the Send and
	// the moment the peer has read them.
	before := time.Now().UnixNano()
	var want []byte
	for _, m := range msgs {
		frame := btcdFrame(t, m)
		want = append(want, frame...)
		h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{ConnId: o.GetConnId(), Command: m.Command(), Payload: frame[HeaderSize:]})
	}
	if got := readFull(t, nc, len(want)); !bytes.Equal(got, want) {
		t.Fatal("bytes on the socket differ from btcd's encoding")
	}
	for _, m := range msgs {
		frame := btcdFrame(t, m)
		c := expect[*sockmanpb.CapturedFrame](t, sink)
		if !c.GetSent() || c.GetCommand() != m.Command() || !bytes.Equal(c.GetPayload(), frame[HeaderSize:]) ||
			int(c.GetWireSize()) != len(frame) {
			t.Fatalf("%s: captured %q sent=%v with %d payload bytes", m.Command(), c.GetCommand(), c.GetSent(), len(c.GetPayload()))
		}
		if ts := c.GetTimeUnixNano(); ts < before || ts > time.Now().UnixNano() {
			t.Fatalf("%s: sent time %d outside [%d, now]", m.Command(), ts, before)
		}
	}
	sink.expectNothing(t)
}

func TestCaptureOnAndOffAtRuntime(t *testing.T) {
	h := newHarness(t, Config{})
	sink := newProbe(t, h.sys)
	nc, o := h.connectStarted(t)

	// Off: frames reach the owner, nothing reaches the sink.
	writePing(t, nc, 1)
	expect[*sockmanpb.Frame](t, h.owner)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{ConnId: o.GetConnId(), Command: "pong", Payload: make([]byte, 8)})
	readFull(t, nc, HeaderSize+8)
	sink.expectNothing(t)

	// On: both directions are captured.
	h.setCapture(t, o, sink.pid)
	frame := writePing(t, nc, 2)
	expect[*sockmanpb.Frame](t, h.owner)
	if c := expect[*sockmanpb.CapturedFrame](t, sink); c.GetSent() || !bytes.Equal(c.GetPayload(), frame[HeaderSize:]) {
		t.Fatalf("captured %v", c)
	}
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{ConnId: o.GetConnId(), Command: "pong", Payload: frame[HeaderSize:]})
	readFull(t, nc, len(frame))
	if c := expect[*sockmanpb.CapturedFrame](t, sink); !c.GetSent() || c.GetCommand() != "pong" {
		t.Fatalf("captured %v", c)
	}

	// Off again: nothing more.
	h.setCapture(t, o, nil)
	writePing(t, nc, 3)
	expect[*sockmanpb.Frame](t, h.owner)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Send{ConnId: o.GetConnId(), Command: "pong", Payload: make([]byte, 8)})
	readFull(t, nc, HeaderSize+8)
	sink.expectNothing(t)
}

func TestSetCaptureForAnotherConnectionIsIgnored(t *testing.T) {
	h := newHarness(t, Config{})
	sink := newProbe(t, h.sys)
	nc, o := h.connectStarted(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.SetCapture{ConnId: o.GetConnId() + 100, Sink: sink.pid})
	h.stats(t, o.GetConn())
	writePing(t, nc, 1)
	expect[*sockmanpb.Frame](t, h.owner)
	sink.expectNothing(t)
}
