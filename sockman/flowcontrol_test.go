package sockman

import (
	"encoding/binary"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"go.uber.org/goleak"
)

// Flow-control tests use small frames and a small budget so that a pause
// comes after a few hundred kilobytes.
const (
	fcPayload = 1000                   // payload bytes of every test frame
	fcFrame   = HeaderSize + fcPayload // wire bytes of every test frame
	fcBudget  = 100_000                // Config.MaxRecvBuffer of the tests
	fcFrames  = 8192                   // frames the client writes: 8 MB
)

// fcConfig is the sockman configuration of the flow-control tests.
func fcConfig() Config {
	return Config{MaxPayload: fcPayload, MaxRecvBuffer: fcBudget}
}

// seqWriter writes fcFrames numbered "blob" frames to a socket, counting
// what the socket took, until they are all written or a write fails.
type seqWriter struct {
	written atomic.Uint64
	done    chan struct{}
}

// startSeqWriter starts writing on nc.
func startSeqWriter(t *testing.T, nc net.Conn) *seqWriter {
	t.Helper()
	w := &seqWriter{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		payload := make([]byte, fcPayload)
		var batch []byte
		for i := range fcFrames {
			binary.BigEndian.PutUint64(payload, uint64(i))
			var err error
			if batch, err = AppendFrame(batch, testNet, "blob", payload); err != nil {
				panic(err)
			}
			if len(batch) < 64*fcFrame && i < fcFrames-1 {
				continue
			}
			if _, err := nc.Write(batch); err != nil {
				return
			}
			w.written.Add(uint64(len(batch)))
			batch = batch[:0]
		}
	}()
	return w
}

// drainFrames returns the frames p receives until nothing arrives for
// quiet; anything but a Frame fails the test.
func drainFrames(t *testing.T, p *probe) []*sockmanpb.Frame {
	t.Helper()
	var got []*sockmanpb.Frame
	for {
		select {
		case m := <-p.ch:
			f, ok := m.(*sockmanpb.Frame)
			if !ok {
				t.Fatalf("got %T %v while draining frames", m, m)
			}
			got = append(got, f)
		case <-time.After(quiet):
			return got
		}
	}
}

// checkSeq fails unless f is the test frame numbered want.
func checkSeq(t *testing.T, f *sockmanpb.Frame, want uint64) {
	t.Helper()
	if f.GetCommand() != "blob" || f.GetWireSize() != fcFrame || len(f.GetPayload()) != fcPayload {
		t.Fatalf("frame %d: got %q of %d wire bytes", want, f.GetCommand(), f.GetWireSize())
	}
	if got := binary.BigEndian.Uint64(f.GetPayload()); got != want {
		t.Fatalf("frame %d arrived as number %d: out of order", want, got)
	}
}

// pausedConn opens a flow-controlled connection whose owner never
// acknowledges, lets the client write until sockman pauses, and returns
// the frames delivered by then, having checked that they stay within the
// budget while the client wrote more.
func pausedConn(t *testing.T, h *harness) (net.Conn, *sockmanpb.Opened, *seqWriter, []*sockmanpb.Frame) {
	t.Helper()
	nc, o := h.connect(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: h.owner.pid, FlowControl: true})
	w := startSeqWriter(t, nc)
	deadline := time.Now().Add(waitLong)
	for {
		s := h.stats(t, o.GetConn())
		if s.GetRecvPaused() && w.written.Load() >= 3*fcBudget {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reading never paused: stats %v, client wrote %d bytes", s, w.written.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := drainFrames(t, h.owner)
	delivered := uint64(len(got)) * fcFrame
	s := h.stats(t, o.GetConn())
	if delivered < fcBudget || delivered > fcBudget+fcFrame {
		t.Fatalf("owner got %d bytes before the pause, want between the budget %d and one frame more", delivered, fcBudget)
	}
	if s.GetBytesRecv() != delivered || s.GetRecvUnackedBytes() != delivered || !s.GetRecvPaused() || s.GetRecvPauses() != 1 {
		t.Fatalf("stats %v after %d delivered bytes", s, delivered)
	}
	if written := w.written.Load(); written < delivered+2*fcBudget {
		t.Fatalf("client wrote only %d bytes", written)
	}
	for i, f := range got {
		checkSeq(t, f, uint64(i))
	}
	return nc, o, w, got
}

func TestFlowControlPausesUntilConsumed(t *testing.T) {
	h := newHarness(t, fcConfig())
	_, o, w, got := pausedConn(t, h)
	// The client keeps its bytes in the kernel's buffers (or is blocked
	// writing); nothing more reaches the owner without an acknowledgement.
	h.owner.expectNothing(t)
	if s := h.stats(t, o.GetConn()); s.GetBytesRecv() != uint64(len(got))*fcFrame {
		t.Fatalf("read on while paused: stats %v", s)
	}

	// Acknowledging resumes delivery; an owner acknowledging every 16 KiB
	// receives everything, in order.
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Consumed{ConnId: o.GetConnId(), Bytes: uint64(len(got)) * fcFrame, Frames: uint64(len(got))})
	var unacked, frames uint64
	for i := uint64(len(got)); i < fcFrames; i++ {
		f := expect[*sockmanpb.Frame](t, h.owner)
		checkSeq(t, f, i)
		frames++
		if unacked += uint64(f.GetWireSize()); unacked >= 16<<10 {
			h.sys.Root.Send(o.GetConn(), &sockmanpb.Consumed{ConnId: o.GetConnId(), Bytes: unacked, Frames: frames})
			unacked, frames = 0, 0
		}
	}
	<-w.done
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Consumed{ConnId: o.GetConnId(), Bytes: unacked, Frames: frames})
	deadline := time.Now().Add(waitLong)
	for {
		s := h.stats(t, o.GetConn())
		if s.GetRecvUnackedBytes() == 0 && !s.GetRecvPaused() && s.GetBytesRecv() == fcFrames*fcFrame {
			if s.GetRecvPauses() < 1 {
				t.Fatalf("stats %v: the pause was not counted", s)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats never settled: %v", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCloseWhilePausedEndsCleanly(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	h := newHarness(t, fcConfig())
	nc, o, w, _ := pausedConn(t, h)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Close{ConnId: o.GetConnId()})
	c := expectClosedOnce(t, h.owner, o.GetConnId(), requested)
	expectClosedOnce(t, h.manager, o.GetConnId(), requested)
	if c.GetStats().GetRecvPaused() {
		t.Fatalf("Closed reports a paused read loop: %v", c.GetStats())
	}
	_ = nc.Close()
	<-w.done
	h.stop(t)
	h.sys.Root.Stop(h.owner.pid)
	h.sys.Root.Stop(h.manager.pid)
	h.sys.Shutdown()
	goleak.VerifyNone(t, ignore)
}

func TestStoppingSockmanWhilePausedEndsCleanly(t *testing.T) {
	h := newHarness(t, fcConfig())
	nc, o, w, _ := pausedConn(t, h)
	h.stop(t)
	expectClosedOnce(t, h.owner, o.GetConnId(), shutdown)
	expectClosedOnce(t, h.manager, o.GetConnId(), shutdown)
	_ = nc.Close()
	<-w.done
}

func TestStartWithoutFlowControlResumesReading(t *testing.T) {
	h := newHarness(t, fcConfig())
	_, o, w, got := pausedConn(t, h)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: h.owner.pid})
	for i := uint64(len(got)); i < fcFrames; i++ {
		checkSeq(t, expect[*sockmanpb.Frame](t, h.owner), i)
	}
	<-w.done
	if s := h.stats(t, o.GetConn()); s.GetRecvUnackedBytes() != 0 || s.GetRecvPaused() {
		t.Fatalf("stats %v without flow control", s)
	}
}

