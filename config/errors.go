package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Layer identifies where a configuration value came from.
type Layer int

const (
	// LayerNone marks a problem that belongs to no single layer.
	LayerNone Layer = iota
	// LayerDefaults is the embedded defaults.yaml.
	LayerDefaults
	// LayerFile is the YAML file given with --config.
	LayerFile
	// LayerEnv is the ACTORNODE_* environment variables.
	LayerEnv
	// LayerFlag is the command-line flags.
	LayerFlag
)

// String names the layer.
func (l Layer) String() string {
	switch l {
	case LayerDefaults:
		return "defaults"
	case LayerFile:
		return "file"
	case LayerEnv:
		return "environment"
	case LayerFlag:
		return "flag"
	}
	return "none"
}

// Error is one configuration problem: where it came from, which key, and
// what is wrong. Its message reads, depending on the layer:
//
//	node.yaml:7: p2p.maxconections: unknown key (did you mean p2p.maxconnections?)
//	environment ACTORNODE_P2P_MAXCONNECTIONS: p2p.maxconnections: expected a whole number >= 1, got "lots"
//	flag --p2p.maxconnections: expected a whole number >= 1, got "lots"
type Error struct {
	// Layer is where the offending value came from.
	Layer Layer
	// File is the configuration file's path for LayerFile, or the name of
	// the built-in defaults for LayerDefaults.
	File string
	// Line is the 1-based line in File, or 0 when unknown.
	Line int
	// Env is the environment variable for LayerEnv.
	Env string
	// Flag is the flag name without dashes for LayerFlag.
	Flag string
	// Key is the dotted configuration key, or "" for a problem with the
	// whole source (such as a YAML syntax error).
	Key string
	// Problem says what is wrong and what was expected.
	Problem string
}

// Error formats the problem as "where: key: problem".
func (e *Error) Error() string {
	var b strings.Builder
	switch e.Layer {
	case LayerFile, LayerDefaults:
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	case LayerEnv:
		b.WriteString("environment " + e.Env + ": ")
	case LayerFlag:
		if e.Flag == "" {
			b.WriteString("command line: ")
		} else {
			b.WriteString("flag --" + e.Flag + ": ")
		}
	}
	if e.Key != "" && !(e.Layer == LayerFlag && e.Key == e.Flag) {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Errors is every problem found in one load, in the order of the layers and,
// within the file, of the lines. Load and LoadFile return it as their error
// whenever anything is wrong; errors.As(err, &e) with e of type *Error finds
// the first problem.
type Errors []*Error

// Error joins the problems' messages, one per line.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, so that errors.As and errors.Is see each one.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sortErrors orders problems by layer, then line, then key.
func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Layer != b.Layer {
			return a.Layer < b.Layer
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
}

// origin records where the effective value of one key came from.
type origin struct {
	layer Layer
	file  string
	line  int
	env   string
	flag  string
}

// errorAt builds an Error for key at origin o.
func (o origin) errorAt(key, problem string) *Error {
	return &Error{Layer: o.layer, File: o.file, Line: o.line, Env: o.env, Flag: o.flag, Key: key, Problem: problem}
}

// describe renders a raw value in an error message.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case []any, []string:
		return fmt.Sprintf("a list %v", x)
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprint(v)
}
