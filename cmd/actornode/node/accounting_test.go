package node_test

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/telemetry/dump"
)

type peerStatsEntry struct {
	Peer struct {
		ID        uint64 `json:"id"`
		BytesSent uint64 `json:"bytessent"`
		BytesRecv uint64 `json:"bytesrecv"`
	} `json:"peer"`
	ByType map[string]struct {
		MsgsRecv  uint64 `json:"msgs_recv"`
		BytesRecv uint64 `json:"bytes_recv"`
		MsgsSent  uint64 `json:"msgs_sent"`
		BytesSent uint64 `json:"bytes_sent"`
	} `json:"by_type"`
}

// TestPeerAccountingEndToEnd: a real client's traffic shows up exactly in
// getpeerstats (per-type counts that add up to the socket totals), in
// getnetmsgstats and on the metrics endpoint without any peer label, a bad
// filter is refused naming its position, and the peer leaves a final record
// in the dump files when it disconnects.
func TestPeerAccountingEndToEnd(t *testing.T) {
	datadir := t.TempDir()
	n := startNode(t, "--datadir", datadir, "--p2p.connect", noOutbound, "--telemetry.metrics.listen", "127.0.0.1:0",
		"--telemetry.dump.interval", "200ms")
	c, err := wiretest.Dial(n.p2p, wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i <= 5; i++ {
		if _, err := c.Ping(i, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}

	var stats []peerStatsEntry
	eventually(t, 20*time.Second, "per-type counts that add up to the socket totals", func() bool {
		if err := n.rpc(&stats, "getpeerstats", "dir=inbound"); err != nil {
			t.Fatalf("getpeerstats: %v", err)
		}
		if len(stats) != 1 {
			return false
		}
		var sent, recv uint64
		for _, v := range stats[0].ByType {
			sent += v.BytesSent
			recv += v.BytesRecv
		}
		return stats[0].ByType["ping"].MsgsRecv == 5 && stats[0].ByType["pong"].MsgsSent == 5 &&
			stats[0].ByType["ping"].BytesRecv == 5*32 && sent == stats[0].Peer.BytesSent && recv == stats[0].Peer.BytesRecv
	})
	id := stats[0].Peer.ID

	err = n.rpc(nil, "getpeerstats", "dir=inbound and")
	if err == nil || !strings.Contains(err.Error(), "column") || !strings.Contains(err.Error(), "(-8)") {
		t.Fatalf("a bad filter gave %v, want -8 naming the column", err)
	}

	metricsURL := ""
	for _, line := range strings.Split(n.logs.String(), "\n") {
		if i := strings.Index(line, "url=http://"); i >= 0 && strings.Contains(line, "metrics served") {
			metricsURL = strings.Fields(line[i+4:])[0]
		}
	}
	if metricsURL == "" {
		t.Fatal("no metrics URL in the log")
	}
	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `actornode_net_messages_total{connection_type="inbound",direction="recv",msgtype="ping"`
	if !strings.Contains(string(body), want) {
		t.Fatalf("metrics lack %s:\n%s", want, body)
	}
	if strings.Contains(string(body), "peer_id") || strings.Contains(string(body), c.LocalAddr()) {
		t.Fatal("metrics carry a peer id or address")
	}

	dir := filepath.Join(datadir, "regtest", "peerstats")
	count := func(kind dump.Kind) int {
		records, skipped, err := dump.ReadRecords(dir)
		if err != nil || len(skipped) != 0 {
			return 0
		}
		k := 0
		for _, r := range records {
			if r.Kind == kind && r.Peer.ID == id {
				k++
			}
		}
		return k
	}
	eventually(t, 20*time.Second, "a periodic dump record for the live peer", func() bool { return count(dump.KindPeriodic) > 0 })
	if count(dump.KindFinal) != 0 {
		t.Fatal("a final record before the peer left")
	}
	c.Close()
	eventually(t, 20*time.Second, "a final dump record for the departed peer", func() bool {
		records, _, err := dump.ReadRecords(dir)
		if err != nil {
			return false
		}
		for _, r := range records {
			if r.Kind == dump.KindFinal && r.Peer.ID == id {
				return true
			}
		}
		return false
	})
	if got := count(dump.KindFinal); got != 1 {
		t.Fatalf("%d final records for peer %d, want 1", got, id)
	}
}
