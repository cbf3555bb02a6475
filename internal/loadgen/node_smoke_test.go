package loadgen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/actornode/node"
	"github.com/actornode/actornode/config"
	"github.com/actornode/actornode/internal/loadgen"
)

// smokeNode is a real actornode started in this process on loopback.
type smokeNode struct {
	p2p, rpc string
}

// startSmokeNode starts a regtest actornode with no outbound connections of
// its own, stopped when the test ends.
func startSmokeNode(t *testing.T) *smokeNode {
	t.Helper()
	cfg, err := config.Load([]string{
		"--network", "regtest",
		"--datadir", t.TempDir(),
		"--p2p.listen", "127.0.0.1:0",
		"--p2p.connect", "127.0.0.1:1",
		"--p2p.maxconnections", "500",
		"--p2p.dnsseed=false",
		"--rpc.listen", "127.0.0.1:0",
		"--rpc.user", "smoke", "--rpc.password", "smoke",
		"--log.level", "error",
	}, nil)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	r, err := node.Start(cfg, node.Options{})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	p2p, err := r.P2PAddrs(30 * time.Second)
	if err != nil || len(p2p) != 1 {
		t.Fatalf("P2P listener: %v %v", p2p, err)
	}
	rpc, err := r.RPCAddrs(30 * time.Second)
	if err != nil || len(rpc) != 1 {
		t.Fatalf("RPC listener: %v %v", rpc, err)
	}
	return &smokeNode{p2p: p2p[0], rpc: rpc[0]}
}

// call makes a JSON-RPC call and decodes its result into out.
func (n *smokeNode) call(t *testing.T, out any, method string, params ...any) {
	t.Helper()
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"method": method, "params": params, "id": 1})
	req, _ := http.NewRequest(http.MethodPost, "http://"+n.rpc+"/", bytes.NewReader(body))
	req.SetBasicAuth("smoke", "smoke")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer res.Body.Close()
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  any             `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&reply); err != nil || reply.Error != nil {
		t.Fatalf("%s: %v %v", method, err, reply.Error)
	}
	if err := json.Unmarshal(reply.Result, out); err != nil {
		t.Fatalf("%s result: %v", method, err)
	}
}

// receivedPings asks the node how many pings it has received in total.
func (n *smokeNode) receivedPings(t *testing.T) uint64 {
	var stats map[string]map[string]struct {
		Count uint64 `json:"count"`
	}
	n.call(t, &stats, "getnetmsgstats", []string{"network", "connection_type"})
	return stats["recv"]["ping"].Count
}

// TestSmokeAgainstActornode drives a real node briefly: handshakes, a pool
// of idle peers the node reports as handshaken, paced timed pings and a
// short flood, with the node's own counts matching the client's.
func TestSmokeAgainstActornode(t *testing.T) {
	n := startSmokeNode(t)
	target := loadgen.Target{Addr: n.p2p, Net: wire.TestNet}

	hs := loadgen.Handshakes(target, 50, 8)
	if hs.Completed != 50 || hs.Failed != 0 {
		t.Fatalf("handshakes %+v", hs)
	}

	p, err := loadgen.OpenPool(target, 20, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	eventuallyNode(t, "20 handshaken peers", func() error {
		var peers []struct {
			Version int32 `json:"version"`
		}
		n.call(t, &peers, "getpeerinfo")
		shaken := 0
		for _, pr := range peers {
			if pr.Version > 0 {
				shaken++
			}
		}
		if shaken != 20 {
			return fmt.Errorf("%d of %d peers handshaken", shaken, len(peers))
		}
		return nil
	})

	c := p.Conns[0]
	lat, err := loadgen.PingSeries(c, 100, 10, target)
	if err != nil {
		t.Fatal(err)
	}
	if lat.Count != 100 || lat.P50 > lat.P90 || lat.P90 > lat.P99 || lat.P99 > lat.Max {
		t.Fatalf("ping latency %+v", lat)
	}

	before := n.receivedPings(t)
	paced := loadgen.Run(p, loadgen.Traffic{Kind: loadgen.KindPing, Rate: 50, Duration: time.Second})
	if paced.FirstError != nil || paced.Sent == 0 || paced.Answered != paced.Sent || uint64(paced.Latency.Count) != paced.Sent {
		t.Fatalf("paced pings %+v", paced)
	}
	// An unpaced flood fills the node's receive buffer of each connection
	// (megabytes of pings), so it runs on two connections only and the
	// drain is generous: the race detector slows the node down.
	two := &loadgen.Pool{Conns: p.Conns[:2]}
	flood := loadgen.Run(two, loadgen.Traffic{Kind: loadgen.KindPing, Duration: 200 * time.Millisecond, Drain: 2 * time.Minute})
	if flood.FirstError != nil || flood.Answered != flood.Sent {
		t.Fatalf("flood %+v", flood)
	}
	want := paced.Sent + flood.Sent
	eventuallyNode(t, "the node counting every ping", func() error {
		if got := n.receivedPings(t) - before; got != want {
			return fmt.Errorf("node counted %d pings, client sent %d", got, want)
		}
		return nil
	})
}

// eventuallyNode polls check until it returns nil or a generous deadline
// passes.
func eventuallyNode(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
