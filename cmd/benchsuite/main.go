package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/benchsuite/echo"
	"github.com/actornode/actornode/cmd/benchsuite/report"
	"github.com/actornode/actornode/internal/btcdtest"
)

// echoCommand is the hidden first argument that makes this program an echo
// server child: echo-server raw|sockman ADDRFILE.
const echoCommand = "echo-server"

func main() {
	if len(os.Args) == 4 && os.Args[1] == echoCommand {
		os.Exit(serveEcho(os.Args[2], os.Args[3]))
	}
	os.Exit(runSuite(os.Args[1:]))
}

// serveEcho runs an echo server until interrupted, after writing its
// address and a newline to addrFile.
func serveEcho(kind, addrFile string) int {
	var addr string
	switch kind {
	case "raw":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		go func() { _ = echo.ServeRaw(ln, wire.TestNet) }()
		addr = ln.Addr().String()
	case "sockman":
		a, stop, err := echo.ServeSockman("127.0.0.1:0", wire.TestNet)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer stop()
		addr = a
	default:
		fmt.Fprintf(os.Stderr, "unknown echo server %q\n", kind)
		return 2
	}
	if err := os.WriteFile(addrFile, []byte(addr+"\n"), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
	return 0
}

// runSuite parses the flags, runs every figure and writes the report.
func runSuite(args []string) int {
	fs := flag.NewFlagSet("benchsuite", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.actornode, "actornode", "bin/actornode", "the actornode binary under test")
	fs.BoolVar(&o.quick, "quick", os.Getenv("BENCH_QUICK") != "", "a fast pass: one run, smaller figures (also BENCH_QUICK=1)")
	fs.IntVar(&o.runs, "runs", 0, "runs per figure (default 3, 1 with -quick)")
	fs.StringVar(&o.out, "out", "docs/benchmarks.md", "the document whose generated block is replaced; empty prints the block")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.runs <= 0 {
		o.runs = 3
		if o.quick {
			o.runs = 1
		}
	}
	bin, err := filepath.Abs(o.actornode)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	o.actornode = bin
	tmp, err := os.MkdirTemp("", "benchsuite-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	s := &suite{options: o, tmp: tmp, log: os.Stderr}
	if bins, err := btcdtest.FindBinaries(); err == nil {
		s.btcd = bins.Btcd
	} else {
		fmt.Fprintf(os.Stderr, "btcd: %v; its rows will be empty\n", err)
	}
	rep := s.run(strings.Join(append([]string{"benchsuite"}, args...), " "))
	block := report.Render(rep)
	if o.out == "" {
		fmt.Print(block)
		return 0
	}
	doc, err := os.ReadFile(o.out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.WriteFile(o.out, []byte(report.Splice(string(doc), block)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "wrote %s\n", o.out)
	fmt.Fprint(os.Stderr, block)
	return 0
}
