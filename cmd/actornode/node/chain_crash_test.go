package node_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/actornode/actornode/chain/blockstore"
	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/actornode/actornode/internal/testproc"
)

// The crash test mines crashChainBlocks blocks, lets a separate actornode
// process sync them through a proxy passing crashProxyRate bytes per
// second from btcd (slow enough to be caught mid-way: about 20 s for the
// whole chain), and kills it once its block tip reaches crashKillHeight.
const (
	crashChainBlocks = 1500
	crashKillHeight  = crashChainBlocks * 3 / 10
	crashProxyRate   = 64 << 10
)

// TestChainSyncSurvivesKill9 kills actornode with SIGKILL in the middle of
// its sync and restarts it on the same data directory. It checks that the
// block store the killed process left behind recovers without damage
// (every durable block is byte for byte btcd's, none lost, the index not
// corrupt), that the restarted node syncs to btcd's tip receiving exactly
// the blocks that were not durable (no durable block fetched again, no
// duplicate) and that the blocks it serves afterwards are btcd's.
func TestChainSyncSurvivesKill9(t *testing.T) {
	a := btcdtest.Start(t, btcdtest.Options{DebugLevel: "warn"})
	start := time.Now()
	st, err := a.MineChain(crashChainBlocks, chainTxFrom)
	if err != nil {
		t.Fatalf("mining: %v", err)
	}
	t.Logf("mined %d blocks in %v", st.Blocks, time.Since(start))
	tip := int64(crashChainBlocks)

	bin := buildActornode(t)
	datadir := t.TempDir()
	proxy := startThrottledProxy(t, a.P2PAddr(), crashProxyRate)

	// First run: sync through the slow proxy, kill -9 once past 30 %.
	first := startNodeProcess(t, bin, datadir, "first", "--p2p.connect", proxy)
	var atKill int64
	eventually(t, chainWait, fmt.Sprintf("first run's block tip reaches %d", crashKillHeight), func() bool {
		if err := first.rpc(&atKill, "getblockcount"); err != nil {
			return false
		}
		return atKill >= crashKillHeight
	})
	first.kill(t)
	t.Logf("killed the first run at getblockcount %d", atKill)
	if atKill >= tip {
		t.Fatalf("first run had synced the whole chain (%d) before the kill; the test proves nothing", atKill)
	}

	// What was durable: recover a copy of the store the way Open does, so
	// that the restarted node still meets the crashed files itself.
	blocksDir := filepath.Join(datadir, "regtest", "blocks")
	durable, rec := inspectCrashedStore(t, blocksDir)
	t.Logf("after the kill: %d durable blocks (genesis included), recovery %+v", len(durable), rec)
	if rec.IndexCorrupt || rec.LostBlocks != 0 || rec.Unplaced != 0 || rec.Rebuilt != 0 || rec.PrunedFilesRemoved != 0 {
		t.Fatalf("kill -9 damaged the block store beyond a torn tail: %+v", rec)
	}
	durableAbove := 0 // durable blocks of heights 1..tip, all on btcd's chain
	for height, hash := range durable {
		want, err := a.GetBlockHash(int64(height))
		if err != nil {
			t.Fatalf("btcd getblockhash %d: %v", height, err)
		}
		if hash != want {
			t.Fatalf("durable block at height %d is %s, btcd's is %s", height, hash, want)
		}
		if height > 0 {
			durableAbove++
		}
	}
	if _, ok := durable[0]; !ok {
		t.Fatalf("the genesis block is not durable after the kill")
	}
	if durableAbove == 0 {
		t.Fatalf("no block above genesis was durable although the block tip was %d at the kill", atKill)
	}
	wantFetched := uint64(tip) - uint64(durableAbove)

	// Second run: straight to btcd, on the same data directory.
	second := startNodeProcess(t, bin, datadir, "second", "--p2p.connect", a.P2PAddr())
	start = time.Now()
	second.waitForTip(t, st.Tip, chainWait)
	t.Logf("restarted node synced to the tip in %v", time.Since(start))
	if !rec.Clean() {
		logged, err := os.ReadFile(second.log)
		if err != nil || !bytes.Contains(logged, []byte("block store recovered")) {
			t.Errorf("the restarted node did not report recovering its block store (%v)", err)
		}
	}
	got := second.blocksReceived(t)
	if got != wantFetched {
		t.Fatalf("restarted node received %d block messages, want %d (tip %d minus %d durable blocks)",
			got, wantFetched, tip, durableAbove)
	}

	// No corruption: the blocks served are btcd's, around the kill too.
	heights := []int64{0, 1, 100, chainTxFrom - 1, chainTxFrom, chainTxFrom + 1, atKill - 1, atKill, atKill + 1, 1000, tip - 1, tip}
	for h := range durable {
		if h%97 == 0 {
			heights = append(heights, int64(h))
		}
	}
	compareBlocks(t, second.testNode, a, heights)
	if late := second.blocksReceived(t); late != got {
		t.Fatalf("restarted node received %d more block messages after reaching the tip", late-got)
	}
}

