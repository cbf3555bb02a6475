package inspect

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// legTitles are the text report's names of the legs.
var legTitles = map[Leg]string{
	LegSentInvToRecvGetdata:    "we announced -> they asked (sent inv -> recv getdata)",
	LegRecvInvToSentGetdata:    "they announced -> we asked (recv inv -> sent getdata)",
	LegSentGetdataToRecvObject: "we asked -> it arrived (sent getdata -> recv tx/block)",
}

// WriteStatsText writes the statistics as a readable report: per peer a
// table of message types and a table of latency legs.
func WriteStatsText(w io.Writer, st Stats) error {
	ew := &errWriter{w: w}
	if len(st.Peers) == 0 {
		ew.printf("no messages\n")
	}
	for i, p := range st.Peers {
		if i > 0 {
			ew.printf("\n")
		}
		id := "?"
		if p.PeerID != 0 {
			id = p.PeerID.String()
		}
		ew.printf("peer %s %s (session %s)\n", id, p.Addr, p.Session)
		ew.printf("  %d messages, %d bytes, %s to %s (%.3f s)\n\n", p.Messages, p.Bytes,
			FormatTime(p.First), FormatTime(p.Last), p.SpanSeconds)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  dir\tmsgtype\tcount\tbytes\tmsg/s\tbytes/s\tgap min\tgap p50\tgap p99\tgap max\t\n")
		for _, t := range p.Types {
			g := t.InterArrival
			gaps := [4]string{"-", "-", "-", "-"}
			if g.Count > 0 {
				gaps = [4]string{dur(g.Min), dur(g.Median), dur(g.P99), dur(g.Max)}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%.3f\t%.1f\t%s\t%s\t%s\t%s\t\n", t.Direction, t.Command, t.Count, t.Bytes,
				t.MsgsPerSec, t.BytesPerSec, gaps[0], gaps[1], gaps[2], gaps[3])
		}
		_ = tw.Flush()
		ew.printf("\n  latency\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, l := range p.Latency {
			d := l.Latency
			if d.Count == 0 {
				fmt.Fprintf(tw, "  %s\t%s\tnone\n", legTitles[l.Leg], l.Kind)
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\tcount=%d p50=%s p99=%s max=%s\n", legTitles[l.Leg], l.Kind, d.Count, dur(d.Median), dur(d.P99), dur(d.Max))
		}
		_ = tw.Flush()
	}
	return ew.err
}

// dur renders a duration rounded to microseconds.
func dur(d time.Duration) string { return d.Round(time.Microsecond).String() }

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

// Write writes unless an earlier write failed.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// printf formats to the writer.
func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
