package addrman_test

import (
	"slices"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

func TestSeedsAnswerWhileOneHangs(t *testing.T) {
	e := newEnv(t)
	res := newHostResolver()
	res.answers["seed.a.example"] = []string{"8.8.4.4", "2a01:4f8::1", "not-an-ip", "9.9.9.9"}
	res.hang["seed.slow.example"] = true
	e.cfg.Params = &chaincfg.MainNetParams
	e.cfg.DNSSeed = true
	e.cfg.DNSSeeds = []string{"seed.a.example", "seed.slow.example", "seed.missing.example"}
	e.cfg.Resolver = res
	e.cfg.SeedTimeout = time.Hour
	e.start()

	// The slow seed is being asked (and will be for an hour); addrman
	// answers meanwhile and has the fast seed's addresses.
	waitFor(t, res.started, "seed.slow.example")
	eventually(t, "the fast seed's addresses are in the book", func() bool { return e.all().total == 3 })
	got := e.nodeAddresses(0, "")
	if len(got) != 3 {
		t.Fatalf("book holds %v", keys(got))
	}
	newest, oldest := t0.Add(-3*24*time.Hour).Unix(), t0.Add(-7*24*time.Hour).Unix()
	for _, na := range got {
		if na.GetPort() != 8333 || na.GetServices() != 9 {
			t.Fatalf("seed address %v, want mainnet port 8333 and services 9", na)
		}
		if na.GetTime() > newest || na.GetTime() < oldest {
			t.Fatalf("seed address time %d, want 3 to 7 days before %d", na.GetTime(), t0.Unix())
		}
	}
	if !e.logged("DNS seed answered", "seed=seed.a.example", "addresses=3", "added=3") {
		t.Fatalf("fast seed not logged:\n%s", e.logs)
	}
	eventually(t, "the missing seed's failure is logged", func() bool {
		return e.logged("DNS seed lookup failed", "seed=seed.missing.example", "no such host")
	})
	select {
	case host := <-res.gaveUp:
		t.Fatalf("%s gave up while addrman was answering", host)
	default:
	}
}

func TestSlowSeedTimesOut(t *testing.T) {
	e := newEnv(t)
	res := newHostResolver()
	res.hang["seed.slow.example"] = true
	e.cfg.Params = &chaincfg.MainNetParams
	e.cfg.DNSSeed = true
	e.cfg.DNSSeeds = []string{"seed.slow.example"}
	e.cfg.Resolver = res
	e.cfg.SeedTimeout = 200 * time.Millisecond
	e.start()
	waitFor(t, res.gaveUp, "seed.slow.example")
	eventually(t, "the slow seed's failure is logged", func() bool {
		return e.logged("DNS seed lookup failed", "seed=seed.slow.example", "no answer within 200ms")
	})
	if got := e.all().total; got != 0 {
		t.Fatalf("book holds %d after the timeout, want 0", got)
	}
}

func TestSeedsUseTheNetworkWithServiceFilter(t *testing.T) {
	e := newEnv(t)
	res := newHostResolver()
	e.cfg.Params = &chaincfg.MainNetParams
	e.cfg.DNSSeed = true
	e.cfg.Resolver = res
	e.start()
	var want []string
	for _, s := range chaincfg.MainNetParams.DNSSeeds {
		host := s.Host
		if s.HasFiltering {
			host = "x9." + host
		}
		want = append(want, host)
	}
	if len(want) == 0 {
		t.Fatal("mainnet has no DNS seeds")
	}
	for range want {
		select {
		case <-res.started:
		case <-time.After(waitLong):
			t.Fatalf("only %v of %v asked", res.askedHosts(), want)
		}
	}
	asked := res.askedHosts()
	slices.Sort(asked)
	slices.Sort(want)
	if !slices.Equal(asked, want) {
		t.Fatalf("asked %v, want %v", asked, want)
	}
}

func TestNoSeedingWhenTheBookHasAddresses(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.offer(routableAddrs(3, 2, t0), "203.0.113.1:8333")
	e.stop()

	res := newHostResolver()
	e.cfg.Params = &chaincfg.MainNetParams
	e.cfg.DNSSeed = true
	e.cfg.DNSSeeds = []string{"seed.a.example"}
	e.cfg.Resolver = res
	e.start() // answers only after Started, where seeding would begin
	if e.logged("asking DNS seeds") {
		t.Fatalf("seeds asked although the book has addresses:\n%s", e.logs)
	}
	if got := res.askedHosts(); len(got) != 0 {
		t.Fatalf("resolver asked for %v", got)
	}
}

func TestRegtestHasNoSeeds(t *testing.T) {
	e := newEnv(t)
	res := newHostResolver()
	e.cfg.Params = &chaincfg.RegressionNetParams
	e.cfg.DNSSeed = true
	e.cfg.Resolver = res
	e.start()
	if !e.logged("network has no DNS seeds", "network=regtest") {
		t.Fatalf("missing seeds not logged:\n%s", e.logs)
	}
	if got := res.askedHosts(); len(got) != 0 {
		t.Fatalf("resolver asked for %v", got)
	}
}

func TestStoppingAbandonsHangingSeeds(t *testing.T) {
	e := newEnv(t)
	res := newHostResolver()
	res.hang["seed.slow.example"] = true
	e.cfg.Params = &chaincfg.MainNetParams
	e.cfg.DNSSeed = true
	e.cfg.DNSSeeds = []string{"seed.slow.example"}
	e.cfg.Resolver = res
	e.cfg.SeedTimeout = time.Hour
	e.start()
	waitFor(t, res.started, "seed.slow.example")
	e.stop()
	// Stopping cancelled the lookup (long before its hour) and waited for it.
	select {
	case host := <-res.gaveUp:
		if host != "seed.slow.example" {
			t.Fatalf("gave up on %q", host)
		}
	default:
		t.Fatal("stop returned while a seed lookup was still running")
	}
}