// inspectCrashedStore copies the store in dir, opens the copy (which
// recovers it) and returns its blocks by height (hash strings), with the
// recovery report. Every durable block's bytes are checked to form a block
// with its indexed hash.
func inspectCrashedStore(t *testing.T, dir string) (map[int32]string, blockstore.Recovery) {
	t.Helper()
	cp := filepath.Join(t.TempDir(), "blocks")
	if err := os.MkdirAll(cp, 0o700); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading the block store: %v", err)
	}
	for _, f := range files {
		if f.IsDir() || f.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cp, f.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err := blockstore.Open(cp, blockstore.Options{Net: chaincfg.RegressionNetParams.Net})
	if err != nil {
		t.Fatalf("opening the crashed block store: %v", err)
	}
	defer s.Close()
	out := make(map[int32]string)
	for _, e := range s.Entries() {
		if prev, dup := out[e.Height]; dup {
			t.Fatalf("two durable blocks at height %d: %s and %s", e.Height, prev, e.Hash)
		}
		raw, err := s.Get(e.Hash)
		if err != nil {
			t.Fatalf("durable block %s (height %d): %v", e.Hash, e.Height, err)
		}
		if len(raw) < 80 || !bytes.Equal(raw[:80], e.Header[:]) {
			t.Fatalf("durable block %s (height %d): stored bytes do not start with its header", e.Hash, e.Height)
		}
		out[e.Height] = e.Hash.String()
	}
	return out, s.Recovery()
}

// buildActornode builds the actornode binary into a temporary directory.
func buildActornode(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "actornode")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/actornode/actornode/cmd/actornode").CombinedOutput()
	if err != nil {
		t.Fatalf("building actornode: %v\n%s", err, out)
	}
	return bin
}

// nodeProcess is actornode running as a child process.
type nodeProcess struct {
	*testNode
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// startNodeProcess runs bin on regtest in datadir with a free loopback RPC
// port, logging to a file named after name, and waits for its RPC server.
func startNodeProcess(t *testing.T, bin, datadir, name string, flags ...string) *nodeProcess {
	t.Helper()
	rpcAddr := freeLoopbackAddr(t)
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{
		"--network", "regtest",
		"--datadir", datadir,
		"--p2p.listen", "127.0.0.1:0",
		"--rpc.listen", rpcAddr,
		"--rpc.user", "tester", "--rpc.password", "secret",
		"--log.level", "info",
	}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("starting actornode: %v", err)
	}
	p := &nodeProcess{
		testNode: &testNode{t: t, rpcURL: "http://" + rpcAddr + "/", stopped: true},
		cmd:      cmd,
		done:     make(chan struct{}),
		log:      logPath,
	}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.interrupt(t)
		if t.Failed() {
			t.Logf("actornode %s run log:\n%s", name, testproc.Tail(logPath, 6000))
		}
	})
	eventually(t, 30*time.Second, "actornode "+name+" answers RPC", func() bool {
		select {
		case <-p.done:
			t.Fatalf("actornode %s exited at start:\n%s", name, testproc.Tail(logPath, 4000))
		default:
		}
		var n int64
		return p.rpc(&n, "getblockcount") == nil
	})
	return p
}

// kill sends SIGKILL and waits for the process to end.
func (p *nodeProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill: %v", err)
	}
	<-p.done
}

// interrupt stops the process with SIGINT, killing it after a grace period.
func (p *nodeProcess) interrupt(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		t.Errorf("actornode pid %d ignored SIGINT for 20 s; killing it", p.cmd.Process.Pid)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// blocksReceived is how many block messages the node has received since
// it started, over every connection (getnetmsgstats).
func (p *nodeProcess) blocksReceived(t *testing.T) uint64 {
	t.Helper()
	var stats map[string]map[string]struct {
		Count uint64 `json:"count"`
	}
	if err := p.rpc(&stats, "getnetmsgstats", []string{"network", "connection_type"}); err != nil {
		t.Fatalf("getnetmsgstats: %v", err)
	}
	return stats["recv"]["block"].Count
}

// freeLoopbackAddr returns a loopback address with a port free right now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startThrottledProxy forwards loopback connections to target, passing at
// most rate bytes per second from target back to the client; it returns
// the address to connect to and closes everything at cleanup.
func startThrottledProxy(t *testing.T, target string, rate int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	track := func(c ...net.Conn) {
		mu.Lock()
		conns = append(conns, c...)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			track(client, server)
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(server, client)
				server.Close()
				client.Close()
			}()
			go func() {
				defer wg.Done()
				throttledCopy(client, server, rate)
				server.Close()
				client.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// throttledCopy copies src to dst at no more than rate bytes per second
// on average, until either side fails.
func throttledCopy(dst io.Writer, src io.Reader, rate int) {
	buf := make([]byte, 1024)
	began := time.Now()
	total := 0
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
			total += n
			if d := time.Until(began.Add(time.Duration(total) * time.Second / time.Duration(rate))); d > 0 {
				time.Sleep(d)
			}
		}
		if err != nil {
			return
		}
	}
}
