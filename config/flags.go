package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// ConfigFlag is the flag naming the YAML configuration file.
const ConfigFlag = "config"

// flagValue is the pflag.Value behind every key's flag. It keeps the text
// exactly as given, so that one conversion and one set of error messages
// serve flags, environment variables and files alike.
type flagValue struct {
	kind valueKind
	raw  string
	list []string
	// given is set by the first Set; the first Set of a list flag replaces
	// the default rather than appending to it.
	given bool
}

// String returns the current value as text; lists read "[a,b]".
func (v *flagValue) String() string {
	if v.kind == kindList {
		return "[" + strings.Join(v.list, ",") + "]"
	}
	return v.raw
}

// Set records one occurrence of the flag. A list flag collects its
// occurrences; each may also hold comma-separated items, and an empty value
// contributes nothing, so --p2p.listen= alone means the empty list.
func (v *flagValue) Set(s string) error {
	if v.kind != kindList {
		v.raw, v.given = s, true
		return nil
	}
	if !v.given {
		v.list, v.given = []string{}, true
	}
	v.list = append(v.list, splitList(s)...)
	return nil
}

// Type names the value's type in --help output.
func (v *flagValue) Type() string {
	switch v.kind {
	case kindInt:
		return "int"
	case kindBool:
		return "bool"
	case kindDuration:
		return "duration"
	case kindList:
		return "strings"
	case kindFloat:
		return "float"
	}
	return "string"
}

// value returns what the flag contributes to the configuration: the raw
// string, or a copy of the list.
func (v *flagValue) value() any {
	if v.kind == kindList {
		return append([]string{}, v.list...)
	}
	return v.raw
}

// NewFlagSet returns a flag set holding --config FILE and one flag per
// configuration key, named exactly like the key (--p2p.listen,
// --actors.peer.mailbox.size, ...), with the built-in default and a
// one-line description for --help. List flags may be repeated; the first
// occurrence replaces the lower layers' list. Boolean flags may be given
// without a value. The set uses pflag.ContinueOnError; the caller may add
// its own flags, parse it and pass it to LoadFlagSet.
func NewFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.String(ConfigFlag, "", "read settings from this YAML `file` (see `actornode config defaults`)")
	s := configSchema()
	defaults := defaultValues()
	for _, key := range s.sortedKeys() {
		v := &flagValue{kind: s[key]}
		switch d := defaults[key].(type) {
		case []string:
			v.list = d
		case nil:
		default:
			v.raw = fmt.Sprint(d)
		}
		f := fs.VarPF(v, key, "", specFor(key).usage)
		if v.kind == kindBool {
			f.NoOptDefVal = "true"
		}
	}
	return fs
}

// defaultValues returns the built-in default of every key as written in
// defaults.yaml: strings, integers, numbers, booleans, or []string for lists.
func defaultValues() map[string]any {
	l := newLoader(nil)
	l.loadDefaults()
	out := map[string]any{}
	for k, v := range l.ko.All() {
		if list, ok := toList(v, false); ok {
			v = list
		}
		out[k] = v
	}
	return out
}

// flagError turns a pflag parse error into an *Error naming the flag.
func flagError(err error, s schema) error {
	if errors.Is(err, pflag.ErrHelp) {
		return err
	}
	var notExist *pflag.NotExistError
	if errors.As(err, &notExist) {
		name := notExist.GetSpecifiedName()
		if name == "" {
			return Errors{{Layer: LayerFlag, Problem: err.Error()}}
		}
		problem := "unknown flag"
		if hint := s.suggest(name); hint != "" {
			problem += " (did you mean --" + hint + "?)"
		}
		return Errors{{Layer: LayerFlag, Flag: name, Problem: problem}}
	}
	var needsValue *pflag.ValueRequiredError
	if errors.As(err, &needsValue) {
		return Errors{{Layer: LayerFlag, Flag: needsValue.GetSpecifiedName(), Problem: "needs a value"}}
	}
	return Errors{{Layer: LayerFlag, Problem: err.Error()}}
}
