// Package accounting owns the per-peer resource figures of the node: what
// each peer costs and what it gives, counted where it happens, never
// estimated afterwards. It is a set of small, pure types, each with one job:
//
//   - Traffic counts messages and wire bytes (24-byte header included, as
//     Core counts them) per message type in both directions, and the
//     handling Cost (wall time, CPU time) of received ones, in one map
//     entry per type so that a received message costs one lookup.
//   - Clocks and Mark measure one handler run; Peer.BeginRecv, CountRecv
//     and EndRecv are the received-message path built on them.
//   - Inventory counts transaction, block, header and compact-block
//     messages and announcements, from decoded messages.
//   - RequestTracker follows our getdata requests per kind (transaction or
//     block): Track when we ask, Fulfil when the object arrives (a latency
//     sample), NotFound when the peer says it has none, expiry after a
//     timeout (lost), and a reply nobody asked for (unsolicited). Latency
//     summarises the samples.
//   - Peer aggregates all of them for one peer and fills a
//     peermanpb.PeerStats; NetMsgTable sums many peers' traffic by
//     direction, network, connection type and message type
//     (getnetmsgstats).
//
// It never touches actors, sockets, configuration or logs, and never reads
// a clock by itself except through Clocks, whose functions the caller
// injects (SystemClocks reads the process's monotonic clock and the
// calling thread's CPU clock). Time for requests is always passed in as
// "now", so tests drive every expiry and latency with a fake clock. None
// of its types is safe for concurrent use: each belongs to one Peer actor.
//
// # Decisions
//
// Latency percentiles (p50, p90) are exact, by nearest rank, over the most
// recent LatencyWindow samples of a kind (a ring of at most that many
// durations, allocated as samples arrive); count and mean cover every
// sample. A reply to a request that already expired was counted lost and is
// counted unsolicited as well: we were no longer waiting for it.
//
// CPU time is the calling OS thread's CPU clock read before and after the
// handler, with the goroutine locked to its thread in between so that both
// readings are of the same thread. On Linux each reading is a system call
// (about 0.65 us alone on the 2-core development machine, several times
// that in context, where it also disturbs the caches), so Traffic can
// measure only every Nth message of each type (Traffic.CPUEvery); the
// first message of each type is always measured. The CPU time it reports
// is then an estimate, the measured sum scaled by handled/measured, and
// Cost says how many were measured. Measuring every message more than
// doubled the cost of handling a ping; peerman's default measures one in
// 256 (see peerman.DefaultHandlerCPUEvery and docs/benchmarks.md). Other
// platforms report no CPU time (ThreadCPUTime returns false).
//
// Wall time is read on every handled message from the monotonic clock
// (about 33 ns a reading).
//
// Memory attributed to a peer by TrackingBytes is an accounting of the
// tracking structures computed from their sizes (map entries times a
// documented per-entry size, plus fixed struct sizes), not a heap profile.
package accounting
