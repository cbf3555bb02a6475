package peerman_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// boom is a test-only message that makes the Peer's middleware panic.
type boom struct{}

// panicOnBoom is receive middleware that panics on boom, standing in for a
// bug in a Peer's handler.
func panicOnBoom(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
		if _, ok := env.Message.(*boom); ok {
			panic("test: Peer handler failed")
		}
		next(c, env)
	}
}

func TestPanickingPeerIsStoppedNotRestarted(t *testing.T) {
	cfg := baseConfig()
	starts := make(chan string, 16)
	cfg.PeerProps = func(p actor.Producer) *actor.Props {
		return actor.PropsFromProducer(p, actor.WithReceiverMiddleware(panicOnBoom, func(next actor.ReceiverFunc) actor.ReceiverFunc {
			return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
				if _, ok := env.Message.(*actor.Started); ok {
					starts <- c.Self().GetId()
				}
				next(c, env)
			}
		}))
	}
	f := newFixture(t, cfg)
	victim, vps := dialPeer(t, f)
	other, ops := dialPeer(t, f)
	if _, err := victim.Handshake(clientOptions("/victim/", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Handshake(clientOptions("/bystander/", 1)); err != nil {
		t.Fatal(err)
	}
	if got := len(f.peerInfo()); got != 2 {
		t.Fatalf("%d peers listed, want 2", got)
	}

	f.sys.Root.Send(vps.GetPeer(), &boom{})

	// The Peer is stopped (a restarted one would never terminate), peerman
	// drops it, and the manager closes its connection.
	waitFor(t, f.ev, "Terminated of the failed Peer", func(m *actor.Terminated) bool {
		return m.GetWho().Equal(vps.GetPeer())
	})
	if err := victim.WaitClosed(waitLong); err != nil {
		t.Fatal(err)
	}
	f.gone(vps.GetPeerId())
	eventually(t, func() string {
		if peers := f.peerInfo(); len(peers) != 1 || peers[0].GetPeerId() != ops.GetPeerId() {
			return fmt.Sprintf("peers %v, want only the bystander", peers)
		}
		return ""
	})
	// Exactly two Peers ever started: no restart.
	time.Sleep(quiet)
	if n := len(starts); n != 2 {
		t.Fatalf("%d Peer starts, want 2 (no restart)", n)
	}
	// The bystander is unaffected.
	if _, err := other.Ping(5, waitLong); err != nil {
		t.Fatal(err)
	}
}
