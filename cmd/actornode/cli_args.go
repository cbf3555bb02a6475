package main

import (
	"bytes"
	"encoding/json"
)

// convertArgs turns command-line arguments into JSON-RPC params the way
// bitcoin-cli's users expect: an argument that is a whole JSON value (a
// number, true, false, null, an object, an array or a "quoted string") is
// sent as that value, anything else as a JSON string. So 5 is a number,
// '["network"]' an array, dir=inbound and 203.0.113.7:8333 strings, and
// '"5"' the string 5.
func convertArgs(args []string) []json.RawMessage {
	out := make([]json.RawMessage, 0, len(args))
	for _, a := range args {
		out = append(out, convertArg(a))
	}
	return out
}

// convertArg converts one argument (see convertArgs).
func convertArg(a string) json.RawMessage {
	if trimmed := bytes.TrimSpace([]byte(a)); len(trimmed) > 0 && json.Valid(trimmed) {
		var compacted bytes.Buffer
		if json.Compact(&compacted, trimmed) == nil {
			return compacted.Bytes()
		}
	}
	s, _ := json.Marshal(a)
	return s
}
