package loadgen

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// Traffic describes what every connection of a pool does for a while.
type Traffic struct {
	// Kind is the message each connection sends.
	Kind Kind
	// Rate is messages per second per connection. Zero means as fast as
	// the node reads them: pre-encoded batches written back to back.
	// With KindPing and a positive Rate every ping carries its send time
	// in its nonce, so each pong yields a round-trip time.
	Rate float64
	// Duration is how long the connections send.
	Duration time.Duration
	// Live, when not nil (and fresh for each Run), is updated as the run goes, so that a caller can
	// read rates over a window while the connections send.
	Live *Live
	// Drain bounds the wait, after sending stops, for the pongs still due
	// (KindPing only); 10 s when zero.
	Drain time.Duration
}

// TrafficResult is what the client saw of a Run.
type TrafficResult struct {
	// Sent counts the messages written.
	Sent uint64
	// Answered counts the pongs read that answer a ping of this run
	// (KindPing only).
	Answered uint64
	// Elapsed is the sending time.
	Elapsed time.Duration
	// Latency summarises the round trips of timed pings (KindPing with a
	// positive Rate).
	Latency Latency
	// Failed counts connections that broke during the run.
	Failed int
	// FirstError is the first breakage, if any.
	FirstError error
}

// SendRate returns messages written per second.
func (r TrafficResult) SendRate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Sent) / r.Elapsed.Seconds()
}

// floodRepeat is how many rings one unpaced write carries (1,024 frames:
// 32 KiB of pings), so that a flood costs the client few system calls.
const floodRepeat = 16

// Live are the counts of a Run while it goes.
type Live struct {
	sent, answered atomic.Uint64
}

// Sent returns the messages written so far.
func (l *Live) Sent() uint64 { return l.sent.Load() }

// Answered returns the pongs read so far (each one proves the node handled
// a ping).
func (l *Live) Answered() uint64 { return l.answered.Load() }

// tick is the pacing period of rate-limited senders.
const tick = 10 * time.Millisecond

// Run makes every connection of p send tr.Kind for tr.Duration while a
// reader per connection answers the node's pings and counts pongs. The
// connections stay open afterwards.
func Run(p *Pool, tr Traffic) TrafficResult {
	if tr.Drain <= 0 {
		tr.Drain = 10 * time.Second
	}
	if tr.Live == nil {
		tr.Live = &Live{}
	}
	run := &runState{traffic: tr, epoch: time.Now(), Live: tr.Live}
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	for _, c := range p.Conns {
		_ = c.nc.SetReadDeadline(time.Time{})
		readers.Go(func() { run.read(c, stop) })
		writers.Go(func() { run.write(c, stop) })
	}
	time.Sleep(tr.Duration)
	close(stop)
	// A writer blocked on a node that stopped reading is released now.
	for _, c := range p.Conns {
		_ = c.nc.SetWriteDeadline(time.Now())
	}
	writers.Wait()
	elapsed := time.Since(run.epoch)
	if tr.Kind == KindPing {
		deadline := time.Now().Add(tr.Drain)
		for run.answered.Load() < run.sent.Load() && time.Now().Before(deadline) && run.alive() {
			time.Sleep(5 * time.Millisecond)
		}
	}
	for _, c := range p.Conns {
		_ = c.nc.SetReadDeadline(time.Now())
	}
	readers.Wait()
	for _, c := range p.Conns {
		_ = c.nc.SetReadDeadline(time.Time{})
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	return TrafficResult{
		Sent:       run.sent.Load(),
		Answered:   run.answered.Load(),
		Elapsed:    elapsed,
		Latency:    Summarize(run.samples),
		Failed:     run.failed,
		FirstError: run.firstErr,
	}
}

// runState is shared by the goroutines of one Run.
type runState struct {
	traffic Traffic
	epoch   time.Time
	*Live
	broken   atomic.Int64
	mu       sync.Mutex
	samples  []time.Duration
	failed   int
	firstErr error
}

// alive reports whether some connection is still unbroken (so pongs can
// still come).
func (s *runState) alive() bool { return s.broken.Load() == 0 }

// fail records a connection breaking.
func (s *runState) fail(err error) {
	s.broken.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed++
	if s.firstErr == nil {
		s.firstErr = err
	}
}

// writeFrames writes b, a run of frames of frameLen bytes each, and returns
// how many bytes went out. A write cut short (by the deadline the end of a
// run sets) is completed up to the end of the frame it stopped in, so that
// the stream stays in step and the count of whole frames is exact.
func (c *Conn) writeFrames(b []byte, frameLen int) (int, error) {
	if err := c.nc.SetWriteDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return 0, err
	}
	n, err := c.nc.Write(b)
	if err != nil && n%frameLen != 0 {
		rest := frameLen - n%frameLen
		if c.write(b[n:n+rest], 30*time.Second) == nil {
			n += rest
		}
	}
	return n, err
}

