package dump

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/actornode/actornode/peerman/peermanpb"
)

// t0 is the start of every test clock.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// peerStats returns stats of one peer with a few distinctive figures.
func peerStats(id uint64, inbound bool, ct peermanpb.ConnectionType, addr string) *peermanpb.PeerStats {
	return &peermanpb.PeerStats{
		Peer: &peermanpb.PeerSnapshot{
			PeerId: id, ConnId: id + 100, Addr: addr, Inbound: inbound, ConnectionType: ct,
			Subver: "/Satoshi:27.0.0/", Network: "ipv4", Bytessent: 1000 * id, Bytesrecv: 2000 * id,
			PingtimeUs: -1, BytessentPerMsg: map[string]uint64{"ping": 32 * id},
		},
		ByType:     []*peermanpb.MsgTypeStats{{Msgtype: "ping", MsgsRecv: id, BytesRecv: 32 * id}},
		TxReceived: 10 * id,
		TxLatency:  &peermanpb.LatencyStats{Count: 3, P50Us: 1500},
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLogger returns a logger writing text lines to a syncBuffer.
func newLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// dirSize returns the total size of the regular files in dir and their
// count.
func dirSize(t *testing.T, dir string) (total int64, files int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
		files++
	}
	return total, files
}

// line returns a test record line of about n bytes numbered i.
func line(i, n int) []byte {
	prefix := fmt.Sprintf(`{"i":%d,"pad":"`, i)
	pad := max(n-len(prefix)-2, 0)
	return []byte(prefix + string(bytes.Repeat([]byte("x"), pad)) + `"}`)
}

// mustRecordLine encodes a record for peer id written at t0+sec seconds.
func mustRecordLine(t testing.TB, kind Kind, id uint64, sec int) []byte {
	t.Helper()
	b, err := EncodeRecord(NewRecord(kind, t0.Add(time.Duration(sec)*time.Second),
		peerStats(id, id%2 == 0, peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY, "192.0.2.1:8333")))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFile writes data to dir/name.
func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}
