package wiretest

import (
	"fmt"
	"net"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// Listener accepts connections from a node on a loopback port, for tests
// where the node dials the client.
type Listener struct {
	l  *net.TCPListener
	bn wire.BitcoinNet
}

// Listen opens a listener on a free 127.0.0.1 port for network bn.
func Listen(bn wire.BitcoinNet) (*Listener, error) {
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, fmt.Errorf("wiretest: listen: %w", err)
	}
	return &Listener{l: l, bn: bn}, nil
}

// Addr returns the listening address as host:port, to give to the node.
func (l *Listener) Addr() string { return l.l.Addr().String() }

// Accept waits at most timeout for one connection and returns it as an
// inbound Client: its Handshake waits for the node's version first.
func (l *Listener) Accept(timeout time.Duration) (*Client, error) {
	if err := l.l.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	conn, err := l.l.Accept()
	if err != nil {
		return nil, fmt.Errorf("wiretest: accept on %s: %w", l.Addr(), err)
	}
	return &Client{conn: conn, net: l.bn, inbound: true}, nil
}

// Close stops listening; accepted clients stay open.
func (l *Listener) Close() error { return l.l.Close() }
