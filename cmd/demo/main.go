// Command demo runs a local regtest network on loopback and shows actornode
// at work: it starts a btcd node when one is available, mines a few blocks,
// starts Jaeger when a jaeger binary is available, starts actornode from
// docs/examples/regtest.yaml (with a temporary data directory and free
// ports, tracing its peers to that Jaeger and serving metrics), and prints
// what the node reports over RPC and where the Jaeger UI is. It is what
// `make demo` runs; it needs no network access.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	actornode := flag.String("actornode", "bin/actornode", "path of the actornode binary")
	btcdDir := flag.String("btcd-dir", ".tools/bin", "directory holding btcd and btcctl v0.26.2")
	configFile := flag.String("config", "docs/examples/regtest.yaml", "actornode config file the demo starts from")
	jaegerUI := flag.String("jaeger-ui", "", "directory of built jaeger-ui assets for the Jaeger UI (a Jaeger built from source has none)")
	jaegerBin := flag.String("jaeger", "", `jaeger v2 binary (default: jaeger in --btcd-dir, then on PATH; "none" to run without Jaeger)`)
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	d := &demo{actornode: *actornode, btcdDir: *btcdDir, configFile: *configFile, jaegerBin: findJaeger(*jaegerBin, *btcdDir),
		jaegerUI: *jaegerUI}
	err := d.run(ctx)
	d.cleanup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func step(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n", args...)
}

func waitFor(ctx context.Context, timeout time.Duration, what string, cond func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
