package accounting

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// TestTrafficPerType: counts and bytes per type and direction, the
// per-direction byte maps and totals.
func TestTrafficPerType(t *testing.T) {
	var tr Traffic
	tr.Count(Recv, "ping", 32)
	tr.Count(Recv, "ping", 32)
	tr.Count(Sent, "pong", 32)
	tr.Count(Recv, OtherType, 30)
	tr.Count(Sent, "ping", 32)

	if got := tr.Get("ping"); got != (TypeCounts{MsgsRecv: 2, BytesRecv: 64, MsgsSent: 1, BytesSent: 32}) {
		t.Fatalf("ping %+v", got)
	}
	if !tr.Has(Recv, OtherType) || tr.Has(Sent, OtherType) || tr.Has(Recv, "pong") {
		t.Fatal("Has is wrong")
	}
	if got, want := tr.BytesPerMsg(Recv), map[string]uint64{"ping": 64, OtherType: 30}; !maps.Equal(got, want) {
		t.Fatalf("recv bytes %v, want %v", got, want)
	}
	if got, want := tr.BytesPerMsg(Sent), map[string]uint64{"ping": 32, "pong": 32}; !maps.Equal(got, want) {
		t.Fatalf("sent bytes %v, want %v", got, want)
	}
	if m, b := tr.Total(Recv); m != 3 || b != 94 {
		t.Fatalf("recv total %d msgs %d bytes", m, b)
	}
	if m, b := tr.Total(Sent); m != 2 || b != 64 {
		t.Fatalf("sent total %d msgs %d bytes", m, b)
	}
	if got := tr.Types(); !slices.Equal(got, []string{OtherType, "ping", "pong"}) {
		t.Fatalf("types %v", got)
	}
}

// TestCostsSampling: with CPUEvery 4 the first message of each type and
// every fourth after it are measured, and CPU is scaled to every message.
func TestCostsSampling(t *testing.T) {
	f := &fakeClocks{cpuOK: true}
	p := NewPeer(PeerConfig{CPUEvery: 4, Clocks: f.clocks()})
	for range 10 {
		r := p.BeginRecv("ping", true)
		f.wall += time.Microsecond
		f.cpu += 3 * time.Microsecond
		p.CountRecv(&r, "ping", 32)
		p.EndRecv(&r)
	}
	got := p.Traffic().Cost("ping")
	if got.CPUMeasured != 3 || got.Handled != 10 || got.Wall != 10*time.Microsecond {
		t.Fatalf("cost %+v, want 3 of 10 measured", got)
	}
	if !got.Estimated() || got.CPU() != 30*time.Microsecond {
		t.Fatalf("cpu %v estimated %v, want 30us estimated", got.CPU(), got.Estimated())
	}
	// Distinct types never seen share one counter: 1st, 5th, 9th measured.
	var picks []int
	fresh := Traffic{CPUEvery: 4}
	for i := range 9 {
		if fresh.measureCPU(nil) {
			picks = append(picks, i)
		}
	}
	if !slices.Equal(picks, []int{0, 4, 8}) {
		t.Fatalf("unseen types measured at %v", picks)
	}
}

// TestRecvAccounting: an unknown command is counted and charged under
// OtherType; untimed messages are counted but charged nothing; a handler
// that never reached CountRecv charges nothing; a failing CPU clock leaves
// CPU unmeasured.
func TestRecvAccounting(t *testing.T) {
	f := &fakeClocks{cpuOK: true}
	p := NewPeer(PeerConfig{Clocks: f.clocks()})
	r := p.BeginRecv("xyzzy", true)
	f.wall += 4 * time.Microsecond
	f.cpu += 2 * time.Microsecond
	p.CountRecv(&r, OtherType, 29)
	p.EndRecv(&r)
	r = p.BeginRecv("ping", false)
	p.CountRecv(&r, "ping", 32)
	p.EndRecv(&r)
	r = p.BeginRecv("pong", true) // panicked before counting
	p.EndRecv(&r)
	f.cpuOK = false
	r = p.BeginRecv("tx", true)
	f.wall += time.Microsecond
	p.CountRecv(&r, "tx", 100)
	p.EndRecv(&r)

	if c := p.Traffic().Cost(OtherType); c != (Cost{Handled: 1, Wall: 4 * time.Microsecond, CPUMeasured: 1, CPUSum: 2 * time.Microsecond}) {
		t.Fatalf("*other* cost %+v", c)
	}
	if p.Traffic().Has(Recv, "xyzzy") || p.Traffic().Get(OtherType).BytesRecv != 29 {
		t.Fatal("unknown command not counted under *other*")
	}
	if c := p.Traffic().Cost("ping"); c != (Cost{}) || p.Traffic().Get("ping").MsgsRecv != 1 {
		t.Fatalf("untimed ping: cost %+v, counts %+v", c, p.Traffic().Get("ping"))
	}
	if p.Traffic().Has(Recv, "pong") || p.Traffic().Cost("pong") != (Cost{}) {
		t.Fatal("a handler that never counted was charged")
	}
	if c := p.Traffic().Cost("tx"); c.Handled != 1 || c.CPUMeasured != 0 || c.CPU() != 0 {
		t.Fatalf("tx cost %+v", c)
	}
	total, cpu := p.Traffic().TotalCost()
	if total.Handled != 2 || total.Wall != 5*time.Microsecond || cpu != 2*time.Microsecond {
		t.Fatalf("total %+v cpu %v", total, cpu)
	}
}

