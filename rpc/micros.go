package rpc

import (
	"strconv"
	"strings"
)

// Micros is a duration in microseconds. It encodes to JSON as a number of
// seconds with up to six decimals (1500 is 0.0015), as Core prints ping
// times. The conversion is done on integers, so no binary rounding shows.
type Micros int64

// MarshalJSON writes the duration in seconds, without trailing zeros.
func (m Micros) MarshalJSON() ([]byte, error) {
	const perSecond = 1_000_000
	v := int64(m)
	sign := ""
	if v < 0 {
		sign = "-"
		// -v overflows only for the smallest int64, far beyond any ping.
		v = -v
	}
	whole := strconv.FormatInt(v/perSecond, 10)
	frac := strings.TrimRight(strconv.FormatInt(perSecond+v%perSecond, 10)[1:], "0")
	if frac == "" {
		return []byte(sign + whole), nil
	}
	return []byte(sign + whole + "." + frac), nil
}

// optionalMicros returns nil for a negative figure (the snapshot's "no
// figure"), so that an omitempty field leaves it out as Core does, and the
// figure otherwise.
func optionalMicros(us int64) *Micros {
	if us < 0 {
		return nil
	}
	m := Micros(us)
	return &m
}
