package dump

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openWriter(t *testing.T, cfg WriterConfig) *Writer {
	t.Helper()
	w, err := OpenWriter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func TestRotationKeepsTotalSizeAndNewestRecords(t *testing.T) {
	dir := t.TempDir()
	const maxBytes, maxFiles = 2048, 3
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: maxBytes, MaxFiles: maxFiles})
	const n = 400
	for i := 0; i < n; i++ {
		if err := w.Append(mustRecordLine(t, KindPeriodic, uint64(i+1), i)); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		total, files := dirSize(t, dir)
		if total > maxBytes*(maxFiles+1) {
			t.Fatalf("after %d records the directory holds %d bytes, bound %d", i+1, total, maxBytes*(maxFiles+1))
		}
		if files > maxFiles+1 {
			t.Fatalf("after %d records the directory holds %d files, bound %d", i+1, files, maxFiles+1)
		}
	}
	paths, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > maxBytes {
			t.Errorf("%s is %d bytes, limit %d", p, fi.Size(), maxBytes)
		}
	}
	if len(paths) != maxFiles+1 {
		t.Fatalf("files = %v, want %d", paths, maxFiles+1)
	}
	recs, skipped, err := ReadRecords(dir)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("ReadRecords: err %v, skipped %+v", err, skipped)
	}
	if len(recs) == 0 || len(recs) >= n {
		t.Fatalf("%d records kept of %d", len(recs), n)
	}
	// The records kept are the newest ones, contiguous and in order.
	for i, r := range recs {
		want := uint64(n - len(recs) + i + 1)
		if r.Peer.ID != want {
			t.Fatalf("record %d is peer %d, want %d (oldest first, newest kept)", i, r.Peer.ID, want)
		}
	}
	st := w.Stats()
	if st.Records != n || st.Rotations == 0 {
		t.Fatalf("stats %+v: want %d records and some rotations", st, n)
	}
	// Every rotation but the latest few dropped a file's worth of records:
	// what is kept fills at least maxFiles full files.
	if kept := int64(len(recs)) * int64(len(mustRecordLine(t, KindPeriodic, 1, 0))+1); kept < maxBytes*maxFiles/2 {
		t.Fatalf("only %d bytes of records kept", kept)
	}
}

func TestRotationWithoutRotatedFilesStartsAfresh(t *testing.T) {
	dir := t.TempDir()
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: 300, MaxFiles: 0})
	for i := 0; i < 10; i++ {
		if err := w.Append(line(i, 100)); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || filepath.Base(paths[0]) != FileName {
		t.Fatalf("files = %v, want only %s", paths, FileName)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	// Each line takes 101 bytes, so a 300-byte file holds two: the last
	// rotation left records 8 and 9 alone on disk.
	if want := string(line(8, 100)) + "\n" + string(line(9, 100)) + "\n"; string(data) != want {
		t.Fatalf("current file holds %q, want records 8 and 9", data)
	}
	if st := w.Stats(); st.Rotations != 4 {
		t.Fatalf("rotations %d, want 4", st.Rotations)
	}
}

func TestTornLastLineIsSkippedAndRepairedOnOpen(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(WriterConfig{Dir: dir, MaxBytes: 1 << 20, MaxFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	var offsets []int64
	var off int64
	for i := 1; i <= 3; i++ {
		l := mustRecordLine(t, KindPeriodic, uint64(i), i)
		offsets = append(offsets, off)
		off += int64(len(l)) + 1
		if err := w.Append(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of the third record's write.
	path := filepath.Join(dir, FileName)
	tornAt := offsets[2]
	if err := os.Truncate(path, tornAt+40); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := ReadRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Peer.ID != 1 || recs[1].Peer.ID != 2 {
		t.Fatalf("records %+v, want peers 1 and 2", recs)
	}
	if len(skipped) != 1 || !skipped[0].Torn || skipped[0].Offset != tornAt || skipped[0].Line != 3 || skipped[0].File != path {
		t.Fatalf("skipped %+v, want the torn line 3 at offset %d of %s", skipped, tornAt, path)
	}

	// The next writer cuts the torn bytes off, so new records start on a
	// line of their own.
	w2 := openWriter(t, WriterConfig{Dir: dir, MaxBytes: 1 << 20, MaxFiles: 2})
	if got := w2.Stats().Repaired; got != 40 {
		t.Fatalf("repaired %d bytes, want 40", got)
	}
	if err := w2.Append(mustRecordLine(t, KindFinal, 4, 4)); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err = ReadRecords(dir)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("after repair: err %v, skipped %+v", err, skipped)
	}
	if len(recs) != 3 || recs[2].Peer.ID != 4 || recs[2].Kind != KindFinal {
		t.Fatalf("after repair: records %+v", recs)
	}
}

func TestTornTailWithoutAnyNewlineIsCutEntirely(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, FileName, []byte("\x00\x00\x00{\"v\":1"))
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: 1 << 20})
	if got := w.Stats(); got.Repaired != 9 || got.Size != 0 {
		t.Fatalf("stats %+v, want 9 bytes repaired and an empty file", got)
	}
}

func TestCrashDuringRotationLeavesReadableOrderedFiles(t *testing.T) {
	dir := t.TempDir()
	// A rotation interrupted after peerstats.1 moved to peerstats.3 but
	// before the current file moved to peerstats.1: a gap at 1 and 2.
	writeFile(t, dir, rotatedName(3), append(mustRecordLine(t, KindPeriodic, 1, 1), '\n'))
	writeFile(t, dir, FileName, append(mustRecordLine(t, KindPeriodic, 2, 2), '\n'))
	writeFile(t, dir, "notes.txt", []byte("not a dump file\n"))
	writeFile(t, dir, "peerstats.01.jsonl", []byte("not ours either\n"))

	// One record per file: the next record rotates, shifting 3 to 4 and
	// the current file to 1 across the gap.
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: int64(len(mustRecordLine(t, KindPeriodic, 9, 9))) + 1, MaxFiles: 4})
	if err := w.Append(mustRecordLine(t, KindPeriodic, 3, 3)); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := ReadRecords(dir)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("err %v, skipped %+v", err, skipped)
	}
	var ids []uint64
	for _, r := range recs {
		ids = append(ids, r.Peer.ID)
	}
	if len(ids) != 3 || ids[0] != 1 || ids[1] != 2 || ids[2] != 3 {
		t.Fatalf("peers in read order %v, want [1 2 3]", ids)
	}
	paths, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	if want := []string{rotatedName(4), rotatedName(1), FileName}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("files after the rotation %v, want %v", names, want)
	}
}

