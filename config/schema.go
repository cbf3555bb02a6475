package config

import (
	"reflect"
	"sort"
	"strings"
	"time"
)

// valueKind is the type of one configuration key's value.
type valueKind int

const (
	kindString valueKind = iota + 1
	kindInt
	kindBool
	kindDuration
	kindList
	kindFloat
)

// String names the kind the way the documentation's type column does.
func (k valueKind) String() string {
	switch k {
	case kindString:
		return "string"
	case kindInt:
		return "integer"
	case kindBool:
		return "boolean"
	case kindDuration:
		return "duration"
	case kindList:
		return "list"
	case kindFloat:
		return "number"
	}
	return "unknown"
}

// field is one leaf key of Config.
type field struct {
	key  string
	kind valueKind
}

// schema maps every dotted key to its value kind. It is derived from the
// koanf tags of Config, so the struct is the single source of the key set.
type schema map[string]valueKind

var durationType = reflect.TypeOf(time.Duration(0))

// configSchema walks Config and returns its leaf keys.
func configSchema() schema {
	s := schema{}
	walkSchema(reflect.TypeOf(Config{}), "", s)
	return s
}

func walkSchema(t reflect.Type, prefix string, s schema) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("koanf")
		if tag == "" || tag == "-" {
			continue
		}
		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		switch {
		case f.Type == durationType:
			s[key] = kindDuration
		case f.Type.Kind() == reflect.Struct:
			walkSchema(f.Type, key, s)
		case f.Type.Kind() == reflect.String:
			s[key] = kindString
		case f.Type.Kind() == reflect.Bool:
			s[key] = kindBool
		case f.Type.Kind() == reflect.Int, f.Type.Kind() == reflect.Int64:
			s[key] = kindInt
		case f.Type.Kind() == reflect.Float64:
			s[key] = kindFloat
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			s[key] = kindList
		default:
			panic("config: unsupported field type " + f.Type.String() + " at " + key)
		}
	}
}

// sortedKeys returns the schema's keys in sorted order.
func (s schema) sortedKeys() []string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isSection reports whether key names a section (a proper prefix of some key).
func (s schema) isSection(key string) bool {
	p := key + "."
	for k := range s {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// leafPrefix returns the schema key that is a proper prefix of key, if any
// (for "p2p.listen.x" it returns "p2p.listen").
func (s schema) leafPrefix(key string) (string, bool) {
	for i := len(key) - 1; i > 0; i-- {
		if key[i] != '.' {
			continue
		}
		if _, ok := s[key[:i]]; ok {
			return key[:i], true
		}
	}
	return "", false
}

// Keys returns every dotted configuration key in sorted order, for example
// "actors.peer.mailbox.size" and "p2p.listen". Each key is also a flag of
// the same name and an ACTORNODE_ environment variable.
func Keys() []string {
	return configSchema().sortedKeys()
}

// EnvVar returns the environment variable that sets key, for example
// ACTORNODE_P2P_MAXCONNECTIONS for p2p.maxconnections.
func EnvVar(key string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}
