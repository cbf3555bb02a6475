package rpc_test

import (
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/rpc"
)

// addrmanNow is the real addrman's clock reading in these tests.
var addrmanNow = time.Unix(1_700_000_000, 0)

// startWithAddrman starts the rpc harness with a real addrman actor (a
// manual clock at addrmanNow, a book file in a temporary directory, fixed
// randomness).
func startWithAddrman(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	pid := h.system.Root.Spawn(actor.PropsFromProducer(addrman.NewActor(addrman.Config{
		File:  filepath.Join(t.TempDir(), "addrman.dat"),
		Clock: actors.NewManualClock(addrmanNow),
		Rand:  rand.New(rand.NewPCG(4, 4)),
	})))
	t.Cleanup(func() { _ = h.system.Root.StopFuture(pid).Wait() })
	h.cfg.Addrman = pid
	h.start(t)
	return h
}

const emptyAddrmanInfo = `{"ipv4":{"new":0,"tried":0,"total":0},"ipv6":{"new":0,"tried":0,"total":0},` +
	`"onion":{"new":0,"tried":0,"total":0},"i2p":{"new":0,"tried":0,"total":0},` +
	`"cjdns":{"new":0,"tried":0,"total":0},"all_networks":{"new":0,"tried":0,"total":0}}`

const testOnion = "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion"

func TestAddrmanMethodsWithARealAddrman(t *testing.T) {
	h := startWithAddrman(t)
	if got := compact(t, h.rawResult(t, "getaddrmaninfo")); got != emptyAddrmanInfo {
		t.Fatalf("getaddrmaninfo on an empty book = %s", got)
	}
	if got := compact(t, h.rawResult(t, "getnodeaddresses", 0)); got != "[]" {
		t.Fatalf("getnodeaddresses on an empty book = %s", got)
	}

	for _, tc := range []struct {
		params []any
		want   string
	}{
		{[]any{"1.2.3.4", 8333, true}, `{"success":true}`},
		{[]any{"1.2.3.4", 8333}, `{"error":"failed-adding-to-new","success":false}`},
		{[]any{"1.2.3.4", 8333, true}, `{"error":"failed-adding-to-new","success":false}`},
		{[]any{"[2a01:4f8::1]", 18444}, `{"success":true}`},
		{[]any{testOnion, 8333, false}, `{"success":true}`},
		{[]any{"10.1.2.3", 8333}, `{"error":"failed-adding-to-new","success":false}`},
	} {
		if got := compact(t, h.rawResult(t, "addpeeraddress", tc.params...)); got != tc.want {
			t.Fatalf("addpeeraddress %v = %s, want %s", tc.params, got, tc.want)
		}
	}
	// Named parameters.
	body := `{"jsonrpc":"2.0","method":"addpeeraddress","params":{"port":8333,"address":"5.6.7.8"},"id":1}`
	if _, b := h.post(t, body); !strings.Contains(compact(t, b), `"result":{"success":true}`) {
		t.Fatalf("named addpeeraddress: %s", b)
	}

	want := `{"ipv4":{"new":1,"tried":1,"total":2},"ipv6":{"new":1,"tried":0,"total":1},` +
		`"onion":{"new":1,"tried":0,"total":1},"i2p":{"new":0,"tried":0,"total":0},` +
		`"cjdns":{"new":0,"tried":0,"total":0},"all_networks":{"new":3,"tried":1,"total":4}}`
	if got := compact(t, h.rawResult(t, "getaddrmaninfo")); got != want {
		t.Fatalf("getaddrmaninfo = %s\nwant %s", got, want)
	}

	var all []json.RawMessage
	if err := json.Unmarshal(h.rawResult(t, "getnodeaddresses", 0), &all); err != nil || len(all) != 4 {
		t.Fatalf("getnodeaddresses 0 = %d entries (%v), want 4", len(all), err)
	}
	byAddress := map[string]string{}
	for _, raw := range all {
		if keys := objectKeys(t, raw); strings.Join(keys, ",") != "time,services,address,port,network" {
			t.Fatalf("keys %v, want Core's order", keys)
		}
		var e struct{ Address string }
		_ = json.Unmarshal(raw, &e)
		byAddress[e.Address] = compact(t, raw)
	}
	now := strconv.FormatInt(addrmanNow.Unix(), 10)
	for address, want := range map[string]string{
		"1.2.3.4":     `{"time":` + now + `,"services":9,"address":"1.2.3.4","port":8333,"network":"ipv4"}`,
		"2a01:4f8::1": `{"time":` + now + `,"services":9,"address":"2a01:4f8::1","port":18444,"network":"ipv6"}`,
		testOnion:     `{"time":` + now + `,"services":9,"address":"` + testOnion + `","port":8333,"network":"onion"}`,
	} {
		if byAddress[address] != want {
			t.Errorf("entry of %s = %s, want %s", address, byAddress[address], want)
		}
	}

	var one []any
	_ = json.Unmarshal(h.rawResult(t, "getnodeaddresses"), &one)
	if len(one) != 1 {
		t.Fatalf("getnodeaddresses without count gave %d, want 1 (Core's default)", len(one))
	}
	var ipv6 []rpc.NodeAddress
	_ = json.Unmarshal(h.rawResult(t, "getnodeaddresses", 0, "IPV6"), &ipv6)
	if len(ipv6) != 1 || ipv6[0].Address != "2a01:4f8::1" || ipv6[0].Network != "ipv6" {
		t.Fatalf("getnodeaddresses 0 IPV6 = %+v", ipv6)
	}
	var none []any
	_ = json.Unmarshal(h.rawResult(t, "getnodeaddresses", 0, "cjdns"), &none)
	if len(none) != 0 {
		t.Fatalf("getnodeaddresses 0 cjdns = %v", none)
	}
}

