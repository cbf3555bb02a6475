package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type demo struct {
	actornode, btcdDir, configFile string
	jaegerBin                      string // "" runs the demo without Jaeger
	jaegerUI                       string // built jaeger-ui assets, "" for none

	dir   string
	procs []*exec.Cmd
}

func (d *demo) run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "actornode-demo-")
	if err != nil {
		return err
	}
	d.dir = dir
	step("working directory %s", dir)

	step("starting a regtest btcd v0.26.2 on loopback")
	b, err := d.startBtcd(ctx, d.btcdDir)
	if err != nil {
		return err
	}
	hashes, err := b.rpc.call("generate", 5)
	if err != nil {
		return err
	}
	step("btcd mined 5 blocks: %s", compact(hashes))

	var j *jaeger
	if d.jaegerBin == "" {
		step("no jaeger binary (make tools builds one): running without tracing")
	} else {
		step("starting Jaeger (%s) on loopback, spans in memory", d.jaegerBin)
		if j, err = d.startJaeger(ctx, d.jaegerBin); err != nil {
			return fmt.Errorf("%w (log: %s)", err, filepath.Join(dir, "jaeger.log"))
		}
	}

	p2pPort, rpcPort, metricsPort := freePort(), freePort(), freePort()
	datadir := filepath.Join(dir, "actornode")
	args := []string{
		"--config", d.configFile,
		"--datadir", datadir,
		"--p2p.listen", fmt.Sprintf("127.0.0.1:%d", p2pPort),
		"--rpc.listen", fmt.Sprintf("127.0.0.1:%d", rpcPort),
		"--p2p.connect", b.p2p,
		"--telemetry.metrics.listen", fmt.Sprintf("127.0.0.1:%d", metricsPort),
	}
	if j != nil {
		// Every peer traced in full; the rest keeps the default ratio.
		args = append(args, "--telemetry.traces.endpoint", j.otlpGRPC, "--telemetry.traces.peers", "all")
	}
	step("starting actornode: %s %s", d.actornode, strings.Join(args, " "))
	logPath := filepath.Join(dir, "actornode.log")
	// actornode is the last process started; waitExit relies on it.
	if err := d.start(d.actornode, args, logPath); err != nil {
		return err
	}
	cookiePath := filepath.Join(datadir, "regtest", ".cookie")
	var an rpcClient
	if err := waitFor(ctx, 20*time.Second, "actornode RPC", func() error {
		raw, err := os.ReadFile(cookiePath)
		if err != nil {
			return err
		}
		user, pass, _ := strings.Cut(strings.TrimSpace(string(raw)), ":")
		an = rpcClient{url: fmt.Sprintf("http://127.0.0.1:%d/", rpcPort), user: user, pass: pass}
		_, err = an.call("uptime")
		return err
	}); err != nil {
		return fmt.Errorf("%w (log: %s)", err, logPath)
	}

	info, err := an.call("getnetworkinfo")
	if err != nil {
		return err
	}
	step("actornode answers getnetworkinfo:\n%s", pretty(info))

	if err := waitFor(ctx, 30*time.Second, "actornode's handshake with btcd", func() error {
		var peers []struct {
			Version int `json:"version"`
		}
		raw, err := an.call("getpeerinfo")
		if err == nil {
			err = json.Unmarshal(raw, &peers)
		}
		if err != nil {
			return err
		}
		if len(peers) == 0 || peers[0].Version == 0 {
			return errors.New("no handshaken peer yet")
		}
		return nil
	}); err != nil {
		return fmt.Errorf("%w (log: %s)", err, logPath)
	}
	if _, err := an.call("ping"); err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond)
	peers, err := an.call("getpeerinfo")
	if err != nil {
		return err
	}
	step("actornode's getpeerinfo (btcd, dialled by actornode):\n%s", pretty(peers))
	theirs, err := b.rpc.call("getpeerinfo")
	if err != nil {
		return err
	}
	step("btcd's getpeerinfo of the same link (note subver and the byte counts):\n%s", pretty(theirs))

	if j != nil {
		if _, err := b.rpc.call("ping"); err != nil {
			return err
		}
		step(`Jaeger UI: %ssearch?service=actornode
  Each trace is one causal chain of one peer, e.g. "peerman recv ping" (the
  Peer actor) with its child "sockman send pong" (the connection actor).`, j.ui)
	}
	step(`actornode is running. Try:
    curl -s -u "$(cat %s)" -d '{"method":"getpeerinfo"}' http://127.0.0.1:%d/
    curl -s -u "$(cat %s)" -d '{"method":"gettelemetryinfo"}' http://127.0.0.1:%d/
    curl -s http://127.0.0.1:%d/metrics
  Logs: %s
  Press Ctrl-C to stop.`, cookiePath, rpcPort, cookiePath, rpcPort, metricsPort, logPath)
	<-ctx.Done()

	step("stopping actornode over RPC")
	if _, err := an.call("stop"); err != nil {
		return err
	}
	return d.waitExit(len(d.procs)-1, 10*time.Second)
}

func (d *demo) start(bin string, args []string, logPath string) error {
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Own process group: Ctrl-C reaches the demo only, which then stops the
	// nodes in order (actornode over RPC, then btcd).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	d.procs = append(d.procs, cmd)
	return nil
}

// waitExit waits for process i to exit and checks it exited 0.
func (d *demo) waitExit(i int, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- d.procs[i].Wait() }()
	select {
	case err := <-done:
		path := d.procs[i].Path
		d.procs[i] = nil
		if err != nil {
			return fmt.Errorf("%s exited badly: %w", path, err)
		}
		step("actornode exited cleanly")
		return nil
	case <-time.After(timeout):
		return errors.New("actornode did not exit in time")
	}
}

func (d *demo) cleanup() {
	for _, p := range d.procs {
		if p != nil && p.Process != nil {
			_ = p.Process.Signal(os.Interrupt)
			done := make(chan struct{})
			go func() { _ = p.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = p.Process.Kill()
			}
		}
	}
	if d.dir != "" {
		os.RemoveAll(d.dir)
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// compact prints a JSON array of block hashes on one line.
func compact(raw json.RawMessage) string {
	var hs []string
	if json.Unmarshal(raw, &hs) != nil {
		return string(raw)
	}
	for i, h := range hs {
		if len(h) > 12 {
			hs[i] = h[:12] + "…"
		}
	}
	return strings.Join(hs, " ")
}
