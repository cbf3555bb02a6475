// Command actornode is a Bitcoin peer-to-peer node in which every subsystem
// is an actor.
//
// Usage:
//
//	actornode [--config FILE] [--KEY VALUE ...]   run the node
//	actornode config check FILE                   validate a config file
//	actornode config defaults                     print the default config
//	actornode cli [OPTIONS] METHOD [ARGS...]      call the node's JSON-RPC
//	actornode cli [OPTIONS] peers [--watch]       print the peers table
//	actornode version                             print the version
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

// run dispatches the sub-commands and returns the process exit code.
func run(args, environ []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "config":
			return configCommand(args[1:], stdout, stderr)
		case "capture":
			return captureCommand(args[1:], stdout, stderr)
		case "cli":
			return cliCommand(args[1:], environ, stdout, stderr)
		case "version", "--version":
			return versionCommand(stdout)
		case "help", "-h", "--help":
			return helpCommand(stdout)
		}
	}
	return daemon(args, environ, stderr)
}

func helpCommand(w io.Writer) int {
	fmt.Fprint(w, `actornode: a Bitcoin peer-to-peer node built from actors

Usage:
  actornode [--config FILE] [--KEY VALUE ...]   run the node
  actornode config check FILE                   validate FILE without starting (exit 0 valid, 1 invalid)
  actornode config defaults                     print every key with its default, as YAML
  actornode cli [OPTIONS] METHOD [ARGS...]      call a running node's JSON-RPC method
  actornode cli [OPTIONS] peers [--watch]       print a table of the node's peers
                                                (actornode cli --help for the options)
  actornode capture show|json|stats PATH...     inspect captured messages (docs/capture.md)
  actornode capture replay SESSION --to HOST:PORT
                                                re-send a captured session to a node
  actornode version                             print the version

Every configuration key can be given as a flag of the same dotted name
(--p2p.listen 127.0.0.1:18444, --rpc.user alice) or as an environment
variable (ACTORNODE_P2P_LISTEN). See docs/configuration.md.
`)
	return 0
}