func TestWithoutFlowControlReadingIsUnbounded(t *testing.T) {
	h := newHarness(t, fcConfig())
	nc, o := h.connectStarted(t)
	w := startSeqWriter(t, nc)
	// Eighty times the budget arrives although the owner acknowledges
	// nothing.
	for i := range uint64(fcFrames) {
		checkSeq(t, expect[*sockmanpb.Frame](t, h.owner), i)
	}
	<-w.done
	s := h.stats(t, o.GetConn())
	if s.GetBytesRecv() != fcFrames*fcFrame || s.GetRecvUnackedBytes() != 0 || s.GetRecvPaused() || s.GetRecvPauses() != 0 {
		t.Fatalf("stats %v without flow control", s)
	}
}

func TestMaxRecvBufferHoldsOneMaximalFrame(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want int
	}{
		{Config{}, DefaultMaxRecvBuffer},
		{Config{MaxRecvBuffer: 1000}, HeaderSize + DefaultMaxPayload},
		{Config{MaxPayload: 1000, MaxRecvBuffer: 500}, HeaderSize + 1000},
		{Config{MaxPayload: 1000, MaxRecvBuffer: fcBudget}, fcBudget},
	} {
		if got := tc.cfg.withDefaults().MaxRecvBuffer; got != tc.want {
			t.Errorf("MaxRecvBuffer %d with MaxPayload %d became %d, want %d",
				tc.cfg.MaxRecvBuffer, tc.cfg.MaxPayload, got, tc.want)
		}
	}
}

func TestFlowControlBoundsUnacknowledgedFrames(t *testing.T) {
	// A byte budget far above what the client sends: only the frame limit
	// can pause reading.
	const limit = 10
	h := newHarness(t, Config{MaxPayload: fcPayload, MaxRecvBuffer: 1 << 30, MaxRecvFrames: limit})
	nc, o := h.connect(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: h.owner.pid, FlowControl: true})
	w := startSeqWriter(t, nc)
	deadline := time.Now().Add(waitLong)
	for !h.stats(t, o.GetConn()).GetRecvPaused() {
		if time.Now().After(deadline) {
			t.Fatalf("reading never paused at %d frames: %v", limit, h.stats(t, o.GetConn()))
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := drainFrames(t, h.owner)
	if len(got) != limit {
		t.Fatalf("owner got %d frames before the pause, want the limit %d", len(got), limit)
	}
	// Acknowledging the bytes alone does not resume: the frames are owed.
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Consumed{ConnId: o.GetConnId(), Bytes: limit * fcFrame})
	h.owner.expectNothing(t)
	// Acknowledging the frames does, by exactly the frames acknowledged.
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Consumed{ConnId: o.GetConnId(), Frames: 4})
	for i := limit; i < limit+4; i++ {
		checkSeq(t, expect[*sockmanpb.Frame](t, h.owner), uint64(i))
	}
	h.owner.expectNothing(t)
	_ = nc.Close()
	<-w.done
}