// fakeClocks are clocks a test moves by hand.
type fakeClocks struct {
	wall, cpu time.Duration
	cpuOK     bool
}

func (f *fakeClocks) clocks() Clocks {
	return Clocks{
		Wall: func() time.Duration { return f.wall },
		CPU:  func() (time.Duration, bool) { return f.cpu, f.cpuOK },
	}
}

// TestClocksMeasure: wall and CPU differences, CPU skipped on request, a
// failing or backwards CPU clock reported as not measured.
func TestClocksMeasure(t *testing.T) {
	f := &fakeClocks{wall: time.Second, cpu: time.Second, cpuOK: true}
	c := f.clocks()
	m := c.Begin(true)
	f.wall += 5 * time.Millisecond
	f.cpu += 2 * time.Millisecond
	if w, cpu, ok := c.End(m); w != 5*time.Millisecond || cpu != 2*time.Millisecond || !ok {
		t.Fatalf("got %v %v %v", w, cpu, ok)
	}
	m = c.Begin(false)
	f.wall += time.Millisecond
	if w, cpu, ok := c.End(m); w != time.Millisecond || cpu != 0 || ok {
		t.Fatalf("without cpu got %v %v %v", w, cpu, ok)
	}
	m = c.Begin(true)
	f.cpu -= time.Millisecond
	if _, _, ok := c.End(m); ok {
		t.Fatal("backwards cpu clock accepted")
	}
	f.cpuOK = false
	m = c.Begin(true)
	if _, _, ok := c.End(m); ok {
		t.Fatal("failing cpu clock accepted")
	}
	noCPU := Clocks{Wall: c.Wall}
	m = noCPU.Begin(true)
	if _, _, ok := noCPU.End(m); ok {
		t.Fatal("nil cpu clock measured")
	}
}

// TestSystemClocks: the real clocks move forward and, on Linux, the
// thread CPU clock sees work done between the readings.
func TestSystemClocks(t *testing.T) {
	c := SystemClocks()
	m := c.Begin(true)
	x := uint64(1)
	for i := range 2_000_000 {
		x = x*6364136223846793005 + uint64(i)
	}
	wall, cpu, ok := c.End(m)
	if x == 0 || wall <= 0 {
		t.Fatalf("wall %v", wall)
	}
	if _, supported := ThreadCPUTime(); supported && (!ok || cpu <= 0) {
		t.Fatalf("cpu %v ok %v after a busy loop", cpu, ok)
	}
}

