package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/actornode/actornode/telemetry/capture/inspect"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// filterFlags are the filter flags of show, json and stats.
type filterFlags struct {
	peer, direction, command, since, until string
}

// addFilterFlags registers the filter flags on fs.
func addFilterFlags(fs *pflag.FlagSet) *filterFlags {
	f := &filterFlags{}
	fs.StringVar(&f.peer, "peer", "", "peer filter (addr=, id=, dir=, type=, ua=; and/or/not), matched against index.json")
	fs.StringVar(&f.direction, "direction", "", "recv or sent")
	fs.StringVar(&f.command, "command", "", "comma-separated message types")
	fs.StringVar(&f.since, "since", "", "drop messages before this time (RFC 3339 or unix seconds)")
	fs.StringVar(&f.until, "until", "", "drop messages after this time (RFC 3339 or unix seconds)")
	return f
}

// filter builds the inspect filter, naming the flag of a bad value.
func (f *filterFlags) filter() (inspect.Filter, error) {
	var out inspect.Filter
	var err error
	if f.peer != "" {
		if out.Peer, err = peerfilter.Parse(f.peer); err != nil {
			return out, fmt.Errorf("--peer: %w", err)
		}
	}
	if f.direction != "" {
		if out.Direction, err = inspect.ParseDirection(f.direction); err != nil {
			return out, fmt.Errorf("--direction: %w", err)
		}
	}
	if f.command != "" {
		if out.Commands, err = inspect.ParseCommands(f.command); err != nil {
			return out, fmt.Errorf("--command: %w", err)
		}
	}
	if f.since != "" {
		if out.Since, err = inspect.ParseTime(f.since); err != nil {
			return out, fmt.Errorf("--since: %w", err)
		}
	}
	if f.until != "" {
		if out.Until, err = inspect.ParseTime(f.until); err != nil {
			return out, fmt.Errorf("--until: %w", err)
		}
	}
	return out, nil
}

// parseAndOpen parses a reading subcommand's flags and filter and opens
// its inputs. A nil stream comes with the exit code to return (0 after
// --help).
func parseAndOpen(fs *pflag.FlagSet, ff *filterFlags, args []string, usage string, stdout, stderr io.Writer) (*inspect.Stream, int) {
	if code, done := parseCaptureFlags(fs, args, usage, stdout, stderr); done {
		return nil, code
	}
	filter, err := ff.filter()
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return nil, 2
	}
	return openInput(fs.Args(), filter, usage, stderr)
}

// openInput discovers the sessions of paths and opens them with filter.
// A usage problem (no paths) is exit 2, unreadable input exit 1.
func openInput(paths []string, filter inspect.Filter, usage string, stderr io.Writer) (*inspect.Stream, int) {
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "error: no session, file or directory given\n\n%s", usage)
		return nil, 2
	}
	sessions, err := inspect.Discover(paths)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return nil, 1
	}
	st, err := inspect.Open(sessions, filter)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return nil, 1
	}
	return st, 0
}

// reportProblems prints the stream's problems to stderr and returns the
// exit code: 0 when there were only trailing partial records (warnings),
// 1 when a session was corrupt or unreadable.
func reportProblems(st *inspect.Stream, stderr io.Writer) int {
	code := 0
	for _, p := range st.Problems() {
		if p.Warning() {
			fmt.Fprintf(stderr, "warning: %v (a crash leaves this; every record before it was read)\n", p)
			continue
		}
		fmt.Fprintf(stderr, "error: %v (the session's records before it were read, none after)\n", p)
		code = 1
	}
	return code
}
