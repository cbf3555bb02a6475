package addrman

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/addrman/book"
)

// DNS seeding, Core's way.
const (
	// seedServices are the services seed answers are assumed to offer and
	// the ones a filtering seed is asked for (the "x9." subdomain).
	seedServices = wire.SFNodeNetwork | wire.SFNodeWitness
	// maxSeedIPs bounds the addresses taken from one seed, so one seed
	// cannot dominate the book.
	maxSeedIPs = 32
	// seedMinAge and seedAgeSpread: seed answers are given a last-seen
	// time between 3 and 7 days ago, so they rank below addresses peers
	// announce first-hand.
	seedMinAge    = 3 * 24 * time.Hour
	seedAgeSpread = 4 * 24 * time.Hour
	// seedStopWait bounds how long stopping waits for lookups to give up.
	seedStopWait = 5 * time.Second
)

// seedResult is one seed's answer, sent by its lookup goroutine to the
// actor. It never leaves the actor, so it is a plain Go type.
type seedResult struct {
	host string
	ips  []string
	err  error
}

// seeder runs the DNS lookups of one actor incarnation in goroutines, so
// that the actor never waits for a seed.
type seeder struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// seedHosts returns the names to ask: cfg.DNSSeeds when set, otherwise the
// network's seeds, with the "x9." subdomain for seeds that filter by
// services.
func seedHosts(cfg Config) []string {
	if cfg.DNSSeeds != nil {
		return cloneStrings(cfg.DNSSeeds)
	}
	var hosts []string
	for _, s := range cfg.Params.DNSSeeds {
		host := s.Host
		if s.HasFiltering {
			host = "x" + strconv.FormatUint(uint64(seedServices), 16) + "." + host
		}
		hosts = append(hosts, host)
	}
	return hosts
}

// startSeeding asks every seed concurrently, each bounded by
// cfg.SeedTimeout; every answer comes back to self as a *seedResult.
func startSeeding(cfg Config, hosts []string, root *actor.RootContext, self *actor.PID) *seeder {
	ctx, cancel := context.WithCancel(context.Background())
	s := &seeder{cancel: cancel}
	for _, host := range hosts {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			lookupCtx, done := context.WithTimeout(ctx, cfg.SeedTimeout)
			ips, err := cfg.Resolver.LookupHost(lookupCtx, host)
			if err == nil && lookupCtx.Err() != nil {
				err = lookupCtx.Err() // an answer after the deadline does not count
			}
			if errors.Is(lookupCtx.Err(), context.DeadlineExceeded) {
				err = fmt.Errorf("no answer within %s: %w", cfg.SeedTimeout, err)
			}
			done()
			if ctx.Err() != nil {
				return // the actor is stopping: nobody wants the answer
			}
			if err != nil {
				ips = nil
			}
			root.Send(self, &seedResult{host: host, ips: ips, err: err})
		}()
	}
	return s
}

// stop cancels the lookups still running and waits, at most seedStopWait,
// for their goroutines to end.
func (s *seeder) stop(log *slog.Logger) {
	if s == nil {
		return
	}
	s.cancel()
	finished := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(seedStopWait):
		log.Warn("DNS seed lookups did not give up in time", slog.Duration("waited", seedStopWait))
	}
}

// seedAddresses turns a seed's answer into addresses on port, at most
// maxSeedIPs, each with a last-seen time 3 to 7 days before now.
func seedAddresses(ips []string, port uint16, now time.Time, rng book.Random) []book.Address {
	var out []book.Address
	for _, s := range ips {
		if len(out) == maxSeedIPs {
			break
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			continue
		}
		seen := now.Add(-seedMinAge - randDuration(rng, seedAgeSpread))
		out = append(out, book.Address{
			Addr:     book.AddrFromAddrPort(netip.AddrPortFrom(ip, port)),
			Services: seedServices,
			Time:     seen.Unix(),
		})
	}
	return out
}