func TestOpenDeletesRotatedFilesBeyondMaxFiles(t *testing.T) {
	dir := t.TempDir()
	for i := 1; i <= 5; i++ {
		writeFile(t, dir, rotatedName(i), append(mustRecordLine(t, KindPeriodic, uint64(i), i), '\n'))
	}
	openWriter(t, WriterConfig{Dir: dir, MaxBytes: 1 << 20, MaxFiles: 2})
	paths, err := ListFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	want := []string{rotatedName(2), rotatedName(1), FileName}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("files %v, want %v", names, want)
	}
}

func TestAppendRefusesOversizedAndMultilineRecordsWithoutBreaking(t *testing.T) {
	dir := t.TempDir()
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: 100, MaxFiles: 1})
	if err := w.Append(line(1, 100)); !errors.Is(err, ErrRecordTooLarge) {
		t.Fatalf("100-byte record plus newline in a 100-byte file: %v, want ErrRecordTooLarge", err)
	}
	if err := w.Append([]byte("{}\n{}")); !errors.Is(err, ErrNewline) {
		t.Fatalf("record with a newline: %v, want ErrNewline", err)
	}
	if err := w.Append(line(2, 99)); err != nil {
		t.Fatalf("a record that fits after refusals: %v", err)
	}
	if st := w.Stats(); st.TooLarge != 1 || st.Records != 1 || st.Bytes != 100 || st.Size != 100 {
		t.Fatalf("stats %+v", st)
	}
}

func TestWriterBreaksOnRotationFailureAndStaysBroken(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "dumps")
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: 150, MaxFiles: 2})
	if err := w.Append(line(1, 100)); err != nil {
		t.Fatal(err)
	}
	// The directory disappears and a file takes its place: the rotation
	// the next record needs cannot happen.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, parent, "dumps", []byte("in the way"))
	err := w.Append(line(2, 100))
	if err == nil {
		t.Fatal("rotation into a path that is a file succeeded")
	}
	if err2 := w.Append(line(3, 10)); !errors.Is(err2, err) && err2.Error() != err.Error() {
		t.Fatalf("after a failure Append returned %v, want the same error %v", err2, err)
	}
	if w.Err() == nil {
		t.Fatal("Err is nil after a failed rotation")
	}
}

func TestOpenWriterRejectsBadConfigAndUnusableDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, filepath.Dir(file), "file", nil)
	for name, cfg := range map[string]WriterConfig{
		"no dir":         {MaxBytes: 10},
		"zero max bytes": {Dir: t.TempDir()},
		"negative files": {Dir: t.TempDir(), MaxBytes: 10, MaxFiles: -1},
		"dir is a file":  {Dir: filepath.Join(file, "sub"), MaxBytes: 10},
	} {
		if w, err := OpenWriter(cfg); err == nil {
			w.Close()
			t.Errorf("%s: OpenWriter succeeded", name)
		}
	}
}

func TestWriterCreatesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	w := openWriter(t, WriterConfig{Dir: dir, MaxBytes: 1000})
	if err := w.Append(line(1, 10)); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, w.Path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got&^want != 0 {
			t.Errorf("%s has mode %v, want at most %v", path, got, want)
		}
	}
}
