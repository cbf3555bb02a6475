package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/telemetry/capture"
)

// capT0 is the connect time of the capture fixtures.
var capT0 = time.Unix(1_700_000_000, 0).UTC()

// capResult is the outcome of one `actornode capture ...` run.
type capResult struct {
	code           int
	stdout, stderr string
}

// runCapture runs `actornode capture args...` in-process.
func runCapture(args ...string) capResult {
	var out, errb bytes.Buffer
	code := run(append([]string{"capture"}, args...), nil, &out, &errb)
	return capResult{code, out.String(), errb.String()}
}

// capRecord is one record of a capture fixture.
type capRecord struct {
	ms  int
	dir capture.Direction
	msg wire.Message
}

// writeCaptureSession writes a session with SessionWriter under root.
func writeCaptureSession(t *testing.T, root string, id capture.Identity, recs []capRecord) string {
	t.Helper()
	w, err := capture.OpenSession(root, id, capture.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		var b bytes.Buffer
		if err := r.msg.BtcEncode(&b, 70016, wire.WitnessEncoding); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(r.dir, capture.Record{Time: capT0.Add(time.Duration(r.ms) * time.Millisecond), Command: r.msg.Command(), Payload: b.Bytes()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capT0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return w.Dir()
}

// captureFixture writes two sessions under <tmp>/regtest/message_capture
// and returns the root and the first session's directory.
func captureFixture(t *testing.T) (string, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "regtest", capture.DirName)
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	me := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 18444, wire.SFNodeNetwork)
	you := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 50000, 0)
	v := wire.NewMsgVersion(me, you, 5, 120)
	v.ProtocolVersion = 70016
	v.UserAgent = "/Satoshi:27.0.0/"
	v.Timestamp = capT0
	h := chainhash.Hash{0x11}
	inv := wire.NewMsgInv()
	_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &h))
	gd := wire.NewMsgGetData()
	_ = gd.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &h))
	first := writeCaptureSession(t, root, capture.Identity{Peer: 7, Addr: "127.0.0.1:18444", Direction: capture.ConnInbound,
		ConnectionType: "inbound", UserAgent: "/Satoshi:27.0.0/", Start: capT0}, []capRecord{
		{0, capture.Recv, v},
		{1, capture.Recv, wire.NewMsgWTxIdRelay()},
		{2, capture.Recv, wire.NewMsgVerAck()},
		{3, capture.Sent, wire.NewMsgVerAck()},
		{1000, capture.Recv, wire.NewMsgPing(11)},
		{1001, capture.Sent, wire.NewMsgPong(11)},
		{2000, capture.Recv, inv},
		{2100, capture.Sent, gd},
		{3000, capture.Recv, wire.NewMsgPing(12)},
	})
	writeCaptureSession(t, root, capture.Identity{Peer: 9, Addr: "10.0.0.9:8333", Direction: capture.ConnOutbound,
		ConnectionType: "block-relay-only", Start: capT0}, []capRecord{
		{500, capture.Sent, wire.NewMsgPing(99)},
		{1500, capture.Recv, wire.NewMsgPong(99)},
	})
	return root, first
}

