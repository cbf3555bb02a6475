// Package addrman owns the node's address book: the addresses we know,
// where they came from and how they fared, persisted in the datadir.
//
// The book itself is the pure core addrman/book; its file format is
// addrman/bookfile; the messages other subsystems exchange with it are
// declared in addrman/addrmanpb. This package is the actor around them
// (NewActor): it loads the book, answers the boundary messages, writes the
// book back, and asks DNS seeds when the book is empty.
//
// It never opens connections and never decides whom to connect to: connman
// asks it for candidates (Select) and reports how they fared (Attempt,
// Good, SetServices, Connected). It never bans: getnodeaddresses answers
// are not filtered by connman's ban list.
//
// # Privacy
//
// addrman never learns which peers are connected right now, so nothing it
// answers can reveal them. connman reports Good when an outbound handshake
// succeeds (this moves the address to the tried table but leaves its
// last-seen time alone) and Connected only when a connection ends, never
// for block-relay-only peers; nobody tells addrman about a connection while
// it lasts. Peers' getaddr requests are answered from a cache per requestor
// network (GetAddrCache) drawn at most once every 21 hours plus up to 6
// hours of random jitter, at most 23% of the book and at most 1000
// addresses, so repeated requests cannot map the book or spot recent
// changes.
//
// # Persistence
//
// The book lives in one file (Config.File, normally
// <datadir>/<network>/addrman.dat). At start a missing file gives a new
// book with a fresh random secret key. A file the decoder refuses
// (truncated, corrupt, foreign) is never silently replaced: the error,
// with the path and the decoder's byte offset, is logged, the file is
// renamed to <file>.corrupt-<unix time> and addrman starts with an empty
// book. A file that exists but cannot be read stops the actor (it panics
// with a *LoadError) rather than risk overwriting good data.
//
// A changed book is written every Config.FlushInterval (15 minutes, as
// Core dumps peers.dat), and on Stopping and Restarting, atomically: a
// temporary file in the same directory is written and synced, renamed over
// the file, and the directory synced. A restarted actor reloads the file;
// changes since the last write are lost only when the book was found
// inconsistent after a failure (then the last file is kept).
//
// # DNS seeds
//
// With Config.DNSSeed and an empty book at start, the network's seeds
// (chaincfg; Config.DNSSeeds overrides) are resolved concurrently, each in
// its own goroutine bounded by Config.SeedTimeout, so the actor keeps
// answering meanwhile; each answer comes back to the actor as a message.
// At most 32 addresses are taken from a seed, on the network's default
// port, with services NETWORK|WITNESS and a last-seen time 3 to 7 days
// ago, as Core does. regtest has no seeds.
package addrman
