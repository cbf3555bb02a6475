package node_test

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/cmd/actornode/node"
	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/actornode/actornode/internal/jaegertest"
	"github.com/actornode/actornode/internal/wiretest"
)

// telemetryInfo is gettelemetryinfo's answer.
type telemetryInfo struct {
	Traces struct {
		Sampler  string  `json:"sampler"`
		Ratio    float64 `json:"ratio"`
		Peers    string  `json:"peers"`
		Endpoint string  `json:"endpoint"`
		Protocol string  `json:"protocol"`
		Queued   uint64  `json:"queued"`
		Exported uint64  `json:"exported"`
		Dropped  uint64  `json:"dropped"`
		Failed   uint64  `json:"failed"`
		Lost     uint64  `json:"lost"`
	} `json:"traces"`
	Metrics struct {
		Listen string `json:"listen"`
	} `json:"metrics"`
}

func (n *testNode) telemetry() telemetryInfo {
	n.t.Helper()
	var out telemetryInfo
	if err := n.rpc(&out, "gettelemetryinfo"); err != nil {
		n.t.Fatalf("gettelemetryinfo: %v", err)
	}
	return out
}

// scrapeMetrics returns the Prometheus text the node serves.
func scrapeMetrics(t *testing.T, listen string) string {
	t.Helper()
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Get("http://" + listen + "/metrics")
	if err != nil {
		t.Fatalf("scrape metrics: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape metrics: %s %v", resp.Status, err)
	}
	return string(body)
}

