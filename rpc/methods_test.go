package rpc_test

import (
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/rpc"
)

func TestGetNetworkInfo(t *testing.T) {
	h := startHarness(t, nil)
	_, raw := h.post(t, `{"method":"getnetworkinfo","params":[],"id":1}`)
	status, reply := h.postObject(t, `{"method":"getnetworkinfo","params":[],"id":1}`)
	if status != http.StatusOK {
		t.Fatalf("status %d reply %v", status, reply)
	}
	info, ok := reply["result"].(map[string]any)
	if !ok {
		t.Fatalf("result is not an object: %v", reply)
	}
	want := map[string]any{
		"version":            float64(100),
		"subversion":         "/actornode:0.1.0/",
		"protocolversion":    float64(70016),
		"localservices":      "0000000000000c09",
		"localservicesnames": []any{"NETWORK", "WITNESS", "NETWORK_LIMITED", "P2P_V2"},
		"localrelay":         true,
		"timeoffset":         float64(0),
		"networkactive":      true,
		"connections":        float64(testConnTotal),
		"connections_in":     float64(testConnIn),
		"connections_out":    float64(testConnOut),
		"relayfee":           0.00001,
		"incrementalfee":     0.00001,
		"localaddresses":     []any{},
		"warnings":           "",
	}
	for key, w := range want {
		got, present := info[key]
		if !present {
			t.Errorf("field %q missing", key)
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v (%T), want %#v (%T)", key, got, got, w, w)
		}
	}
	var keys []string
	for k := range info {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) != len(want)+1 {
		t.Errorf("fields %v, want exactly those checked plus networks", keys)
	}
	networks, ok := info["networks"].([]any)
	if !ok || len(networks) != 5 {
		t.Fatalf("networks = %#v", info["networks"])
	}
	for i, name := range []string{"ipv4", "ipv6", "onion", "i2p", "cjdns"} {
		n, _ := networks[i].(map[string]any)
		reachable := i < 2
		wantNet := map[string]any{"name": name, "limited": !reachable, "reachable": reachable,
			"proxy": "", "proxy_randomize_credentials": false}
		if !reflect.DeepEqual(n, wantNet) {
			t.Errorf("networks[%d] = %#v, want %#v", i, n, wantNet)
		}
	}
	// Amounts are printed like Core's, with eight decimals.
	for _, field := range []string{`"relayfee":0.00001000`, `"incrementalfee":0.00001000`} {
		if !strings.Contains(string(raw), field) {
			t.Errorf("reply %s lacks %s", raw, field)
		}
	}
}

func TestGetNetworkInfoReportsConnmanSilence(t *testing.T) {
	h := newHarness(t)
	h.cfg.RequestTimeout = 200 * time.Millisecond
	h.cfg.Connman = h.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return silentActor{} }))
	h.start(t)
	status, reply := h.postObject(t, `{"method":"getnetworkinfo","params":[],"id":1}`)
	code, msg := errorOf(t, reply)
	if status != http.StatusInternalServerError || code != -32603 || !strings.Contains(msg, "did not answer") {
		t.Fatalf("status %d error %d %q, want 500 -32603 'did not answer'", status, code, msg)
	}
}

func TestUptime(t *testing.T) {
	h := startHarness(t, nil)
	if got := h.call(t, "uptime"); got != float64(testUptimeSeconds) {
		t.Fatalf("uptime = %#v, want %d", got, testUptimeSeconds)
	}
}

func TestStopSendsStopNode(t *testing.T) {
	h := startHarness(t, nil)
	if got := h.call(t, "stop"); got != rpc.StopReply {
		t.Fatalf("stop = %#v", got)
	}
	select {
	case msg := <-h.stops:
		if msg.GetReason() == "" {
			t.Fatalf("StopNode without a reason")
		}
	case <-timeAfter(t):
		t.Fatal("node got no StopNode")
	}
}

