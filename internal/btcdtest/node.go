package btcdtest

import (
	"crypto/rand"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/testproc"
)

// stopGrace is how long a btcd process gets to exit after SIGINT before it
// is killed.
const stopGrace = 10 * time.Second

// readyTimeout bounds how long a starting btcd may take to answer RPC.
const readyTimeout = 30 * time.Second

// bindAttempts is how many port pairs Start tries when another process takes
// a picked port first.
const bindAttempts = 5

// errPortTaken marks a launch that failed because a port was already bound.
var errPortTaken = errors.New("port already in use")

// Options configures a Node. The zero value is a listening node with no
// outbound peers.
type Options struct {
	// ExtraArgs are appended to btcd's command line.
	ExtraArgs []string
	// Connect lists host:port peers passed as --connect: btcd connects only
	// to these.
	Connect []string
	// AddPeer lists host:port peers passed as --addpeer: btcd connects to
	// these in addition to any others it finds.
	AddPeer []string
	// NoListen passes --nolisten: btcd accepts no inbound P2P connections
	// and P2PAddr returns "".
	NoListen bool
	// DebugLevel is passed as --debuglevel; "debug" when empty.
	DebugLevel string
}

// Node is a running (or stopped) btcd regtest process owned by one test.
type Node struct {
	t       testing.TB
	bins    Binaries
	opts    Options
	dir     string
	outPath string
	user    string
	pass    string
	mining  string
	p2pPort int
	rpcPort int
	rpc     *rpcClient

	mu   sync.Mutex
	proc *testproc.Process
}

// Start launches a btcd regtest node on loopback and waits until its RPC
// server answers. It skips or fails the test when btcd is unavailable (see
// Require) and registers a cleanup that stops the process and, when the test
// failed, logs the tail of btcd's output.
func Start(t testing.TB, opts Options) *Node {
	t.Helper()
	bins := Require(t)
	mining, err := MiningAddress()
	if err != nil {
		t.Fatalf("btcdtest: mining address: %v", err)
	}
	dir := t.TempDir()
	n := &Node{t: t, bins: bins, opts: opts, dir: dir, mining: mining,
		outPath: filepath.Join(dir, "btcd.out"), user: rand.Text(), pass: rand.Text()}
	if opts.DebugLevel == "" {
		n.opts.DebugLevel = "debug"
	}
	if err := os.WriteFile(n.configPath(), nil, 0o600); err != nil {
		t.Fatalf("btcdtest: write config: %v", err)
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Errorf("btcdtest: %v", err)
		}
		if t.Failed() {
			t.Logf("btcdtest: btcd output (%s), last part:\n%s", n.outPath, testproc.Tail(n.outPath, 64<<10))
		}
	})
	for attempt := 1; ; attempt++ {
		ports, err := freePorts(2)
		if err != nil {
			t.Fatalf("btcdtest: %v", err)
		}
		n.p2pPort, n.rpcPort = ports[0], ports[1]
		n.rpc = newRPCClient(n.RPCAddr(), n.user, n.pass)
		err = n.launch()
		if err == nil {
			return n
		}
		if !errors.Is(err, errPortTaken) || attempt == bindAttempts {
			t.Fatalf("btcdtest: start btcd (attempt %d): %v", attempt, err)
		}
	}
}

// P2PAddr returns the node's P2P listen address (127.0.0.1:port), or "" when
// it was started with NoListen.
func (n *Node) P2PAddr() string {
	if n.opts.NoListen {
		return ""
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(n.p2pPort))
}

// RPCAddr returns the node's RPC listen address (127.0.0.1:port).
func (n *Node) RPCAddr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(n.rpcPort))
}

// DataDir returns the node's data directory; it survives Restart.
func (n *Node) DataDir() string { return filepath.Join(n.dir, "data") }

// LogPath returns the file that collects btcd's stdout and stderr across
// restarts.
func (n *Node) LogPath() string { return n.outPath }

// Stop stops btcd: SIGINT, then SIGKILL after 10 s. Stopping a stopped node
// does nothing. The error reports a node that had to be killed.
func (n *Node) Stop() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.proc == nil {
		return nil
	}
	err := n.proc.Stop()
	n.proc = nil
	return err
}

// Restart stops btcd and starts it again with the same data directory,
// ports and credentials, so peers can reconnect to the same address. Note
// that btcd deletes its regtest block database at every start: after a
// Restart the chain is back at the genesis block (peers.json survives).
func (n *Node) Restart() error {
	if err := n.Stop(); err != nil {
		return err
	}
	return n.launch()
}

// configPath returns the empty config file passed with --configfile.
func (n *Node) configPath() string { return filepath.Join(n.dir, "btcd.conf") }

// args returns btcd's command line for the current ports.
func (n *Node) args() []string {
	a := []string{
		"--configfile=" + n.configPath(),
		"--datadir=" + n.DataDir(),
		"--logdir=" + filepath.Join(n.dir, "logs"),
		"--regtest",
		"--notls",
		"--nodnsseed",
		"--rpcuser=" + n.user,
		"--rpcpass=" + n.pass,
		"--rpclisten=" + n.RPCAddr(),
		"--miningaddr=" + n.mining,
		"--debuglevel=" + n.opts.DebugLevel,
	}
	if n.opts.NoListen {
		a = append(a, "--nolisten")
	} else {
		a = append(a, "--listen="+n.P2PAddr())
	}
	for _, c := range n.opts.Connect {
		a = append(a, "--connect="+c)
	}
	for _, c := range n.opts.AddPeer {
		a = append(a, "--addpeer="+c)
	}
	return append(a, n.opts.ExtraArgs...)
}
