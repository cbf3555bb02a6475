package rpc_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/actornode/actornode/connman/connmanpb"
)

func TestSetBanAndListBanned(t *testing.T) {
	h := startHarness(t, nil)
	if got := string(h.rawResult(t, "setban", "192.168.0.6", "add", 86400)); got != "null" {
		t.Fatalf("setban add = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.SetBan{Subnet: "192.168.0.6", Command: "add", Bantime: 86400})

	if got := string(h.rawResult(t, "setban", "10.0.0.0/8", "add", 1_800_000_000, true)); got != "null" {
		t.Fatalf("setban add absolute = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.SetBan{Subnet: "10.0.0.0/8", Command: "add", Bantime: 1_800_000_000, Absolute: true})

	raw := h.rawResult(t, "listbanned")
	var bans []json.RawMessage
	if err := json.Unmarshal(raw, &bans); err != nil || len(bans) != 2 {
		t.Fatalf("listbanned = %s (%v), want two entries", raw, err)
	}
	wantKeys := []string{"address", "ban_created", "banned_until", "ban_duration", "time_remaining"}
	for i, b := range bans {
		if got := objectKeys(t, b); !slices.Equal(got, wantKeys) {
			t.Errorf("ban %d keys %v, want %v", i, got, wantKeys)
		}
	}
	first, _ := decodeValue(t, bans[0]).(map[string]any)
	wantFirst := map[string]any{"address": "10.0.0.0/8", "ban_created": float64(1_700_000_000),
		"banned_until": float64(1_800_000_000), "ban_duration": float64(100_000_000), "time_remaining": float64(99_999_990)}
	if !reflect.DeepEqual(first, wantFirst) {
		t.Errorf("ban 0 = %v, want %v", first, wantFirst)
	}
	second, _ := decodeValue(t, bans[1]).(map[string]any)
	if second["address"] != "192.168.0.6/32" || second["ban_duration"] != float64(86400) {
		t.Errorf("ban 1 = %v", second)
	}

	if got := string(h.rawResult(t, "setban", "192.168.0.6", "remove")); got != "null" {
		t.Fatalf("setban remove = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.SetBan{Subnet: "192.168.0.6", Command: "remove"})
	if got := decodeValue(t, h.rawResult(t, "listbanned")).([]any); len(got) != 1 {
		t.Fatalf("after remove listbanned = %v, want one entry", got)
	}

	if got := string(h.rawResult(t, "clearbanned")); got != "null" {
		t.Fatalf("clearbanned = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.ClearBanned{})
	if got := string(h.rawResult(t, "listbanned")); got != "[]" {
		t.Fatalf("after clearbanned listbanned = %s, want []", got)
	}
}

func TestSetBanErrors(t *testing.T) {
	h := startHarness(t, nil)
	h.rawResult(t, "setban", "192.168.0.6", "add")
	wantCommand(t, h, &connmanpb.SetBan{Subnet: "192.168.0.6", Command: "add"})
	cases := []struct {
		params string
		code   int
		msg    string
	}{
		{`["192.168.0.6","add"]`, -23, "Error: IP/Subnet already banned"},
		{`["not-an-address","add"]`, -30, "Error: Invalid IP/Subnet"},
		{`["172.16.0.1","remove"]`, -30, "Error: Unban failed. Requested address/subnet was not previously manually banned."},
	}
	for _, tc := range cases {
		code, msg := h.callError(t, "setban", tc.params)
		if code != tc.code || msg != tc.msg {
			t.Errorf("setban %s: error %d %q, want %d %q", tc.params, code, msg, tc.code, tc.msg)
		}
		h.nextCommand(t)
	}
}

func TestSetBanRefusesBadArguments(t *testing.T) {
	h := startHarness(t, nil)
	code, msg := h.callError(t, "setban", `["192.168.0.6","ban"]`)
	if code != -1 || !strings.HasPrefix(msg, `setban "subnet" "command"`) {
		t.Errorf("unknown command: error %d %q, want -1 with the help", code, msg)
	}
	if code, _ := h.callError(t, "setban", `["192.168.0.6","add","long"]`); code != -3 {
		t.Errorf("string bantime: error %d, want -3", code)
	}
	if code, _ := h.callError(t, "setban", `["192.168.0.6","add",10,"yes"]`); code != -3 {
		t.Errorf("string absolute: error %d, want -3", code)
	}
	h.noCommand(t, "refused setban")
}
