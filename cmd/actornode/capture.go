package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// captureUsage is the help of `actornode capture`.
const captureUsage = `actornode capture: read message capture sessions offline

Usage:
  actornode capture show  [FILTERS] PATH...   readable timeline of the messages
  actornode capture json  [FILTERS] PATH...   JSON in the shape of Core's message-capture-parser.py
  actornode capture stats [FILTERS] [--json] PATH...
                                              counts, bytes, rates, gaps and inv/getdata latencies
  actornode capture replay SESSION --to HOST:PORT [--speed 1|max|N] [--network NAME]
                                              re-send a session's received messages to a node

PATH is a session directory (<addr>-peer<id>-<time>), a msgs_recv.dat or
msgs_sent.dat file, or a directory holding sessions such as
<datadir>/<network>/message_capture (every session in it is read). Several
sessions are merged by time.

Filters (show, json, stats):
  --peer FILTER        peer filter language, matched against each session's
                       index.json: addr=, id=, dir=, type=, ua= with and/or/not
  --direction DIR      recv or sent
  --command LIST       comma-separated message types (inv,getdata,tx)
  --since TIME         drop messages before TIME (RFC 3339 or unix seconds)
  --until TIME         drop messages after TIME (inclusive bounds)

A trailing partial record (what a crash leaves) is reported as a warning on
stderr after everything before it was printed, and the exit status stays 0.
A corrupt record stops that session with an error naming the file and
offset, and the exit status is 1. Usage errors exit 2.

actornode capture SUBCOMMAND --help shows the subcommand's help.
`

// captureCommand dispatches `actornode capture SUBCOMMAND`.
func captureCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "error: missing subcommand\n\n%s", captureUsage)
		return 2
	}
	switch args[0] {
	case "show":
		return captureShow(args[1:], stdout, stderr)
	case "json":
		return captureJSON(args[1:], stdout, stderr)
	case "stats":
		return captureStats(args[1:], stdout, stderr)
	case "replay":
		return captureReplay(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, captureUsage)
		return 0
	}
	fmt.Fprintf(stderr, "error: unknown subcommand %q (want show, json, stats or replay)\n\n%s", args[0], captureUsage)
	return 2
}

// parseCaptureFlags parses a subcommand's flags. It returns done with an
// exit code when the caller should stop: 0 after --help, 2 after a usage
// error (printed with the subcommand's usage).
func parseCaptureFlags(fs *pflag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (code int, done bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0, true
		}
		fmt.Fprintf(stderr, "error: %v\n\n%s", err, usage)
		return 2, true
	}
	return 0, false
}

// subUsage builds a subcommand's help from its synopsis, description and
// flag set.
func subUsage(synopsis, description string, fs *pflag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage:\n  %s\n\n%s\n\nFlags:\n%s", synopsis, strings.TrimSpace(description), fs.FlagUsages())
	return b.String()
}

// newCaptureFlagSet returns a flag set that reports errors instead of
// exiting.
func newCaptureFlagSet(name string) *pflag.FlagSet {
	return pflag.NewFlagSet(name, pflag.ContinueOnError)
}
