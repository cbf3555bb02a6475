package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/actornode/actornode/cmd/actornode/node"
	"github.com/actornode/actornode/config"
)

// daemon runs the node until a signal, the stop RPC or a fatal subsystem
// failure; it returns 0 after a requested stop and 1 after a failure.
func daemon(args, environ []string, stderr io.Writer) int {
	cfg, err := config.Load(args, environ)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := os.MkdirAll(cfg.NetDir(), 0o700); err != nil {
		fmt.Fprintf(stderr, "cannot create data directory: %v\n", err)
		return 1
	}
	unlock, err := lockDataDir(cfg.NetDir())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer unlock()

	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(signals)

	running, err := node.Start(cfg, node.Options{LogOutput: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "cannot start: %v\n", err)
		return 1
	}
	select {
	case s := <-signals:
		running.RequestStop("signal " + s.String())
	case <-running.Done():
	}
	reason := running.Reason()
	if err := running.Shutdown(); err != nil {
		return 1
	}
	if reason.Fatal {
		return 1
	}
	return 0
}

// lockDataDir takes an exclusive lock on dir/.lock so that two nodes never
// share a data directory.
func lockDataDir(dir string) (func(), error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot lock data directory %s: another actornode is probably using it (%v)", dir, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
