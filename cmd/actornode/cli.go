package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/actornode/actornode/config"
)

// defaultRPCClientTimeout bounds one call of the CLI, as bitcoin-cli's
// -rpcclienttimeout does by default.
const defaultRPCClientTimeout = 900 * time.Second

// cliUsage is printed by `actornode cli --help` and after usage errors.
const cliUsage = `Usage:
  actornode cli [OPTIONS] METHOD [ARGS...]     call one RPC method and print the result
  actornode cli [OPTIONS] peers [--watch [--interval 2s]]
                                               print a table of the connected peers

Options (before METHOD):
  --rpcconnect HOST[:PORT]   the node's RPC address (default: the first rpc.listen
                             address of the configuration, on loopback when it
                             names every interface)
  --rpccookiefile FILE       read the credentials from this cookie file
                             (default: rpc.cookiefile, else <datadir>/<network>/.cookie)
  --rpcuser USER             user for HTTP basic authentication, with --rpcpassword
  --rpcpassword PASSWORD     password for --rpcuser
  --rpcclienttimeout DUR     give up on a call after this long (default 15m0s; 0: never)
  --network NAME             mainnet, testnet3, testnet4, signet or regtest
  --datadir DIR              the node's data directory
  --config FILE              read the node's configuration file (any --KEY VALUE
                             of the node is accepted too)

ARGS are converted like bitcoin-cli's: an argument that is a JSON value
(a number, true, false, null, an object, an array, a "quoted string") is sent
as that value, anything else as a string. A string result is printed as is,
any other result as indented JSON, null not at all. An error is printed to
stderr as "error code: N" and "error message:" lines; the exit status is 1.
`

// cliEnv is what the CLI takes from its surroundings; tests replace parts.
type cliEnv struct {
	// now is the clock of the peers table (its "seconds since" columns).
	now func() time.Time
	// isTerminal reports whether w is a terminal, for --watch's redraws.
	isTerminal func(w io.Writer) bool
	// wait sleeps d, or returns false early when ctx is done.
	wait func(ctx context.Context, d time.Duration) bool
	// frames stops --watch after this many tables; 0 means until Ctrl-C.
	frames int
}

// systemCLIEnv is the CLI's real surroundings.
func systemCLIEnv() cliEnv {
	return cliEnv{now: time.Now, isTerminal: isTerminal, wait: sleepContext}
}

// cliCommand implements `actornode cli ...` and returns the exit code.
func cliCommand(args, environ []string, stdout, stderr io.Writer) int {
	return runCLI(args, environ, stdout, stderr, systemCLIEnv())
}

// cliFlags are the CLI's own options.
type cliFlags struct {
	connect    string
	cookieFile string
	user       string
	password   string
	timeout    time.Duration
}

// runCLI parses the options, finds the node and runs one method or the
// peers table.
func runCLI(args, environ []string, stdout, stderr io.Writer, env cliEnv) int {
	fs := config.NewFlagSet("actornode cli")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SetInterspersed(false)
	var flags cliFlags
	fs.StringVar(&flags.connect, "rpcconnect", "", "the node's RPC address")
	fs.StringVar(&flags.cookieFile, "rpccookiefile", "", "the cookie file")
	fs.StringVar(&flags.user, "rpcuser", "", "user for basic authentication")
	fs.StringVar(&flags.password, "rpcpassword", "", "password for basic authentication")
	fs.DurationVar(&flags.timeout, "rpcclienttimeout", defaultRPCClientTimeout, "call timeout")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, cliUsage)
			return 0
		}
		fmt.Fprintf(stderr, "error: %v\n\n%s", err, cliUsage)
		return 1
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "error: too few parameters (need at least a method)\n\n%s", cliUsage)
		return 1
	}
	cfg, err := config.LoadFlagSet(fs, environ)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	target, err := resolveTarget(cfg, flags)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	client := newRPCClient(target, flags.timeout)
	method, rest := fs.Arg(0), fs.Args()[1:]
	if method == "peers" {
		return peersCommand(client, rest, stdout, stderr, env)
	}
	result, err := client.call(context.Background(), method, convertArgs(rest))
	if err != nil {
		printCallError(stderr, err)
		return 1
	}
	printResult(stdout, result)
	return 0
}

// peersCommand implements `actornode cli peers [--watch [--interval D]]`.
func peersCommand(client *rpcClient, args []string, stdout, stderr io.Writer, env cliEnv) int {
	fs := pflag.NewFlagSet("actornode cli peers", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	watch := fs.Bool("watch", false, "redraw every interval until Ctrl-C")
	interval := fs.Duration("interval", 2*time.Second, "time between redraws")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
		fmt.Fprintf(stderr, "error: peers: %v\n\n%s", err, cliUsage)
		return 1
	}
	if *interval <= 0 {
		fmt.Fprintf(stderr, "error: peers: --interval must be positive, got %s\n", *interval)
		return 1
	}
	d := &dashboard{client: client, now: env.now}
	if !*watch {
		text, err := d.frame(context.Background())
		if err != nil {
			printCallError(stderr, err)
			return 1
		}
		_, _ = io.WriteString(stdout, text)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	w := watcher{
		interval: *interval,
		clear:    env.isTerminal(stdout),
		frames:   env.frames,
		wait:     env.wait,
	}
	w.run(ctx, stdout, d.frame)
	return 0
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// sleepContext waits d; it returns false if ctx ends first.
func sleepContext(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
