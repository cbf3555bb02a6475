package msgname

import (
	"testing"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

type localTick struct{}

func TestNames(t *testing.T) {
	var c Cache
	cases := []struct {
		msg         any
		short, full string
	}{
		{&sockmanpb.Frame{Command: "inv"}, "Frame", "actornode.sockman.v1.Frame"},
		{localTick{}, "localTick", "msgname.localTick"},
		{&localTick{}, "localTick", "msgname.localTick"},
		{&actor.Started{}, "Started", "actor.Started"},
		{nil, "nil", "nil"},
	}
	for _, k := range cases {
		for range 2 { // uncached, then cached
			if got := c.Of(k.msg); got.Short != k.short || got.Full != k.full {
				t.Errorf("Of(%T) = %+v, want %s / %s", k.msg, got, k.short, k.full)
			}
		}
	}
	frame := &sockmanpb.Frame{}
	if allocs := testing.AllocsPerRun(100, func() { c.Of(frame) }); allocs != 0 {
		t.Errorf("a cached lookup allocates %v times", allocs)
	}
}
