package wiretest

import (
	"fmt"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// Expect reads until a message with the given command arrives and returns
// it; the messages read before it are recorded (see Others). It fails when
// timeout passes first or the connection breaks.
func (c *Client) Expect(command string, timeout time.Duration) (wire.Message, error) {
	deadline := time.Now().Add(timeout)
	for {
		msg, cmd, err := c.ReadMessage(time.Until(deadline))
		if err != nil {
			return nil, fmt.Errorf("wiretest: waiting for %q: %w", command, err)
		}
		if cmd == command {
			return msg, nil
		}
		c.record(cmd, msg)
	}
}

// AnswerPings reads messages for duration, answering every ping with a pong
// and recording everything else, and returns how many pings it answered. The
// duration running out is the normal end and not an error.
func (c *Client) AnswerPings(duration time.Duration) (int, error) {
	deadline := time.Now().Add(duration)
	answered := 0
	for {
		msg, cmd, err := c.ReadMessage(time.Until(deadline))
		if IsTimeout(err) {
			return answered, nil
		}
		if err != nil {
			return answered, err
		}
		if ping, ok := msg.(*wire.MsgPing); ok {
			if err := c.WriteMessage(wire.NewMsgPong(ping.Nonce)); err != nil {
				return answered, err
			}
			answered++
			continue
		}
		c.record(cmd, msg)
	}
}

// Ping sends a ping with nonce and waits for the pong carrying the same
// nonce, answering the node's own pings and recording other messages
// meanwhile. It returns the round-trip time.
func (c *Client) Ping(nonce uint64, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	sent := time.Now()
	if err := c.WriteMessage(wire.NewMsgPing(nonce)); err != nil {
		return 0, fmt.Errorf("wiretest: send ping: %w", err)
	}
	for {
		msg, cmd, err := c.ReadMessage(time.Until(deadline))
		if err != nil {
			return 0, fmt.Errorf("wiretest: waiting for pong %d: %w", nonce, err)
		}
		switch m := msg.(type) {
		case *wire.MsgPong:
			if m.Nonce == nonce {
				return time.Since(sent), nil
			}
			c.record(cmd, msg)
		case *wire.MsgPing:
			if err := c.WriteMessage(wire.NewMsgPong(m.Nonce)); err != nil {
				return 0, err
			}
		default:
			c.record(cmd, msg)
		}
	}
}
