package dump

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzReadRecords checks that reading never panics, accounts for every
// non-blank line (a record or a skip), reports a torn line exactly when the
// data does not end in a newline, points every skip at the start of a line,
// reads the same from a file as from memory, and that every record it
// returns survives a round trip through its line.
func FuzzReadRecords(f *testing.F) {
	good := mustRecordLine(f, KindPeriodic, 3, 1)
	final := mustRecordLine(f, KindFinal, 4, 2)
	for _, seed := range [][]byte{
		nil,
		[]byte("\n"),
		append(append([]byte{}, good...), '\n'),
		append(append(append(append([]byte{}, good...), '\n'), final...), '\n'),
		append(append([]byte{}, good...), '\n', '{', '"', 'v'),
		good[:len(good)/2],
		[]byte("{\"v\":1,\"kind\":\"final\"}\n{\"v\":1,\"kind\":\"periodic\",\"time\":\"2025-01-01T00:00:00+02:00\"}\n"),
		[]byte("\x00\x00\x00\x00\n\n  \r\n"),
		[]byte("{\"v\":1,\"kind\":\"final\",\"stats\":{\"tx_sent\":18446744073709551616}}\n"),
		[]byte("{\"v\":1,\"kind\":\"final\",\"stats\":{\"by_type\":[{\"msgtype\":\"inv\"}],\"peer\":{\"bytessent_per_msg\":{\"\\n\":1}}}}\n"),
	} {
		f.Add(seed)
	}
	// One directory per fuzzing process; each input overwrites the file.
	dir := f.TempDir()
	path := filepath.Join(dir, FileName)
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, skipped := DecodeRecords(data)

		lines := bytes.Split(data, []byte("\n"))
		complete, nonBlank := lines[:len(lines)-1], 0
		for _, l := range complete {
			if len(bytes.TrimSpace(l)) > 0 {
				nonBlank++
			}
		}
		torn := len(data) > 0 && data[len(data)-1] != '\n'
		wantSkips := nonBlank - len(recs)
		if torn {
			wantSkips++
		}
		if len(skipped) != wantSkips {
			t.Fatalf("%d records and %d skips for %d complete non-blank lines (torn %v)", len(recs), len(skipped), nonBlank, torn)
		}
		for i, s := range skipped {
			if s.Offset < 0 || s.Offset > int64(len(data)) || (s.Offset > 0 && data[s.Offset-1] != '\n') {
				t.Fatalf("skip %+v does not start a line", s)
			}
			if s.Torn != (torn && i == len(skipped)-1) {
				t.Fatalf("skip %+v: torn flag wrong (data torn %v)", s, torn)
			}
			if s.Torn && bytes.IndexByte(data[s.Offset:], '\n') >= 0 {
				t.Fatalf("torn skip %+v is followed by a newline", s)
			}
		}
		for _, r := range recs {
			b, err := EncodeRecord(r)
			if err != nil {
				t.Fatalf("record read back does not encode: %v", err)
			}
			again, err := DecodeRecord(b)
			if err != nil {
				t.Fatalf("record read back does not decode after encoding: %v\n%s", err, b)
			}
			if !reflect.DeepEqual(again, r) {
				t.Fatalf("round trip changed the record:\n%+v\n%+v", r, again)
			}
		}

		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		frecs, fskipped, err := ReadRecords(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(frecs) != len(recs) || len(fskipped) != len(skipped) {
			t.Fatalf("from a file: %d records, %d skips; from memory: %d, %d", len(frecs), len(fskipped), len(recs), len(skipped))
		}
		for i := range fskipped {
			if fskipped[i].File != path || fskipped[i].Offset != skipped[i].Offset {
				t.Fatalf("from a file: skip %+v, from memory %+v", fskipped[i], skipped[i])
			}
		}
	})
}
