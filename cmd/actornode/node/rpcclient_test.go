package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/rpcclient"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/internal/wiretest"
)

// TestExistingRPCClientParsesOurAnswers: btcd's rpcclient, an existing
// Bitcoin RPC client library, calls actornode and parses getpeerinfo,
// getnetworkinfo, getconnectioncount and getnettotals into its own types.
func TestExistingRPCClientParsesOurAnswers(t *testing.T) {
	n := startNode(t, "--p2p.connect", noOutbound)
	c, err := wiretest.Dial(n.p2p, wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(7, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	client, err := rpcclient.New(&rpcclient.ConnConfig{
		Host:         strings.TrimSuffix(strings.TrimPrefix(n.rpcURL, "http://"), "/"),
		User:         "tester",
		Pass:         "secret",
		HTTPPostMode: true,
		DisableTLS:   true,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Shutdown()

	eventually(t, 20*time.Second, "rpcclient sees the inbound peer", func() bool {
		infos, err := client.GetPeerInfo()
		if err != nil {
			t.Fatalf("rpcclient GetPeerInfo: %v", err)
		}
		for _, p := range infos {
			if p.Inbound && p.SubVer == wiretest.DefaultUserAgent && p.Version == wiretest.ProtocolVersion && p.BytesRecv > 0 && p.BytesSent > 0 {
				return true
			}
		}
		return false
	})
	count, err := client.GetConnectionCount()
	if err != nil || count < 1 {
		t.Fatalf("GetConnectionCount = %d, %v", count, err)
	}
	info, err := client.GetNetworkInfo()
	if err != nil {
		t.Fatalf("rpcclient GetNetworkInfo: %v", err)
	}
	if info.SubVersion != "/actornode:0.1.0/" || info.ProtocolVersion != 70016 || info.Connections < 1 {
		t.Fatalf("getnetworkinfo as parsed by rpcclient: %+v", info)
	}
	totals, err := client.GetNetTotals()
	if err != nil || totals.TotalBytesRecv == 0 || totals.TotalBytesSent == 0 {
		t.Fatalf("GetNetTotals = %+v, %v", totals, err)
	}
}
