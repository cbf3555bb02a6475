package replay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"net"
	"sync"
	"time"

	"github.com/actornode/actornode/sockman"
	"github.com/btcsuite/btcd/wire/v2"
)

// ProtocolVersion is the protocol version the client announces.
const ProtocolVersion = 70016

// DefaultUserAgent is the user agent announced when Options has none.
const DefaultUserAgent = "/actornode-replay:0.1.0/"

// defaultTimeout bounds the handshake and the final ping when Options
// gives no timeout.
const defaultTimeout = 30 * time.Second

// Options say where and how to connect.
type Options struct {
	// Addr is the node's P2P address, host:port.
	Addr string
	// Net is the network magic.
	Net wire.BitcoinNet
	// UserAgent is announced in the version; DefaultUserAgent when empty.
	UserAgent string
	// Relay is the version's relay flag (ask the node to announce
	// transactions).
	Relay bool
	// WtxidRelay and SendAddrV2 send those negotiation messages in the
	// handshake (set them when the recorded peer sent them).
	WtxidRelay bool
	SendAddrV2 bool
	// Timeout bounds the dial, the handshake and the final ping; 30 s when
	// zero.
	Timeout time.Duration
}

// Client is a connection to a node after a completed handshake. Its
// reader goroutine answers pings until Close.
type Client struct {
	conn    net.Conn
	bn      wire.BitcoinNet
	timeout time.Duration

	wmu sync.Mutex
	buf []byte

	mu        sync.Mutex
	own       map[string]int
	recv      map[string]int
	pongs     int
	remote    *wire.MsgVersion
	flushWant uint64

	versionCh chan struct{}
	verackCh  chan struct{}
	flushCh   chan struct{}
	done      chan struct{}
	readErr   error
}

// Dial connects to opts.Addr and performs the handshake (see the package
// doc). On error the connection is closed.
func Dial(ctx context.Context, opts Options) (*Client, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("replay: connect %s: %w", opts.Addr, err)
	}
	c := &Client{conn: conn, bn: opts.Net, timeout: opts.Timeout, own: map[string]int{}, recv: map[string]int{},
		versionCh: make(chan struct{}), verackCh: make(chan struct{}), flushCh: make(chan struct{}), done: make(chan struct{})}
	go c.readLoop()
	if err := c.handshake(ctx, opts); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// handshake sends version, waits for the node's, sends the negotiation
// messages and verack, and waits for the node's verack.
func (c *Client) handshake(ctx context.Context, opts Options) error {
	if err := c.sendMessage(c.versionMessage(opts)); err != nil {
		return err
	}
	if err := c.wait(ctx, c.versionCh, "the node's version"); err != nil {
		return err
	}
	c.mu.Lock()
	common := min(c.remote.ProtocolVersion, ProtocolVersion)
	c.mu.Unlock()
	var msgs []wire.Message
	if common >= int32(wire.AddrV2Version) {
		if opts.WtxidRelay {
			msgs = append(msgs, wire.NewMsgWTxIdRelay())
		}
		if opts.SendAddrV2 {
			msgs = append(msgs, wire.NewMsgSendAddrV2())
		}
	}
	msgs = append(msgs, wire.NewMsgVerAck())
	for _, m := range msgs {
		if err := c.sendMessage(m); err != nil {
			return err
		}
	}
	return c.wait(ctx, c.verackCh, "the node's verack")
}

// versionMessage builds the client's version.
func (c *Client) versionMessage(opts Options) *wire.MsgVersion {
	services := wire.SFNodeNetwork | wire.SFNodeWitness
	me := wire.NewNetAddress(tcpAddr(c.conn.LocalAddr()), services)
	you := wire.NewNetAddress(tcpAddr(c.conn.RemoteAddr()), 0)
	v := wire.NewMsgVersion(me, you, randomNonce(), 0)
	v.ProtocolVersion = ProtocolVersion
	v.Services = services
	v.UserAgent = opts.UserAgent
	v.DisableRelayTx = !opts.Relay
	return v
}

// wait blocks until ch closes, the reader stops, or ctx ends.
func (c *Client) wait(ctx context.Context, ch <-chan struct{}, what string) error {
	select {
	case <-ch:
		return nil
	case <-c.done:
		return fmt.Errorf("replay: connection ended waiting for %s: %w", what, c.readErr)
	case <-ctx.Done():
		return fmt.Errorf("replay: waiting for %s: %w", what, ctx.Err())
	}
}

