package config

import (
	_ "embed"
	"fmt"
)

// defaultsYAML is the built-in defaults layer; see defaults.yaml.
//
//go:embed defaults.yaml
var defaultsYAML []byte

// defaultsName names the built-in defaults in error messages.
const defaultsName = "built-in defaults"

// DefaultsYAML returns the commented YAML document holding every key with its
// built-in default. It is the lowest configuration layer and what
// `actornode config defaults` prints. The caller owns the returned slice.
func DefaultsYAML() []byte {
	out := make([]byte, len(defaultsYAML))
	copy(out, defaultsYAML)
	return out
}

// Default returns the built-in defaults as a validated Config, with a leading
// ~ in paths expanded to the current user's home directory. It panics if the
// embedded defaults are invalid, which the package's tests rule out.
func Default() Config {
	c, err := load(sources{homeOptional: true})
	if err != nil {
		panic(fmt.Sprintf("config: built-in defaults are invalid: %v", err))
	}
	return c
}
