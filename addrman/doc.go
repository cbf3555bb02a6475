// Package addrman owns the node's address book: the addresses we know, where
// they came from and how they fared, persisted in the datadir.
//
// It never learns which peers are currently connected (Connected is recorded
// at disconnect only) and never opens connections: connman asks it for
// candidates.
package addrman
