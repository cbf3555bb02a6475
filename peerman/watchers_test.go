package peerman_test

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

func TestWatchersSeeLifecycleAndSelectedPeersAreTappedFromTheVersion(t *testing.T) {
	// The watcher and the sink are named, so that their PIDs are known
	// before the fixture's actor system exists; they are spawned before
	// any peer connects.
	watcherEv, sinkEv := &events{}, &events{}
	watcher, sink := actor.NewPID("nonhost", "watcher"), actor.NewPID("nonhost", "sink")
	cfg := baseConfig()
	cfg.Watchers = []*actor.PID{watcher}
	cfg.InitialCapture = &peermanpb.SetCaptureSelection{Filter: "dir=inbound", Sink: sink}
	f := newFixture(t, cfg)
	for name, ev := range map[string]*events{"watcher": watcherEv, "sink": sinkEv} {
		if _, err := f.sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &recorder{ev: ev} }), name); err != nil {
			t.Fatal(err)
		}
	}

	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	conn := waitFor(t, watcherEv, "PeerConnected", func(m *peermanpb.PeerConnected) bool { return true })
	if !conn.GetInbound() || conn.GetAddr() != c.LocalAddr() || !conn.GetCaptureSink().Equal(sink) || conn.GetConn() == nil ||
		conn.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND || conn.GetTimeUnixNano() == 0 {
		t.Fatalf("PeerConnected %v", conn)
	}
	hs := waitFor(t, watcherEv, "PeerHandshaken", func(m *peermanpb.PeerHandshaken) bool { return true })
	if hs.GetPeerId() != conn.GetPeerId() || hs.GetUserAgent() != wiretest.DefaultUserAgent || hs.GetVersion() == 0 {
		t.Fatalf("PeerHandshaken %v", hs)
	}
	// The tap was set before Start: the first frame captured is the
	// client's version, then our version.
	waitFor(t, sinkEv, "our verack captured", func(m *sockmanpb.CapturedFrame) bool { return m.GetSent() && m.GetCommand() == "verack" })
	var frames []*sockmanpb.CapturedFrame
	for _, m := range sinkEv.snapshot() {
		if cf, ok := m.(*sockmanpb.CapturedFrame); ok {
			frames = append(frames, cf)
		}
	}
	if frames[0].GetSent() || frames[0].GetCommand() != "version" {
		t.Fatalf("first captured frame %v", frames[0])
	}
	_ = c.Close() // end of stream or reset, as the kernel decides
	gone := waitFor(t, watcherEv, "PeerDisconnected", func(m *peermanpb.PeerDisconnected) bool { return true })
	if gone.GetPeerId() != conn.GetPeerId() || gone.GetCloseReason() == sockmanpb.CloseReason_CLOSE_REASON_UNSPECIFIED || gone.GetDetail() == "" {
		t.Fatalf("PeerDisconnected %v", gone)
	}
	// Order: connected, handshaken, disconnected.
	var order []string
	for _, m := range watcherEv.snapshot() {
		switch m.(type) {
		case *peermanpb.PeerConnected:
			order = append(order, "connected")
		case *peermanpb.PeerHandshaken:
			order = append(order, "handshaken")
		case *peermanpb.PeerDisconnected:
			order = append(order, "disconnected")
		}
	}
	if len(order) != 3 || order[0] != "connected" || order[1] != "handshaken" || order[2] != "disconnected" {
		t.Fatalf("events %v", order)
	}

	// A new selection that no longer matches: the next peer is not tapped.
	f.sys.Root.Send(f.peerman, &peermanpb.SetCaptureSelection{Filter: "dir=outbound", Sink: sink})
	before := len(sinkEv.snapshot())
	c2, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	second := waitFor(t, watcherEv, "second PeerHandshaken", func(m *peermanpb.PeerHandshaken) bool {
		return m.GetPeerId() != conn.GetPeerId()
	})
	for _, m := range watcherEv.snapshot() {
		if pc, ok := m.(*peermanpb.PeerConnected); ok && pc.GetPeerId() == second.GetPeerId() && pc.GetCaptureSink() != nil {
			t.Fatalf("second peer tapped: %v", pc)
		}
	}
	if after := len(sinkEv.snapshot()); after != before {
		t.Fatalf("%d frames captured from an unselected peer", after-before)
	}
}
