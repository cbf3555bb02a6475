package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/actornode/actornode/telemetry/capture/inspect"
)

// captureShow implements `actornode capture show`.
func captureShow(args []string, stdout, stderr io.Writer) int {
	fs := newCaptureFlagSet("actornode capture show")
	ff := addFilterFlags(fs)
	usage := subUsage("actornode capture show [FLAGS] PATH...",
		`Prints one line per message, merged by time across sessions: UTC time with
microseconds, <- for received or -> for sent, the peer (id and address from
the session's index.json or directory name), message type, payload size and
a summary of the decoded payload. A payload that does not decode shows
"undecodable: <reason>".`, fs)
	st, code := parseAndOpen(fs, ff, args, usage, stdout, stderr)
	if st == nil {
		return code
	}
	defer st.Close()
	w := bufio.NewWriter(stdout)
	for {
		m, ok := st.Next()
		if !ok {
			break
		}
		fmt.Fprintln(w, inspect.FormatLine(m))
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	return reportProblems(st, stderr)
}