// failUnlessStopped records a write failure, except a deadline the end of
// the run imposed.
func (s *runState) failUnlessStopped(err error, stop <-chan struct{}) {
	select {
	case <-stop:
		if isTimeout(err) {
			return
		}
	default:
	}
	s.fail(err)
}

// timed reports whether pings carry their send time.
func (s *runState) timed() bool { return s.traffic.Kind == KindPing && s.traffic.Rate > 0 }

// write is the sender of one connection.
func (s *runState) write(c *Conn, stop <-chan struct{}) {
	if s.traffic.Kind == KindIdle {
		return
	}
	ring, err := batch(c.bn, s.traffic.Kind)
	if err != nil {
		s.fail(err)
		return
	}
	frameLen := len(ring) / ringSize
	if s.traffic.Rate <= 0 {
		big := bytes.Repeat(ring, floodRepeat)
		for {
			select {
			case <-stop:
				return
			default:
			}
			n, err := c.writeFrames(big, frameLen)
			s.sent.Add(uint64(n / frameLen))
			if err != nil {
				s.failUnlessStopped(err, stop)
				return
			}
		}
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	start := time.Now()
	var done uint64
	var out []byte
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		due := uint64(time.Since(start).Seconds() * s.traffic.Rate)
		out = out[:0]
		for i := done; i < due; i++ {
			if s.timed() {
				out = s.appendTimedPing(out, c.bn)
			} else {
				k := int(i % ringSize)
				out = append(out, ring[k*frameLen:(k+1)*frameLen]...)
			}
		}
		if len(out) == 0 {
			continue
		}
		n, err := c.writeFrames(out, frameLen)
		s.sent.Add(uint64(n / frameLen))
		if err != nil {
			s.failUnlessStopped(err, stop)
			return
		}
		done = due
	}
}

// appendTimedPing appends a ping whose nonce is its send time, in
// nanoseconds since the run began (never zero).
func (s *runState) appendTimedPing(out []byte, bn wire.BitcoinNet) []byte {
	var payload [8]byte
	binary.LittleEndian.PutUint64(payload[:], uint64(time.Since(s.epoch))+1)
	return appendFrame(out, bn, wire.CmdPing, payload[:])
}

// read is the reader of one connection: it answers pings, counts pongs and
// takes round-trip samples from timed ones, until its read deadline is set
// into the past.
func (s *runState) read(c *Conn, stop <-chan struct{}) {
	var local []time.Duration
	defer func() {
		s.mu.Lock()
		s.samples = append(s.samples, local...)
		s.mu.Unlock()
	}()
	for {
		f, buf, err := readFrame(c.r, c.bn, c.buf)
		c.buf = buf
		if err != nil {
			if !isTimeout(err) {
				s.fail(err)
			}
			return
		}
		switch f.command {
		case wire.CmdPong:
			s.answered.Add(1)
			if s.timed() && len(f.payload) == 8 {
				sentAt := time.Duration(binary.LittleEndian.Uint64(f.payload) - 1)
				local = append(local, time.Since(s.epoch)-sentAt)
			}
		case wire.CmdPing:
			if err := c.answerPing(f, 30*time.Second); err != nil {
				s.failUnlessStopped(err, stop)
				return
			}
		}
	}
}

// isTimeout reports whether err is a deadline expiring.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}
