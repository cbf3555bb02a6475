package sockman

import (
	"bufio"
	"errors"
	"io"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// ioBufferSize is the size of each connection's read and write buffers.
// They exist for the many small messages; a payload larger than a buffer
// bypasses it in both directions (bufio reads into and writes from the
// caller's slice directly), so a bigger buffer buys little and costs every
// idle connection its size twice (64 KiB buffers put the resident memory
// per idle peer near 57 KB; docs/benchmarks.md, figure 3).
const ioBufferSize = 16 << 10

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
			if sink := c.capture.Load(); sink != nil {
				c.system.Root.Send(sink, &sockmanpb.CapturedFrame{
					ConnId:       uint64(c.id),
					Command:      f.Command,
					Payload:      f.Payload,
					TimeUnixNano: now.UnixNano(),
					WireSize:     f.WireSize,
				})
			}
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
// whatever is queued, and flushes whenever the queue is empty. With capture
// on (see SetCapture) it stamps each batch it takes from the queue with the
// time it took it, just before writing it, and once the flush returned
// reports each message to the sink. A batch is taken after its messages
// were queued and stamped before any of its bytes reach the socket, so a
// sent message is never stamped before the received message that caused it
// nor after the peer's answer to it.
func (c *conn) writeLoop() {
	defer c.loops.Done()
	w := bufio.NewWriterSize(c.nc, ioBufferSize)
	var (
		hdr      [HeaderSize]byte
		batch    []outMsg
		captured []stampedMsg
	)
	for {
		select {
		case <-c.queue.ready:
		case <-c.queue.done:
			return
		}
		sink := c.capture.Load()
		var msgs, bytes uint64
		for batch = c.queue.take(batch); len(batch) > 0; batch = c.queue.take(batch) {
			var stamp int64
			if sink != nil {
				stamp = c.cfg.Clock.Now().UnixNano()
			}
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
				if sink != nil {
					captured = append(captured, stampedMsg{m: m, at: stamp})
				}
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
		if len(captured) > 0 {
			captured = c.reportSent(sink, captured)
		}
	}
}

// stampedMsg is a written message waiting to be reported to the capture
// sink, with the time its batch was taken from the queue.
type stampedMsg struct {
	m  outMsg
	at int64
}

// reportSent sends one CapturedFrame per message of captured and returns
// captured emptied for reuse.
func (c *conn) reportSent(sink *actor.PID, captured []stampedMsg) []stampedMsg {
	for i, s := range captured {
		c.system.Root.Send(sink, &sockmanpb.CapturedFrame{
			ConnId:       uint64(c.id),
			Sent:         true,
			Command:      s.m.command,
			Payload:      s.m.payload,
			TimeUnixNano: s.at,
			WireSize:     uint32(s.m.wireSize()),
		})
		captured[i] = stampedMsg{}
	}
	return captured[:0]
}
