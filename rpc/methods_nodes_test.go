package rpc_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/actornode/actornode/connman/connmanpb"
)

// wantCommand checks the next command connman got.
func wantCommand(t *testing.T, h *harness, want proto.Message) {
	t.Helper()
	got, ok := h.nextCommand(t).(proto.Message)
	if !ok || !proto.Equal(got, want) {
		t.Fatalf("connman got %v, want %T %v", got, want, want)
	}
}

func TestAddNode(t *testing.T) {
	h := startHarness(t, nil)
	const node = "192.0.2.50:18444"
	if got := string(h.rawResult(t, "addnode", node, "add")); got != "null" {
		t.Fatalf("addnode add = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.AddNode{Address: node, Command: "add"})

	code, msg := h.callError(t, "addnode", `["`+node+`","add"]`)
	if code != -23 || msg != "Error: Node already added" {
		t.Fatalf("second add: error %d %q", code, msg)
	}
	wantCommand(t, h, &connmanpb.AddNode{Address: node, Command: "add"})

	if got := string(h.rawResult(t, "addnode", node, "remove")); got != "null" {
		t.Fatalf("addnode remove = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.AddNode{Address: node, Command: "remove"})

	code, msg = h.callError(t, "addnode", `{"node":"`+node+`","command":"remove"}`)
	if code != -24 || msg != "Error: Node could not be removed. It has not been added previously." {
		t.Fatalf("second remove: error %d %q", code, msg)
	}
	wantCommand(t, h, &connmanpb.AddNode{Address: node, Command: "remove"})

	if got := string(h.rawResult(t, "addnode", node, "onetry")); got != "null" {
		t.Fatalf("addnode onetry = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.AddNode{Address: node, Command: "onetry"})
}

func TestAddNodeRefusesBadArguments(t *testing.T) {
	h := startHarness(t, nil)
	code, msg := h.callError(t, "addnode", `["192.0.2.50","connect"]`)
	if code != -1 || !strings.HasPrefix(msg, `addnode "node" "command"`) {
		t.Errorf("unknown command: error %d %q, want -1 with the help", code, msg)
	}
	code, msg = h.callError(t, "addnode", `["192.0.2.50","add",true]`)
	if code != -8 || !strings.Contains(msg, "v2transport") {
		t.Errorf("v2transport: error %d %q, want -8", code, msg)
	}
	code, _ = h.callError(t, "addnode", `[7,"add"]`)
	if code != -3 {
		t.Errorf("numeric node: error %d, want -3", code)
	}
	code, _ = h.callError(t, "addnode", `["192.0.2.50"]`)
	if code != -1 {
		t.Errorf("missing command: error %d, want -1", code)
	}
	h.noCommand(t, "refused addnode")
}

func TestDisconnectNodeByID(t *testing.T) {
	h := startHarness(t, nil)
	if got := string(h.rawResult(t, "disconnectnode", "", testConnectedID)); got != "null" {
		t.Fatalf("disconnectnode by id = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.DisconnectNode{PeerId: testConnectedID, ByPeerId: true})

	// The peer is gone now: connman's refusal comes back as -29.
	code, msg := h.callError(t, "disconnectnode", `{"nodeid":5}`)
	if code != -29 || msg != "Node not found in connected nodes" {
		t.Fatalf("second disconnect: error %d %q", code, msg)
	}
	wantCommand(t, h, &connmanpb.DisconnectNode{PeerId: testConnectedID, ByPeerId: true})
}

func TestDisconnectNodeByAddress(t *testing.T) {
	h := startHarness(t, nil)
	code, msg := h.callError(t, "disconnectnode", `["10.9.9.9:8333"]`)
	if code != -29 || msg != "Node not found in connected nodes" {
		t.Fatalf("unknown address: error %d %q", code, msg)
	}
	wantCommand(t, h, &connmanpb.DisconnectNode{Address: "10.9.9.9:8333"})

	if got := string(h.rawResult(t, "disconnectnode", testConnectedAddr)); got != "null" {
		t.Fatalf("disconnectnode by address = %s, want null", got)
	}
	wantCommand(t, h, &connmanpb.DisconnectNode{Address: testConnectedAddr})
}

func TestDisconnectNodeArgumentRules(t *testing.T) {
	h := startHarness(t, nil)
	const onlyOne = "Only one of address and nodeid should be provided."
	for _, params := range []string{`[]`, `[null, null]`, `["10.0.0.1:8333", 5]`, `{"address":"10.0.0.1:8333","nodeid":5}`, `[7, 5]`} {
		code, msg := h.callError(t, "disconnectnode", params)
		if code != -32602 || msg != onlyOne {
			t.Errorf("params %s: error %d %q, want -32602 %q", params, code, msg, onlyOne)
		}
	}
	if code, _ := h.callError(t, "disconnectnode", `[5]`); code != -3 {
		t.Errorf("numeric address: error %d, want -3", code)
	}
	if code, _ := h.callError(t, "disconnectnode", `["", "5"]`); code != -3 {
		t.Errorf("string nodeid: error %d, want -3", code)
	}
	// A negative id names no peer; connman is not asked.
	if code, msg := h.callError(t, "disconnectnode", `["", -1]`); code != -29 || msg != "Node not found in connected nodes" {
		t.Errorf("negative nodeid: error %d %q, want -29", code, msg)
	}
	h.noCommand(t, "refused disconnectnode")
}
