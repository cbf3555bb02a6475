package rpc_test

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/telemetry/capture/capturepb"
)

// testCapture stands in for the capture recorder: it answers with a fixed
// list, refuses the filter "bad" and reports each request's filter.
type testCapture struct{ got chan string }

func (c *testCapture) Receive(ctx actor.Context) {
	list := &capturepb.CaptureList{
		Enabled: true, Filter: "all", Root: "/d/message_capture", SessionsOpened: 2, Records: 10,
		DroppedRecords: 3, QueueLimit: 1 << 20, LastError: "disk full",
		Sessions: []*capturepb.CaptureSession{{
			PeerId: 7, Addr: "10.0.0.1:8333", Dir: "/d/message_capture/x", StartUnixNano: 1_700_000_000_500_000_000,
			RecvRecords: 4, SentRecords: 6, Bytes: 400, DroppedRecords: 3, Truncated: true, Recording: false,
		}},
	}
	switch m := ctx.Message().(type) {
	case *capturepb.StartCapture:
		c.got <- "start " + m.GetFilter()
		if m.GetFilter() == "bad" {
			ctx.Respond(&capturepb.CaptureReply{Error: "capture filter: peerfilter: column 4: expected a term", List: list})
			return
		}
		ctx.Respond(&capturepb.CaptureReply{List: list})
	case *capturepb.StopCapture:
		c.got <- "stop " + m.GetFilter()
		ctx.Respond(&capturepb.CaptureReply{List: list})
	case *capturepb.ListCaptures:
		c.got <- "list"
		ctx.Respond(list)
	}
}

func TestCaptureMethods(t *testing.T) {
	h := newHarness(t)
	got := make(chan string, 16)
	h.cfg.Capture = h.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &testCapture{got: got} }))
	h.start(t)

	res, ok := h.call(t, "listcaptures").(map[string]any)
	if !ok || <-got != "list" {
		t.Fatalf("listcaptures %v", res)
	}
	if res["enabled"] != true || res["filter"] != "all" || res["dir"] != "/d/message_capture" ||
		res["dropped_records"] != float64(3) || res["last_error"] != "disk full" || res["queue_limit"] != float64(1<<20) {
		t.Fatalf("listcaptures %v", res)
	}
	sessions, _ := res["sessions"].([]any)
	if len(sessions) != 1 {
		t.Fatalf("sessions %v", res["sessions"])
	}
	s := sessions[0].(map[string]any)
	if s["id"] != float64(7) || s["addr"] != "10.0.0.1:8333" || s["start"] != float64(1_700_000_000) ||
		s["recording"] != false || s["truncated_by_limit"] != true || s["recv_records"] != float64(4) ||
		s["sent_records"] != float64(6) || s["dropped_records"] != float64(3) {
		t.Fatalf("session %v", s)
	}

	h.call(t, "startcapture", "addr=10.0.0.0/8")
	if g := <-got; g != "start addr=10.0.0.0/8" {
		t.Fatalf("recorder got %q", g)
	}
	h.call(t, "stopcapture")
	if g := <-got; g != "stop " {
		t.Fatalf("recorder got %q", g)
	}
	h.call(t, "stopcapture", "dir=inbound")
	if g := <-got; g != "stop dir=inbound" {
		t.Fatalf("recorder got %q", g)
	}

	code, msg := h.callError(t, "startcapture", `["bad"]`)
	if code != -8 || msg != "capture filter: peerfilter: column 4: expected a term" {
		t.Fatalf("bad filter: %d %q", code, msg)
	}
	<-got
	if code, msg := h.callError(t, "startcapture", `[]`); code != -1 || msg[:len("startcapture")] != "startcapture" {
		t.Fatalf("no filter: %d %q", code, msg)
	}
	if code, _ := h.callError(t, "startcapture", `[7]`); code != -3 {
		t.Fatalf("numeric filter: code %d", code)
	}
}

func TestCaptureMethodsWithoutRecorder(t *testing.T) {
	h := startHarness(t, nil)
	if code, _ := h.callError(t, "listcaptures", `[]`); code != -32603 {
		t.Fatalf("code %d", code)
	}
}
