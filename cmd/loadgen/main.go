package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/internal/loadgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command line's settings.
type options struct {
	addr        string
	network     string
	conns       int
	concurrency int
	kind        string
	rate        float64
	duration    time.Duration
	handshakes  int
	pings       int
}

// networkMagic returns the magic of the network a -network value names.
func networkMagic(name string) (wire.BitcoinNet, bool) {
	switch name {
	case "mainnet":
		return wire.MainNet, true
	case "testnet3":
		return wire.TestNet3, true
	case "testnet4":
		return wire.TestNet4, true
	case "signet":
		return wire.SigNet, true
	case "regtest":
		return wire.TestNet, true
	}
	return 0, false
}

// run parses args, runs the load and writes the report; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.addr, "addr", "127.0.0.1:18444", "the node's P2P address (host:port)")
	fs.StringVar(&o.network, "network", "regtest", "mainnet, testnet3, testnet4, signet or regtest")
	fs.IntVar(&o.conns, "conns", 10, "connections to open and hold")
	fs.IntVar(&o.concurrency, "concurrency", 16, "connections being opened at once")
	fs.StringVar(&o.kind, "kind", "ping", "what each connection sends: idle, ping, inv, addr or tx")
	fs.Float64Var(&o.rate, "rate", 0, "messages per second per connection; 0 sends as fast as the node reads")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long the connections send")
	fs.IntVar(&o.handshakes, "handshakes", 0, "instead of traffic: open this many connections, handshake, close, and report the rate")
	fs.IntVar(&o.pings, "pings", 0, "instead of traffic: this many one-at-a-time pings over one connection, and report the round trips")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	bn, ok := networkMagic(o.network)
	if !ok {
		fmt.Fprintf(stderr, "loadgen: unknown network %q\n", o.network)
		return 2
	}
	t := loadgen.Target{Addr: o.addr, Net: bn}
	switch {
	case o.handshakes > 0:
		res := loadgen.Handshakes(t, o.handshakes, o.concurrency)
		fmt.Fprintf(stdout, "handshakes: %d completed, %d failed in %v: %.0f/s\n", res.Completed, res.Failed, res.Elapsed.Round(time.Millisecond), res.Rate())
		printLatency(stdout, "handshake time", res.Latency)
		if res.FirstError != nil {
			fmt.Fprintf(stderr, "first failure: %v\n", res.FirstError)
			return 1
		}
		return 0
	case o.pings > 0:
		c, err := t.Open()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer c.Close()
		lat, err := loadgen.PingSeries(c, o.pings, min(100, o.pings), t)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		printLatency(stdout, "ping round trip", lat)
		return 0
	}
	kind, err := loadgen.ParseKind(o.kind)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	p, err := loadgen.OpenPool(t, o.conns, o.concurrency)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer p.Close()
	fmt.Fprintf(stdout, "opened %d handshaken connections in %v\n", len(p.Conns), p.Elapsed.Round(time.Millisecond))
	res := loadgen.Run(p, loadgen.Traffic{Kind: kind, Rate: o.rate, Duration: o.duration})
	fmt.Fprintf(stdout, "%s: %d sent in %v (%.0f/s written)", kind, res.Sent, res.Elapsed.Round(time.Millisecond), res.SendRate())
	if kind == loadgen.KindPing {
		fmt.Fprintf(stdout, ", %d pongs", res.Answered)
	}
	fmt.Fprintln(stdout)
	if res.Latency.Count > 0 {
		printLatency(stdout, "ping round trip", res.Latency)
	}
	if res.FirstError != nil {
		fmt.Fprintf(stderr, "%d connections broke; first: %v\n", res.Failed, res.FirstError)
		return 1
	}
	return 0
}

// printLatency writes one line of percentiles.
func printLatency(w io.Writer, what string, l loadgen.Latency) {
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	fmt.Fprintf(w, "%s (%d samples): p50 %.1f µs  p90 %.1f µs  p99 %.1f µs  max %.1f µs  mean %.1f µs\n",
		what, l.Count, us(l.P50), us(l.P90), us(l.P99), us(l.Max), us(l.Mean))
}