// readLoop reads the node's messages until the connection ends: it
// answers pings, records the version, signals verack and the flush pong.
func (c *Client) readLoop() {
	defer close(c.done)
	dec := sockman.NewDecoder(bufio.NewReader(c.conn), c.bn, 0)
	versionSeen, verackSeen := false, false
	for {
		f, err := dec.Next()
		var magic *sockman.BadMagicError
		if errors.As(err, &magic) {
			err = fmt.Errorf("replay: %w (wrong --network?)", err)
		}
		if err != nil {
			c.readErr = err
			return
		}
		cmd, payload := f.Command, f.Payload
		c.mu.Lock()
		c.recv[cmd]++
		c.mu.Unlock()
		switch cmd {
		case wire.CmdVersion:
			var v wire.MsgVersion
			if err := v.BtcDecode(bytes.NewBuffer(payload), ProtocolVersion, wire.BaseEncoding); err != nil {
				c.readErr = fmt.Errorf("replay: node's version: %w", err)
				_ = c.conn.Close()
				return
			}
			if !versionSeen {
				versionSeen = true
				c.mu.Lock()
				c.remote = &v
				c.mu.Unlock()
				close(c.versionCh)
			}
		case wire.CmdVerAck:
			if !verackSeen {
				verackSeen = true
				close(c.verackCh)
			}
		case wire.CmdPing:
			if len(payload) == 8 {
				if err := c.send(wire.CmdPong, payload, false); err != nil {
					c.readErr = err
					return
				}
				c.mu.Lock()
				c.pongs++
				c.mu.Unlock()
			}
		case wire.CmdPong:
			if len(payload) == 8 {
				c.mu.Lock()
				if want := c.flushWant; want != 0 && binary.LittleEndian.Uint64(payload) == want {
					c.flushWant = 0
					close(c.flushCh)
				}
				c.mu.Unlock()
			}
		}
	}
}

// sendMessage encodes and sends one of the client's own messages.
func (c *Client) sendMessage(m wire.Message) error {
	var b bytes.Buffer
	if err := m.BtcEncode(&b, ProtocolVersion, wire.WitnessEncoding); err != nil {
		return fmt.Errorf("replay: encode %s: %w", m.Command(), err)
	}
	return c.send(m.Command(), b.Bytes(), true)
}

// send writes one frame; own says it counts among the client's own
// messages (replayed ones are counted by Replay, pongs by readLoop).
func (c *Client) send(cmd string, payload []byte, own bool) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var err error
	if c.buf, err = sockman.AppendFrame(c.buf[:0], c.bn, cmd, payload); err != nil {
		return fmt.Errorf("replay: send %s: %w", cmd, err)
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	if _, err := c.conn.Write(c.buf); err != nil {
		return fmt.Errorf("replay: send %s: %w", cmd, err)
	}
	if own {
		c.mu.Lock()
		c.own[cmd]++
		c.mu.Unlock()
	}
	return nil
}

// Flush sends a ping of the client's own and waits for its pong: when it
// returns nil the node has read everything sent before.
func (c *Client) Flush(ctx context.Context) error {
	nonce := randomNonce()
	c.mu.Lock()
	c.flushWant = nonce
	c.flushCh = make(chan struct{})
	ch := c.flushCh
	c.mu.Unlock()
	var p [8]byte
	binary.LittleEndian.PutUint64(p[:], nonce)
	if err := c.send(wire.CmdPing, p[:], true); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.wait(ctx, ch, "the pong to the final ping")
}

// Own returns how many messages of its own the client sent per type
// (version, wtxidrelay, sendaddrv2, verack, flush pings).
func (c *Client) Own() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.own)
}

// Pongs returns how many of the node's pings the client answered.
func (c *Client) Pongs() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pongs
}

// Received returns how many messages the node sent per type.
func (c *Client) Received() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.recv)
}

// RemoteVersion returns the node's version message.
func (c *Client) RemoteVersion() *wire.MsgVersion {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote
}

// LocalAddr returns the client's end of the connection.
func (c *Client) LocalAddr() string { return c.conn.LocalAddr().String() }

// Close closes the connection and waits for the reader to stop.
func (c *Client) Close() error {
	err := c.conn.Close()
	<-c.done
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// randomNonce returns a random non-zero nonce.
func randomNonce() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		if n := binary.LittleEndian.Uint64(b[:]); n != 0 {
			return n
		}
	}
}

// tcpAddr converts a connection address to *net.TCPAddr.
func tcpAddr(a net.Addr) *net.TCPAddr {
	if t, ok := a.(*net.TCPAddr); ok {
		return t
	}
	return &net.TCPAddr{IP: net.IPv4zero}
}
