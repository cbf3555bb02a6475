package dump

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNewline is returned for a line that contains a newline: each record
// must be exactly one line.
var ErrNewline = errors.New("dump: record contains a newline")

// EncodeRecord returns r as one line of JSON, without the trailing newline.
func EncodeRecord(r Record) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("dump: encode record: %w", err)
	}
	// encoding/json escapes control characters in strings, so this only
	// guards against a future encoder that would not.
	if bytes.IndexByte(b, '\n') >= 0 {
		return nil, ErrNewline
	}
	return b, nil
}

// DecodeRecord parses one line (without its newline). Unknown keys are
// ignored, so that readers of version 1 accept fields added later; a
// version other than Version or an unknown kind is an error. Time is
// returned in UTC.
func DecodeRecord(line []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(line, &r); err != nil {
		return Record{}, fmt.Errorf("dump: decode record: %w", err)
	}
	if r.V != Version {
		return Record{}, fmt.Errorf("dump: record version %d, want %d", r.V, Version)
	}
	if !r.Kind.Valid() {
		return Record{}, fmt.Errorf("dump: unknown record kind %q", r.Kind)
	}
	r.Time = r.Time.UTC()
	return r, nil
}