func TestHelp(t *testing.T) {
	h := startHarness(t, nil)
	want := strings.Join([]string{
		"== Control ==",
		"gettelemetryinfo",
		`help ( "command" )`,
		"listcaptures",
		`startcapture "filter"`,
		"stop",
		`stopcapture ( "filter" )`,
		"uptime",
		"",
		"== Network ==",
		`addnode "node" "command" ( v2transport )`,
		"clearbanned",
		`disconnectnode ( "address" nodeid )`,
		"getaddrmaninfo",
		"getconnectioncount",
		`getnetmsgstats ( ["aggregate_by",...] )`,
		"getnettotals",
		"getnetworkinfo",
		`getnodeaddresses ( count "network" )`,
		"getpeerinfo",
		`getpeerstats ( "filter" )`,
		"listbanned",
		"ping",
		`setban "subnet" "command" ( bantime absolute )`,
	}, "\n")
	if got := h.call(t, "help"); got != want {
		t.Fatalf("help =\n%v\nwant\n%s", got, want)
	}
	for _, m := range []string{"help", "stop", "uptime", "addnode", "clearbanned", "disconnectnode",
		"getconnectioncount", "getnettotals", "getnetworkinfo", "getpeerinfo", "listbanned", "ping", "setban",
		"getnodeaddresses", "getaddrmaninfo", "addpeeraddress", "gettelemetryinfo", "getpeerstats", "getnetmsgstats",
		"startcapture", "stopcapture", "listcaptures"} {
		got, _ := h.call(t, "help", m).(string)
		if !strings.HasPrefix(got, m) || !strings.Contains(got, "\n") {
			t.Errorf("help %s = %q", m, got)
		}
	}
	if got := h.call(t, "help", "nosuch"); got != "help: unknown command: nosuch" {
		t.Fatalf("help nosuch = %#v", got)
	}
}

func TestExtraMethods(t *testing.T) {
	echo := rpc.Method{
		Name:     "echo",
		Category: "testing",
		Args:     []rpc.Arg{{Name: "text"}, {Name: "fail", Optional: true}},
		Help:     "echo \"text\" ( fail )\n\nReturns text.",
		Handler: func(call *rpc.Call, p rpc.Params) (any, error) {
			fail, err := p.Bool(1, false)
			if err != nil {
				return nil, err
			}
			if fail {
				return nil, rpc.NewError(rpc.CodeInvalidParameter, "asked to fail")
			}
			if call.Method() != "echo" || call.Context() == nil {
				return nil, errors.New("call not set up")
			}
			return p.String(0, "")
		},
	}
	h := startHarness(t, nil, echo)
	if got := h.call(t, "echo", "hi"); got != "hi" {
		t.Fatalf("echo = %#v", got)
	}
	_, reply := h.postObject(t, `{"method":"echo","params":{"text":"x","fail":true},"id":1}`)
	if code, msg := errorOf(t, reply); code != -8 || msg != "asked to fail" {
		t.Fatalf("error %d %q", code, msg)
	}
	_, reply = h.postObject(t, `{"method":"echo","params":[],"id":1}`)
	if code, msg := errorOf(t, reply); code != -1 || !strings.HasPrefix(msg, "echo \"text\"") {
		t.Fatalf("missing required param: error %d %q, want -1 with the help", code, msg)
	}
	if got, _ := h.call(t, "help").(string); !strings.Contains(got, "== Testing ==\necho \"text\" ( fail )") {
		t.Fatalf("help does not list echo:\n%s", got)
	}
}

func TestNewActorRefusesBadMethodTables(t *testing.T) {
	ok := func(*rpc.Call, rpc.Params) (any, error) { return nil, nil }
	cases := map[string]rpc.Method{
		"duplicate":   {Name: "uptime", Category: "x", Help: "uptime", Handler: ok},
		"no name":     {Category: "x", Help: "h", Handler: ok},
		"no handler":  {Name: "a", Category: "x", Help: "a"},
		"no help":     {Name: "a", Category: "x", Handler: ok},
		"no category": {Name: "a", Help: "a", Handler: ok},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("NewActor accepted %+v", m)
				}
			}()
			rpc.NewActor(rpc.Config{}, m)
		})
	}
}
