// Package outbound holds the pure rules for automatic outbound connections:
// how many slots of each type the node keeps (8 full-relay, 2
// block-relay-only, 1 feeler by default, as Bitcoin Core), how many inbound
// slots that leaves, which type the next automatic connection should be,
// the rule that persistent outbound connections to IPv4/IPv6 peers go to
// distinct network groups, and when a failed automatic dial counts against
// an address.
//
// connman's automatic dialling loop applies these rules to the addresses
// addrman offers. The package owns no state, reads no clock, opens no
// socket and never talks to addrman.
package outbound
