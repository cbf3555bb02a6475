package blockstore

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// crashChildEnv switches the test binary into the crash child: it writes
// blocks into the store in the directory the variable names until killed.
const crashChildEnv = "BLOCKSTORE_CRASH_CHILD_DIR"

// crashOpts are the options of the store the crash child writes: small
// files and pruning so a run crosses file boundaries and prunes.
var crashOpts = Options{Net: testNet, MaxFileSize: 256 << 10, PruneTarget: 1 << 20}

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir))
	}
	os.Exit(m.Run())
}

// crashChild resumes the chain in dir and extends it block by block,
// flushing every 1 to 20 blocks and printing "durable HEIGHT HASH" after
// each Flush returns, pruning now and then. It stops when its parent is
// gone or after two minutes; normally it is killed long before.
func crashChild(dir string) int {
	fail := func(err error) int {
		fmt.Printf("error %v\n", err)
		return 1
	}
	ppid := os.Getppid()
	s, err := Open(dir, crashOpts)
	if err != nil {
		return fail(err)
	}
	var tip testBlock
	if es := s.Entries(); len(es) == 0 {
		if tip, err = regtestGenesis(); err != nil {
			return fail(err)
		}
		if _, err := s.Put(tip.hash, 0, tip.raw); err != nil {
			return fail(err)
		}
	} else {
		last := es[len(es)-1]
		tip = testBlock{hash: last.Hash, height: last.Height}
	}
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	every, since := 1+rng.IntN(20), 0
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline) && os.Getppid() == ppid; {
		size := 250
		if rng.IntN(3) > 0 {
			size = 250 + rng.IntN(40_000)
		}
		b, err := buildBlock(tip, size, rng.Uint32())
		if err != nil {
			return fail(err)
		}
		if _, err := s.Put(b.hash, b.height, b.raw); err != nil {
			return fail(err)
		}
		tip = b
		if since++; since < every {
			continue
		}
		if err := s.Flush(); err != nil {
			return fail(err)
		}
		fmt.Printf("durable %d %s\n", tip.height, tip.hash)
		every, since = 1+rng.IntN(20), 0
		if rng.IntN(10) == 0 {
			if _, err := s.Prune(tip.height - 50); err != nil {
				return fail(err)
			}
		}
	}
	return 0
}

// durableBlock is one "durable" line of the child.
type durableBlock struct {
	height int32
	hash   chainhash.Hash
}

// readDurable collects the child's complete "durable" lines until EOF.
func readDurable(r io.Reader, lines chan<- string) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			close(lines)
			return // a line cut by the kill has no newline and is ignored
		}
		lines <- strings.TrimSuffix(line, "\n")
	}
}

func TestKillNineAtRandomMoments(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var reported []durableBlock
	const rounds = 8
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go readDurable(out, lines)
		// Let it report a few durable heights, then kill it at a random
		// moment of its write loop.
		want := 3 + rng.IntN(10)
		got := 0
		timeout := time.After(60 * time.Second)
	wait:
		for got < want {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("round %d: child exited early: %v", round, cmd.Wait())
				}
				reported = append(reported, parseDurable(t, line))
				got++
			case <-timeout:
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: child reported %d durable blocks in 60 s", round, got)
				break wait
			}
		}
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		cmd.Wait()
		for line := range lines {
			reported = append(reported, parseDurable(t, line))
		}
		s, err := Open(dir, crashOpts)
		if err != nil {
			t.Fatalf("round %d: reopen after kill -9: %v", round, err)
		}
		t.Logf("round %d: %d durable reported, recovery %+v, stats %+v", round, len(reported), s.Recovery(), s.Stats())
		checkCrashStore(t, s, reported)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// A resumed writer continues cleanly from the recovered tip.
	s := openStore(t, dir, crashOpts)
	es := s.Entries()
	tip := testBlock{hash: es[len(es)-1].Hash, height: es[len(es)-1].Height}
	var more []testBlock
	for i := 0; i < 20; i++ {
		tip = nextBlock(t, tip, 1000+i, 99)
		more = append(more, tip)
	}
	putAll(t, s, more)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, dir, crashOpts)
	if !s.Recovery().Clean() {
		t.Fatalf("reopen after a clean close: %+v", s.Recovery())
	}
	checkBlocks(t, s, more)
	checkCrashStore(t, s, reported)
}

func parseDurable(t *testing.T, line string) durableBlock {
	t.Helper()
	var (
		d   durableBlock
		hex string
	)
	if _, err := fmt.Sscanf(line, "durable %d %s", &d.height, &hex); err != nil {
		t.Fatalf("child said %q", line)
	}
	h, err := chainhash.NewHashFromStr(hex)
	if err != nil {
		t.Fatal(err)
	}
	d.hash = *h
	return d
}

// checkCrashStore asserts every block reported durable is stored (or was
// pruned, its header kept), and that the stored blocks form one unbroken,
// readable chain.
func checkCrashStore(t *testing.T, s *Store, reported []durableBlock) {
	t.Helper()
	pruned := make(map[chainhash.Hash]int32)
	for _, e := range s.PrunedEntries() {
		pruned[e.Hash] = e.Height
	}
	for _, d := range reported {
		if e, ok := s.Lookup(d.hash); ok {
			if e.Height != d.height {
				t.Fatalf("durable block %s at height %d, reported %d", d.hash, e.Height, d.height)
			}
			continue
		}
		if h, ok := pruned[d.hash]; !ok || h != d.height {
			t.Fatalf("durable block at height %d (%s) lost", d.height, d.hash)
		}
	}
	es := s.Entries()
	if len(es) == 0 {
		t.Fatal("empty store")
	}
	for i, e := range es {
		raw, err := s.Get(e.Hash)
		if err != nil {
			t.Fatalf("Get height %d: %v", e.Height, err)
		}
		if !blockIntact(raw) {
			t.Fatalf("block at height %d does not decode or match its merkle root", e.Height)
		}
		var prev chainhash.Hash
		copy(prev[:], e.Header[4:36])
		if i == 0 {
			if h, ok := pruned[prev]; e.Height != 0 && (!ok || h != e.Height-1) {
				t.Fatalf("lowest stored block at height %d has no pruned parent", e.Height)
			}
			continue
		}
		if e.Height != es[i-1].Height+1 || prev != es[i-1].Hash {
			t.Fatalf("chain broken at height %d", e.Height)
		}
	}
}
