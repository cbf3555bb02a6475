package dump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeRecordsSkipsBadLinesAndReportsOffsets(t *testing.T) {
	good1 := string(mustRecordLine(t, KindPeriodic, 1, 1))
	good2 := string(mustRecordLine(t, KindFinal, 2, 2))
	lines := []string{
		good1,
		"",                           // blank: ignored
		`{"v":2,"kind":"periodic"}`,  // another version
		`{"v":1,"kind":"sometimes"}`, // unknown kind
		"\x00\x00\x00",               // zeros a crash left in a block
		good2,
		`{"v":1,"kind":"final","time":"nope"}`,
	}
	data := strings.Join(lines, "\n") + "\n" + good1[:17]
	recs, skipped := DecodeRecords([]byte(data))
	if len(recs) != 2 || recs[0].Peer.ID != 1 || recs[1].Peer.ID != 2 || recs[1].Kind != KindFinal {
		t.Fatalf("records %+v", recs)
	}
	wantLines := []int{3, 4, 5, 7, 8}
	if len(skipped) != len(wantLines) {
		t.Fatalf("skipped %+v, want lines %v", skipped, wantLines)
	}
	for i, s := range skipped {
		if s.Line != wantLines[i] {
			t.Errorf("skipped[%d] is line %d, want %d", i, s.Line, wantLines[i])
		}
		if wantOff := int64(len(strings.Join(append(lines, "")[:s.Line-1], "\n"))) + 1; s.Line > 1 && s.Offset != wantOff {
			t.Errorf("skipped line %d at offset %d, want %d", s.Line, s.Offset, wantOff)
		}
		if s.Torn != (s.Line == 8) {
			t.Errorf("line %d torn = %v", s.Line, s.Torn)
		}
		if s.Reason == "" {
			t.Errorf("line %d skipped without a reason", s.Line)
		}
	}
}

func TestRecordRoundTripsThroughALine(t *testing.T) {
	r := NewRecord(KindFinal, t0, peerStats(7, true, 1, "[2001:db8::1]:8333"))
	b, err := EncodeRecord(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := EncodeRecord(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(b) {
		t.Fatalf("re-encoded record differs:\n%s\n%s", b, again)
	}
	if got.Peer.ID != 7 || got.Peer.Direction != "inbound" || got.Peer.ConnectionType != "inbound" ||
		got.Stats.Peer.Bytessent != 7000 || got.Stats.TxLatency.P50Us != 1500 || !got.Time.Equal(t0) ||
		got.UnixNano != t0.UnixNano() || got.Stats.Peer.PingtimeUs != -1 {
		t.Fatalf("decoded %+v", got)
	}
}

func TestNilStatsGiveEveryKey(t *testing.T) {
	b, err := EncodeRecord(NewRecord(KindFinal, t0, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"by_type":[]`, `"bytessent_per_msg":{}`, `"tx_latency":{"count":0`, `"peer":{"peer_id":0`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("record of nil stats lacks %s: %s", key, b)
		}
	}
}

func TestReadRecordsOfAMissingDirectoryIsAnError(t *testing.T) {
	if _, _, err := ReadRecords(filepath.Join(t.TempDir(), "none")); !os.IsNotExist(err) {
		t.Fatalf("err %v, want not-exist", err)
	}
}

func TestListFilesOrdersOldestFirstAndIgnoresOthers(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{FileName, rotatedName(1), rotatedName(10), rotatedName(2), "peerstats.0.jsonl",
		"peerstats.-1.jsonl", "peerstats.jsonl.tmp", "peerstats.x.jsonl", "other.jsonl"} {
		writeFile(t, dir, name, nil)
	}
	if err := os.Mkdir(filepath.Join(dir, rotatedName(3)), 0o700); err != nil {
		t.Fatal(err)
	}
	paths, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	want := []string{rotatedName(10), rotatedName(2), rotatedName(1), FileName}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("ListFiles = %v, want %v", names, want)
	}
}
