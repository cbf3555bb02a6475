package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/actornode/actornode/cmd/actornode/node"
)

func versionCommand(w io.Writer) int {
	fmt.Fprintf(w, "actornode %s (user agent %s, protocol %d, %s)\n", node.Version(), node.UserAgent(), node.ProtocolVersion, runtime.Version())
	return 0
}
