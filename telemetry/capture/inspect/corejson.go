package inspect

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/telemetry/capture"
)

// The "error" texts of Core's parser, kept verbatim so scripts written for
// its output keep working.
const (
	// ErrTextUnknown marks a message type the decoder does not know.
	ErrTextUnknown = "Unrecognized message type."
	// ErrTextUndecodable marks a payload that does not decode.
	ErrTextUndecodable = "Unable to deserialize message."
)

// CoreRecord is one element of the JSON array Core's
// contrib/message-capture/message-capture-parser.py prints, with Core's
// keys in Core's order, followed by the peer fields Core's output lacks.
type CoreRecord struct {
	// Direction is "recv" or "sent".
	Direction capture.Direction `json:"direction"`
	// Time is the socket time in microseconds since the epoch.
	Time int64 `json:"time"`
	// Size is the payload length in bytes.
	Size int `json:"size"`
	// MsgType is the message type, "UNREADABLE" when not printable ASCII.
	MsgType string `json:"msgtype"`
	// Body is the decoded message (see Body), the payload as a hex string
	// when it is unknown or undecodable, and absent for an empty payload,
	// as in Core.
	Body any `json:"body,omitempty"`
	// Error is Core's error text for unknown or undecodable messages.
	Error string `json:"error,omitempty"`
	// DecodeError says why the payload did not decode (not in Core).
	DecodeError string `json:"decode_error,omitempty"`
	// PeerID is the session's peer id (0 when unknown).
	PeerID actors.PeerID `json:"peer_id"`
	// Addr is the session's peer address (empty when unknown).
	Addr string `json:"addr"`
	// Session is the session directory's name.
	Session string `json:"session"`
}

// NewCoreRecord builds the JSON record of a message.
func NewCoreRecord(m Message) CoreRecord {
	r := CoreRecord{
		Direction: m.Direction, Time: m.Time.UnixMicro(), Size: len(m.Payload), MsgType: m.Command,
		PeerID: m.Session.Peer.ID, Addr: m.Session.Peer.Addr, Session: m.Session.Name,
	}
	if capture.ValidateCommand(m.Command) != nil {
		r.MsgType = "UNREADABLE"
	}
	msg, err := Decode(m.Command, m.Payload)
	switch {
	case errors.Is(err, ErrUnknownCommand):
		r.Body, r.Error = hex.EncodeToString(m.Payload), ErrTextUnknown
	case err != nil:
		r.Body, r.Error, r.DecodeError = hex.EncodeToString(m.Payload), ErrTextUndecodable, err.Error()
	case len(m.Payload) > 0:
		r.Body = Body(msg, m.Payload)
	}
	return r
}

// WriteCoreJSON writes the messages next yields as a JSON array, one
// record per line, and returns how many it wrote.
func WriteCoreJSON(w io.Writer, next func() (Message, bool)) (int, error) {
	if _, err := io.WriteString(w, "["); err != nil {
		return 0, err
	}
	n := 0
	for {
		m, ok := next()
		if !ok {
			break
		}
		b, err := json.Marshal(NewCoreRecord(m))
		if err != nil {
			return n, fmt.Errorf("encode %s record at %s:%d: %w", m.Command, m.File, m.Offset, err)
		}
		sep := ",\n"
		if n == 0 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return n, err
		}
		if _, err := w.Write(b); err != nil {
			return n, err
		}
		n++
	}
	end := "]\n"
	if n > 0 {
		end = "\n]\n"
	}
	_, err := io.WriteString(w, end)
	return n, err
}
