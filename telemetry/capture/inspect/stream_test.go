package inspect_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/inspect"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// collect reads everything the stream gives as "peerID dir cmd ms" lines.
func collect(t *testing.T, paths []string, f inspect.Filter) ([]string, []inspect.Problem) {
	t.Helper()
	sessions, err := inspect.Discover(paths)
	if err != nil {
		t.Fatal(err)
	}
	st, err := inspect.Open(sessions, f)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []string
	for {
		m, ok := st.Next()
		if !ok {
			break
		}
		out = append(out, m.Session.Peer.ID.String()+" "+string(m.Direction)+" "+m.Command+" "+
			strconv.FormatInt(m.Time.Sub(t0).Milliseconds(), 10))
	}
	return out, st.Problems()
}

func TestDiscoverRootMergesSessionsByTime(t *testing.T) {
	root, first, _ := makeRoot(t)
	sessions, err := inspect.Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 2 {
		t.Fatalf("%d sessions, want 2", len(sessions))
	}
	s := sessions[0]
	if s.Dir != first || s.Peer.ID != 7 || s.Peer.Addr != "127.0.0.1:18444" || s.Peer.UserAgent != "/Satoshi:27.0.0/" ||
		s.Network != "regtest" || s.Index == nil || s.Label() != "peer7 127.0.0.1:18444" {
		t.Fatalf("first session %+v", s)
	}
	got, probs := collect(t, []string{root}, inspect.Filter{})
	if len(probs) != 0 {
		t.Fatalf("problems %v", probs)
	}
	want := []string{
		"7 recv version 0", "7 sent version 1", "7 recv verack 2", "7 sent verack 3",
		"9 sent ping 500", "7 recv ping 1000", "7 sent pong 1001",
		"9 recv pong 2500", "9 recv feefilter 2500", "7 recv ping 3000",
	}
	if strings.Join(got[:len(want)], "|") != strings.Join(want, "|") {
		t.Fatalf("merged order\n got %q\nwant %q", got[:len(want)], want)
	}
	if len(got) != len(fixtureSteps())+len(secondSteps()) {
		t.Fatalf("%d messages", len(got))
	}
}

func TestDiscoverSingleFileAndBadPaths(t *testing.T) {
	_, first, _ := makeRoot(t)
	got, _ := collect(t, []string{filepath.Join(first, capture.SentFile)}, inspect.Filter{})
	for _, g := range got {
		if !strings.Contains(g, " sent ") {
			t.Fatalf("reading msgs_sent.dat gave %q", g)
		}
	}
	if len(got) != 7 {
		t.Fatalf("%d sent messages, want 7", len(got))
	}
	// Both files named: the whole session, once.
	sessions, err := inspect.Discover([]string{filepath.Join(first, capture.RecvFile), filepath.Join(first, capture.SentFile), first})
	if err != nil || len(sessions) != 1 {
		t.Fatalf("%d sessions, %v", len(sessions), err)
	}
	if _, err := inspect.Discover([]string{t.TempDir()}); !errors.Is(err, inspect.ErrNoSessions) {
		t.Fatalf("empty dir: %v", err)
	}
	if _, err := inspect.Discover([]string{filepath.Join(first, "nope")}); err == nil {
		t.Fatal("a missing path was accepted")
	}
	if _, err := inspect.Discover([]string{filepath.Join(first, capture.IndexFile)}); err == nil {
		t.Fatal("index.json accepted as a data file")
	}
}

