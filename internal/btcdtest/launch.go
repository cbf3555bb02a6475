package btcdtest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/actornode/actornode/internal/testproc"
)

// launch starts the btcd process with the node's current ports and waits
// until it answers RPC. On failure no process is left running.
func (n *Node) launch() error {
	out, err := os.OpenFile(n.outPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open btcd output file: %w", err)
	}
	offset, _ := out.Seek(0, io.SeekEnd)
	args := n.args()
	fmt.Fprintf(out, "=== btcdtest: %s %s\n", n.bins.Btcd, strings.Join(args, " "))
	proc, err := testproc.Start(n.bins.Btcd, args, out, stopGrace)
	out.Close() // the child holds its own descriptor
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.proc = proc
	n.mu.Unlock()
	if err := n.waitReady(proc, offset); err != nil {
		_ = n.Stop()
		return err
	}
	return nil
}

// waitReady polls getblockcount until btcd answers, the process exits, or
// readyTimeout passes. An exit caused by a taken port wraps errPortTaken.
func (n *Node) waitReady(proc *testproc.Process, offset int64) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		if proc.Exited() {
			since := outputSince(n.outPath, offset)
			if bytes.Contains(since, []byte("address already in use")) {
				return fmt.Errorf("%w: btcd exited: %v", errPortTaken, proc.Err())
			}
			return fmt.Errorf("btcd exited before answering RPC: %v", proc.Err())
		}
		_, err := n.rpc.call("getblockcount")
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("btcd RPC at %s not answering after %v: %v", n.RPCAddr(), readyTimeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// outputSince returns the bytes of path after offset.
func outputSince(path string, offset int64) []byte {
	b, err := os.ReadFile(path)
	if err != nil || offset > int64(len(b)) {
		return nil
	}
	return b[offset:]
}
