package inspect

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// Filter selects the messages the tool shows. The zero Filter selects
// everything.
type Filter struct {
	// Peer selects sessions by their peer (see Session.FilterPeer); nil
	// selects every session.
	Peer *peerfilter.Filter
	// Direction keeps only received or only sent messages; empty keeps
	// both.
	Direction capture.Direction
	// Commands keeps only these message types; empty keeps all.
	Commands map[string]bool
	// Since drops messages before it; zero means no lower bound.
	Since time.Time
	// Until drops messages after it; zero means no upper bound. Both
	// bounds are inclusive.
	Until time.Time
}

// MatchSession reports whether the session's peer passes the peer filter.
func (f Filter) MatchSession(s *Session) bool {
	return f.Peer == nil || f.Peer.Match(s.FilterPeer())
}

// Match reports whether a message passes the direction, command and time
// filters (the peer filter applies to sessions, see MatchSession).
func (f Filter) Match(m Message) bool {
	if f.Direction != "" && m.Direction != f.Direction {
		return false
	}
	if len(f.Commands) > 0 && !f.Commands[m.Command] {
		return false
	}
	if !f.Since.IsZero() && m.Time.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && m.Time.After(f.Until) {
		return false
	}
	return true
}

// ParseDirection parses "recv" or "sent".
func ParseDirection(s string) (capture.Direction, error) {
	switch d := capture.Direction(s); d {
	case capture.Recv, capture.Sent:
		return d, nil
	}
	return "", fmt.Errorf("direction %q: want recv or sent", s)
}

// ParseCommands parses a comma-separated list of message types.
func ParseCommands(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if err := capture.ValidateCommand(c); err != nil {
			return nil, fmt.Errorf("command %q: not a message type", c)
		}
		out[c] = true
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("command list %q names no message type", s)
	}
	return out, nil
}

// ParseTime parses a time bound: RFC 3339 (fractional seconds allowed) or
// seconds since the Unix epoch (a decimal fraction allowed).
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1<<40 {
		return time.Time{}, fmt.Errorf("time %q: want RFC 3339 (2024-01-02T15:04:05Z) or unix seconds", s)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1000).UTC(), nil
}
