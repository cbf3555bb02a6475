// Package evict chooses which inbound peer to disconnect when a new inbound
// connection arrives and every inbound slot is taken. Select follows Bitcoin
// Core's SelectNodeToEvict: it drops outbound and noban peers from the
// candidates, protects peers by keyed netgroup, ping, novel transactions,
// novel blocks (with room for block-relay-only peers) and uptime (with part
// of that reserved for onion, I2P, CJDNS and localhost peers), and evicts
// the youngest peer of the network group with the most connections among
// those left, preferring peers marked PreferEvict (discouraged ones).
//
// It is pure and deterministic: the same candidates (in any order), the same
// now and the same key always give the same answer. Ties Core leaves to its
// sort order are broken by ConnID. It owns no state, reads no clock and
// never learns which peer has which property itself: the caller builds the
// candidates from the snapshots Peer actors publish.
package evict
