// Package banlist holds the node's bans and discouraged addresses.
//
// A List maps subnets (a single address is a /32 or /128) to a ban with a
// creation time and an expiry; expired bans are ignored and pruned. Its file
// form is JSON in Bitcoin Core's banlist.json shape, written atomically
// (temporary file, fsync, rename, fsync of the directory). A file that
// cannot be read back is reported as a *CorruptError and can be moved aside
// with Quarantine so the node starts without bans rather than not at all.
//
// Discouraged is Core's discouragement: an in-memory, bounded set of
// addresses that misbehaved, each forgotten after a day, never persisted.
//
// The package is pure apart from the file functions: time comes in as
// arguments. It never opens sockets and never decides whom to disconnect.
package banlist
