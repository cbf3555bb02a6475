package rpc

import (
	"fmt"
	"sort"
	"strings"
)

// Category groups methods in the output of help ("== Network ==").
type Category string

// The categories of the methods that exist now.
const (
	CategoryControl Category = "control"
	CategoryNetwork Category = "network"
	// CategoryHidden methods (test helpers, as in Core) are left out of
	// help's overview; "help <name>" still shows them.
	CategoryHidden Category = "hidden"
)

// Handler runs one method call. It returns a value that encodes to JSON, or
// an error; an *Error (possibly wrapped) chooses the JSON-RPC code, any other
// error is reported as CodeMisc with its text.
type Handler func(call *Call, params Params) (any, error)

// Arg declares one parameter of a method, in position order. Its Name is
// what a caller uses with named (object) params.
type Arg struct {
	// Name is the parameter's name for named params.
	Name string
	// Optional parameters may be omitted (or null).
	Optional bool
}

// Method is one entry of the method table.
type Method struct {
	// Name is the JSON-RPC method name.
	Name string
	// Category groups the method in help's overview.
	Category Category
	// Args declares the parameters in position order.
	Args []Arg
	// Help is the full help text. Its first line is the usage line shown
	// by help without arguments, e.g. `help ( "command" )`.
	Help string
	// Handler runs the method.
	Handler Handler
}

// usage returns the first line of the method's help.
func (m Method) usage() string {
	line, _, _ := strings.Cut(m.Help, "\n")
	return line
}

// methodTable maps names to methods. It is built once and only read after.
type methodTable struct {
	byName map[string]Method
}

// newMethodTable checks the methods and indexes them. A duplicate name, an
// empty name or a missing handler is a wiring mistake and is returned as an
// error.
func newMethodTable(methods []Method) (*methodTable, error) {
	t := &methodTable{byName: make(map[string]Method, len(methods))}
	for _, m := range methods {
		switch {
		case m.Name == "":
			return nil, fmt.Errorf("rpc: method with empty name")
		case m.Handler == nil:
			return nil, fmt.Errorf("rpc: method %q has no handler", m.Name)
		case m.Help == "":
			return nil, fmt.Errorf("rpc: method %q has no help", m.Name)
		case m.Category == "":
			return nil, fmt.Errorf("rpc: method %q has no category", m.Name)
		}
		if _, dup := t.byName[m.Name]; dup {
			return nil, fmt.Errorf("rpc: method %q registered twice", m.Name)
		}
		m.Args = append([]Arg(nil), m.Args...)
		t.byName[m.Name] = m
	}
	return t, nil
}

// lookup returns the method with the given name.
func (t *methodTable) lookup(name string) (Method, bool) {
	m, ok := t.byName[name]
	return m, ok
}

// sorted returns the methods ordered by category, then name.
func (t *methodTable) sorted() []Method {
	out := make([]Method, 0, len(t.byName))
	for _, m := range t.byName {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Category != out[j].Category {
			return out[i].Category < out[j].Category
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// helpText is the result of `help` (command empty) or `help command`.
func (t *methodTable) helpText(command string) string {
	if command != "" {
		m, ok := t.lookup(command)
		if !ok {
			return "help: unknown command: " + command
		}
		return strings.TrimRight(m.Help, "\n")
	}
	var b strings.Builder
	var current Category
	for _, m := range t.sorted() {
		if m.Category == CategoryHidden {
			continue
		}
		if m.Category != current {
			if current != "" {
				b.WriteString("\n")
			}
			current = m.Category
			b.WriteString("== " + capitalize(string(current)) + " ==\n")
		}
		b.WriteString(m.usage() + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// capitalize upper-cases the first ASCII letter of s.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
