package rpc_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/actornode/actornode/rpc"
)

// peerStatsKeys are the keys of a getpeerstats element, in order.
var peerStatsKeys = []string{
	"peer", "by_type", "tx_announced_by_peer", "tx_announced_to_peer", "tx_requested_from_peer",
	"tx_requested_by_peer", "tx_received", "tx_sent", "blocks_received", "blocks_sent",
	"headers_received", "headers_sent", "cmpct_received", "cmpct_sent", "tx_latency",
	"block_latency", "memory", "addrman_entries_contributed", "handle_wall_us", "handle_cpu_us",
	"final", "time",
}

// getPeerStats returns getpeerstats' elements as raw JSON objects and the
// filter the stand-in peerman was asked with.
func getPeerStats(t *testing.T, h *harness, params ...any) ([]json.RawMessage, string) {
	t.Helper()
	var peers []json.RawMessage
	raw := h.rawResult(t, "getpeerstats", params...)
	if err := json.Unmarshal(raw, &peers); err != nil {
		t.Fatalf("getpeerstats result %s is not an array: %v", raw, err)
	}
	select {
	case f := <-h.filters:
		return peers, f
	case <-timeAfter(t):
		t.Fatal("peerman got no GetPeerStats")
		return nil, ""
	}
}

func TestGetPeerStatsFieldsAndTypes(t *testing.T) {
	h := startHarness(t, nil)
	peers, filter := getPeerStats(t, h)
	if filter != "" {
		t.Errorf("peerman asked with filter %q, want empty", filter)
	}
	if len(peers) != 3 {
		t.Fatalf("%d peers, want 3", len(peers))
	}
	for i, p := range peers {
		if got := objectKeys(t, p); !slices.Equal(got, peerStatsKeys) {
			t.Errorf("peer %d keys\n%v\nwant\n%v", i+1, got, peerStatsKeys)
		}
	}
	// "peer" is exactly the getpeerinfo element of the same peer.
	info := getPeerInfo(t, h)
	for i, p := range peers {
		var wrapper struct {
			Peer json.RawMessage `json:"peer"`
		}
		if err := json.Unmarshal(p, &wrapper); err != nil {
			t.Fatal(err)
		}
		if got, want := compact(t, wrapper.Peer), compact(t, info[i]); got != want {
			t.Errorf("peer %d: \"peer\"\n%s\nwant getpeerinfo's\n%s", i+1, got, want)
		}
	}
	first, _ := decodeValue(t, peers[0]).(map[string]any)
	checkFields(t, "peer 1", first, map[string]any{
		"by_type": map[string]any{
			"ping": map[string]any{"msgs_recv": float64(3), "bytes_recv": float64(96), "msgs_sent": float64(0),
				"bytes_sent": float64(0), "handle_wall_us": float64(3), "handle_cpu_us": float64(1)},
			"tx": map[string]any{"msgs_recv": float64(5), "bytes_recv": float64(1250), "msgs_sent": float64(2),
				"bytes_sent": float64(500), "handle_wall_us": float64(0), "handle_cpu_us": float64(0)},
			"version": map[string]any{"msgs_recv": float64(1), "bytes_recv": float64(126), "msgs_sent": float64(1),
				"bytes_sent": float64(126), "handle_wall_us": float64(45), "handle_cpu_us": float64(12)},
		},
		"tx_announced_by_peer":   float64(10),
		"tx_announced_to_peer":   float64(11),
		"tx_requested_from_peer": float64(6),
		"tx_requested_by_peer":   float64(2),
		"tx_received":            float64(5),
		"tx_sent":                float64(2),
		"blocks_received":        float64(3),
		"blocks_sent":            float64(4),
		"headers_received":       float64(7),
		"headers_sent":           float64(8),
		"cmpct_received":         float64(1),
		"cmpct_sent":             float64(9),
		"tx_latency": map[string]any{"count": float64(5), "lost": float64(1), "unsolicited": float64(2),
			"mean_us": float64(1500), "p50_us": float64(1200), "p90_us": float64(4000)},
		"block_latency": map[string]any{"count": float64(3), "lost": float64(0), "unsolicited": float64(0),
			"mean_us": float64(250_000), "p50_us": float64(200_000), "p90_us": float64(600_000)},
		"memory": map[string]any{"send_queue_bytes": float64(4096), "recv_unacked_bytes": float64(512),
			"mailbox_depth": float64(3), "tracking_bytes": float64(2048)},
		"addrman_entries_contributed": float64(42),
		"handle_wall_us":              float64(3500),
		"handle_cpu_us":               float64(1200),
		"final":                       false,
	})
	// Per-type fields come in the documented order, and time is unix
	// seconds with microsecond decimals, printed exactly.
	var byType map[string]json.RawMessage
	if err := json.Unmarshal(mustField(t, peers[0], "by_type"), &byType); err != nil {
		t.Fatal(err)
	}
	wantTypeKeys := []string{"msgs_recv", "bytes_recv", "msgs_sent", "bytes_sent", "handle_wall_us", "handle_cpu_us"}
	if got := objectKeys(t, byType["version"]); !slices.Equal(got, wantTypeKeys) {
		t.Errorf("by_type.version keys %v, want %v", got, wantTypeKeys)
	}
	if got := string(mustField(t, peers[0], "time")); got != "1700000123.456789" {
		t.Errorf("time = %s, want 1700000123.456789", got)
	}
	second, _ := decodeValue(t, peers[1]).(map[string]any)
	checkFields(t, "peer 2", second, map[string]any{
		"by_type": map[string]any{},
		"tx_latency": map[string]any{"count": float64(0), "lost": float64(0), "unsolicited": float64(0),
			"mean_us": float64(0), "p50_us": float64(0), "p90_us": float64(0)},
		"memory": map[string]any{"send_queue_bytes": float64(0), "recv_unacked_bytes": float64(0),
			"mailbox_depth": float64(0), "tracking_bytes": float64(0)},
		"time": float64(1_700_000_200),
	})
}

