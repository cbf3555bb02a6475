package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/actornode/actornode/telemetry/capture/inspect"
)

// captureStats implements `actornode capture stats`.
func captureStats(args []string, stdout, stderr io.Writer) int {
	fs := newCaptureFlagSet("actornode capture stats")
	ff := addFilterFlags(fs)
	asJSON := fs.Bool("json", false, "print the statistics as JSON")
	usage := subUsage("actornode capture stats [FLAGS] PATH...",
		`Prints, per session (peer) and per direction and message type: count,
payload bytes, messages and bytes per second over the session's span (first
to last message shown), and the gaps between consecutive messages of the
type (min, p50, p99, max; nearest-rank percentiles). Then the latency of
three inventory legs, for transactions and blocks: items we announced (sent
inv) to the peer's getdata, items the peer announced (recv inv) to our
getdata, and our getdata to the tx or block arriving (count, p50, p99, max).`, fs)
	st, code := parseAndOpen(fs, ff, args, usage, stdout, stderr)
	if st == nil {
		return code
	}
	defer st.Close()
	b := inspect.NewStatsBuilder()
	for {
		m, ok := st.Next()
		if !ok {
			break
		}
		b.Add(m)
	}
	stats := b.Stats()
	var err error
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(stats)
	} else {
		err = inspect.WriteStatsText(stdout, stats)
	}
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	return reportProblems(st, stderr)
}
