// Package btcdtest starts a real btcd v0.26.2 regtest node on loopback for
// tests: free P2P and RPC ports, a private temporary data and log directory,
// random RPC credentials, a fixed mining address, and cleanup that stops the
// process when the test ends.
//
// It owns only the btcd child processes it starts and their temporary
// directories. It never touches the node under test, the user's ~/.btcd, or
// any process it did not start. Production code never imports it.
//
// The btcd and btcctl binaries are looked up in BTCDTEST_DIR, then in
// <repo root>/.tools/bin, then in $(go env GOPATH)/bin, then on PATH. When they
// are missing a test is skipped, or fails when the CI environment variable is
// set. Install them with `make tools` or:
//
//	GOBIN=$PWD/.tools/bin go install github.com/btcsuite/btcd@v0.26.2 github.com/btcsuite/btcd/cmd/btcctl@v0.26.2
//
// btcd deletes its regtest block database at every start, so a restarted
// Node is back at the genesis block; its peers.json survives.
//
// Note for tests that send malformed frames: btcd on regtest forgives
// malformed messages from a peer whose address is 127.0.0.1 once the
// handshake is done; dial from another loopback address (127.0.0.2) to see
// the behaviour a remote peer would get.
package btcdtest
