package wiretest

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// DefaultUserAgent is the user agent Handshake announces when none is given.
const DefaultUserAgent = "/wiretest:0.1.0/"

// defaultHandshakeTimeout bounds a handshake when no timeout is given.
const defaultHandshakeTimeout = 30 * time.Second

// HandshakeOptions are the values the client announces in its handshake.
type HandshakeOptions struct {
	// UserAgent is the version message's user agent; DefaultUserAgent when
	// empty.
	UserAgent string
	// Services are the service bits the client claims.
	Services wire.ServiceFlag
	// Nonce is the version nonce; a random non-zero one when zero.
	Nonce uint64
	// Version is the protocol version announced; ProtocolVersion when zero.
	Version int32
	// StartHeight is the best height the client claims.
	StartHeight int32
	// Relay asks the node to announce transactions.
	Relay bool
	// SendWtxidRelay sends wtxidrelay before verack (BIP339).
	SendWtxidRelay bool
	// SendAddrV2 sends sendaddrv2 before verack (BIP155).
	SendAddrV2 bool
	// Timeout bounds the whole handshake; 30 s when zero.
	Timeout time.Duration
}

// DefaultHandshake returns the options of a modern full-relay peer, as Bitcoin
// Core announces itself: network, witness and network-limited services (a
// node that dials out, btcd included, refuses peers without NODE_NETWORK),
// relay on, wtxidrelay and sendaddrv2.
func DefaultHandshake() HandshakeOptions {
	return HandshakeOptions{
		Services:       wire.SFNodeNetwork | wire.SFNodeWitness | wire.SFNodeNetworkLimited,
		Relay:          true,
		SendWtxidRelay: true,
		SendAddrV2:     true,
	}
}

// PeerFeatures records the negotiation messages the node sent before verack.
type PeerFeatures struct {
	// WtxidRelay is set when the node sent wtxidrelay.
	WtxidRelay bool
	// SendAddrV2 is set when the node sent sendaddrv2.
	SendAddrV2 bool
}

// Handshake performs the version handshake the way Bitcoin Core does. On a
// dialed connection the client sends its version first; on an accepted one
// it waits for the node's. When the node's version arrives the client
// answers (with its own version if inbound), then wtxidrelay and sendaddrv2
// as opted, then verack. It returns the node's version once both the version
// and the verack have arrived, answering pings and recording other messages
// meanwhile.
func (c *Client) Handshake(opts HandshakeOptions) (*wire.MsgVersion, error) {
	opts = opts.withDefaults()
	deadline := time.Now().Add(opts.Timeout)
	ours := c.versionMessage(opts)
	if !c.inbound {
		if err := c.WriteMessage(ours); err != nil {
			return nil, fmt.Errorf("wiretest: send version: %w", err)
		}
	}
	gotVerack := false
	for c.remote == nil || !gotVerack {
		msg, cmd, err := c.ReadMessage(time.Until(deadline))
		if err != nil {
			return nil, fmt.Errorf("wiretest: handshake (version seen %v, verack seen %v): %w", c.remote != nil, gotVerack, err)
		}
		switch m := msg.(type) {
		case *wire.MsgVersion:
			if c.remote != nil {
				return nil, fmt.Errorf("wiretest: node sent a second version")
			}
			c.remote = m
			if err := c.answerVersion(ours, opts); err != nil {
				return nil, err
			}
		case *wire.MsgVerAck:
			gotVerack = true
		case *wire.MsgWTxIdRelay:
			c.feats.WtxidRelay = true
		case *wire.MsgSendAddrV2:
			c.feats.SendAddrV2 = true
		case *wire.MsgPing:
			if err := c.WriteMessage(wire.NewMsgPong(m.Nonce)); err != nil {
				return nil, err
			}
		default:
			c.record(cmd, msg)
		}
	}
	return c.remote, nil
}

// RemoteVersion returns the node's version message, or nil before Handshake
// has seen it.
func (c *Client) RemoteVersion() *wire.MsgVersion { return c.remote }

// Features returns the negotiation messages the node sent in the handshake.
func (c *Client) Features() PeerFeatures { return c.feats }

// answerVersion sends what follows the node's version: our version when
// inbound, the opted feature messages, then verack.
func (c *Client) answerVersion(ours *wire.MsgVersion, opts HandshakeOptions) error {
	msgs := []wire.Message{}
	if c.inbound {
		msgs = append(msgs, ours)
	}
	if min(c.remote.ProtocolVersion, opts.Version) >= int32(wire.AddrV2Version) {
		if opts.SendWtxidRelay {
			msgs = append(msgs, wire.NewMsgWTxIdRelay())
		}
		if opts.SendAddrV2 {
			msgs = append(msgs, wire.NewMsgSendAddrV2())
		}
	}
	msgs = append(msgs, wire.NewMsgVerAck())
	for _, m := range msgs {
		if err := c.WriteMessage(m); err != nil {
			return fmt.Errorf("wiretest: send %s: %w", m.Command(), err)
		}
	}
	return nil
}

// versionMessage builds the client's version message.
func (c *Client) versionMessage(opts HandshakeOptions) *wire.MsgVersion {
	me := wire.NewNetAddress(tcpAddr(c.conn.LocalAddr()), opts.Services)
	you := wire.NewNetAddress(tcpAddr(c.conn.RemoteAddr()), 0)
	v := wire.NewMsgVersion(me, you, opts.Nonce, opts.StartHeight)
	v.ProtocolVersion = opts.Version
	v.Services = opts.Services
	v.UserAgent = opts.UserAgent
	v.DisableRelayTx = !opts.Relay
	return v
}

// withDefaults fills the zero fields that have defaults.
func (o HandshakeOptions) withDefaults() HandshakeOptions {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Nonce == 0 {
		o.Nonce = RandomNonce()
	}
	if o.Version == 0 {
		o.Version = int32(ProtocolVersion)
	}
	if o.Timeout == 0 {
		o.Timeout = defaultHandshakeTimeout
	}
	return o
}

// RandomNonce returns a random non-zero 64-bit nonce.
func RandomNonce() uint64 {
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
