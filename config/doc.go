// Package config owns the node's configuration: it reads the layers
// (built-in defaults, a YAML file, ACTORNODE_* environment variables and
// command-line flags), merges them in that order, decodes the result
// strictly into a Config and validates every value, reporting each problem
// with the file, line, variable or flag it came from.
//
// The built-in defaults are an embedded, commented YAML file; it is both the
// lowest layer and what `actornode config defaults` prints. Every dotted key
// of that file is also a flag of the same name and an environment variable
// (ACTORNODE_ followed by the key in upper case with dots as underscores).
//
// Package config never starts anything, never opens sockets and never
// writes files; it only reads the configuration file it is given.
package config
