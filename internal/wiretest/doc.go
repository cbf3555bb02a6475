// Package wiretest is a Bitcoin P2P (v1 transport) test client over real TCP,
// for tests and load generators that must act as a peer of a node, including
// a hostile one: it writes well-formed messages, hand-built frames with wrong
// magic, bad checksums or lying length fields, and reads whatever the node
// answers, frame by frame, without goroutines of its own.
//
// It owns only the sockets it dials or accepts. It never touches the node
// under test other than through those sockets, and production code paths
// never import it.
//
// A Client is used by one goroutine at a time; only Close may be called
// concurrently with the others.
package wiretest
