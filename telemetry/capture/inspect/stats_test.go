package inspect_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/inspect"
)

// statsOf computes the stats of paths under f.
func statsOf(t *testing.T, paths []string, f inspect.Filter) inspect.Stats {
	t.Helper()
	sessions, err := inspect.Discover(paths)
	if err != nil {
		t.Fatal(err)
	}
	st, err := inspect.Open(sessions, f)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := inspect.NewStatsBuilder()
	for {
		m, ok := st.Next()
		if !ok {
			break
		}
		b.Add(m)
	}
	return b.Stats()
}

// typeOf finds a type's stats.
func typeOf(t *testing.T, p inspect.PeerStats, dir capture.Direction, cmd string) inspect.TypeStats {
	t.Helper()
	for _, ts := range p.Types {
		if ts.Direction == dir && ts.Command == cmd {
			return ts
		}
	}
	t.Fatalf("no %s %s in %+v", dir, cmd, p.Types)
	return inspect.TypeStats{}
}

// legOf finds a leg's stats.
func legOf(p inspect.PeerStats, leg inspect.Leg, kind inspect.ItemKind) inspect.Distribution {
	for _, l := range p.Latency {
		if l.Leg == leg && l.Kind == kind {
			return l.Latency
		}
	}
	return inspect.Distribution{Count: -1}
}

func TestStatsByHand(t *testing.T) {
	root, _, _ := makeRoot(t)
	st := statsOf(t, []string{root}, inspect.Filter{})
	if len(st.Peers) != 2 {
		t.Fatalf("%d peers", len(st.Peers))
	}
	p := st.Peers[0]
	if p.PeerID != 7 || p.Messages != 17 || p.SpanSeconds != 8.010 {
		t.Fatalf("peer 7: id %d, %d messages, span %v", p.PeerID, p.Messages, p.SpanSeconds)
	}
	ping := typeOf(t, p, capture.Recv, "ping")
	// Pings at 1000, 3000, 4000 ms: 3 x 8 bytes, gaps 2000 and 1000 ms.
	if ping.Count != 3 || ping.Bytes != 24 || math.Abs(ping.MsgsPerSec-3/8.010) > 1e-12 || math.Abs(ping.BytesPerSec-24/8.010) > 1e-12 {
		t.Fatalf("recv ping %+v", ping)
	}
	g := ping.InterArrival
	if g.Count != 2 || g.Min != time.Second || g.Median != time.Second || g.P99 != 2*time.Second || g.Max != 2*time.Second {
		t.Fatalf("recv ping gaps %+v", g)
	}
	if pong := typeOf(t, p, capture.Sent, "pong"); pong.Count != 2 || pong.InterArrival.Count != 1 || pong.InterArrival.Median != 2*time.Second {
		t.Fatalf("sent pong %+v", pong)
	}
	if v := typeOf(t, p, capture.Recv, "version"); v.Count != 1 || v.InterArrival.Count != 0 {
		t.Fatalf("recv version %+v", v)
	}
	// Received types come first, each direction sorted by type.
	var order []string
	for _, ts := range p.Types {
		order = append(order, string(ts.Direction)+":"+ts.Command)
	}
	want := "recv:block recv:getdata recv:inv recv:ping recv:tx recv:verack recv:version sent:getdata sent:inv sent:pong sent:verack sent:version"
	if strings.Join(order, " ") != want {
		t.Fatalf("type order %s", strings.Join(order, " "))
	}

	legs := map[[2]string]time.Duration{
		{string(inspect.LegSentInvToRecvGetdata), "tx"}:       250 * time.Millisecond,
		{string(inspect.LegRecvInvToSentGetdata), "tx"}:       100 * time.Millisecond,
		{string(inspect.LegSentGetdataToRecvObject), "tx"}:    300 * time.Millisecond,
		{string(inspect.LegRecvInvToSentGetdata), "block"}:    10 * time.Millisecond,
		{string(inspect.LegSentGetdataToRecvObject), "block"}: time.Second,
	}
	if len(p.Latency) != 6 {
		t.Fatalf("%d legs, want 6", len(p.Latency))
	}
	for _, l := range p.Latency {
		want, measured := legs[[2]string{string(l.Leg), string(l.Kind)}]
		d := l.Latency
		if !measured {
			if d.Count != 0 {
				t.Errorf("%s %s: %+v, want none", l.Leg, l.Kind, d)
			}
			continue
		}
		if d.Count != 1 || d.Median != want || d.P99 != want || d.Max != want {
			t.Errorf("%s %s: %+v, want one of %v", l.Leg, l.Kind, d, want)
		}
	}

	q := st.Peers[1]
	if q.PeerID != 9 || q.Messages != 3 || q.SpanSeconds != 2 {
		t.Fatalf("peer 9 %+v", q)
	}
	if pong := typeOf(t, q, capture.Recv, "pong"); pong.MsgsPerSec != 0.5 {
		t.Fatalf("peer 9 pong rate %v", pong.MsgsPerSec)
	}
}

