package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/rpc"
	"github.com/actornode/actornode/rpc/rpcpb"
)

// waitLong bounds every wait of these tests; generous for a loaded machine.
const waitLong = 30 * time.Second

// testNow is the fixed clock of the peers table tests (unix seconds).
const testNow = 1_700_000_600

// cliPeerman stands in for peerman: it answers GetPeerInfo with
// cliSnapshots, telling the test of each question on asked, and PingPeers.
type cliPeerman struct{ asked chan<- struct{} }

func (p *cliPeerman) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *peermanpb.GetPeerInfo:
		p.asked <- struct{}{}
		ctx.Respond(&peermanpb.PeerInfoList{Peers: cliSnapshots()})
	case *peermanpb.PingPeers:
		ctx.Respond(&peermanpb.PingPeersDone{Peers: 3})
	}
}

// cliConnman stands in for connman: it answers GetConnectionCounts.
type cliConnman struct{}

func (cliConnman) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*connmanpb.GetConnectionCounts); ok {
		ctx.Respond(&connmanpb.ConnectionCounts{Total: 3, Inbound: 1, Outbound: 2})
	}
}

// cliSnapshots are three peers: an outbound full-relay IPv4 peer with ping
// figures, an inbound IPv6 peer that never got anything from us and has no
// ping figures, and a block-relay-only peer whose ping is outstanding.
func cliSnapshots() []*peermanpb.PeerSnapshot {
	return []*peermanpb.PeerSnapshot{
		{
			PeerId: 1, Addr: "203.0.113.7:8333", Network: "ipv4", LastsendUnix: testNow - 10,
			LastrecvUnix: testNow - 9, ConntimeUnix: testNow - 3600, PingtimeUs: 1500, MinpingUs: 1000,
			PingwaitUs: -1, Version: 70016, Subver: "/Satoshi:27.0.0/",
			ConnectionType: peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
		},
		{
			PeerId: 2, Addr: "[2001:db8::2]:40000", Network: "ipv6", LastsendUnix: 0,
			LastrecvUnix: testNow - 1, ConntimeUnix: testNow - 125, PingtimeUs: -1, MinpingUs: -1,
			PingwaitUs: -1, Version: 70015, Subver: "/btcd:0.26.2/", Inbound: true,
			ConnectionType: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND,
		},
		{
			PeerId: 13, Addr: "198.51.100.20:8333", Network: "ipv4", LastsendUnix: testNow - 30,
			LastrecvUnix: testNow - 200, ConntimeUnix: testNow - 30, PingtimeUs: 0, MinpingUs: 0,
			PingwaitUs: 250_000, Version: 70016, Subver: "/Satoshi:26.1.0/",
			ConnectionType: peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY,
		},
	}
}

// echoMethod returns its parameters as it received them, so tests see
// exactly what the CLI sent.
func echoMethod() rpc.Method {
	return rpc.Method{
		Name:     "echo",
		Category: "testing",
		Args:     []rpc.Arg{{Name: "a", Optional: true}, {Name: "b", Optional: true}, {Name: "c", Optional: true}},
		Help:     "echo ( a b c )\n\nReturns its params.",
		Handler: func(_ *rpc.Call, p rpc.Params) (any, error) {
			out := []json.RawMessage{}
			for i := range p.Len() {
				v := p.Raw(i)
				if v == nil {
					v = json.RawMessage("null")
				}
				out = append(out, v)
			}
			return out, nil
		},
	}
}

// testNode is a running rpc actor with stand-ins for connman and peerman,
// its cookie in datadir/regtest/.cookie and user/password alice/secret.
type testNode struct {
	addr    string
	port    string
	datadir string
	cookie  string
	// asked receives one value per GetPeerInfo peerman answers.
	asked chan struct{}
}

// startTestNode starts the rpc actor; mutate may change its config.
func startTestNode(t *testing.T, mutate func(*rpc.Config)) *testNode {
	t.Helper()
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	n := &testNode{datadir: t.TempDir(), asked: make(chan struct{}, 64)}
	n.cookie = filepath.Join(n.datadir, "regtest", ".cookie")
	peerman := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &cliPeerman{asked: n.asked} }))
	connman := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return cliConnman{} }))
	cfg := rpc.Config{
		Listen:     []string{"127.0.0.1:0"},
		User:       "alice",
		Password:   "secret",
		CookieFile: n.cookie,
		Info: rpc.NodeInfo{
			Version: rpc.VersionNumber(0, 1, 0), Subversion: "/actornode:0.1.0/",
			ProtocolVersion: 70016, Network: "regtest", LocalRelay: true,
		},
		Peerman: peerman,
		Connman: connman,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	pid := system.Root.Spawn(actor.PropsFromProducer(rpc.NewActor(cfg, echoMethod())))
	t.Cleanup(func() {
		_ = system.Root.StopFuture(pid).Wait()
		system.Shutdown()
	})
	res, err := system.Root.RequestFuture(pid, &rpcpb.GetBoundAddrs{}, waitLong).Result()
	if err != nil {
		t.Fatalf("GetBoundAddrs: %v", err)
	}
	addrs := res.(*rpcpb.BoundAddrs).GetAddrs()
	if len(addrs) == 0 {
		t.Fatal("rpc actor bound nothing")
	}
	n.addr = addrs[0]
	n.port = addrs[0][len("127.0.0.1:"):]
	return n
}

// cliResult is one run of the CLI.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLITest runs the CLI with env and an environment without ACTORNODE_
// variables.
func runCLITest(t *testing.T, env cliEnv, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	code := runCLI(args, []string{"HOME=" + t.TempDir()}, &out, &errb, env)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// fixedEnv is a CLI environment with the clock at testNow, no terminal
// and waits that return at once.
func fixedEnv() cliEnv {
	return cliEnv{
		now:        func() time.Time { return time.Unix(testNow, 0) },
		isTerminal: func(io.Writer) bool { return false },
		wait:       func(_ context.Context, _ time.Duration) bool { return true },
	}
}

// regtestArgs are the options that find n through the configuration: the
// network, the datadir (so the cookie) and rpc.listen (so the address).
func (n *testNode) regtestArgs(extra ...string) []string {
	return append([]string{"--network", "regtest", "--datadir", n.datadir, "--rpc.listen", "127.0.0.1:" + n.port}, extra...)
}
