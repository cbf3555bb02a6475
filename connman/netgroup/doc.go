// Package netgroup classifies peer addresses the way Bitcoin Core's GetGroup
// does: IPv4 addresses (including IPv4 embedded in IPv6 by mapping, 6to4,
// Teredo or NAT64) are grouped by their /16, IPv6 addresses by their /32
// (/36 for Hurricane Electric's 2001:470::/32), and local and unroutable
// addresses each form a group of their own. It also says whether an address
// is local or publicly routable and which network it belongs to, and derives
// keyed netgroups: a keyed hash of the group, with a key random per node, so
// that an attacker cannot predict which groups eviction protects.
//
// It is pure: no clock, no sockets, no state. It never resolves host names
// and never knows which peers are connected.
package netgroup
