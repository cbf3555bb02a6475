// Package outbound holds the pure rules for automatic outbound connections:
// how many slots of each type the node keeps (8 full-relay, 2
// block-relay-only, 1 feeler by default, as Bitcoin Core), how many inbound
// slots that leaves, which type the next automatic connection should be,
// and the rule that persistent outbound connections to IPv4/IPv6 peers go to
// distinct network groups.
//
// The automatic dialling loop that uses these rules needs addresses, which
// come from addrman; until addrman exists connman dials only manual peers
// (p2p.connect, p2p.addnode, the addnode RPC). The package owns no state,
// reads no clock and opens no socket.
package outbound
