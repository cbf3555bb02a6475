package wiretest

import (
	"fmt"
	"net"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// dialTimeout bounds connecting to a node.
const dialTimeout = 30 * time.Second

// writeTimeout bounds one write; a node that stops reading makes writes fail
// rather than hang.
const writeTimeout = 30 * time.Second

// Received is a message the client read but that the caller did not ask for
// (recorded by Expect, Ping, AnswerPings and Handshake).
type Received struct {
	// Command is the frame's command string.
	Command string
	// Msg is the decoded message; *Unknown for unknown commands.
	Msg wire.Message
	// At is when the client read it.
	At time.Time
}

// Client is one P2P connection to or from a node.
type Client struct {
	conn    net.Conn
	net     wire.BitcoinNet
	inbound bool
	pending []byte
	// chunk is the reusable read buffer of fill.
	chunk  []byte
	others []Received
	remote *wire.MsgVersion
	feats  PeerFeatures
}

// Dial connects to addr (host:port) and returns a client speaking net's
// magic (wire.TestNet for regtest). No handshake is done.
func Dial(addr string, bn wire.BitcoinNet) (*Client, error) {
	return dial(addr, bn, nil)
}

// DialFrom is Dial with the local address bound to localIP (for example
// 127.0.0.2, which lets a test look like a non-127.0.0.1 peer on loopback).
func DialFrom(localIP, addr string, bn wire.BitcoinNet) (*Client, error) {
	ip := net.ParseIP(localIP)
	if ip == nil {
		return nil, fmt.Errorf("wiretest: bad local IP %q", localIP)
	}
	return dial(addr, bn, ip)
}

// dial connects with an optional local IP.
func dial(addr string, bn wire.BitcoinNet, local net.IP) (*Client, error) {
	d := net.Dialer{Timeout: dialTimeout}
	if local != nil {
		d.LocalAddr = &net.TCPAddr{IP: local}
	}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("wiretest: dial %s: %w", addr, err)
	}
	return &Client{conn: conn, net: bn}, nil
}

// LocalAddr returns the client's end of the connection.
func (c *Client) LocalAddr() string { return c.conn.LocalAddr().String() }

// RemoteAddr returns the node's end of the connection.
func (c *Client) RemoteAddr() string { return c.conn.RemoteAddr().String() }

// Inbound reports whether the node dialed the client (see Listen).
func (c *Client) Inbound() bool { return c.inbound }

// Close closes the connection. It is safe to call more than once and
// concurrently with other methods.
func (c *Client) Close() error { return c.conn.Close() }

// Others returns the messages read but not asked for, oldest first.
func (c *Client) Others() []Received { return append([]Received(nil), c.others...) }

// ResetOthers forgets the recorded messages; long-running users call it to
// bound memory.
func (c *Client) ResetOthers() { c.others = nil }

// record keeps a message the caller did not ask for.
func (c *Client) record(cmd string, msg wire.Message) {
	c.others = append(c.others, Received{Command: cmd, Msg: msg, At: time.Now()})
}

// WriteRaw writes b unchanged: a hand-built frame, part of one, or garbage.
func (c *Client) WriteRaw(b []byte) error {
	if err := c.conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	_, err := c.conn.Write(b)
	return err
}

// WriteMessage writes msg as a well-formed frame at ProtocolVersion.
func (c *Client) WriteMessage(msg wire.Message) error {
	frame, err := MessageFrame(c.net, msg)
	if err != nil {
		return err
	}
	return c.WriteRaw(frame)
}