func TestFilters(t *testing.T) {
	root, _, _ := makeRoot(t)
	cases := []struct {
		name string
		f    inspect.Filter
		want []string
	}{
		{"peer by addr", inspect.Filter{Peer: peerfilter.MustParse("addr=2001:db8::1"), Direction: capture.Recv},
			[]string{"9 recv pong 2500", "9 recv feefilter 2500"}},
		{"peer by dir and ua", inspect.Filter{Peer: peerfilter.MustParse("dir=inbound and ua=*Satoshi*"), Commands: map[string]bool{"ping": true}},
			[]string{"7 recv ping 1000", "7 recv ping 3000", "7 recv ping 4000"}},
		{"type and id", inspect.Filter{Peer: peerfilter.MustParse("type=outbound-full-relay or id=7"), Direction: capture.Sent, Commands: map[string]bool{"ping": true, "getdata": true}},
			[]string{"9 sent ping 500", "7 sent getdata 6100", "7 sent getdata 7010"}},
		{"time window inclusive", inspect.Filter{Since: at(2500), Until: at(3001)},
			[]string{"9 recv pong 2500", "9 recv feefilter 2500", "7 recv ping 3000", "7 sent pong 3001"}},
		{"nobody", inspect.Filter{Peer: peerfilter.MustParse("id=8")}, nil},
	}
	for _, c := range cases {
		got, _ := collect(t, []string{root}, c.f)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestParseHelpers(t *testing.T) {
	for in, want := range map[string]int64{
		"2023-11-14T22:13:20Z": 1_700_000_000_000_000, "2023-11-14T22:13:20.5+00:00": 1_700_000_000_500_000,
		"1700000000": 1_700_000_000_000_000, "1700000000.25": 1_700_000_000_250_000,
	} {
		got, err := inspect.ParseTime(in)
		if err != nil || got.UnixMicro() != want {
			t.Errorf("ParseTime(%q) = %v (%d), %v; want %d", in, got, got.UnixMicro(), err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-5", "NaN", "2023-11-14"} {
		if _, err := inspect.ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
	if _, err := inspect.ParseDirection("in"); err == nil {
		t.Error("direction in accepted")
	}
	cmds, err := inspect.ParseCommands("inv, getdata,,tx")
	if err != nil || len(cmds) != 3 || !cmds["getdata"] {
		t.Errorf("ParseCommands: %v %v", cmds, err)
	}
	if _, err := inspect.ParseCommands(" , "); err == nil {
		t.Error("empty command list accepted")
	}
	if _, err := inspect.ParseCommands("waytoolongcommand"); err == nil {
		t.Error("13-byte command accepted")
	}
}

func TestPartialRecordIsAWarningAfterEverythingBefore(t *testing.T) {
	_, first, _ := makeRoot(t)
	recv := filepath.Join(first, capture.RecvFile)
	st, _ := os.Stat(recv)
	f, err := os.OpenFile(recv, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte{1, 2, 3, 4, 5}) // a crash mid-header
	f.Close()
	got, probs := collect(t, []string{first}, inspect.Filter{})
	if len(got) != len(fixtureSteps()) {
		t.Fatalf("%d messages before the partial record, want %d", len(got), len(fixtureSteps()))
	}
	if len(probs) != 1 || !probs[0].Warning() {
		t.Fatalf("problems %v", probs)
	}
	var pe *capture.PartialError
	if !errors.As(probs[0].Err, &pe) || pe.Offset != st.Size() || pe.Path != recv || pe.Have != 5 {
		t.Fatalf("partial error %+v, want offset %d in %s", pe, st.Size(), recv)
	}
}

func TestCorruptRecordStopsOnlyThatSession(t *testing.T) {
	root, first, _ := makeRoot(t)
	sent := filepath.Join(first, capture.SentFile)
	data, err := os.ReadFile(sent)
	if err != nil {
		t.Fatal(err)
	}
	// The first sent record (version) claims 5 MB.
	binary.LittleEndian.PutUint32(data[20:24], 5_000_000)
	if err := os.WriteFile(sent, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, probs := collect(t, []string{root}, inspect.Filter{})
	if len(probs) != 1 || probs[0].Warning() {
		t.Fatalf("problems %v", probs)
	}
	var ce *capture.CorruptError
	if !errors.As(probs[0].Err, &ce) || ce.Offset != 0 || ce.Path != sent || probs[0].Session.Peer.ID != 7 {
		t.Fatalf("corrupt error %v", probs[0].Err)
	}
	for _, g := range got {
		if strings.HasPrefix(g, "7 ") {
			t.Fatalf("peer 7 gave %q after its corruption at offset 0", g)
		}
	}
	if len(got) != len(secondSteps()) {
		t.Fatalf("the other session gave %d messages, want %d", len(got), len(secondSteps()))
	}
}
