package btcdtest

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
)

// AddNodeCommand is a sub-command of btcd's addnode RPC.
type AddNodeCommand string

// The addnode sub-commands btcd v0.26.2 accepts.
const (
	// AddNodeAdd makes a permanent (retried) outbound connection.
	AddNodeAdd AddNodeCommand = "add"
	// AddNodeRemove drops a permanent connection made with AddNodeAdd.
	AddNodeRemove AddNodeCommand = "remove"
	// AddNodeOneTry makes a single outbound connection attempt.
	AddNodeOneTry AddNodeCommand = "onetry"
)

// RPC calls a btcd JSON-RPC method and returns its raw result. A server-side
// failure is returned as *RPCError.
func (n *Node) RPC(method string, params ...any) (json.RawMessage, error) {
	return n.rpc.call(method, params...)
}

// rpcInto calls method and decodes the result into out.
func (n *Node) rpcInto(out any, method string, params ...any) error {
	raw, err := n.RPC(method, params...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("rpc %s: decode %s: %w", method, raw, err)
	}
	return nil
}

// Generate mines count blocks to MiningAddress and returns their hashes.
func (n *Node) Generate(count uint32) ([]string, error) {
	var hashes []string
	err := n.rpcInto(&hashes, "generate", count)
	return hashes, err
}

// GetBlockCount returns the height of btcd's best chain.
func (n *Node) GetBlockCount() (int64, error) {
	var height int64
	err := n.rpcInto(&height, "getblockcount")
	return height, err
}

// GetBestBlockHash returns the hash of the tip of btcd's best chain.
func (n *Node) GetBestBlockHash() (string, error) {
	var hash string
	err := n.rpcInto(&hash, "getbestblockhash")
	return hash, err
}

// GetPeerInfo returns btcd's view of its connected peers.
func (n *Node) GetPeerInfo() ([]PeerInfo, error) {
	var peers []PeerInfo
	err := n.rpcInto(&peers, "getpeerinfo")
	return peers, err
}

// AddNode runs btcd's addnode RPC for addr (host:port).
func (n *Node) AddNode(addr string, cmd AddNodeCommand) error {
	_, err := n.RPC("addnode", addr, string(cmd))
	return err
}

// Ctl runs btcctl against the node with args (for example "generate", "1")
// and returns its trimmed output.
func (n *Node) Ctl(args ...string) (string, error) {
	if n.bins.Btcctl == "" {
		return "", fmt.Errorf("btcctl not found next to %s", n.bins.Btcd)
	}
	base := []string{"--regtest", "--notls", "--configfile=" + n.configPath(),
		"--rpcuser=" + n.user, "--rpcpass=" + n.pass, "--rpcserver=" + n.RPCAddr()}
	out, err := exec.Command(n.bins.Btcctl, append(base, args...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("btcctl %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}
