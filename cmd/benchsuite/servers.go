package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// server is one process under test.
type server struct {
	name string
	proc *child
	// p2p is the address the client dials.
	p2p string
	// rpc is its RPC client; nil for the echo servers.
	rpc *rpcClient
	// handshake says whether the client must do the version handshake.
	handshake bool
}

// stop ends the process.
func (s *server) stop() { s.proc.stop(15 * time.Second) }

// errUnsupportedKey marks a node that refused a configuration key, so that
// a figure that needs a feature this build lacks is reported as such.
var errUnsupportedKey = errors.New("the node does not know a configuration key")

// nodeSpec says how to start actornode.
type nodeSpec struct {
	// flags are extra command-line settings.
	flags []string
	// gomaxprocs sets GOMAXPROCS for the node; 0 leaves the default.
	gomaxprocs int
}

// startActornode starts bin/actornode as a regtest node on loopback that
// never dials out (p2p.connect to a closed loopback port), with room for
// more than 10,000 inbound peers, and waits for its RPC.
func (s *suite) startActornode(spec nodeSpec) (*server, error) {
	dir, err := os.MkdirTemp(s.tmp, "actornode-")
	if err != nil {
		return nil, err
	}
	p2p, err := freePort()
	if err != nil {
		return nil, err
	}
	rpcAddr, err := freePort()
	if err != nil {
		return nil, err
	}
	args := append([]string{
		"--network", "regtest",
		"--datadir", dir,
		"--p2p.listen", p2p,
		"--p2p.connect", "127.0.0.1:1",
		"--p2p.maxconnections", "10200",
		"--p2p.dnsseed=false",
		"--rpc.listen", rpcAddr,
		"--rpc.user", "bench", "--rpc.password", "bench",
		"--log.level", "error",
	}, spec.flags...)
	var env []string
	if spec.gomaxprocs > 0 {
		env = append(env, fmt.Sprintf("GOMAXPROCS=%d", spec.gomaxprocs))
	}
	proc, err := startChild(s.actornode, args, env, filepath.Join(dir, "out.log"))
	if err != nil {
		return nil, err
	}
	srv := &server{name: "actornode", proc: proc, p2p: p2p, rpc: newRPC(rpcAddr, "bench", "bench"), handshake: true}
	err = waitFor(60*time.Second, func() error {
		if proc.exited() {
			return errExited
		}
		return srv.rpc.call(nil, "getconnectioncount")
	})
	if err != nil {
		srv.stop()
		tail := proc.logTail(20)
		if strings.Contains(tail, "unknown key") || strings.Contains(tail, "unknown flag") {
			return nil, fmt.Errorf("%w: %s", errUnsupportedKey, lastLine(tail))
		}
		return nil, fmt.Errorf("actornode did not start: %v\n%s", err, tail)
	}
	return srv, nil
}

// errExited reports a child that ended before it was ready.
var errExited = errors.New("process exited")

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// startBtcd starts btcd on regtest and loopback with room for more than
// 10,000 peers and waits for its RPC. It fails when no btcd binary is
// installed.
func (s *suite) startBtcd() (*server, error) {
	if s.btcd == "" {
		return nil, errNoBtcd
	}
	dir, err := os.MkdirTemp(s.tmp, "btcd-")
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "btcd.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		return nil, err
	}
	p2p, err := freePort()
	if err != nil {
		return nil, err
	}
	rpcAddr, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{
		"--configfile=" + conf,
		"--datadir=" + filepath.Join(dir, "data"),
		"--logdir=" + filepath.Join(dir, "logs"),
		"--regtest", "--notls", "--nodnsseed",
		"--rpcuser=bench", "--rpcpass=bench",
		"--rpclisten=" + rpcAddr,
		"--listen=" + p2p,
		"--maxpeers=10200",
		"--debuglevel=warn",
	}
	proc, err := startChild(s.btcd, args, nil, filepath.Join(dir, "out.log"))
	if err != nil {
		return nil, err
	}
	srv := &server{name: "btcd", proc: proc, p2p: p2p, rpc: newRPC(rpcAddr, "bench", "bench"), handshake: true}
	err = waitFor(60*time.Second, func() error {
		if proc.exited() {
			return errExited
		}
		return srv.rpc.call(nil, "getblockcount")
	})
	if err != nil {
		srv.stop()
		return nil, fmt.Errorf("btcd did not start: %v\n%s", err, proc.logTail(20))
	}
	return srv, nil
}

// errNoBtcd reports that btcd is not installed.
var errNoBtcd = errors.New("btcd not found (run make tools)")

// startEcho starts this program as an echo server of kind raw or sockman
// (GOMAXPROCS as the node's default) and reads the address it listens on.
func (s *suite) startEcho(kind string) (*server, error) {
	dir, err := os.MkdirTemp(s.tmp, "echo-")
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addrFile := filepath.Join(dir, "addr")
	proc, err := startChild(self, []string{echoCommand, kind, addrFile}, nil, filepath.Join(dir, "out.log"))
	if err != nil {
		return nil, err
	}
	srv := &server{name: kind + "-echo", proc: proc}
	err = waitFor(30*time.Second, func() error {
		if proc.exited() {
			return errExited
		}
		b, err := os.ReadFile(addrFile)
		if err != nil || !strings.HasSuffix(string(b), "\n") {
			return errors.New("no address yet")
		}
		srv.p2p = strings.TrimSpace(string(b))
		return nil
	})
	if err != nil {
		srv.stop()
		return nil, fmt.Errorf("%s echo did not start: %v\n%s", kind, err, proc.logTail(20))
	}
	return srv, nil
}
