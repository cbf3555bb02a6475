package capture

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/actornode/actornode/actors"
)

// ConnDirection says who opened a connection.
type ConnDirection string

// The connection directions an index records.
const (
	// ConnInbound is a connection the peer opened.
	ConnInbound ConnDirection = "inbound"
	// ConnOutbound is a connection this node opened.
	ConnOutbound ConnDirection = "outbound"
)

// Index is the JSON document (index.json) describing one session. It is
// written when the session opens (End null), rewritten when something
// noteworthy happens (limit reached, error, user agent learned) and
// finalised by Close.
type Index struct {
	// PeerID is the peer id of the session.
	PeerID actors.PeerID `json:"peer_id"`
	// Addr is the peer's address as host:port.
	Addr string `json:"addr"`
	// Direction says who opened the connection.
	Direction ConnDirection `json:"direction"`
	// ConnectionType is the connection type as getpeerinfo names it.
	ConnectionType string `json:"connection_type"`
	// UserAgent is the peer's user agent, empty until its version arrived.
	UserAgent string `json:"user_agent"`
	// Start is the connect time.
	Start time.Time `json:"start"`
	// End is when the session closed; null while it is open (or if the
	// node crashed).
	End *time.Time `json:"end"`
	// RecvRecords counts the records written to msgs_recv.dat.
	RecvRecords uint64 `json:"recv_records"`
	// SentRecords counts the records written to msgs_sent.dat.
	SentRecords uint64 `json:"sent_records"`
	// Bytes counts the bytes written to both data files.
	Bytes uint64 `json:"bytes"`
	// DroppedRecords counts records dropped before reaching the disk
	// (a full capture queue); non-zero means the files have gaps.
	DroppedRecords uint64 `json:"dropped_records"`
	// TruncatedByLimit says the session reached its size limit and later
	// records were not written.
	TruncatedByLimit bool `json:"truncated_by_limit"`
	// Error is the write error that stopped the session, if any.
	Error string `json:"error"`
}

// WriteIndex writes idx to dir/index.json atomically: it writes a
// temporary file in dir, syncs it and renames it over the old index, so a
// reader sees either the old or the new document, never a mix.
func WriteIndex(dir string, idx Index) error {
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return fmt.Errorf("capture: encode index: %w", err)
	}
	data = append(data, '\n')
	tmp, err := os.CreateTemp(dir, IndexFile+".tmp*")
	if err != nil {
		return fmt.Errorf("capture: write index: %w", err)
	}
	name := tmp.Name()
	if _, err = tmp.Write(data); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, filepath.Join(dir, IndexFile))
	}
	if err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("capture: write index: %w", err)
	}
	return nil
}

// ReadIndex reads dir/index.json.
func ReadIndex(dir string) (Index, error) {
	data, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		return Index{}, err
	}
	var idx Index
	if err := json.Unmarshal(data, &idx); err != nil {
		return Index{}, fmt.Errorf("capture: %s: %w", filepath.Join(dir, IndexFile), err)
	}
	return idx, nil
}
