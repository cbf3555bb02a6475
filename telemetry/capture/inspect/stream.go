package inspect

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/actornode/actornode/telemetry/capture"
)

// Message is one captured message of a session.
type Message struct {
	// Session is the session the message belongs to.
	Session *Session
	// Direction says whether it was received or sent.
	Direction capture.Direction
	// Time is the socket time of the message.
	Time time.Time
	// Command is the message type.
	Command string
	// Payload is the raw payload.
	Payload []byte
	// File is the data file it was read from and Offset where its record
	// starts there.
	File   string
	Offset int64
}

// Problem is something wrong with the input found while reading.
type Problem struct {
	// Session is the session being read.
	Session *Session
	// Err is a *capture.PartialError (a trailing partial record, as a
	// crash leaves it), a *capture.CorruptError, or an I/O error.
	Err error
}

// Warning reports whether the problem is only a trailing partial record:
// every complete record was read and the output is whole up to the crash.
func (p Problem) Warning() bool {
	var pe *capture.PartialError
	return errors.As(p.Err, &pe)
}

// Error describes the problem, naming the file and offset.
func (p Problem) Error() string { return p.Err.Error() }

// recordSource is the per-session reader: capture.MergedReader for a whole
// session, a single-file adapter otherwise.
type recordSource interface {
	Next() (capture.MergedRecord, error)
	Close() error
}

// singleFile reads one data file; its direction comes from its name, as in
// Core's parser ("recv" in the name means received).
type singleFile struct {
	rd  *capture.Reader
	dir capture.Direction
}

// Next returns the file's next record with its direction and offset.
func (s *singleFile) Next() (capture.MergedRecord, error) {
	off := s.rd.Offset()
	rec, err := s.rd.Next()
	if err != nil {
		return capture.MergedRecord{}, err
	}
	return capture.MergedRecord{Record: rec, Direction: s.dir, Offset: off}, nil
}

// Close closes the file.
func (s *singleFile) Close() error { return s.rd.Close() }

// streamSide is one session being read with its look-ahead message.
type streamSide struct {
	s    *Session
	src  recordSource
	head Message
	ok   bool
	done bool
}

// Stream returns the messages of several sessions merged by time (on equal
// times, sessions in the order given), with a Filter applied. Problems in
// one session stop only that session; they are collected for Problems.
type Stream struct {
	sides    []*streamSide
	filter   Filter
	problems []Problem
}

// Open opens the sessions that pass the filter's peer filter.
func Open(sessions []*Session, f Filter) (*Stream, error) {
	st := &Stream{filter: f}
	for _, s := range sessions {
		if !f.MatchSession(s) {
			continue
		}
		src, err := openSource(s)
		if err != nil {
			_ = st.Close()
			return nil, err
		}
		st.sides = append(st.sides, &streamSide{s: s, src: src})
	}
	return st, nil
}

// openSource opens the data files of s.
func openSource(s *Session) (recordSource, error) {
	whole := len(s.Files) == 2 &&
		filepath.Base(s.Files[0]) == capture.RecvFile && filepath.Base(s.Files[1]) == capture.SentFile &&
		filepath.Dir(s.Files[0]) == filepath.Dir(s.Files[1])
	if len(s.Files) == 2 && !whole &&
		filepath.Base(s.Files[1]) == capture.RecvFile && filepath.Base(s.Files[0]) == capture.SentFile {
		whole = true
	}
	if whole {
		return capture.OpenMerged(s.Dir)
	}
	if len(s.Files) != 1 {
		return nil, fmt.Errorf("%s: want one data file or the whole session, got %d files", s.Dir, len(s.Files))
	}
	rd, err := capture.OpenReader(s.Files[0])
	if err != nil {
		return nil, err
	}
	dir := capture.Sent
	if strings.Contains(filepath.Base(s.Files[0]), "recv") {
		dir = capture.Recv
	}
	return &singleFile{rd: rd, dir: dir}, nil
}

// Next returns the next message that passes the filter, or false when
// every session is exhausted or stopped.
func (st *Stream) Next() (Message, bool) {
	for {
		var pick *streamSide
		for _, side := range st.sides {
			st.fill(side)
			if side.ok && (pick == nil || side.head.Time.Before(pick.head.Time)) {
				pick = side
			}
		}
		if pick == nil {
			return Message{}, false
		}
		pick.ok = false
		if st.filter.Match(pick.head) {
			return pick.head, true
		}
	}
}

// fill loads the side's next message, recording problems.
func (st *Stream) fill(side *streamSide) {
	for !side.ok && !side.done {
		rec, err := side.src.Next()
		if err == nil {
			file := filepath.Join(side.s.Dir, capture.SentFile)
			if rec.Direction == capture.Recv {
				file = filepath.Join(side.s.Dir, capture.RecvFile)
			}
			if len(side.s.Files) == 1 {
				file = side.s.Files[0]
			}
			side.head = Message{Session: side.s, Direction: rec.Direction, Time: rec.Time, Command: rec.Command,
				Payload: rec.Payload, File: file, Offset: rec.Offset}
			side.ok = true
			return
		}
		if errors.Is(err, io.EOF) {
			side.done = true
			return
		}
		st.problems = append(st.problems, Problem{Session: side.s, Err: err})
		var pe *capture.PartialError
		if !errors.As(err, &pe) {
			side.done = true
			return
		}
		if _, single := side.src.(*singleFile); single {
			side.done = true
		}
	}
}

// Problems returns the problems found so far, in the order found.
func (st *Stream) Problems() []Problem { return append([]Problem(nil), st.problems...) }

// Close closes every session's files.
func (st *Stream) Close() error {
	var errs []error
	for _, side := range st.sides {
		errs = append(errs, side.src.Close())
	}
	return errors.Join(errs...)
}
