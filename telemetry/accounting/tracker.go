package accounting

import (
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// Kind is what a tracked request asks for.
type Kind uint8

// The kinds of request tracked.
const (
	// KindTx is a transaction (getdata MSG_TX, MSG_WITNESS_TX or MSG_WTX).
	KindTx Kind = iota
	// KindBlock is a full block (getdata MSG_BLOCK or MSG_WITNESS_BLOCK).
	KindBlock
	numKinds
)

// String returns "tx" or "block".
func (k Kind) String() string {
	if k == KindBlock {
		return "block"
	}
	return "tx"
}

// Default timeouts after which a request counts as lost. Core gives a
// transaction request a minute (GETDATA_TX_INTERVAL) before asking another
// peer; two minutes leaves room for a slow link, as the issue asks. A block
// gets Core's headers-response scale, also two minutes.
const (
	DefaultTxTimeout    = 2 * time.Minute
	DefaultBlockTimeout = 2 * time.Minute
)

// DefaultMaxPending bounds the requests tracked per kind; Core never has
// more than 5,000 transaction announcements from one peer in flight.
const DefaultMaxPending = 5000

// requestKey names one request.
type requestKey struct {
	kind Kind
	hash chainhash.Hash
}

// queued is one request in its kind's expiry queue, in the order sent.
type queued struct {
	hash chainhash.Hash
	sent time.Time
}

// Outcome counts what became of the requests of one kind.
type Outcome struct {
	// Fulfilled counts replies to a pending request (one latency sample each).
	Fulfilled uint64
	// Lost counts requests that expired without a reply.
	Lost uint64
	// Unsolicited counts replies to no pending request, late replies to
	// expired requests included.
	Unsolicited uint64
	// NotFound counts requests the peer answered with notfound: neither a
	// sample nor lost.
	NotFound uint64
	// Untracked counts requests not tracked: already pending (a repeated
	// request keeps the first time) or over the pending bound.
	Untracked uint64
}

// RequestTracker follows the requests we send one peer, per Kind: Track
// when we ask, Fulfil when the object arrives, NotFound when the peer has
// none, Expire when time passes. Requests of a kind expire in the order
// they were sent, since each kind has one timeout.
type RequestTracker struct {
	timeout    [numKinds]time.Duration
	maxPending int
	pending    map[requestKey]time.Time
	count      [numKinds]int // pending requests per kind
	queue      [numKinds][]queued
	outcome    [numKinds]Outcome
	latency    [numKinds]Latency
}

// NewRequestTracker returns a tracker with the given timeouts (zero or less
// selects the defaults) and DefaultMaxPending.
func NewRequestTracker(txTimeout, blockTimeout time.Duration) *RequestTracker {
	if txTimeout <= 0 {
		txTimeout = DefaultTxTimeout
	}
	if blockTimeout <= 0 {
		blockTimeout = DefaultBlockTimeout
	}
	return &RequestTracker{
		timeout:    [numKinds]time.Duration{KindTx: txTimeout, KindBlock: blockTimeout},
		maxPending: DefaultMaxPending,
		pending:    make(map[requestKey]time.Time),
	}
}

// Track records a request for hash sent at now. It returns false (and
// counts it untracked) when the same request is already pending or the
// kind holds its maximum of pending requests.
func (t *RequestTracker) Track(k Kind, hash chainhash.Hash, now time.Time) bool {
	t.Expire(now)
	key := requestKey{k, hash}
	if _, dup := t.pending[key]; dup || t.count[k] >= t.maxPending {
		t.outcome[k].Untracked++
		return false
	}
	t.pending[key] = now
	t.count[k]++
	t.queue[k] = append(t.queue[k], queued{hash: hash, sent: now})
	return true
}

// Fulfil records the arrival of hash at now. For a pending request it
// records the latency sample and returns it with true; otherwise the reply
// counts unsolicited. Requests whose timeout passed by now expire first.
func (t *RequestTracker) Fulfil(k Kind, hash chainhash.Hash, now time.Time) (time.Duration, bool) {
	t.Expire(now)
	key := requestKey{k, hash}
	sent, ok := t.pending[key]
	if !ok {
		t.outcome[k].Unsolicited++
		return 0, false
	}
	t.remove(key)
	d := max(now.Sub(sent), 0)
	t.outcome[k].Fulfilled++
	t.latency[k].Add(d)
	return d, true
}

// Wants reports whether a request for hash is pending (without expiring
// anything): the caller can skip work, hashing a transaction say, when
// nothing of that kind is pending.
func (t *RequestTracker) Wants(k Kind, hash chainhash.Hash) bool {
	_, ok := t.pending[requestKey{k, hash}]
	return ok
}

// NotFound records the peer's notfound for hash: a pending request is
// closed without a sample. It returns whether one was pending.
func (t *RequestTracker) NotFound(k Kind, hash chainhash.Hash, now time.Time) bool {
	t.Expire(now)
	key := requestKey{k, hash}
	if _, ok := t.pending[key]; !ok {
		return false
	}
	t.remove(key)
	t.outcome[k].NotFound++
	return true
}

// Expire counts as lost every request whose timeout has passed at now
// (sent at or before now minus the timeout) and returns how many expired.
func (t *RequestTracker) Expire(now time.Time) int {
	n := 0
	for k := range numKinds {
		q := t.queue[k]
		i := 0
		for ; i < len(q); i++ {
			e := q[i]
			key := requestKey{k, e.hash}
			sent, ok := t.pending[key]
			if !ok || !sent.Equal(e.sent) {
				continue // answered already, or a newer request for the same hash
			}
			if now.Sub(sent) < t.timeout[k] {
				break
			}
			t.remove(key)
			t.outcome[k].Lost++
			n++
		}
		t.queue[k] = t.compact(k, q[i:])
	}
	return n
}

// compact drops answered entries from a queue once they outnumber the
// pending ones, so that a peer answering everything keeps the queue short.
func (t *RequestTracker) compact(k Kind, q []queued) []queued {
	if len(q) == 0 {
		return nil
	}
	if len(q) < 64 || len(q) <= 2*t.count[k] {
		return q
	}
	out := make([]queued, 0, len(q)/2)
	for _, e := range q {
		if sent, ok := t.pending[requestKey{k, e.hash}]; ok && sent.Equal(e.sent) {
			out = append(out, e)
		}
	}
	return out
}

// remove forgets a pending request.
func (t *RequestTracker) remove(key requestKey) {
	delete(t.pending, key)
	t.count[key.kind]--
}

// Pending returns the number of requests of kind k waiting for a reply.
func (t *RequestTracker) Pending(k Kind) int { return t.count[k] }

// queued returns the length of kind k's expiry queue (pending requests
// plus answered ones not yet compacted away).
func (t *RequestTracker) queuedLen(k Kind) int { return len(t.queue[k]) }

// Outcome returns what became of the requests of kind k so far.
func (t *RequestTracker) Outcome(k Kind) Outcome { return t.outcome[k] }

// Latency returns the latency summary of kind k (read only).
func (t *RequestTracker) Latency(k Kind) *Latency { return &t.latency[k] }