func TestAddrmanMethodArgumentErrors(t *testing.T) {
	h := startWithAddrman(t)
	for _, tc := range []struct {
		method, params string
		code           int
		msg            string
	}{
		{"getnodeaddresses", `[-1]`, -8, "Address count out of range"},
		{"getnodeaddresses", `[1, "Foo"]`, -8, "Network not recognized: Foo"},
		{"getnodeaddresses", `[1, ""]`, -8, "Network not recognized: "},
		{"getnodeaddresses", `["1"]`, -3, ""},
		{"addpeeraddress", `["", 8333]`, -30, "Invalid IP address"},
		{"addpeeraddress", `["seed.example.com", 8333]`, -30, "Invalid IP address"},
		{"addpeeraddress", `["1.2.3.4:8333", 8333]`, -30, "Invalid IP address"},
		{"addpeeraddress", `["1.2.3.4", -1]`, -1, "JSON integer out of range"},
		{"addpeeraddress", `["1.2.3.4", 65536]`, -1, "JSON integer out of range"},
		{"addpeeraddress", `{"address":"1.2.3.4","port":1234,"tried":"True"}`, -3, ""},
		{"addpeeraddress", `["1.2.3.4"]`, -1, "addpeeraddress \"address\" port ( tried )"},
	} {
		code, msg := h.callError(t, tc.method, tc.params)
		if code != tc.code || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.params, code, msg, tc.code, tc.msg)
		}
	}
	if got := compact(t, h.rawResult(t, "getaddrmaninfo")); got != emptyAddrmanInfo {
		t.Fatalf("refused calls changed the book: %s", got)
	}
}

func TestAddPeerAddressReportsATriedCollision(t *testing.T) {
	h := startWithAddrman(t)
	// Addresses of one /16 share 8 tried buckets, so moving enough of them
	// to tried makes one collide with another's slot.
	collided := false
	for i := 0; i < 250 && !collided; i++ {
		got := compact(t, h.rawResult(t, "addpeeraddress", "20.7."+strconv.Itoa(i)+".1", 8333, true))
		collided = got == `{"error":"failed-adding-to-tried","success":false}`
	}
	if !collided {
		t.Fatal("no failed-adding-to-tried in 250 addresses of one /16")
	}
	var info struct {
		All struct{ New, Tried int } `json:"all_networks"`
	}
	_ = json.Unmarshal(h.rawResult(t, "getaddrmaninfo"), &info)
	if info.All.New == 0 {
		t.Fatalf("the colliding address should stay in the new table: %+v", info)
	}
}

func TestAddPeerAddressIsHidden(t *testing.T) {
	h := startWithAddrman(t)
	overview, _ := h.call(t, "help").(string)
	if strings.Contains(overview, "addpeeraddress") {
		t.Fatalf("help lists the hidden addpeeraddress:\n%s", overview)
	}
	if !strings.Contains(overview, "getaddrmaninfo") || !strings.Contains(overview, `getnodeaddresses ( count "network" )`) {
		t.Fatalf("help misses the addrman methods:\n%s", overview)
	}
	if got, _ := h.call(t, "help", "addpeeraddress").(string); !strings.HasPrefix(got, `addpeeraddress "address" port ( tried )`) {
		t.Fatalf("help addpeeraddress = %q", got)
	}
}

func TestAddrmanMethodsWithoutAddrman(t *testing.T) {
	h := startHarness(t, nil)
	for _, m := range []struct{ method, params string }{
		{"getnodeaddresses", `[]`}, {"getaddrmaninfo", `[]`}, {"addpeeraddress", `["1.2.3.4", 8333]`},
	} {
		if code, msg := h.callError(t, m.method, m.params); code != -32603 || !strings.Contains(msg, "no actor") {
			t.Errorf("%s without addrman = %d %q, want -32603", m.method, code, msg)
		}
	}
}
