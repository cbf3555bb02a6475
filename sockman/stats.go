package sockman

import (
	"sync/atomic"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// counters are one connection's statistics. The read loop, the write loop
// and the connection actor update and read them concurrently, so every field
// is atomic.
type counters struct {
	bytesSent, bytesRecv atomic.Uint64
	msgsSent, msgsRecv   atomic.Uint64
	badChecksums         atomic.Uint64
	lastSend, lastRecv   atomic.Int64
}

// recordRecv counts one complete frame read from the socket (delivered or
// dropped) of wireSize bytes at now.
func (c *counters) recordRecv(wireSize uint32, now time.Time) {
	c.bytesRecv.Add(uint64(wireSize))
	c.lastRecv.Store(now.UnixNano())
}

// recordSent counts msgs frames of bytes wire bytes written at now.
func (c *counters) recordSent(msgs, bytes uint64, now time.Time) {
	c.msgsSent.Add(msgs)
	c.bytesSent.Add(bytes)
	c.lastSend.Store(now.UnixNano())
}

// snapshot returns an immutable ConnStats message.
func (c *counters) snapshot(id actors.ConnID, opened time.Time, q *sendQueue) *sockmanpb.ConnStats {
	qBytes, qMsgs := q.size()
	return &sockmanpb.ConnStats{
		ConnId:           uint64(id),
		BytesSent:        c.bytesSent.Load(),
		BytesRecv:        c.bytesRecv.Load(),
		MsgsSent:         c.msgsSent.Load(),
		MsgsRecv:         c.msgsRecv.Load(),
		SendQueueBytes:   qBytes,
		SendQueueMsgs:    qMsgs,
		BadChecksums:     c.badChecksums.Load(),
		LastSendUnixNano: c.lastSend.Load(),
		LastRecvUnixNano: c.lastRecv.Load(),
		OpenedUnixNano:   opened.UnixNano(),
	}
}
