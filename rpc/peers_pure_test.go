package rpc

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

func TestMicrosJSON(t *testing.T) {
	cases := map[Micros]string{
		0:           "0",
		1:           "0.000001",
		1500:        "0.0015",
		250_000:     "0.25",
		1_000_000:   "1",
		2_500_000:   "2.5",
		123_456_789: "123.456789",
		-1500:       "-0.0015",
	}
	for m, want := range cases {
		got, err := json.Marshal(m)
		if err != nil || string(got) != want {
			t.Errorf("Marshal(%d) = %s, %v; want %s", int64(m), got, err, want)
		}
	}
	if optionalMicros(-1) != nil {
		t.Error("-1 is not omitted")
	}
	if p := optionalMicros(0); p == nil || *p != 0 {
		t.Error("0 is omitted")
	}
}

func TestConnectionTypeName(t *testing.T) {
	cases := map[peermanpb.ConnectionType]string{
		peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED:         "",
		peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND:             "inbound",
		peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY: "outbound-full-relay",
		peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:    "block-relay-only",
		peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL:              "manual",
		peermanpb.ConnectionType_CONNECTION_TYPE_FEELER:              "feeler",
		peermanpb.ConnectionType_CONNECTION_TYPE_ADDR_FETCH:          "addr-fetch",
	}
	for ct, want := range cases {
		if got := ConnectionTypeName(ct); got != want {
			t.Errorf("ConnectionTypeName(%v) = %q, want %q", ct, got, want)
		}
	}
}

func TestResultError(t *testing.T) {
	fallback := NewError(CodeClientNodeNotConnected, "fallback")
	if err := resultError(&connmanpb.Result{Ok: true}, fallback); err != nil {
		t.Fatalf("ok result gave %v", err)
	}
	if err := resultError(&connmanpb.Result{}, fallback); err != fallback {
		t.Fatalf("bare refusal gave %v, want the fallback", err)
	}
	err := asRPCError(resultError(&connmanpb.Result{Error: "no"}, fallback))
	if err.Code != CodeMisc || err.Message != "no" {
		t.Fatalf("refusal without code gave %v", err)
	}
	err = asRPCError(resultError(&connmanpb.Result{ErrorCode: -23, Error: "Error: Node already added"}, fallback))
	if err.Code != CodeClientNodeAlreadyAdded || err.Message != "Error: Node already added" {
		t.Fatalf("refusal -23 gave %v", err)
	}
}

func TestNewPeerInfoDefaults(t *testing.T) {
	info := NewPeerInfo(&peermanpb.PeerSnapshot{PingtimeUs: -1, MinpingUs: -1, PingwaitUs: -1, LastrecvUnix: -5})
	if info.PingTime != nil || info.MinPing != nil || info.PingWait != nil {
		t.Errorf("ping figures of -1 kept: %+v", info)
	}
	if info.LastRecv != 0 || info.TransportProtocolType != "v1" || info.SessionID != "" {
		t.Errorf("defaults: lastrecv %d transport %q session %q", info.LastRecv, info.TransportProtocolType, info.SessionID)
	}
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{`"addrbind"`, `"addrlocal"`, `"pingtime"`, `"minping"`, `"pingwait"`} {
		if strings.Contains(string(b), absent) {
			t.Errorf("%s present in %s", absent, b)
		}
	}
	for _, present := range []string{`"inflight":[]`, `"permissions":[]`, `"servicesnames":[]`, `"bytessent_per_msg":{}`, `"synced_blocks":-1`} {
		if !strings.Contains(string(b), present) {
			t.Errorf("%s missing from %s", present, b)
		}
	}
}
