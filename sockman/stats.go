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
	// totals are the node-wide totals every connection also adds to.
	totals               *netTotals
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
	if c.totals != nil {
		c.totals.bytesRecv.Add(uint64(wireSize))
	}
}

// recordSent counts msgs frames of bytes wire bytes written at now.
func (c *counters) recordSent(msgs, bytes uint64, now time.Time) {
	c.msgsSent.Add(msgs)
	c.bytesSent.Add(bytes)
	c.lastSend.Store(now.UnixNano())
	if c.totals != nil {
		c.totals.bytesSent.Add(bytes)
	}
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

// netTotals are the bytes of every connection sockman ever had, counted as
// they cross the socket (getnettotals). They survive a sockman restart.
type netTotals struct {
	bytesSent, bytesRecv atomic.Uint64
}

// message returns the totals as an immutable NetTotals stamped now.
func (t *netTotals) message(now time.Time) *sockmanpb.NetTotals {
	return &sockmanpb.NetTotals{
		TotalBytesRecv: t.bytesRecv.Load(),
		TotalBytesSent: t.bytesSent.Load(),
		TimeUnixNano:   now.UnixNano(),
	}
}
