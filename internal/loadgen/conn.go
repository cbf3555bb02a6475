package loadgen

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// protocolVersion is the protocol version the client announces and encodes
// with (wtxidrelay, BIP339).
const protocolVersion = 70016

// readBufferSize is the read buffer of one connection: small, so that ten
// thousand idle connections cost the client little.
const readBufferSize = 4096

// Conn is one client connection to the node under test. It is used by one
// goroutine at a time, except Close, which may be called at any time.
type Conn struct {
	nc  net.Conn
	bn  wire.BitcoinNet
	r   *bufio.Reader
	buf []byte
	// remote is the node's version, set by Handshake.
	remote *wire.MsgVersion
}

// Dial connects to addr (host:port) speaking bn's magic (wire.TestNet for
// regtest), without a handshake.
func Dial(addr string, bn wire.BitcoinNet, timeout time.Duration) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("loadgen: dial %s: %w", addr, err)
	}
	return &Conn{nc: nc, bn: bn, r: bufio.NewReaderSize(nc, readBufferSize)}, nil
}

// Close closes the connection; calling it again does nothing harmful.
func (c *Conn) Close() error { return c.nc.Close() }

// LocalAddr returns the client's end of the connection as host:port.
func (c *Conn) LocalAddr() string { return c.nc.LocalAddr().String() }

// RemoteVersion returns the node's version message, or nil before a
// successful Handshake.
func (c *Conn) RemoteVersion() *wire.MsgVersion { return c.remote }

// write writes b whole, failing after timeout.
func (c *Conn) write(b []byte, timeout time.Duration) error {
	if err := c.nc.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	_, err := c.nc.Write(b)
	return err
}

// read reads the next frame, failing once deadline has passed.
func (c *Conn) read(deadline time.Time) (frame, error) {
	if err := c.nc.SetReadDeadline(deadline); err != nil {
		return frame{}, err
	}
	f, buf, err := readFrame(c.r, c.bn, c.buf)
	c.buf = buf
	return f, err
}

// answerPing writes the pong of a ping frame from the node.
func (c *Conn) answerPing(f frame, timeout time.Duration) error {
	return c.write(appendFrame(nil, c.bn, wire.CmdPong, f.payload), timeout)
}

// Handshake does the version handshake the way Bitcoin Core does on an
// outbound connection: it sends version, wtxidrelay, sendaddrv2 and verack
// in one write, then reads until the node's version and verack have both
// arrived, answering pings on the way. It fails when timeout passes first.
func (c *Conn) Handshake(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	hello, err := helloFrames(c.bn, c.nc)
	if err != nil {
		return err
	}
	if err := c.write(hello, timeout); err != nil {
		return fmt.Errorf("loadgen: send version: %w", err)
	}
	var gotVersion, gotVerack bool
	for !gotVersion || !gotVerack {
		f, err := c.read(deadline)
		if err != nil {
			return fmt.Errorf("loadgen: handshake: %w", err)
		}
		switch f.command {
		case wire.CmdVersion:
			var v wire.MsgVersion
			if err := v.BtcDecode(bytesReader(f.payload), protocolVersion, wire.BaseEncoding); err != nil {
				return fmt.Errorf("loadgen: node's version: %w", err)
			}
			c.remote, gotVersion = &v, true
		case wire.CmdVerAck:
			gotVerack = true
		case wire.CmdPing:
			if err := c.answerPing(f, time.Until(deadline)); err != nil {
				return err
			}
		}
	}
	return nil
}

// errNoPong is returned when a connection breaks while a ping waits.
var errNoPong = errors.New("loadgen: no pong")

// Ping sends a ping with nonce and waits for the pong with the same nonce,
// answering the node's own pings and skipping other messages meanwhile. It
// returns the round-trip time.
func (c *Conn) Ping(nonce uint64, timeout time.Duration) (time.Duration, error) {
	var payload [8]byte
	binary.LittleEndian.PutUint64(payload[:], nonce)
	out := appendFrame(make([]byte, 0, headerSize+8), c.bn, wire.CmdPing, payload[:])
	start := time.Now()
	deadline := start.Add(timeout)
	if err := c.write(out, timeout); err != nil {
		return 0, fmt.Errorf("loadgen: send ping: %w", err)
	}
	for {
		f, err := c.read(deadline)
		if err != nil {
			return 0, fmt.Errorf("%w: %w", errNoPong, err)
		}
		switch f.command {
		case wire.CmdPong:
			if len(f.payload) == 8 && binary.LittleEndian.Uint64(f.payload) == nonce {
				return time.Since(start), nil
			}
		case wire.CmdPing:
			if err := c.answerPing(f, time.Until(deadline)); err != nil {
				return 0, err
			}
		}
	}
}
