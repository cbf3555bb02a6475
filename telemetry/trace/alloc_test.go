package trace

import (
	"testing"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// fakeContext is the part of an actor context the middleware uses on the
// untraced path.
type fakeContext struct {
	actor.Context
	a      actor.Actor
	header actor.ReadonlyMessageHeader
}

func (f *fakeContext) Actor() actor.Actor                         { return f.a }
func (f *fakeContext) MessageHeader() actor.ReadonlyMessageHeader { return f.header }

// TestUntracedPathDoesNotAllocate: with a peer filter configured, a message
// of a peer the filter does not select, and the sends of its handler, cost
// no allocation.
func TestUntracedPathDoesNotAllocate(t *testing.T) {
	tr, _ := newRecorded(t, Config{Sampler: SamplerOff, Peers: "addr=192.0.2.0/24 or ua=*btcd*"})
	peer := &fakePeer{ident: testPeer}
	untracedHeader := (&actor.MessageEnvelope{}).Header // a nil header, as protoactor hands it
	var c actor.Context = &fakeContext{a: peer, header: untracedHeader}
	handled := 0
	recv := tr.ReceiveMiddleware("peerman")(func(actor.ReceiverContext, *actor.MessageEnvelope) { handled++ })
	send := tr.SendMiddleware()(func(actor.SenderContext, *actor.PID, *actor.MessageEnvelope) { handled++ })
	env := &actor.MessageEnvelope{Message: &sockmanpb.Frame{Command: "inv"}}
	out := &actor.MessageEnvelope{Message: &sockmanpb.Send{Command: "getdata"}}
	target := actor.NewPID("local", "conn")
	if allocs := testing.AllocsPerRun(1000, func() {
		recv(c, env)
		send(c, target, out)
	}); allocs != 0 {
		t.Fatalf("the untraced path allocates %v times per message", allocs)
	}
	if handled == 0 {
		t.Fatal("the middleware did not call the handler")
	}
}
