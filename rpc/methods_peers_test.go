package rpc_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/actornode/actornode/rpc"
)

// corePeerInfoKeys are getpeerinfo's keys in the order Core writes them
// (addrbind, addrlocal and the ping figures are optional).
var corePeerInfoKeys = []string{
	"id", "addr", "addrbind", "addrlocal", "network", "services", "servicesnames",
	"relaytxes", "lastsend", "lastrecv", "last_transaction", "last_block",
	"bytessent", "bytesrecv", "conntime", "timeoffset", "pingtime", "minping",
	"pingwait", "version", "subver", "inbound", "bip152_hb_to", "bip152_hb_from",
	"startingheight", "presynced_headers", "synced_headers", "synced_blocks",
	"inflight", "addr_relay_enabled", "addr_processed", "addr_rate_limited",
	"permissions", "minfeefilter", "bytessent_per_msg", "bytesrecv_per_msg",
	"connection_type", "transport_protocol_type", "session_id",
}

// without returns keys minus the dropped ones, order kept.
func without(keys []string, dropped ...string) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return slices.Contains(dropped, k) })
}

// getPeerInfo returns getpeerinfo's elements as raw JSON objects.
func getPeerInfo(t *testing.T, h *harness) []json.RawMessage {
	t.Helper()
	var peers []json.RawMessage
	raw := h.rawResult(t, "getpeerinfo")
	if err := json.Unmarshal(raw, &peers); err != nil {
		t.Fatalf("getpeerinfo result %s is not an array: %v", raw, err)
	}
	if len(peers) != len(testSnapshots()) {
		t.Fatalf("getpeerinfo has %d peers, want %d: %s", len(peers), len(testSnapshots()), raw)
	}
	return peers
}

// checkFields compares the listed fields of a decoded object.
func checkFields(t *testing.T, what string, got map[string]any, want map[string]any) {
	t.Helper()
	for key, w := range want {
		g, present := got[key]
		if !present {
			t.Errorf("%s: field %q missing", what, key)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s = %#v (%T), want %#v (%T)", what, key, g, g, w, w)
		}
	}
}

func TestGetPeerInfoKeysInCoreOrder(t *testing.T) {
	h := startHarness(t, nil)
	peers := getPeerInfo(t, h)
	want := [][]string{
		corePeerInfoKeys,
		without(corePeerInfoKeys, "addrlocal", "pingtime", "minping", "pingwait"),
		without(corePeerInfoKeys, "addrlocal", "pingwait"),
	}
	for i, p := range peers {
		if got := objectKeys(t, p); !slices.Equal(got, want[i]) {
			t.Errorf("peer %d keys\n%v\nwant\n%v", i+1, got, want[i])
		}
	}
}

func TestGetPeerInfoFullPeer(t *testing.T) {
	h := startHarness(t, nil)
	raw := getPeerInfo(t, h)[0]
	peer, _ := decodeValue(t, raw).(map[string]any)
	checkFields(t, "peer 1", peer, map[string]any{
		"id":                      float64(1),
		"addr":                    "203.0.113.7:8333",
		"addrbind":                "192.0.2.1:50000",
		"addrlocal":               "198.51.100.9:8333",
		"network":                 "ipv4",
		"services":                "0000000000000409",
		"servicesnames":           []any{"NETWORK", "WITNESS", "NETWORK_LIMITED"},
		"relaytxes":               true,
		"lastsend":                float64(1_700_000_100),
		"lastrecv":                float64(1_700_000_101),
		"last_transaction":        float64(1_700_000_050),
		"last_block":              float64(0),
		"bytessent":               float64(2000),
		"bytesrecv":               float64(3000),
		"conntime":                float64(1_700_000_000),
		"timeoffset":              float64(-2),
		"pingtime":                0.0015,
		"minping":                 float64(1),
		"pingwait":                0.25,
		"version":                 float64(70016),
		"subver":                  "/Satoshi:27.0.0/",
		"inbound":                 false,
		"bip152_hb_to":            false,
		"bip152_hb_from":          false,
		"startingheight":          float64(800_000),
		"presynced_headers":       float64(-1),
		"synced_headers":          float64(-1),
		"synced_blocks":           float64(-1),
		"inflight":                []any{},
		"addr_relay_enabled":      true,
		"addr_processed":          float64(12),
		"addr_rate_limited":       float64(3),
		"permissions":             []any{"noban"},
		"minfeefilter":            0.00001,
		"bytessent_per_msg":       map[string]any{"getaddr": float64(24), "verack": float64(24), "version": float64(126)},
		"bytesrecv_per_msg":       map[string]any{"*other*": float64(40), "version": float64(126), "wtxidrelay": float64(24)},
		"connection_type":         "outbound-full-relay",
		"transport_protocol_type": "v1",
		"session_id":              "",
	})
	// Exact number forms: microsecond ping figures, amounts with eight decimals.
	for _, field := range []string{`"pingtime":0.0015,`, `"minping":1,`, `"pingwait":0.25,`, `"minfeefilter":0.00001000,`} {
		if !strings.Contains(string(raw), field) {
			t.Errorf("peer 1 %s lacks %s", raw, field)
		}
	}
}

