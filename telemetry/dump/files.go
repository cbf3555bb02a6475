package dump

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The file names in a dump directory: the file being written is
// peerstats.jsonl; rotated files are peerstats.1.jsonl (the newest) to
// peerstats.N.jsonl (the oldest).
const (
	// FileName is the file being written.
	FileName   = filePrefix + fileSuffix
	filePrefix = "peerstats"
	fileSuffix = ".jsonl"
)

// rotatedName returns the name of the i-th rotated file (i >= 1).
func rotatedName(i int) string {
	return filePrefix + "." + strconv.Itoa(i) + fileSuffix
}

// fileIndex returns 0 for FileName, i for the i-th rotated file, and false
// for any other name.
func fileIndex(name string) (int, bool) {
	if name == FileName {
		return 0, true
	}
	mid, ok := strings.CutPrefix(name, filePrefix+".")
	if !ok {
		return 0, false
	}
	digits, ok := strings.CutSuffix(mid, fileSuffix)
	if !ok || digits == "" || digits[0] < '1' || digits[0] > '9' {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(digits)
	if err != nil {
		return 0, false
	}
	return i, true
}

// ListFiles returns the paths of the dump files in dir, oldest first: the
// rotated files from the highest number down, then FileName. Other files
// are ignored; a gap in the numbering (a crash during rotation) is fine.
func ListFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type file struct {
		index int
		name  string
	}
	var files []file
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if i, ok := fileIndex(e.Name()); ok {
			files = append(files, file{i, e.Name()})
		}
	}
	// Oldest first: higher rotation numbers are older, the current file
	// (index 0) is the newest.
	slices.SortFunc(files, func(a, b file) int {
		ka, kb := a.index, b.index
		if ka == 0 {
			ka = -1
		}
		if kb == 0 {
			kb = -1
		}
		return cmp.Compare(kb, ka)
	})
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Join(dir, f.name)
	}
	return out, nil
}
