// Package replay owns the capture tool's replay client: it connects to a
// node over TCP, performs a fresh version handshake of its own, and then
// re-sends the messages a capture session received from its peer, in
// order, with the recorded spacing (scaled by a speed factor) or as fast
// as possible, answering the node's pings throughout.
//
// The P2P client is a small one written here rather than
// internal/wiretest: that package is for tests only and reads from the
// caller's goroutine, while replay must keep answering pings while it
// sleeps between messages. Here one goroutine reads frames (answering
// pings, noting the node's version, verack and the pong that ends a
// replay) and writes are serialised by a mutex; frames are encoded and
// decoded with sockman's v1 framing (AppendFrame, Decoder), so a bad
// checksum or magic from the node is an error here too.
//
// Handshake. The client sends its version (protocol 70016, services
// NETWORK and WITNESS, relay as recorded), waits for the node's version,
// sends wtxidrelay and sendaddrv2 (each only if the recorded peer sent it
// and the node's version is at least 70016) and verack, and waits for the
// node's verack. Replay then skips the recorded messages that belong to the
// handshake (Skipped): version and verack (already exchanged),
// wtxidrelay, sendaddrv2 and sendtxrcncl (only valid before verack; a node
// disconnects on wtxidrelay or sendaddrv2 after it). Everything else,
// recorded pings and pongs included, is sent with its recorded payload.
// At the end the client sends one ping of its own and waits for its pong,
// so that when Replay returns the node has read every replayed message.
//
// It never reads capture files itself (the caller hands it records) and
// never touches the node other than through its one connection.
package replay