func TestGetPeerInfoPerMessageMaps(t *testing.T) {
	h := startHarness(t, nil)
	peers := getPeerInfo(t, h)
	var first struct {
		Sent json.RawMessage `json:"bytessent_per_msg"`
		Recv json.RawMessage `json:"bytesrecv_per_msg"`
	}
	if err := json.Unmarshal(peers[0], &first); err != nil {
		t.Fatal(err)
	}
	// Zero entries are left out; keys come sorted bytewise like Core's map,
	// so "*other*" is first.
	if got, want := objectKeys(t, first.Sent), []string{"getaddr", "verack", "version"}; !slices.Equal(got, want) {
		t.Errorf("bytessent_per_msg keys %v, want %v", got, want)
	}
	if got, want := objectKeys(t, first.Recv), []string{"*other*", "version", "wtxidrelay"}; !slices.Equal(got, want) {
		t.Errorf("bytesrecv_per_msg keys %v, want %v", got, want)
	}
	var second struct {
		Sent json.RawMessage `json:"bytessent_per_msg"`
		Recv json.RawMessage `json:"bytesrecv_per_msg"`
	}
	if err := json.Unmarshal(peers[1], &second); err != nil {
		t.Fatal(err)
	}
	if string(second.Sent) != "{}" || string(second.Recv) != "{}" {
		t.Errorf("peer without traffic: per-msg %s %s, want {} {}", second.Sent, second.Recv)
	}
}

func TestGetPeerInfoSparsePeers(t *testing.T) {
	h := startHarness(t, nil)
	peers := getPeerInfo(t, h)
	inbound, _ := decodeValue(t, peers[1]).(map[string]any)
	checkFields(t, "peer 2", inbound, map[string]any{
		"id":                      float64(2),
		"services":                "0000000000000000",
		"servicesnames":           []any{},
		"lastsend":                float64(0),
		"lastrecv":                float64(0),
		"inbound":                 true,
		"addr_relay_enabled":      true,
		"permissions":             []any{},
		"minfeefilter":            float64(0),
		"connection_type":         "inbound",
		"transport_protocol_type": "v1",
		"session_id":              "",
	})
	if !strings.Contains(string(peers[1]), `"minfeefilter":0.00000000,`) {
		t.Errorf("peer 2 %s: minfeefilter not printed as an amount", peers[1])
	}
	blockRelay, _ := decodeValue(t, peers[2]).(map[string]any)
	checkFields(t, "peer 3", blockRelay, map[string]any{
		"id":                 float64(3),
		"pingtime":           float64(0),
		"minping":            float64(0),
		"addr_relay_enabled": false,
		"connection_type":    "block-relay-only",
	})
}

func TestGetPeerInfoWithoutPeerman(t *testing.T) {
	h := startHarness(t, func(cfg *rpc.Config) { cfg.Peerman = nil })
	for _, method := range []string{"getpeerinfo", "ping"} {
		code, msg := h.callError(t, method, "[]")
		if code != -32603 || !strings.Contains(msg, "no actor is configured") {
			t.Errorf("%s without peerman: error %d %q, want -32603", method, code, msg)
		}
	}
}

func TestGetConnectionCount(t *testing.T) {
	h := startHarness(t, nil)
	if got := string(h.rawResult(t, "getconnectioncount")); got != "7" {
		t.Fatalf("getconnectioncount = %s, want 7", got)
	}
}

func TestPingAsksPeerman(t *testing.T) {
	h := startHarness(t, nil)
	if got := string(h.rawResult(t, "ping")); got != "null" {
		t.Fatalf("ping = %s, want null", got)
	}
	select {
	case <-h.pings:
	case <-timeAfter(t):
		t.Fatal("peerman got no PingPeers")
	}
}
