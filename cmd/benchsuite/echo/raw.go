package echo

import (
	"bufio"
	"net"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/sockman"
)

// ServeRaw accepts connections on ln until it is closed, answering every
// ping frame with a pong frame carrying the same nonce.
func ServeRaw(ln net.Listener, bn wire.BitcoinNet) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go rawConn(c, bn)
	}
}

// rawConn serves one connection until it breaks.
func rawConn(c net.Conn, bn wire.BitcoinNet) {
	defer c.Close()
	dec := sockman.NewDecoder(bufio.NewReader(c), bn, 0)
	var out []byte
	for {
		f, err := dec.Next()
		if err != nil {
			return
		}
		if f.Command != "ping" {
			continue
		}
		out, _ = sockman.AppendFrame(out[:0], bn, "pong", f.Payload)
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}
