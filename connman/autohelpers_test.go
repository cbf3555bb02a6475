package connman

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/connman/netgroup"
)

// fullNode is the services of the stand-in addrman's addresses: network
// and witness, what full-relay and block-relay-only connections need.
const fullNode = serviceNetwork | serviceWitness

// fixedRand is a Random whose exponential draws are all v: with 1 every
// feeler delay is exactly feelerInterval.
type fixedRand float64

func (r fixedRand) ExpFloat64() float64 { return float64(r) }

// loopbackGroups groups loopback addresses by their second and third
// bytes, as if 127.a.b.c were the public 11.a.b.c, so that one machine can
// host peers in many network groups: 127.1.0.1 and 127.1.0.2 share a
// group, 127.2.0.1 is in another.
func loopbackGroups(a netip.Addr) netgroup.Group {
	a = a.Unmap()
	if !a.Is4() || !netgroup.IsLocal(a) {
		return netgroup.Of(a)
	}
	b := a.As4()
	return netgroup.Of(netip.AddrFrom4([4]byte{11, b[1], b[2], b[3]}))
}

// fakeAddrman stands in for addrman: it answers Select from a pool of
// addresses, in turn, answers SelectTriedCollision with a collision the
// test set (once), and records every question and report.
type fakeAddrman struct {
	mu        sync.Mutex
	pool      []string
	next      int
	collision string
	selects   []*addrmanpb.Select
	tcQueries int
	resolves  int
	reports   []any // *addrmanpb.Attempt, Good, Connected, SetServices
}

// setPool replaces the addresses Select offers.
func (f *fakeAddrman) setPool(addrs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pool, f.next = addrs, 0
}

// setCollision makes the next SelectTriedCollision name addr.
func (f *fakeAddrman) setCollision(addr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.collision = addr
}

// selected answers with addr, or with nothing when addr is empty.
func selected(addr string) *addrmanpb.Selected {
	if addr == "" {
		return &addrmanpb.Selected{}
	}
	ap := netip.MustParseAddrPort(addr)
	b := ap.Addr().As4()
	return &addrmanpb.Selected{Ok: true, Address: addr,
		Addr: &addrmanpb.NetAddr{Network: 1, Addr: b[:], Port: uint32(ap.Port()), Services: fullNode}}
}

// askReports is the test's question for the reports so far; asked through
// the actor's mailbox, it sees every report connman sent before.
type askReports struct{}

// Receive implements actor.Actor.
func (f *fakeAddrman) Receive(ctx actor.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch m := ctx.Message().(type) {
	case *addrmanpb.Select:
		f.selects = append(f.selects, m)
		addr := ""
		if len(f.pool) > 0 {
			addr = f.pool[f.next%len(f.pool)]
			f.next++
		}
		ctx.Respond(selected(addr))
	case *addrmanpb.SelectTriedCollision:
		f.tcQueries++
		ctx.Respond(selected(f.collision))
		f.collision = ""
	case *addrmanpb.ResolveCollisions:
		f.resolves++
	case *addrmanpb.Attempt, *addrmanpb.Good, *addrmanpb.Connected, *addrmanpb.SetServices, *addrmanpb.AddAddresses:
		f.reports = append(f.reports, m)
	case *askReports:
		ctx.Respond(append([]any(nil), f.reports...))
	}
}

// addrmanReports returns what connman reported to addrman so far,
// including everything connman sent before the caller's last exchange
// with connman.
func (h *harness) addrmanReports() []any {
	h.t.Helper()
	pid := h.cfg.Addrman
	res, err := h.sys.Root.RequestFuture(pid, &askReports{}, waitLong).Result()
	if err != nil {
		h.t.Fatal(err)
	}
	return res.([]any)
}

// reportText describes a report for comparisons and failure messages.
func reportText(r any) string {
	switch m := r.(type) {
	case *addrmanpb.Attempt:
		return fmt.Sprintf("Attempt %s count_failure=%v", m.GetAddress(), m.GetCountFailure())
	case *addrmanpb.Good:
		return "Good " + m.GetAddress()
	case *addrmanpb.Connected:
		return "Connected " + m.GetAddress()
	case *addrmanpb.SetServices:
		return fmt.Sprintf("SetServices %s %#x", m.GetAddress(), m.GetServices())
	case *addrmanpb.AddAddresses:
		var addrs []string
		for _, a := range m.GetAddrs() {
			addrs = append(addrs, fmt.Sprintf("%s:%d/%#x", netip.AddrFrom4([4]byte(a.GetAddr())), a.GetPort(), a.GetServices()))
		}
		return fmt.Sprintf("AddAddresses %v from %s", addrs, m.GetSource())
	}
	return fmt.Sprintf("%T", r)
}

// reportsAbout returns the reports naming addr, as text.
func (h *harness) reportsAbout(addr string) []string {
	h.t.Helper()
	var out []string
	for _, r := range h.addrmanReports() {
		var a string
		switch m := r.(type) {
		case *addrmanpb.Attempt:
			a = m.GetAddress()
		case *addrmanpb.Good:
			a = m.GetAddress()
		case *addrmanpb.Connected:
			a = m.GetAddress()
		case *addrmanpb.SetServices:
			a = m.GetAddress()
		case *addrmanpb.AddAddresses:
			a = m.GetSource()
		}
		if a == addr {
			out = append(out, reportText(r))
		}
	}
	return out
}

// waitReports waits until the reports about addr are exactly want.
func (h *harness) waitReports(addr string, want ...string) {
	h.t.Helper()
	var got []string
	deadline := time.Now().Add(waitLong)
	for {
		got = h.reportsAbout(addr)
		if fmt.Sprint(got) == fmt.Sprint(want) {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("reports about %s: %q, want %q", addr, got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// advanceUntil moves the manual clock on by step until cond holds,
// failing after waitLong of real time.
func (h *harness) advanceUntil(what string, step time.Duration, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		h.clock.Advance(step)
		time.Sleep(10 * time.Millisecond)
	}
}

// remote is a peer listening on a loopback address of its own: it
// accepts every connection and keeps it open until told otherwise.
type remote struct {
	addr  string
	l     *net.TCPListener
	mu    sync.Mutex
	conns []net.Conn
}

// listenRemote listens on ip (a 127/8 address) at a free port.
func listenRemote(t *testing.T, ip string) *remote {
	t.Helper()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.ParseIP(ip)})
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	r := &remote{addr: l.Addr().String(), l: l}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			r.conns = append(r.conns, c)
			r.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		r.closeAll()
	})
	return r
}

// accepted returns how many connections the remote accepted.
func (r *remote) accepted() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.conns)
}

// drop waits until the remote has accepted n connections, then closes
// them all, as a peer going away.
func (r *remote) drop(t *testing.T, n int) {
	t.Helper()
	eventually(t, "the remote's accept", func() bool { return r.accepted() >= n })
	r.closeAll()
}

// closeAll closes the accepted connections.
func (r *remote) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		_ = c.Close()
	}
}

// closedAddr returns a loopback address in its own network group that
// nothing listens on.
func closedAddr(t *testing.T, ip string) string {
	t.Helper()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.ParseIP(ip)})
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// autoOptions is a harness with the stand-in addrman, loopback network
// groups and exact feeler delays; adjust changes the config further.
func autoOptions(f *fakeAddrman, adjust func(*Config)) options {
	return options{addrman: f, cfg: func(c *Config) {
		c.groupOf = loopbackGroups
		c.Rand = fixedRand(1)
		if adjust != nil {
			adjust(c)
		}
	}}
}
