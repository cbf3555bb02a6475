package headers

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

func TestNewHoldsGenesis(t *testing.T) {
	for _, p := range []*chaincfg.Params{&chaincfg.MainNetParams, &chaincfg.TestNet3Params,
		&chaincfg.TestNet4Params, &chaincfg.RegressionNetParams, &chaincfg.SigNetParams} {
		tr := New(p)
		g := tr.Genesis()
		if g.Hash != *p.GenesisHash || tr.Tip() != g || tr.Len() != 1 || g.Height != 0 {
			t.Errorf("%s: genesis %s tip %s len %d", p.Name, g.Hash, tr.Tip().Hash, tr.Len())
		}
		if tr.Lookup(*p.GenesisHash) != g || tr.BestAt(0) != g || tr.BestAt(1) != nil {
			t.Errorf("%s: lookup or best chain wrong", p.Name)
		}
	}
}

// Real mainnet headers 1 and 2 (public chain data, fields as shown by any
// block explorer).
func mainnetHeader(prev, merkle string, ts int64, nonce uint32) wire.BlockHeader {
	p, _ := chainhash.NewHashFromStr(prev)
	m, _ := chainhash.NewHashFromStr(merkle)
	return wire.BlockHeader{Version: 1, PrevBlock: *p, MerkleRoot: *m,
		Timestamp: time.Unix(ts, 0), Bits: 0x1d00ffff, Nonce: nonce}
}

