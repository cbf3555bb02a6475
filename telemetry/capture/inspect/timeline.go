package inspect

import (
	"fmt"
	"time"

	"github.com/actornode/actornode/telemetry/capture"
)

// TimeLayout is RFC 3339 with microseconds, the timeline's time format.
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// Arrow returns "<-" for a received message and "->" for a sent one.
func Arrow(d capture.Direction) string {
	if d == capture.Recv {
		return "<-"
	}
	return "->"
}

// FormatLine renders a message as one timeline line: UTC time with
// microseconds, direction arrow, peer id and address, message type,
// payload size and the summary of the decoded payload.
func FormatLine(m Message) string {
	line := fmt.Sprintf("%s %s %s %-12s %7d", m.Time.UTC().Format(TimeLayout), Arrow(m.Direction), m.Session.Label(), m.Command, len(m.Payload))
	if s := Summarize(m.Command, m.Payload); s != "" {
		line += "  " + s
	}
	return line
}

// FormatTime renders t in the timeline's format, in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }
