package accounting

import "unsafe"

// mapEntryOverhead is what one map entry costs beyond its key and value:
// Go's swiss tables keep one control byte per slot and run at most 7/8
// full, and growth doubles them; 16 bytes per entry is a round upper
// figure for that slack.
const mapEntryOverhead = 16

// Per-entry sizes of the tracking structures, from the types themselves.
var (
	// trafficEntryBytes: string header and pointer in the map, plus the
	// counters and cost they point to. The key's bytes are added per entry.
	trafficEntryBytes = uint64(unsafe.Sizeof("") + unsafe.Sizeof(&typeEntry{}) +
		unsafe.Sizeof(typeEntry{}) + mapEntryOverhead)
	// pendingEntryBytes: a pending request's key and send time in the map.
	pendingEntryBytes = uint64(unsafe.Sizeof(requestKey{}) + unsafe.Sizeof(queued{}.sent) + mapEntryOverhead)
	// queuedEntryBytes: one slot of an expiry queue.
	queuedEntryBytes = uint64(unsafe.Sizeof(queued{}))
	// sampleBytes: one latency sample in a window.
	sampleBytes = uint64(unsafe.Sizeof(Latency{}.sum))
	// fixedBytes: the Peer and its RequestTracker themselves.
	fixedBytes = uint64(unsafe.Sizeof(Peer{}) + unsafe.Sizeof(RequestTracker{}))
)

// TrackingBytes returns the memory held by this peer's tracking
// structures, computed from their sizes: the fixed structs, plus each
// map entry (per message type, pending requests) times
// its per-entry size, plus the expiry queues' and latency windows'
// capacity. It is an accounting of structures, not a heap profile: it
// leaves out allocator rounding and the map's own bucket arrays beyond
// the per-entry overhead.
func (p *Peer) TrackingBytes() uint64 {
	n := fixedBytes
	for k := range p.traffic.types {
		n += trafficEntryBytes + uint64(len(k))
	}
	r := p.requests
	n += uint64(len(r.pending)) * pendingEntryBytes
	for k := range numKinds {
		n += uint64(cap(r.queue[k])) * queuedEntryBytes
		n += uint64(r.latency[k].samples()) * sampleBytes
	}
	return n
}
