package main

import (
	"fmt"
	"io"

	"github.com/actornode/actornode/config"
)

// configCommand implements `actornode config check FILE` and
// `actornode config defaults`.
func configCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: actornode config check FILE | actornode config defaults")
		return 2
	}
	switch args[0] {
	case "defaults":
		if len(args) != 1 {
			fmt.Fprintln(stderr, "usage: actornode config defaults")
			return 2
		}
		_, _ = stdout.Write(config.DefaultsYAML())
		return 0
	case "check":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: actornode config check FILE")
			return 2
		}
		if _, err := config.LoadFile(args[1]); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: valid\n", args[1])
		return 0
	}
	fmt.Fprintf(stderr, "unknown config command %q: want check or defaults\n", args[0])
	return 2
}
