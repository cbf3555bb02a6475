package replay

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/telemetry/capture"
)

// Skipped lists the recorded message types Replay never re-sends: the
// client's own handshake already sent version, verack and the negotiation
// messages, and wtxidrelay, sendaddrv2 and sendtxrcncl are only valid
// before verack.
var Skipped = []string{wire.CmdVersion, wire.CmdVerAck, wire.CmdWTxIdRelay, wire.CmdSendAddrV2, "sendtxrcncl"}

// IsSkipped reports whether Replay skips recorded messages of type cmd.
func IsSkipped(cmd string) bool {
	for _, s := range Skipped {
		if s == cmd {
			return true
		}
	}
	return false
}

// SpeedMax is the Speed that sends as fast as possible.
const SpeedMax = 0

// Result says what a replay did.
type Result struct {
	// Sent counts the replayed messages per type.
	Sent map[string]int
	// Skipped counts the recorded messages not re-sent, per type.
	Skipped map[string]int
	// Elapsed is the time from the first replayed message to the end of
	// the final flush.
	Elapsed time.Duration
}

// Total returns the number of replayed messages.
func (r Result) Total() int {
	n := 0
	for _, v := range r.Sent {
		n += v
	}
	return n
}

// Replay sends the records in order over c, skipping the types in Skipped.
// With speed > 0 record i is sent (t_i - t_0) / speed after the first one
// (a record whose time goes backwards is sent at once); with SpeedMax
// (or any speed <= 0) they are sent back to back. It then flushes (see
// Client.Flush). On error the Result holds what was sent before it.
func Replay(ctx context.Context, c *Client, records iter.Seq[capture.Record], speed float64) (Result, error) {
	res := Result{Sent: map[string]int{}, Skipped: map[string]int{}}
	var first time.Time
	var start time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for rec := range records {
		if IsSkipped(rec.Command) {
			res.Skipped[rec.Command]++
			continue
		}
		if start.IsZero() {
			first, start = rec.Time, time.Now()
		} else if speed > 0 {
			due := start.Add(time.Duration(float64(rec.Time.Sub(first)) / speed))
			if wait := time.Until(due); wait > 0 {
				timer.Reset(wait)
				select {
				case <-timer.C:
				case <-ctx.Done():
					return res, ctx.Err()
				case <-c.done:
					return res, fmt.Errorf("replay: connection ended after %d messages: %w", res.Total(), c.readErr)
				}
			}
		}
		if err := c.send(rec.Command, rec.Payload, false); err != nil {
			return res, fmt.Errorf("after %d messages: %w", res.Total(), err)
		}
		res.Sent[rec.Command]++
	}
	if start.IsZero() {
		start = time.Now()
	}
	err := c.Flush(ctx)
	res.Elapsed = time.Since(start)
	return res, err
}

// Expected returns what a node should count as received from a replay
// client: the replayed messages, the client's own messages and a pong per
// ping it answered.
func Expected(res Result, c *Client) map[string]int {
	out := maps.Clone(res.Sent)
	for k, v := range c.Own() {
		out[k] += v
	}
	if p := c.Pongs(); p > 0 {
		out[wire.CmdPong] += p
	}
	return out
}