func TestCaptureShowTimeline(t *testing.T) {
	root, _ := captureFixture(t)
	r := runCapture("show", root)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines:\n%s", len(lines), r.stdout)
	}
	wants := map[int]string{
		0:  `2023-11-14T22:13:20.000000Z <- peer7 127.0.0.1:18444 version`,
		4:  `2023-11-14T22:13:20.500000Z -> peer9 10.0.0.9:8333 ping               8  nonce=99`,
		5:  `2023-11-14T22:13:21.000000Z <- peer7 127.0.0.1:18444 ping               8  nonce=11`,
		8:  `<- peer7 127.0.0.1:18444 inv               37  count=1 first=tx:` + (&chainhash.Hash{0x11}).String(),
		10: `<- peer7 127.0.0.1:18444 ping               8  nonce=12`,
	}
	for i, want := range wants {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d %q lacks %q", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[0], `ua="/Satoshi:27.0.0/" height=120`) {
		t.Errorf("version line %q", lines[0])
	}
	// Filters.
	r = runCapture("show", "--peer", "type=block-relay-only", "--direction", "recv", root)
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, "pong") {
		t.Fatalf("filtered: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCapture("show", "--command", "ping,pong", "--since", "1700000000.9", "--until", "2023-11-14T22:13:22Z", root)
	if r.code != 0 || strings.Count(r.stdout, "\n") != 3 {
		t.Fatalf("time window: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCaptureJSONIsCoreShaped(t *testing.T) {
	_, first := captureFixture(t)
	r := runCapture("json", "--command", "ping,verack", first)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records", len(recs))
	}
	p := recs[2]
	if p["msgtype"] != "ping" || p["direction"] != "recv" || p["time"] != 1700000001000000.0 || p["size"] != 8.0 ||
		p["body"].(map[string]any)["nonce"] != 11.0 || p["peer_id"] != 7.0 || p["addr"] != "127.0.0.1:18444" ||
		p["session"] != filepath.Base(first) {
		t.Fatalf("ping record %v", p)
	}
	if _, has := recs[0]["body"]; has || recs[0]["msgtype"] != "verack" {
		t.Fatalf("verack record %v", recs[0])
	}
}

func TestCaptureStats(t *testing.T) {
	root, _ := captureFixture(t)
	r := runCapture("stats", "--peer", "id=7", root)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"peer 7 127.0.0.1:18444", "9 messages", "(3.000 s)", "we announced -> they asked", "count=1 p50=100ms p99=100ms max=100ms"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("stats lack %q:\n%s", want, r.stdout)
		}
	}
	r = runCapture("stats", "--json", root)
	var st struct {
		Peers []struct {
			PeerID uint64 `json:"peer_id"`
			Types  []struct {
				Direction string  `json:"direction"`
				MsgType   string  `json:"msgtype"`
				Count     int     `json:"count"`
				Rate      float64 `json:"msgs_per_sec"`
				Gap       struct {
					P50 int64 `json:"p50_us"`
				} `json:"inter_arrival"`
			} `json:"types"`
		} `json:"peers"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if len(st.Peers) != 2 || st.Peers[0].PeerID != 7 {
		t.Fatalf("%+v", st)
	}
	found := false
	for _, ty := range st.Peers[0].Types {
		if ty.Direction == "recv" && ty.MsgType == "ping" {
			found = ty.Count == 2 && ty.Rate == 2.0/3 && ty.Gap.P50 == 2_000_000
		}
	}
	if !found {
		t.Fatalf("recv ping stats wrong: %+v", st.Peers[0].Types)
	}
}

func TestCaptureUsageErrors(t *testing.T) {
	root, _ := captureFixture(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "missing subcommand"},
		{[]string{"frob"}, 2, `unknown subcommand "frob"`},
		{[]string{"show", "--bogus", root}, 2, "unknown flag: --bogus"},
		{[]string{"show"}, 2, "no session, file or directory given"},
		{[]string{"show", "--peer", "id=", root}, 2, "--peer: peer filter: column"},
		{[]string{"json", "--direction", "both", root}, 2, `--direction: direction "both"`},
		{[]string{"stats", "--since", "last week", root}, 2, "--since: time"},
		{[]string{"show", filepath.Join(root, "missing")}, 1, "no such file"},
		{[]string{"replay", root + "/x"}, 2, "--to HOST:PORT is required"},
		{[]string{"replay", "--to", "127.0.0.1:1", "--speed", "fast", root}, 2, "--speed"},
		{[]string{"replay", "--to", "127.0.0.1:1", root}, 2, "holds 2 sessions"},
		{[]string{"replay", "--to", "127.0.0.1:1", "--network", "moonnet", filepath.Join(root, "..", "..")}, 1, "no capture sessions"},
	}
	for _, c := range cases {
		r := runCapture(c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("capture %q: exit %d, stderr %q; want exit %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"show", "--help"}, {"json", "-h"}, {"stats", "--help"}, {"replay", "--help"}} {
		r := runCapture(args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || r.stderr != "" {
			t.Errorf("capture %q: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	if r := runCapture("replay", "--help"); !strings.Contains(r.stdout, "--speed") || !strings.Contains(r.stdout, "skipped") {
		t.Errorf("replay help: %s", r.stdout)
	}
}

func TestCaptureDamagedFiles(t *testing.T) {
	_, first := captureFixture(t)
	recv := filepath.Join(first, capture.RecvFile)
	size := func() int64 {
		st, err := os.Stat(recv)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	end := size()
	f, err := os.OpenFile(recv, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte{1, 2, 3, 4, 5}) // a crash five bytes into a header
	f.Close()
	r := runCapture("show", first)
	want := "warning: capture: " + recv + ": partial record at offset " + strconv.FormatInt(end, 10)
	if r.code != 0 || !strings.Contains(r.stderr, want) || strings.Count(r.stdout, "\n") != 9 {
		t.Fatalf("partial: exit %d, stderr %q (want %q)\n%s", r.code, r.stderr, want, r.stdout)
	}

	// A length field over the limit in the middle of the file is corruption.
	data, err := os.ReadFile(recv)
	if err != nil {
		t.Fatal(err)
	}
	second := int64(24 + binary.LittleEndian.Uint32(data[20:24])) // offset of the second record
	binary.LittleEndian.PutUint32(data[second+20:second+24], 0xffffffff)
	if err := os.WriteFile(recv, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCapture("json", first)
	want = "error: capture: " + recv + ": record at offset " + strconv.FormatInt(second, 10) + " claims 4294967295 payload bytes"
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("corrupt: exit %d, stderr %q (want %q)", r.code, r.stderr, want)
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil {
		t.Fatalf("output before the corruption is not valid JSON: %v\n%s", err, r.stdout)
	}
	if len(recs) != 1 || recs[0]["msgtype"] != "version" {
		t.Fatalf("records before the corruption: %v", recs)
	}
}

// TestCaptureReplayCommand replays a session with the binary's command into
// a test peer that plays the node: it sees the handshake, then the
// session's received messages minus the skipped ones, then a final ping.
func TestCaptureReplayCommand(t *testing.T) {
	_, first := captureFixture(t)
	ln, err := wiretest.Listen(wire.TestNet) // regtest magic, found from the session's path
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type seen struct {
		cmds []string
		err  error
	}
	done := make(chan seen, 1)
	go func() {
		var s seen
		defer func() { done <- s }()
		c, err := ln.Accept(waitLong)
		if err != nil {
			s.err = err
			return
		}
		defer c.Close()
		if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
			s.err = err
			return
		}
		if !c.Features().WtxidRelay || c.Features().SendAddrV2 {
			s.err = errFeatures(c.Features())
			return
		}
		for {
			msg, cmd, err := c.ReadMessage(waitLong)
			if err != nil {
				return // the replay closed the connection
			}
			s.cmds = append(s.cmds, cmd)
			if ping, ok := msg.(*wire.MsgPing); ok {
				if err := c.WriteMessage(wire.NewMsgPong(ping.Nonce)); err != nil {
					s.err = err
					return
				}
			}
		}
	}()
	r := runCapture("replay", first, "--to", ln.Addr(), "--speed", "max")
	s := <-done
	if r.code != 0 || s.err != nil {
		t.Fatalf("exit %d, peer error %v\nstdout %s\nstderr %s", r.code, s.err, r.stdout, r.stderr)
	}
	if got := strings.Join(s.cmds, " "); got != "ping inv ping ping" {
		t.Fatalf("the node saw %q, want the two recorded pings, the inv and the final ping", got)
	}
	for _, want := range []string{"replayed 3 messages", "sent (replayed):", "  inv   1", "  ping  2",
		"skipped (recorded, not re-sent):", "  verack      1", "  version     1", "  wtxidrelay  1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "on regtest (from the session's path)") {
		t.Errorf("stderr %q does not say where the network came from", r.stderr)
	}
}

// errFeatures reports unexpected negotiation messages.
func errFeatures(f wiretest.PeerFeatures) error {
	return &featureError{f}
}

// featureError is a handshake with the wrong negotiation messages.
type featureError struct{ f wiretest.PeerFeatures }

func (e *featureError) Error() string {
	b, _ := json.Marshal(e.f)
	return "replay client negotiated " + string(b) + ", want wtxidrelay only (as recorded)"
}