// mustField returns one member of a raw JSON object.
func mustField(t *testing.T, raw json.RawMessage, key string) json.RawMessage {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatalf("%s is not an object: %v", raw, err)
	}
	v, ok := obj[key]
	if !ok {
		t.Fatalf("%s has no %q", raw, key)
	}
	return v
}

func TestGetPeerStatsPassesTheFilter(t *testing.T) {
	h := startHarness(t, nil)
	peers, filter := getPeerStats(t, h, "id=2")
	if filter != "id=2" {
		t.Errorf("peerman asked with filter %q, want id=2", filter)
	}
	if len(peers) != 1 {
		t.Fatalf("%d peers, want 1", len(peers))
	}
	var one struct {
		Peer struct {
			ID uint64 `json:"id"`
		} `json:"peer"`
	}
	if err := json.Unmarshal(peers[0], &one); err != nil || one.Peer.ID != 2 {
		t.Fatalf("selected %s, want peer 2 (%v)", peers[0], err)
	}
	// Named params work too; no match is an empty array, not null.
	_, reply := h.postObject(t, `{"method":"getpeerstats","params":{"filter":"id=9"},"id":1}`)
	if got, ok := reply["result"].([]any); !ok || len(got) != 0 {
		t.Fatalf("no match: result %#v, want []", reply["result"])
	}
}

func TestGetPeerStatsFilterErrors(t *testing.T) {
	h := startHarness(t, nil)
	code, msg := h.callError(t, "getpeerstats", `["dir=("]`)
	if code != -8 || msg != `peer filter: column 5: expected a value for dir, found "("` {
		t.Errorf("bad filter: error %d %q, want -8 with peerman's message", code, msg)
	}
	code, msg = h.callError(t, "getpeerstats", `[5]`)
	if code != -3 || !strings.Contains(msg, "filter (#1) must be of type string") {
		t.Errorf("numeric filter: error %d %q, want -3", code, msg)
	}
	code, _ = h.callError(t, "getpeerstats", `["", 1]`)
	if code != -1 {
		t.Errorf("two params: error %d, want -1 with the help", code)
	}
}

func TestGetNetMsgStatsNestsByEveryDimension(t *testing.T) {
	h := startHarness(t, nil)
	want := `{` +
		`"recv":{` +
		`"ipv4":{"outbound-full-relay":{"*other*":{"bytes":40,"count":1},"version":{"bytes":252,"count":2}}},` +
		`"ipv6":{"inbound":{"pong":{"bytes":96,"count":3}}}},` +
		`"sent":{` +
		`"ipv4":{"inbound":{"version":{"bytes":126,"count":1}},"outbound-full-relay":{"version":{"bytes":252,"count":2}}},` +
		`"ipv6":{"inbound":{"ping":{"bytes":96,"count":3}}}}}`
	for _, params := range [][]any{nil, {[]string{}}, {nil}} {
		if got := compact(t, h.rawResult(t, "getnetmsgstats", params...)); got != want {
			t.Errorf("getnetmsgstats %v =\n%s\nwant\n%s", params, got, want)
		}
	}
}

