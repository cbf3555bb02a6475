package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// goldenPeers is `actornode cli peers` for cliSnapshots at testNow.
const goldenPeers = `actornode peers - server 70016/actornode:0.1.0/ - 3 peers - 2023-11-14 22:23:20 UTC

id  <->  type   net   mping  ping  send  recv  age  address              version
 1  out  full   ipv4      1     2    10     9   60  203.0.113.7:8333     70016/Satoshi:27.0.0/
 2  in          ipv6                        1    2  [2001:db8::2]:40000  70015/btcd:0.26.2/
13  out  block  ipv4      0   250    30   200    0  198.51.100.20:8333   70016/Satoshi:26.1.0/
                         ms    ms   sec   sec  min

       ipv4  ipv6  total
in        0     1      1
out       2     0      2
total     2     1      3
`

func TestCLIPeersTable(t *testing.T) {
	n := startTestNode(t, nil)
	r := runCLITest(t, fixedEnv(), n.regtestArgs("peers")...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r.stdout != goldenPeers {
		t.Fatalf("table\n%s\nwant\n%s", r.stdout, goldenPeers)
	}
}

func TestCLIPeersTableWithoutPeers(t *testing.T) {
	got := renderPeers(serverInfo{ProtocolVersion: 70016, Subversion: "/x/"}, nil, time.Unix(testNow, 0))
	want := "actornode peers - server 70016/x/ - 0 peers - 2023-11-14 22:23:20 UTC\n\n" +
		"id  <->  type  net  mping  ping  send  recv  age  address  version\n" +
		"                       ms    ms   sec   sec  min\n\n" +
		"       total\nin         0\nout        0\ntotal      0\n"
	if got != want {
		t.Fatalf("table\n%q\nwant\n%q", got, want)
	}
}

func TestCLIPeersNetworkSummary(t *testing.T) {
	peers := []peerRow{
		{Network: "onion", Inbound: true}, {Network: "not_publicly_routable"}, {Network: "ipv6"},
		{Network: "zzz"}, {Network: "ipv4", Inbound: true}, {Network: "onion"},
	}
	got := networkSummary(peers)
	want := [][]string{
		{"", "ipv4", "ipv6", "onion", "npr", "zzz", "total"},
		{"in", "1", "0", "1", "0", "0", "2"},
		{"out", "0", "1", "1", "1", "1", "4"},
		{"total", "1", "1", "2", "1", "1", "6"},
	}
	for i := range want {
		if strings.Join(got[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d: %v, want %v", i, got[i], want[i])
		}
	}
}

// countingClock returns a clock that starts at testNow and moves a minute
// further at every reading.
func countingClock() func() time.Time {
	next := time.Unix(testNow, 0)
	return func() time.Time {
		now := next
		next = next.Add(time.Minute)
		return now
	}
}

func TestCLIPeersWatchRedrawsOnATerminal(t *testing.T) {
	n := startTestNode(t, nil)
	env := fixedEnv()
	env.now = countingClock()
	env.isTerminal = func(io.Writer) bool { return true }
	env.frames = 2
	var waits []time.Duration
	env.wait = func(_ context.Context, d time.Duration) bool {
		waits = append(waits, d)
		return true
	}
	r := runCLITest(t, env, n.regtestArgs("peers", "--watch", "--interval", "1ms")...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	frames := strings.Split(r.stdout, clearScreen)
	if len(frames) != 3 || frames[0] != "" {
		t.Fatalf("want two frames each after a clear-screen, got %d parts:\n%q", len(frames), r.stdout)
	}
	footer := "\nrefreshing every 1ms; Ctrl-C to stop\n"
	if frames[1] != goldenPeers+footer {
		t.Errorf("first frame\n%s\nwant\n%s", frames[1], goldenPeers+footer)
	}
	// The second frame is drawn from fresh answers at a later time.
	later := strings.Replace(goldenPeers, "22:23:20", "22:24:20", 1)
	later = strings.Replace(later, " 1  out  full   ipv4      1     2    10     9   60",
		" 1  out  full   ipv4      1     2    70    69   61", 1)
	if !strings.HasPrefix(frames[2], "actornode peers - server 70016/actornode:0.1.0/ - 3 peers - 2023-11-14 22:24:20 UTC") ||
		!strings.Contains(frames[2], " 1  out  full   ipv4      1     2    70    69   61  203.0.113.7:8333") {
		t.Errorf("second frame\n%s\nwant\n%s", frames[2], later)
	}
	if len(waits) != 1 || waits[0] != time.Millisecond {
		t.Errorf("waits %v, want one of 1ms", waits)
	}
	for i := range 2 {
		select {
		case <-n.asked:
		default:
			t.Fatalf("peerman answered %d GetPeerInfo, want 2", i)
		}
	}
}

func TestCLIPeersWatchPrintsOncePerIntervalWithoutATerminal(t *testing.T) {
	n := startTestNode(t, nil)
	env := fixedEnv()
	env.frames = 2
	r := runCLITest(t, env, n.regtestArgs("peers", "--watch", "--interval", "1ms")...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("escape codes written to a non-terminal: %q", r.stdout)
	}
	if want := goldenPeers + "\n" + goldenPeers; r.stdout != want {
		t.Errorf("output\n%s\nwant\n%s", r.stdout, want)
	}
}

func TestWatchKeepsGoingAfterAFailedFrameAndStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	frame := func(context.Context) (string, error) {
		calls++
		switch calls {
		case 1:
			return "", &rpcCallError{Code: -32603, Message: "peerman is not running"}
		case 2:
			return "", errors.New("could not connect to the server")
		}
		return "table\n", nil
	}
	w := watcher{interval: time.Second, wait: func(context.Context, time.Duration) bool {
		if calls == 3 {
			cancel()
			return false
		}
		return true
	}}
	var out strings.Builder
	w.run(ctx, &out, frame)
	want := "error code: -32603\nerror message:\npeerman is not running\n\nerror: could not connect to the server\n\ntable\n"
	if out.String() != want || calls != 3 {
		t.Fatalf("after %d frames output\n%q\nwant\n%q", calls, out.String(), want)
	}
}

func TestCLIPeersUsageErrors(t *testing.T) {
	n := startTestNode(t, nil)
	for _, args := range [][]string{{"peers", "extra"}, {"peers", "--interval", "0s", "--watch"}, {"peers", "--wach"}} {
		r := runCLITest(t, fixedEnv(), n.regtestArgs(args...)...)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "error: peers: ") || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}
