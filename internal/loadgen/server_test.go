package loadgen

import (
	"bufio"
	"net"
	"sync"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"
)

// testNet is the magic every test speaks (regtest's).
const testNet = wire.TestNet

// fakeNode is a minimal in-test node on a real loopback listener: it
// answers a version with version and verack, every ping with a pong
// (optionally preceded by a stray pong with a wrong nonce) and counts what
// it receives by command.
type fakeNode struct {
	ln         net.Listener
	strayPongs bool
	mu         sync.Mutex
	counts     map[string]int
	wg         sync.WaitGroup
}

// startFakeNode listens on a free loopback port until the test ends.
func startFakeNode(t *testing.T, strayPongs bool) *fakeNode {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n := &fakeNode{ln: ln, strayPongs: strayPongs, counts: map[string]int{}}
	conns := make(chan net.Conn, 1024)
	n.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(conns)
				return
			}
			conns <- c
			n.wg.Go(func() { n.serve(c) })
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		for c := range conns {
			_ = c.Close()
		}
		n.wg.Wait()
	})
	return n
}

// target returns a Target for the fake node.
func (n *fakeNode) target() Target { return Target{Addr: n.ln.Addr().String(), Net: testNet} }

// count returns how many messages of command the node received.
func (n *fakeNode) count(command string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.counts[command]
}

// serve speaks to one connection until it closes.
func (n *fakeNode) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	var buf []byte
	for {
		f, b, err := readFrame(r, testNet, buf)
		buf = b
		if err != nil {
			return
		}
		n.mu.Lock()
		n.counts[f.command]++
		n.mu.Unlock()
		var out []byte
		switch f.command {
		case wire.CmdVersion:
			v := wire.NewMsgVersion(netAddress(c.LocalAddr()), netAddress(c.RemoteAddr()), 7, 0)
			vf, err := encodeMessage(testNet, v)
			if err != nil {
				return
			}
			// A ping of its own before the verack, as a node may send.
			out = append(vf, appendFrame(nil, testNet, wire.CmdPing, []byte{1, 2, 3, 4, 5, 6, 7, 8})...)
			out = appendFrame(out, testNet, wire.CmdVerAck, nil)
		case wire.CmdPing:
			if n.strayPongs {
				out = appendFrame(out, testNet, wire.CmdPong, []byte{9, 9, 9, 9, 9, 9, 9, 9})
			}
			out = appendFrame(out, testNet, wire.CmdPong, f.payload)
		}
		if len(out) > 0 {
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}
}