func TestGetNetMsgStatsAggregates(t *testing.T) {
	h := startHarness(t, nil)
	cases := []struct {
		by   []string
		want string
	}{
		{[]string{"direction", "network", "connection_type", "message_type"}, `{"bytes":862,"count":12}`},
		// Order and repetition in aggregate_by do not matter.
		{[]string{"message_type", "connection_type", "network", "direction", "network"}, `{"bytes":862,"count":12}`},
		{[]string{"network", "connection_type"},
			`{"recv":{"*other*":{"bytes":40,"count":1},"pong":{"bytes":96,"count":3},"version":{"bytes":252,"count":2}},` +
				`"sent":{"ping":{"bytes":96,"count":3},"version":{"bytes":378,"count":3}}}`},
		{[]string{"direction", "network", "connection_type"},
			`{"*other*":{"bytes":40,"count":1},"ping":{"bytes":96,"count":3},"pong":{"bytes":96,"count":3},"version":{"bytes":630,"count":5}}`},
		{[]string{"direction", "message_type"},
			`{"ipv4":{"inbound":{"bytes":126,"count":1},"outbound-full-relay":{"bytes":544,"count":5}},` +
				`"ipv6":{"inbound":{"bytes":192,"count":6}}}`},
		{[]string{"direction", "network", "message_type"},
			`{"inbound":{"bytes":318,"count":7},"outbound-full-relay":{"bytes":544,"count":5}}`},
	}
	for _, c := range cases {
		if got := compact(t, h.rawResult(t, "getnetmsgstats", c.by)); got != c.want {
			t.Errorf("aggregate_by %v =\n%s\nwant\n%s", c.by, got, c.want)
		}
	}
	// Named form.
	_, reply := h.postObject(t, `{"method":"getnetmsgstats","params":{"aggregate_by":["direction","network","connection_type","message_type"]},"id":1}`)
	if got, ok := reply["result"].(map[string]any); !ok || got["count"] != float64(12) {
		t.Errorf("named aggregate_by: reply %v", reply)
	}
}

func TestGetNetMsgStatsValidatesAggregateBy(t *testing.T) {
	h := startHarness(t, nil)
	cases := []struct {
		params   string
		code     int
		contains []string
	}{
		{`[["network","msgtype"]]`, -8, []string{`"msgtype"`, "index 1", "direction, network, connection_type, message_type"}},
		{`[["Direction"]]`, -8, []string{`"Direction"`}},
		{`[["network",3]]`, -3, []string{"aggregate_by[1] must be of type string, got number"}},
		{`["network"]`, -3, []string{"aggregate_by (#1) must be of type array, got string"}},
		{`[{"a":1}]`, -3, []string{"must be of type array, got object"}},
		{`{"aggregate":["network"]}`, -8, []string{"Unknown named parameter aggregate"}},
	}
	for _, c := range cases {
		code, msg := h.callError(t, "getnetmsgstats", c.params)
		if code != c.code {
			t.Errorf("params %s: code %d (%q), want %d", c.params, code, msg, c.code)
		}
		for _, s := range c.contains {
			if !strings.Contains(msg, s) {
				t.Errorf("params %s: message %q lacks %q", c.params, msg, s)
			}
		}
	}
}

func TestStatsMethodsWithoutPeerman(t *testing.T) {
	h := startHarness(t, func(cfg *rpc.Config) { cfg.Peerman = nil })
	for _, method := range []string{"getpeerstats", "getnetmsgstats"} {
		code, msg := h.callError(t, method, "[]")
		if code != -32603 || !strings.Contains(msg, "no actor is configured") {
			t.Errorf("%s without peerman: error %d %q, want -32603", method, code, msg)
		}
	}
}

func TestAggregateNetMsgStatsWithoutTraffic(t *testing.T) {
	all := []rpc.NetMsgDimension{rpc.DimensionDirection, rpc.DimensionNetwork,
		rpc.DimensionConnectionType, rpc.DimensionMessageType}
	cases := []struct {
		by   []rpc.NetMsgDimension
		want string
	}{
		{nil, `{}`},
		{all[:3], `{}`},
		{all, `{"bytes":0,"count":0}`},
	}
	for _, c := range cases {
		b, err := json.Marshal(rpc.AggregateNetMsgStats(nil, c.by))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("no entries, aggregate_by %v: %s, want %s", c.by, b, c.want)
		}
	}
	for _, name := range []string{"direction", "network", "connection_type", "message_type"} {
		if d, ok := rpc.ParseNetMsgDimension(name); !ok || string(d) != name {
			t.Errorf("ParseNetMsgDimension(%q) = %q, %v", name, d, ok)
		}
	}
	if _, ok := rpc.ParseNetMsgDimension("msgtype"); ok {
		t.Error("ParseNetMsgDimension accepted msgtype")
	}
}