func TestRealMainnetHeaders(t *testing.T) {
	tr := New(&chaincfg.MainNetParams)
	hs := []wire.BlockHeader{
		mainnetHeader("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
			"0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098", 1231469665, 2573394689),
		mainnetHeader("00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048",
			"9b0fc92260312ce44e74ef369f5c66bbb85848f2eddd5a7a1cde251e54ccfdd5", 1231469744, 1639830024),
	}
	res, err := tr.AddHeaders(hs, time.Unix(1231470000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || !res.Changed() || res.Reorg() || res.Fork != tr.Genesis() {
		t.Fatalf("result %+v", res)
	}
	if got := tr.Tip().Hash.String(); got != "000000006a625f06636b8bb6ac7b960a8d03705d1ace08b1a19da3fdcc99ddbd" {
		t.Fatalf("tip %s", got)
	}
	if want := big.NewInt(3 * 0x100010001); tr.Tip().Work.Cmp(want) != 0 {
		t.Fatalf("work %v, want %v", tr.Tip().Work, want)
	}
	// The same headers again are duplicates: no error, nothing added.
	res, err = tr.AddHeaders(hs, time.Unix(1231470000, 0))
	if err != nil || res.Added != 0 || res.Changed() || res.Last != tr.Tip() {
		t.Fatalf("duplicates: %+v %v", res, err)
	}
	// Block 1 seen from before its time: more than two hours early.
	tr2 := New(&chaincfg.MainNetParams)
	_, err = tr2.Add(&hs[0], time.Unix(1231469665-7201, 0))
	wantCode(t, err, CodeTimeTooNew)
	if err.(*RuleError).Misbehaving() {
		t.Fatal("a header from the near future is not misbehaviour")
	}
	if _, err := tr2.Add(&hs[0], time.Unix(1231469665-7200, 0)); err != nil {
		t.Fatalf("exactly two hours ahead refused: %v", err)
	}
}

func TestRejectsBadHeaders(t *testing.T) {
	tr := New(&chaincfg.RegressionNetParams)
	g := tr.Genesis()
	chain := extend(t, tr, g, 12, time.Minute, 0)
	tip := chain[len(chain)-1]
	ts := tip.Time().Add(time.Minute)

	t.Run("orphan", func(t *testing.T) {
		unknown := chainhash.Hash{1}
		h := mine(t, &unknown, ts, 0x207fffff, 1)
		_, err := tr.Add(&h, farFuture)
		wantCode(t, err, CodeOrphan)
		if err.(*RuleError).Misbehaving() {
			t.Fatal("orphan counted as misbehaviour")
		}
	})
	t.Run("bad pow", func(t *testing.T) {
		h := mine(t, &tip.Hash, ts, 0x207fffff, 2)
		for {
			hash := h.BlockHash()
			if HashToBig(&hash).Cmp(CompactToBig(h.Bits)) > 0 {
				break
			}
			h.Nonce++
		}
		_, err := tr.Add(&h, farFuture)
		wantCode(t, err, CodeBadPoW)
		if !err.(*RuleError).Misbehaving() {
			t.Fatal("bad PoW not misbehaviour")
		}
	})
	t.Run("target above limit", func(t *testing.T) {
		h := mine(t, &tip.Hash, ts, 0x2100ffff, 3)
		_, err := tr.Add(&h, farFuture)
		wantCode(t, err, CodeBadPoW)
	})
	t.Run("wrong bits", func(t *testing.T) {
		h := mine(t, &tip.Hash, ts, 0x203fffff, 4)
		_, err := tr.Add(&h, farFuture)
		wantCode(t, err, CodeBadDifficulty)
	})
	t.Run("median time past", func(t *testing.T) {
		mtp := tip.MedianTimePast()
		// Twelve headers one minute apart: the median of the last 11 is
		// the sixth from the tip.
		if want := tip.Ancestor(tip.Height - 5).Time(); !mtp.Equal(want) {
			t.Fatalf("MTP %v, want %v", mtp, want)
		}
		h := mine(t, &tip.Hash, mtp, 0x207fffff, 5)
		_, err := tr.Add(&h, farFuture)
		wantCode(t, err, CodeTimeTooOld)
		h = mine(t, &tip.Hash, mtp.Add(time.Second), 0x207fffff, 5)
		if _, err := tr.Add(&h, farFuture); err != nil {
			t.Fatalf("MTP+1 refused: %v", err)
		}
	})
	t.Run("version", func(t *testing.T) {
		for _, v := range []int32{1, 2, 3, -1} {
			h := mine(t, &tip.Hash, ts, 0x207fffff, 6)
			h.Version = v
			h = regrind(t, h)
			_, err := tr.Add(&h, farFuture)
			wantCode(t, err, CodeBadVersion)
		}
		h := mine(t, &tip.Hash, ts, 0x207fffff, 6)
		h.Version = 4
		h = regrind(t, h)
		if _, err := tr.Add(&h, farFuture); err != nil {
			t.Fatalf("version 4 refused: %v", err)
		}
	})
	t.Run("not continuous", func(t *testing.T) {
		a := mine(t, &tip.Hash, ts, 0x207fffff, 7)
		b := mine(t, &tip.Hash, ts, 0x207fffff, 8)
		res, err := tr.AddHeaders([]wire.BlockHeader{a, b}, farFuture)
		wantCode(t, err, CodeNotContinuous)
		if res.Added != 1 || res.Last.Hash != a.BlockHash() {
			t.Fatalf("result %+v", res)
		}
	})
}

// regrind grinds h's nonce again after a field change.
func regrind(t testing.TB, h wire.BlockHeader) wire.BlockHeader {
	t.Helper()
	out := mine(t, &h.PrevBlock, h.Timestamp, h.Bits, 0)
	out.MerkleRoot = h.MerkleRoot
	out.Version = h.Version
	target := CompactToBig(h.Bits)
	for out.Nonce = 0; ; out.Nonce++ {
		hash := out.BlockHash()
		if HashToBig(&hash).Cmp(target) <= 0 {
			return out
		}
	}
}

func TestReorgReportedByAddHeaders(t *testing.T) {
	tr := New(&chaincfg.RegressionNetParams)
	a := extend(t, tr, tr.Genesis(), 5, time.Minute, 0) // a[0] is height 1
	if tr.Tip() != a[4] {
		t.Fatal("tip is not a5")
	}
	// A side chain from height 2 with as much work as a5: the tip stays.
	var side []wire.BlockHeader
	parent := a[1]
	prevHash, prevTime := parent.Hash, parent.Time()
	for i := 0; i < 3; i++ {
		prevTime = prevTime.Add(2 * time.Minute)
		h := mine(t, &prevHash, prevTime, 0x207fffff, 100)
		side = append(side, h)
		prevHash = h.BlockHash()
	}
	res, err := tr.AddHeaders(side, farFuture)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 || res.Changed() || tr.Tip() != a[4] {
		t.Fatalf("equal work moved the tip: %+v", res)
	}
	// Two more on the side chain: it now has more work.
	more := []wire.BlockHeader{}
	for i := 0; i < 2; i++ {
		prevTime = prevTime.Add(2 * time.Minute)
		h := mine(t, &prevHash, prevTime, 0x207fffff, 100)
		more = append(more, h)
		prevHash = h.BlockHash()
	}
	res, err = tr.AddHeaders(more, farFuture)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed() || !res.Reorg() || res.OldTip != a[4] || res.Fork != a[1] ||
		res.NewTip.Hash != prevHash || res.NewTip.Height != 7 {
		t.Fatalf("reorg not reported: old %d new %d fork %d", res.OldTip.Height, res.NewTip.Height, res.Fork.Height)
	}
	for h := int32(0); h <= 7; h++ {
		n := tr.BestAt(h)
		if !tr.IsOnBest(n) || (h > 0 && n.Parent != tr.BestAt(h-1)) {
			t.Fatalf("best chain broken at %d", h)
		}
	}
	if tr.IsOnBest(a[2]) || tr.Next(a[1]).Hash != side[0].BlockHash() || tr.Next(tr.Tip()) != nil || tr.Next(a[3]) != nil {
		t.Fatal("best chain membership wrong after reorg")
	}
	if tr.Len() != 11 {
		t.Fatalf("len %d", tr.Len())
	}
}

func TestRetargetInTree(t *testing.T) {
	p := testParams(true, false, false)
	tr := New(p)
	chain := extend(t, tr, tr.Genesis(), 9, time.Second, 0)
	parent := chain[8]
	ts := parent.Time().Add(time.Second)
	// Nine seconds for a ten-block period: clamped to a quarter of the
	// timespan, so the target shrinks fourfold.
	if got := tr.RequiredBits(parent, ts); got != 0x201fffff {
		t.Fatalf("required %08x, want 201fffff", got)
	}
	old := mine(t, &parent.Hash, ts, 0x207fffff, 1)
	_, err := tr.Add(&old, farFuture)
	wantCode(t, err, CodeBadDifficulty)
	next := extend(t, tr, parent, 3, time.Second, 0)
	if next[0].Header.Bits != 0x201fffff || next[2].Header.Bits != 0x201fffff {
		t.Fatal("difficulty did not stay within the period")
	}
	// No retargeting (regtest): the bits carry on at the boundary.
	flat := New(testParams(false, false, false))
	c := extend(t, flat, flat.Genesis(), 12, time.Second, 0)
	if c[9].Header.Bits != 0x207fffff {
		t.Fatalf("no-retarget network retargeted to %08x", c[9].Header.Bits)
	}
}

func TestMinDifficultyRule(t *testing.T) {
	for _, bip94 := range []bool{false, true} {
		tr := New(testParams(true, true, bip94))
		c := extend(t, tr, tr.Genesis(), 10, time.Second, 0)
		ten := c[9]
		if ten.Header.Bits != 0x201fffff {
			t.Fatalf("height 10 bits %08x", ten.Header.Bits)
		}
		limit := tr.Params().PowLimitBits
		// Exactly 20 minutes later: still the real difficulty.
		if got := tr.RequiredBits(ten, ten.Time().Add(20*time.Minute)); got != 0x201fffff {
			t.Fatalf("20 min gap: %08x", got)
		}
		// More than 20 minutes: the minimum difficulty, and only it.
		late := ten.Time().Add(20*time.Minute + time.Second)
		if got := tr.RequiredBits(ten, late); got != limit {
			t.Fatalf("20 min + 1 s gap: %08x", got)
		}
		hard := mine(t, &ten.Hash, late, 0x201fffff, 9)
		_, err := tr.Add(&hard, farFuture)
		wantCode(t, err, CodeBadDifficulty)
		easy := mine(t, &ten.Hash, late, limit, 9)
		eleven, err := tr.Add(&easy, farFuture)
		if err != nil {
			t.Fatal(err)
		}
		// The next header, on time, walks back past the exception.
		if got := tr.RequiredBits(eleven, eleven.Time().Add(time.Second)); got != 0x201fffff {
			t.Fatalf("after a min-difficulty block: %08x", got)
		}
		c = extend(t, tr, eleven, 7, time.Second, 0) // heights 12..18
		eighteen := c[6]
		late = eighteen.Time().Add(21 * time.Minute)
		easy = mine(t, &eighteen.Hash, late, limit, 9)
		nineteen, err := tr.Add(&easy, farFuture)
		if err != nil {
			t.Fatal(err)
		}
		// At the boundary BIP94 retargets from the period's first header,
		// the others from the (min-difficulty) last one.
		span := nineteen.Time().Sub(ten.Time())
		base := uint32(limit)
		if bip94 {
			base = 0x201fffff
		}
		want := Retarget(tr.Params(), base, span)
		if got := tr.RequiredBits(nineteen, nineteen.Time().Add(time.Second)); got != want {
			t.Fatalf("bip94=%v: boundary bits %08x, want %08x", bip94, got, want)
		}
		if bip94 && want == Retarget(tr.Params(), limit, span) {
			t.Fatal("test does not tell the two rules apart")
		}
	}
}

func TestTimewarpRule(t *testing.T) {
	for _, bip94 := range []bool{false, true} {
		tr := New(testParams(false, false, bip94))
		c := extend(t, tr, tr.Genesis(), 9, 10*time.Minute, 0)
		nine := c[8]
		early := mine(t, &nine.Hash, nine.Time().Add(-MaxTimewarp-time.Second), 0x207fffff, 1)
		_, err := tr.Add(&early, farFuture)
		if bip94 {
			wantCode(t, err, CodeTimewarp)
		} else if err != nil {
			t.Fatalf("timewarp rule applied without BIP94: %v", err)
		}
		ok := mine(t, &nine.Hash, nine.Time().Add(-MaxTimewarp), 0x207fffff, 2)
		if _, err := tr.Add(&ok, farFuture); err != nil {
			t.Fatalf("bip94=%v: 600 s back refused: %v", bip94, err)
		}
	}
}

func TestCheckpoints(t *testing.T) {
	// Mine a chain on plain regtest, then use its third header as a
	// checkpoint of a copy of the parameters.
	scratch := New(&chaincfg.RegressionNetParams)
	c := extend(t, scratch, scratch.Genesis(), 5, time.Minute, 0)
	p := chaincfg.RegressionNetParams
	p.Checkpoints = []chaincfg.Checkpoint{{Height: 3, Hash: &c[2].Hash}}
	tr := New(&p)
	g := tr.Genesis()

	// Before the checkpoint is known: another header at its height is
	// refused, below it forks are fine.
	if _, err := tr.Add(&c[0].Header, farFuture); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Add(&c[1].Header, farFuture); err != nil {
		t.Fatal(err)
	}
	alt := mine(t, &c[1].Hash, c[1].Time().Add(time.Minute), 0x207fffff, 77)
	_, err := tr.Add(&alt, farFuture)
	wantCode(t, err, CodeCheckpoint)
	early := mine(t, &g.Hash, g.Time().Add(time.Hour), 0x207fffff, 78)
	if _, err := tr.Add(&early, farFuture); err != nil {
		t.Fatalf("fork before the checkpoint is known refused: %v", err)
	}
	for _, n := range c[2:] {
		if _, err := tr.Add(&n.Header, farFuture); err != nil {
			t.Fatal(err)
		}
	}
	// Now that the checkpoint is held, forks below it are refused.
	fork := mine(t, &c[0].Hash, c[0].Time().Add(time.Hour), 0x207fffff, 79)
	_, err = tr.Add(&fork, farFuture)
	wantCode(t, err, CodeForkBeforeCheckpoint)
	if !err.(*RuleError).Misbehaving() {
		t.Fatal("fork before checkpoint not misbehaviour")
	}
	above := mine(t, &c[2].Hash, c[2].Time().Add(time.Hour), 0x207fffff, 80)
	if _, err := tr.Add(&above, farFuture); err != nil {
		t.Fatalf("fork above the checkpoint refused: %v", err)
	}
}

func TestInvalidate(t *testing.T) {
	tr := New(&chaincfg.RegressionNetParams)
	a := extend(t, tr, tr.Genesis(), 5, time.Minute, 0)
	b := extend(t, tr, a[1], 2, 2*time.Minute, 50) // heights 3, 4 from a2
	if tr.Tip() != a[4] {
		t.Fatal("tip")
	}
	change, err := tr.Invalidate(a[3].Hash) // a4: a4 and a5 fall
	if err != nil {
		t.Fatal(err)
	}
	if !a[3].Invalid() || !a[4].Invalid() || a[2].Invalid() || b[1].Invalid() {
		t.Fatal("validity marks wrong")
	}
	if change.NewTip != b[1] || change.OldTip != a[4] || change.Fork != a[1] || !change.Reorg() {
		t.Fatalf("tip change old %d new %d fork %d", change.OldTip.Height, change.NewTip.Height, change.Fork.Height)
	}
	if tr.Tip() != b[1] || tr.IsOnBest(a[2]) || tr.BestAt(5) != nil {
		t.Fatal("best chain not rebuilt")
	}
	// A child of an invalid node, and the invalid node itself, are refused.
	child := mine(t, &a[4].Hash, a[4].Time().Add(time.Minute), 0x207fffff, 1)
	_, err = tr.Add(&child, farFuture)
	wantCode(t, err, CodeInvalidAncestor)
	n, err := tr.Add(&a[4].Header, farFuture)
	wantCode(t, err, CodeKnownInvalid)
	if n != a[4] {
		t.Fatal("known-invalid duplicate did not return its node")
	}
	res, err := tr.AddHeaders([]wire.BlockHeader{a[2].Header, a[3].Header}, farFuture)
	wantCode(t, err, CodeKnownInvalid)
	if res.Added != 0 || res.Last != a[2] {
		t.Fatalf("result %+v", res)
	}
	if _, err := tr.Invalidate(tr.Genesis().Hash); !errors.Is(err, ErrGenesis) {
		t.Fatalf("genesis: %v", err)
	}
	if _, err := tr.Invalidate(chainhash.Hash{9}); !errors.Is(err, ErrUnknownBlock) {
		t.Fatalf("unknown: %v", err)
	}
	// Invalidating off the best chain leaves the tip alone.
	change, err = tr.Invalidate(a[2].Hash)
	if err != nil || change.Changed() || tr.Tip() != b[1] {
		t.Fatalf("side invalidation moved the tip: %+v %v", change, err)
	}
}