func TestStatsFollowFilters(t *testing.T) {
	root, _, _ := makeRoot(t)
	st := statsOf(t, []string{root}, inspect.Filter{Direction: capture.Recv, Commands: map[string]bool{"ping": true}})
	if len(st.Peers) != 1 || len(st.Peers[0].Types) != 1 || st.Peers[0].SpanSeconds != 3 {
		t.Fatalf("%+v", st.Peers)
	}
	// The leg needing a sent getdata is not measured when sent messages are filtered out.
	st = statsOf(t, []string{root}, inspect.Filter{Direction: capture.Recv})
	if d := legOf(st.Peers[0], inspect.LegSentGetdataToRecvObject, inspect.KindTx); d.Count != 0 {
		t.Fatalf("leg measured without our getdata: %+v", d)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	var v []time.Duration
	for i := 1; i <= 200; i++ {
		v = append(v, time.Duration(i))
	}
	d := inspect.NewDistribution(v)
	if d.Count != 200 || d.Min != 1 || d.Median != 100 || d.P99 != 198 || d.Max != 200 {
		t.Fatalf("%+v", d)
	}
	if one := inspect.NewDistribution([]time.Duration{5}); one.Median != 5 || one.P99 != 5 {
		t.Fatalf("%+v", one)
	}
	if (inspect.NewDistribution(nil) != inspect.Distribution{}) {
		t.Fatal("empty distribution not zero")
	}
}

func TestStatsOutputs(t *testing.T) {
	root, _, _ := makeRoot(t)
	st := statsOf(t, []string{root}, inspect.Filter{})
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Peers []struct {
			PeerID uint64 `json:"peer_id"`
			Types  []struct {
				Direction    string         `json:"direction"`
				MsgType      string         `json:"msgtype"`
				InterArrival map[string]any `json:"inter_arrival"`
			} `json:"types"`
			Latency []struct {
				Leg     string         `json:"leg"`
				Kind    string         `json:"kind"`
				Latency map[string]any `json:"latency"`
			} `json:"latency"`
		} `json:"peers"`
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	l := back.Peers[0].Latency[4] // sent_getdata_to_recv_object, tx
	if l.Leg != "sent_getdata_to_recv_object" || l.Kind != "tx" || l.Latency["p50_us"] != 300000.0 || l.Latency["count"] != 1.0 {
		t.Fatalf("latency JSON %+v", l)
	}
	var text bytes.Buffer
	if err := inspect.WriteStatsText(&text, st); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"peer 7 127.0.0.1:18444", "17 messages", "they announced -> we asked", "count=1 p50=300ms p99=300ms max=300ms"} {
		if !strings.Contains(text.String(), want) {
			t.Fatalf("text lacks %q:\n%s", want, text.String())
		}
	}
}
