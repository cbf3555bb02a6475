package peerman_test

import (
	"encoding/binary"
	"maps"
	"net"
	"strings"
	"sync"
	"testing"
)

// tally counts the frames flowing one way through a proxy, independently
// of the node: total bytes, wire bytes per command and the command order.
type tally struct {
	mu     sync.Mutex
	total  uint64
	perCmd map[string]uint64
	order  []string
	buf    []byte
}

// feed parses whatever complete frames b completes.
func (t *tally) feed(b []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += uint64(len(b))
	t.buf = append(t.buf, b...)
	for len(t.buf) >= 24 {
		n := 24 + int(binary.LittleEndian.Uint32(t.buf[16:20]))
		if len(t.buf) < n {
			return
		}
		cmd := strings.TrimRight(string(t.buf[4:16]), "\x00")
		t.perCmd[cmd] += uint64(n)
		t.order = append(t.order, cmd)
		t.buf = t.buf[n:]
	}
}

// get returns the total, a copy of the per-command map and of the order.
func (t *tally) get() (uint64, map[string]uint64, []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total, maps.Clone(t.perCmd), append([]string(nil), t.order...)
}

// proxy relays one TCP connection to target and tallies both directions:
// up is accepted side -> target, down is target -> accepted side.
type proxy struct {
	ln       net.Listener
	up, down *tally
	mu       sync.Mutex
	conns    []net.Conn
}

// newProxy listens on loopback and relays the first connection to target.
func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, up: &tally{perCmd: map[string]uint64{}}, down: &tally{perCmd: map[string]uint64{}}}
	t.Cleanup(p.close)
	go p.serve(target)
	return p
}

// addr is where to connect to reach target through the proxy.
func (p *proxy) addr() string { return p.ln.Addr().String() }

// serve accepts one connection and relays it.
func (p *proxy) serve(target string) {
	in, err := p.ln.Accept()
	if err != nil {
		return
	}
	out, err := net.Dial("tcp", target)
	if err != nil {
		_ = in.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, in, out)
	p.mu.Unlock()
	go relay(in, out, p.up)
	go relay(out, in, p.down)
}

// relay copies src to dst through t until either side ends, then closes both.
func relay(src, dst net.Conn, t *tally) {
	defer func() { _ = src.Close(); _ = dst.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			t.feed(buf[:n])
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// close stops the proxy and its connections.
func (p *proxy) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
}
