package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/actornode/actornode/telemetry/capture/inspect"
)

// captureJSON implements `actornode capture json`.
func captureJSON(args []string, stdout, stderr io.Writer) int {
	fs := newCaptureFlagSet("actornode capture json")
	ff := addFilterFlags(fs)
	usage := subUsage("actornode capture json [FLAGS] PATH...",
		`Prints a JSON array in the shape of Bitcoin Core's
contrib/message-capture/message-capture-parser.py output: per message
"direction", "time" (microseconds), "size", "msgtype", "body" and, for
unknown or undecodable payloads, "error" (with the payload hex as body),
followed by "peer_id", "addr" and "session", which Core's output lacks.
The body is the decoded message as JSON (see docs/capture.md).`, fs)
	st, code := parseAndOpen(fs, ff, args, usage, stdout, stderr)
	if st == nil {
		return code
	}
	defer st.Close()
	w := bufio.NewWriter(stdout)
	_, err := inspect.WriteCoreJSON(w, st.Next)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	return reportProblems(st, stderr)
}
