package dump

import (
	"bytes"
	"os"
)

// Skipped is a line a reader left out.
type Skipped struct {
	// File is the file's path; empty for DecodeRecords.
	File string
	// Offset is where the line starts in the file, in bytes.
	Offset int64
	// Line is the line's number in the file, from 1.
	Line int
	// Torn says the line is the file's last and has no newline: a write
	// cut short by a crash (or one still in progress). Otherwise the line
	// is complete but not a valid record, and Reason says why.
	Torn bool
	// Reason describes what is wrong with the line.
	Reason string
}

// ReadRecords reads every record of the dump files in dir, oldest first
// (see ListFiles). It never fails on content: a torn last line and lines
// that are not valid records are skipped and listed in skipped, with their
// file and offset. The error is for a directory or file that cannot be
// read.
func ReadRecords(dir string) (records []Record, skipped []Skipped, err error) {
	files, err := ListFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			// A rotation may have moved the file since it was listed;
			// what was in it is now in the next file listed.
			if os.IsNotExist(err) {
				continue
			}
			return records, skipped, err
		}
		recs, skips := DecodeRecords(data)
		records = append(records, recs...)
		for _, s := range skips {
			s.File = path
			skipped = append(skipped, s)
		}
	}
	return records, skipped, nil
}

// DecodeRecords decodes the content of one dump file. Empty lines are
// ignored; a last line without a newline is skipped as torn, and complete
// lines that are not valid records are skipped with the reason.
func DecodeRecords(data []byte) (records []Record, skipped []Skipped) {
	var off int64
	for line := 1; len(data) > 0; line++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			skipped = append(skipped, Skipped{
				Offset: off, Line: line, Torn: true,
				Reason: "last line has no newline (torn write)",
			})
			break
		}
		text := data[:i]
		if len(bytes.TrimSpace(text)) > 0 {
			r, err := DecodeRecord(text)
			if err != nil {
				skipped = append(skipped, Skipped{Offset: off, Line: line, Reason: err.Error()})
			} else {
				records = append(records, r)
			}
		}
		data = data[i+1:]
		off += int64(i) + 1
	}
	return records, skipped
}