// TestInventoryCounts: announcements, requests, headers and compact-block
// messages in both directions.
func TestInventoryCounts(t *testing.T) {
	p := NewPeer(PeerConfig{})
	inv := wire.NewMsgInv()
	_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &chainhash.Hash{1}))
	_ = inv.AddInvVect(wire.NewInvVect(InvTypeWTx, &chainhash.Hash{2}))
	_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessTx, &chainhash.Hash{3}))
	_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeBlock, &chainhash.Hash{4}))
	p.Received(inv, t0)
	p.Sent(inv, t0)
	gd := getdata(wire.NewInvVect(InvTypeWTx, &chainhash.Hash{5}), wire.NewInvVect(wire.InvTypeBlock, &chainhash.Hash{6}))
	p.Received(gd, t0)
	hdrs := wire.NewMsgHeaders()
	for i := range 3 {
		_ = hdrs.AddBlockHeader(wire.NewBlockHeader(1, &chainhash.Hash{byte(i)}, &chainhash.Hash{}, 0, 0))
	}
	p.Received(hdrs, t0)
	_ = hdrs.AddBlockHeader(wire.NewBlockHeader(1, &chainhash.Hash{9}, &chainhash.Hash{}, 0, 0))
	p.Sent(hdrs, t0)
	p.Sent(newTx(1, false), t0)
	p.Sent(wire.NewMsgBlock(wire.NewBlockHeader(1, &chainhash.Hash{}, &chainhash.Hash{}, 0, 0)), t0)
	p.Sent(&peercore.MsgSendCmpct{Version: 2}, t0)
	for _, cmd := range []string{"sendcmpct", "cmpctblock", "getblocktxn", "blocktxn", "ping"} {
		p.ReceivedCommand(cmd)
	}
	want := Inventory{TxAnnouncedByPeer: 3, TxAnnouncedToPeer: 3, TxRequestedByPeer: 1, HeadersReceived: 3,
		HeadersSent: 4, TxSent: 1, BlocksSent: 1, CmpctSent: 1, CmpctReceived: 4}
	if got := p.Inventory(); got != want {
		t.Fatalf("inventory %+v\nwant      %+v", got, want)
	}
}

// TestFillByType: by_type lists every type sorted, with its costs, and the
// totals add up.
func TestFillByType(t *testing.T) {
	f := &fakeClocks{cpuOK: true}
	p := NewPeer(PeerConfig{Clocks: f.clocks()})
	recv := func(cmd string, size uint64, wall, cpu time.Duration) {
		r := p.BeginRecv(cmd, true)
		f.wall += wall
		f.cpu += cpu
		p.CountRecv(&r, cmd, size)
		p.EndRecv(&r)
	}
	recv("ping", 32, 3*time.Microsecond, 2*time.Microsecond)
	p.Count(Sent, "pong", 32)
	recv("version", 126, 7*time.Microsecond, 5*time.Microsecond)
	p.AddrsForwarded(2)
	var s peermanpb.PeerStats
	p.Fill(&s)
	var names []string
	for _, m := range s.GetByType() {
		names = append(names, m.GetMsgtype())
	}
	if !slices.Equal(names, []string{"ping", "pong", "version"}) {
		t.Fatalf("by_type order %v", names)
	}
	v := s.GetByType()[2]
	if v.GetMsgsRecv() != 1 || v.GetBytesRecv() != 126 || v.GetHandleWallNs() != 7000 || v.GetHandleCpuNs() != 5000 {
		t.Fatalf("version %v", v)
	}
	if s.GetHandleWallNs() != 10_000 || s.GetHandleCpuNs() != 7_000 || s.GetAddrmanEntriesContributed() != 2 {
		t.Fatalf("totals wall %d cpu %d addrs %d", s.GetHandleWallNs(), s.GetHandleCpuNs(), s.GetAddrmanEntriesContributed())
	}
	if s.GetMemTrackingBytes() != p.TrackingBytes() || s.GetMemTrackingBytes() == 0 {
		t.Fatalf("tracking bytes %d", s.GetMemTrackingBytes())
	}
}

// TestTrackingBytesFollowsEntries: every new message type and pending
// request adds its documented per-entry size.
func TestTrackingBytesFollowsEntries(t *testing.T) {
	p := NewPeer(PeerConfig{})
	base := p.TrackingBytes()
	if base != fixedBytes {
		t.Fatalf("empty peer %d bytes, want the fixed %d", base, fixedBytes)
	}
	p.Count(Recv, "ping", 32)
	p.Count(Recv, "ping", 32) // same entry
	if got := p.TrackingBytes() - base; got != trafficEntryBytes+4 {
		t.Fatalf("one type adds %d, want %d", got, trafficEntryBytes+4)
	}
	before := p.TrackingBytes()
	p.Requests().Track(KindTx, chainhash.Hash{1}, t0)
	q := uint64(cap(p.Requests().queue[KindTx])) * queuedEntryBytes
	if got := p.TrackingBytes() - before; got != pendingEntryBytes+q {
		t.Fatalf("one request adds %d, want %d", got, pendingEntryBytes+q)
	}
}
