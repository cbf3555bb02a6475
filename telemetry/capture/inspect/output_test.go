package inspect_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/inspect"
)

func TestSummaries(t *testing.T) {
	tx, blk := fixtureTx(), fixtureBlock()
	hdrs := wire.NewMsgHeaders()
	_ = hdrs.AddBlockHeader(&blk.Header)
	h2 := blk.Header
	h2.Nonce = 8
	_ = hdrs.AddBlockHeader(&h2)
	addr := wire.NewMsgAddr()
	_ = addr.AddAddress(wire.NewNetAddressIPPort([]byte{1, 2, 3, 4}, 8333, wire.SFNodeNetwork))
	cases := []struct {
		cmd     string
		payload []byte
		want    string
	}{
		{"version", encode(t, versionMsg("/Satoshi:27.0.0/", 100)), `version=70016 services=0000000000000009 ua="/Satoshi:27.0.0/" height=100 relay`},
		{"ping", encode(t, wire.NewMsgPing(12345)), "nonce=12345"},
		{"pong", encode(t, wire.NewMsgPong(6)), "nonce=6"},
		{"inv", encode(t, invOf(wire.InvTypeTx, announcedTx)), "count=1 first=tx:" + announcedTx.String()},
		{"getdata", encode(t, getdataOf(5, announcedTx)), "count=1 first=wtx:" + announcedTx.String()},
		{"notfound", encode(t, wire.NewMsgNotFound()), "count=0"},
		{"addr", encode(t, addr), "count=1"},
		{"headers", encode(t, hdrs), "count=2 first=" + blk.BlockHash().String() + " last=" + h2.BlockHash().String()},
		{"block", encode(t, blk), "hash=" + blk.BlockHash().String() + " txs=1"},
		{"tx", encode(t, tx), "txid=" + tx.TxHash().String() + " ins=1 outs=1 wtxid=" + tx.WitnessHash().String()},
		{"feefilter", encode(t, wire.NewMsgFeeFilter(1000)), "feerate=1000 sat/kvB"},
		{"sendcmpct", []byte{0, 2, 0, 0, 0, 0, 0, 0, 0}, "announce=false version=2"},
		{"verack", nil, ""},
		{"ping", []byte{1, 2, 3}, "undecodable: "},
		{"sendcmpct", []byte{1}, "undecodable: sendcmpct: 1 bytes, want 9"},
		{"inv", append(encode(t, wire.NewMsgInv()), 0xff), "undecodable: 1 trailing bytes"},
		{"frobnicate", []byte{1}, "unknown message type"},
	}
	for _, c := range cases {
		got := inspect.Summarize(c.cmd, c.payload)
		if strings.HasSuffix(c.want, ": ") {
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("%s: %q, want prefix %q", c.cmd, got, c.want)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.cmd, got, c.want)
		}
	}
}

func TestTimelineLine(t *testing.T) {
	_, first, _ := makeRoot(t)
	sessions, _ := inspect.Discover([]string{first})
	st, _ := inspect.Open(sessions, inspect.Filter{Commands: map[string]bool{"ping": true}})
	defer st.Close()
	m, ok := st.Next()
	if !ok {
		t.Fatal("no ping")
	}
	want := "2023-11-14T22:13:21.000000Z <- peer7 127.0.0.1:18444 ping               8  nonce=1"
	if got := inspect.FormatLine(m); got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
}

func TestCoreJSONShape(t *testing.T) {
	root, _, _ := makeRoot(t)
	sessions, _ := inspect.Discover([]string{root})
	st, _ := inspect.Open(sessions, inspect.Filter{})
	var out bytes.Buffer
	n, err := inspect.WriteCoreJSON(&out, st.Next)
	st.Close()
	if err != nil || n != len(fixtureSteps())+len(secondSteps()) {
		t.Fatalf("wrote %d, %v", n, err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(out.Bytes(), &recs); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out.String())
	}
	// Core's keys come first and in Core's order.
	firstLine := strings.SplitN(out.String(), "\n", 3)[1]
	if !strings.HasPrefix(firstLine, `{"direction":"recv","time":1700000000000000,"size":`) ||
		!strings.Contains(firstLine, `,"msgtype":"version","body":{`) {
		t.Fatalf("first record %s", firstLine)
	}
	v := recs[0]
	if v["direction"] != "recv" || v["time"] != 1.7e15 || v["msgtype"] != "version" || v["peer_id"] != 7.0 ||
		v["addr"] != "127.0.0.1:18444" || !strings.HasPrefix(v["session"].(string), "127.0.0.1_18444-peer7-") {
		t.Fatalf("version record %v", v)
	}
	if int(v["size"].(float64)) != len(encode(t, versionMsg("/Satoshi:27.0.0/", 100))) {
		t.Fatalf("size %v", v["size"])
	}
	body := v["body"].(map[string]any)
	if body["user_agent"] != "/Satoshi:27.0.0/" || body["version"] != 70016.0 || body["start_height"] != 100.0 ||
		body["services"] != "0000000000000009" || body["relay"] != true || body["nonce"] != 42.0 {
		t.Fatalf("version body %v", body)
	}
	if _, has := v["error"]; has {
		t.Fatal("error on a good record")
	}
	// verack: empty payload, no body (as Core).
	if recs[2]["msgtype"] != "verack" || recs[2]["size"] != 0.0 {
		t.Fatalf("record 2 %v", recs[2])
	}
	if _, has := recs[2]["body"]; has {
		t.Fatal("verack has a body")
	}
	// The tx body carries txid and scripts.
	for _, r := range recs {
		if r["msgtype"] == "tx" {
			b := r["body"].(map[string]any)
			tx := fixtureTx()
			if b["txid"] != tx.TxHash().String() || b["vout"].([]any)[0].(map[string]any)["script_pubkey"] != "51" ||
				b["vin"].([]any)[0].(map[string]any)["prev_index"] != 3.0 {
				t.Fatalf("tx body %v", b)
			}
		}
		if r["msgtype"] == "inv" && r["direction"] == "sent" {
			inv := r["body"].(map[string]any)["inventory"].([]any)[0].(map[string]any)
			if inv["type"] != "MSG_TX" || inv["hash"] != announcedTx.String() {
				t.Fatalf("inv body %v", inv)
			}
		}
	}

	// Unknown and undecodable records carry Core's error text and hex.
	sess := sessions[0]
	unknown := inspect.NewCoreRecord(inspect.Message{Session: sess, Direction: capture.Sent, Time: t0, Command: "frob", Payload: []byte{0xab}})
	if unknown.Body != "ab" || unknown.Error != "Unrecognized message type." || unknown.DecodeError != "" {
		t.Fatalf("unknown %+v", unknown)
	}
	bad := inspect.NewCoreRecord(inspect.Message{Session: sess, Direction: capture.Recv, Time: t0, Command: "ping", Payload: []byte{1}})
	if bad.Body != "01" || bad.Error != "Unable to deserialize message." || bad.DecodeError == "" || bad.Size != 1 {
		t.Fatalf("undecodable %+v", bad)
	}
	var empty bytes.Buffer
	if _, err := inspect.WriteCoreJSON(&empty, func() (inspect.Message, bool) { return inspect.Message{}, false }); err != nil || empty.String() != "[]\n" {
		t.Fatalf("empty output %q", empty.String())
	}
}
