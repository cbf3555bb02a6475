package config

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// convert turns a raw layered value into the Go value of kind: string,
// int64, bool, time.Duration, []string or float64. weak allows strings for numbers
// and booleans and comma-separated strings for lists, as environment
// variables and flags deliver them. ok is false when raw does not fit.
func convert(kind valueKind, raw any, weak bool) (v any, ok bool) {
	switch kind {
	case kindString:
		s, ok := raw.(string)
		return s, ok
	case kindInt:
		return toInt(raw, weak)
	case kindBool:
		switch x := raw.(type) {
		case bool:
			return x, true
		case string:
			if weak {
				b, err := strconv.ParseBool(strings.TrimSpace(x))
				return b, err == nil
			}
		}
		return nil, false
	case kindDuration:
		switch x := raw.(type) {
		case time.Duration:
			return x, true
		case string:
			d, err := time.ParseDuration(strings.TrimSpace(x))
			return d, err == nil
		}
		return nil, false
	case kindList:
		return toList(raw, weak)
	case kindFloat:
		return toFloat(raw, weak)
	}
	return nil, false
}

// toFloat accepts any finite number; whole numbers are numbers too (YAML
// reads "1" as an integer).
func toFloat(raw any, weak bool) (any, bool) {
	var f float64
	switch x := raw.(type) {
	case float64:
		f = x
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case uint64:
		f = float64(x)
	case string:
		if !weak {
			return nil, false
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, false
		}
		f = v
	default:
		return nil, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	return f, true
}

func toInt(raw any, weak bool) (any, bool) {
	switch x := raw.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return int64(x), true
		}
	case string:
		if weak {
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			return n, err == nil
		}
	}
	return nil, false
}

func toList(raw any, weak bool) (any, bool) {
	switch x := raw.(type) {
	case []string:
		return append([]string{}, x...), true
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case string:
		if weak {
			return splitList(x), true
		}
	}
	return nil, false
}

// splitList splits a comma-separated list, trimming spaces and dropping
// empty items, so that "" is the empty list.
func splitList(s string) []string {
	out := []string{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