// metricValue returns the value of the sample line of name (with exactly
// the given label text, "" for none), or -1 when there is none.
func metricValue(text, name, labels string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name+labels) + ` ([0-9.e+]+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return -1
	}
	return v
}

// TestTracingToJaegerWithBtcd: actornode dials a real btcd with a peer
// filter selecting btcd and exports to a real Jaeger. Jaeger's query API
// returns the handshake spans with the peer's attributes, a trace that
// crosses two actors (btcd's ping handled by the Peer actor, the pong sent
// by the connection actor), and the resource naming the node.
func TestTracingToJaegerWithBtcd(t *testing.T) {
	j := jaegertest.Start(t)
	b := btcdtest.Start(t, btcdtest.Options{})
	n := startNode(t,
		"--p2p.connect", b.P2PAddr(),
		"--telemetry.traces.sampler", "off",
		"--telemetry.traces.peers", "addr="+b.P2PAddr(),
		"--telemetry.traces.endpoint", j.OTLPGRPCAddr(),
		"--telemetry.metrics.listen", "127.0.0.1:0",
	)
	var btcd peerInfo
	eventually(t, 30*time.Second, "actornode lists btcd after the handshake", func() bool {
		for _, p := range n.peers() {
			if p.Addr == b.P2PAddr() && p.Version > 0 {
				btcd = p
				return true
			}
		}
		return false
	})
	// btcd pings every peer now; our Peer answers through the connection
	// actor.
	if _, err := b.RPC("ping"); err != nil {
		t.Fatal(err)
	}

	host, port, _ := net.SplitHostPort(b.P2PAddr())
	peerTags := map[string]string{
		"network.peer.address":           host,
		"network.peer.port":              port,
		"actornode.peer.id":              strconv.FormatUint(btcd.ID, 10),
		"actornode.peer.connection_type": "manual",
		"actornode.peer.direction":       "outbound",
		"actornode.subsystem":            "peerman",
		"span.kind":                      "consumer",
	}
	const wait = 60 * time.Second
	for _, op := range []string{"peerman recv version", "peerman recv verack"} {
		spans, err := j.WaitForSpans("actornode", 1000, jaegertest.Match{Operation: op, Tags: peerTags}, 1, wait)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		t.Logf("%d %q span(s) with btcd's peer attributes", len(spans), op)
	}
	// The verack arrives after the version, so the user agent is known by
	// then.
	if _, err := j.WaitForSpans("actornode", 1000, jaegertest.Match{Operation: "peerman recv verack",
		Tags: map[string]string{"actornode.peer.user_agent": btcd.SubVer}}, 1, wait); err != nil {
		t.Errorf("verack span without btcd's user agent %q: %v", btcd.SubVer, err)
	}

	// One trace spanning two actors: the pong's send is a child of the
	// ping's handling.
	var crossing bool
	eventually(t, wait, "a sockman send pong span whose parent is peerman recv ping", func() bool {
		traces, err := j.Traces("actornode", 1000)
		if err != nil {
			t.Logf("traces: %v", err)
			return false
		}
		for _, tr := range traces {
			for _, pong := range tr.SpansByOperation("sockman send pong") {
				parentID, ok := pong.ParentSpanID()
				if !ok {
					continue
				}
				ping, ok := tr.SpanByID(parentID)
				if !ok || ping.OperationName != "peerman recv ping" {
					continue
				}
				pingActor, _ := ping.Tag("actornode.actor")
				pongActor, _ := pong.Tag("actornode.actor")
				if pingActor.Text() == pongActor.Text() || pingActor.Text() == "" {
					t.Errorf("ping and pong handled by the same actor %q", pingActor.Text())
				}
				if addr, _ := pong.Tag("network.peer.address"); addr.Text() != host {
					t.Errorf("the connection actor's span has network.peer.address %q, want %q", addr.Text(), host)
				}
				checkResource(t, tr, tr.ServiceOf(pong), pong)
				crossing = true
				return true
			}
		}
		return false
	})
	if !crossing {
		t.Fatal("no cross-actor trace")
	}

	info := n.telemetry()
	if info.Traces.Sampler != "off" || info.Traces.Peers != "addr="+b.P2PAddr() || info.Traces.Endpoint != j.OTLPGRPCAddr() ||
		info.Traces.Exported == 0 || info.Traces.Lost != 0 {
		t.Errorf("gettelemetryinfo = %+v, want btcd's filter, spans exported and none lost", info.Traces)
	}
	text := scrapeMetrics(t, info.Metrics.Listen)
	if v := metricValue(text, "actornode_trace_spans_dropped_total", ""); v != 0 {
		t.Errorf("actornode_trace_spans_dropped_total = %v, want 0", v)
	}
	if v := metricValue(text, "actornode_actor_handler_duration_seconds_count", `{command="ping",message="Frame",subsystem="peerman"}`); v < 1 {
		t.Errorf("no handler duration of peerman's ping frames in the metrics (%v)", v)
	}
}

// checkResource checks the process (resource) of a span: the service name,
// the node's version, an instance id and the Bitcoin network.
func checkResource(t *testing.T, tr jaegertest.Trace, service string, s jaegertest.Span) {
	t.Helper()
	if service != "actornode" {
		t.Errorf("service.name = %q, want actornode", service)
	}
	tags := map[string]string{}
	for _, kv := range tr.Processes[s.ProcessID].Tags {
		tags[kv.Key] = kv.Text()
	}
	if tags["service.version"] != node.Version() || tags["bitcoin.network"] != "regtest" || len(tags["service.instance.id"]) != 32 {
		t.Errorf("resource tags %v: want service.version %s, bitcoin.network regtest and an instance id", tags, node.Version())
	}
}

// TestTracingCollectorAbsent: with every message traced and the collector
// endpoint a closed port, the node handshakes and answers pings as usual,
// and gettelemetryinfo and the metrics report the lost spans; the export
// failure is logged once, not once per batch.
func TestTracingCollectorAbsent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	n := startNode(t,
		"--telemetry.traces.sampler", "always",
		"--telemetry.traces.endpoint", closed,
		"--telemetry.metrics.listen", "127.0.0.1:0",
	)
	c, err := wiretest.Dial(n.p2p, benchNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatalf("handshake with the collector down: %v", err)
	}
	for i := range 20 {
		if _, err := c.Ping(uint64(100+i), 20*time.Second); err != nil {
			t.Fatalf("ping %d with the collector down: %v", i, err)
		}
	}
	eventually(t, 30*time.Second, "the node lists the client", func() bool {
		for _, p := range n.peers() {
			if p.SubVer == wiretest.DefaultUserAgent {
				return true
			}
		}
		return false
	})
	var first telemetryInfo
	eventually(t, 30*time.Second, "gettelemetryinfo reports lost spans", func() bool {
		first = n.telemetry()
		return first.Traces.Lost > 0
	})
	if first.Traces.Exported != 0 || first.Traces.Sampler != "always" || first.Traces.Endpoint != closed {
		t.Errorf("gettelemetryinfo = %+v", first.Traces)
	}
	// More traffic, more failed exports: still one warning.
	for i := range 20 {
		if _, err := c.Ping(uint64(200+i), 20*time.Second); err != nil {
			t.Fatalf("ping %d with the collector down: %v", i, err)
		}
	}
	eventually(t, 30*time.Second, "more spans lost in a later export", func() bool {
		return n.telemetry().Traces.Failed > first.Traces.Failed
	})
	if got := strings.Count(n.logs.String(), "trace export failed"); got != 1 {
		t.Errorf("the export failure was logged %d times, want once", got)
	}
	eventually(t, 30*time.Second, "the metrics report the lost spans", func() bool {
		return metricValue(scrapeMetrics(t, first.Metrics.Listen), "actornode_trace_spans_dropped_total", "") > 0
	})
	t.Logf("collector down: %+v", n.telemetry().Traces)
}
