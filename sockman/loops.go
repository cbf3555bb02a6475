package sockman

import (
	"bufio"
	"errors"
	"io"

	"github.com/actornode/actornode/sockman/sockmanpb"
)

// ioBufferSize is the size of each connection's read and write buffers.
const ioBufferSize = 64 << 10

// readLoop decodes frames until the stream fails and sends each one straight
// to the current owner through the root context, so connections are read in
// parallel and the connection actor is never in the data path. Under flow
// control it reads the next frame only while the owner's unacknowledged
// bytes are below the receive budget; otherwise it waits, reading nothing,
// until the owner acknowledges or the connection closes.
func (c *conn) readLoop() {
	defer c.loops.Done()
	dec := NewDecoder(bufio.NewReaderSize(c.nc, ioBufferSize), c.cfg.Net, c.cfg.MaxPayload)
	for {
		if !c.recv.wait() {
			return
		}
		f, err := dec.Next()
		now := c.cfg.Clock.Now()
		var bad *ChecksumError
		switch {
		case err == nil:
			c.stats.recordRecv(f.WireSize, now)
			c.stats.msgsRecv.Add(1)
			c.recv.delivered(f.WireSize)
			c.system.Root.Send(c.owner.Load(), &sockmanpb.Frame{
				ConnId:           uint64(c.id),
				Command:          f.Command,
				Payload:          f.Payload,
				RecvTimeUnixNano: now.UnixNano(),
				WireSize:         f.WireSize,
			})
		case errors.As(err, &bad):
			c.stats.recordRecv(bad.WireSize, now)
			c.stats.badChecksums.Add(1)
			c.recv.delivered(bad.WireSize)
			c.system.Root.Send(c.owner.Load(), &sockmanpb.FrameDropped{
				ConnId:           uint64(c.id),
				Command:          bad.Command,
				WireSize:         bad.WireSize,
				Reason:           "bad checksum",
				RecvTimeUnixNano: now.UnixNano(),
			})
		default:
			reason, detail := readCloseReason(err)
			c.beginClose(reason, detail)
			return
		}
	}
}

// readCloseReason maps a decoder error to the connection's close reason.
func readCloseReason(err error) (sockmanpb.CloseReason, string) {
	var (
		magic     *BadMagicError
		oversized *OversizedError
		truncated *TruncatedError
	)
	switch {
	case errors.Is(err, io.EOF):
		return sockmanpb.CloseReason_CLOSE_REASON_PEER_CLOSED, "peer closed the connection"
	case errors.As(err, &truncated):
		return sockmanpb.CloseReason_CLOSE_REASON_PEER_CLOSED, truncated.Error()
	case errors.As(err, &magic):
		return sockmanpb.CloseReason_CLOSE_REASON_BAD_MAGIC, magic.Error()
	case errors.As(err, &oversized):
		return sockmanpb.CloseReason_CLOSE_REASON_OVERSIZED, oversized.Error()
	}
	return sockmanpb.CloseReason_CLOSE_REASON_READ_ERROR, err.Error()
}

// writeLoop drains the send queue into a buffered writer, coalescing
// whatever is queued, and flushes whenever the queue is empty.
func (c *conn) writeLoop() {
	defer c.loops.Done()
	w := bufio.NewWriterSize(c.nc, ioBufferSize)
	var (
		hdr   [HeaderSize]byte
		batch []outMsg
	)
	for {
		select {
		case <-c.queue.ready:
		case <-c.queue.done:
			return
		}
		var msgs, bytes uint64
		for batch = c.queue.take(batch); len(batch) > 0; batch = c.queue.take(batch) {
			for i, m := range batch {
				// The command was validated when the message was queued.
				_ = PutHeader(hdr[:], c.cfg.Net, m.command, m.payload)
				if _, err := w.Write(hdr[:]); err != nil {
					c.beginClose(sockmanpb.CloseReason_CLOSE_REASON_WRITE_ERROR, err.Error())
					return
				}
				if _, err := w.Write(m.payload); err != nil {
					c.beginClose(sockmanpb.CloseReason_CLOSE_REASON_WRITE_ERROR, err.Error())
					return
				}
				c.queue.written(m.wireSize())
				msgs++
				bytes += m.wireSize()
				batch[i] = outMsg{}
			}
			batch = batch[:0]
		}
		if err := w.Flush(); err != nil {
			c.beginClose(sockmanpb.CloseReason_CLOSE_REASON_WRITE_ERROR, err.Error())
			return
		}
		if msgs > 0 {
			c.stats.recordSent(msgs, bytes, c.cfg.Clock.Now())
		}
	}
}
