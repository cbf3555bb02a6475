package rpc

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Params are a call's parameters in the method's declared order. Named
// (object) params have already been placed at their positions; an omitted or
// null parameter is absent.
type Params struct {
	values []json.RawMessage
	args   []Arg
}

// Len returns how many positions the call filled (absent trailing
// parameters are not counted).
func (p Params) Len() int { return len(p.values) }

// Has reports whether parameter i is present and not null.
func (p Params) Has(i int) bool {
	return i >= 0 && i < len(p.values) && p.values[i] != nil && jsonKind(p.values[i]) != kindNull
}

// Raw returns parameter i as raw JSON, or nil when it is absent.
func (p Params) Raw(i int) json.RawMessage {
	if !p.Has(i) {
		return nil
	}
	return p.values[i]
}

// String returns parameter i as a string. An absent parameter yields def; a
// parameter of another JSON type yields a CodeType *Error.
func (p Params) String(i int, def string) (string, error) {
	if !p.Has(i) {
		return def, nil
	}
	var s string
	if jsonKind(p.values[i]) != kindString {
		return def, p.typeError(i, "string")
	}
	if err := json.Unmarshal(p.values[i], &s); err != nil {
		return def, p.typeError(i, "string")
	}
	return s, nil
}

// Int64 returns parameter i as an integer. An absent parameter yields def; a
// parameter that is not an integral JSON number yields a CodeType *Error.
func (p Params) Int64(i int, def int64) (int64, error) {
	if !p.Has(i) {
		return def, nil
	}
	var n int64
	if jsonKind(p.values[i]) != kindNumber {
		return def, p.typeError(i, "integer")
	}
	if err := json.Unmarshal(p.values[i], &n); err != nil {
		return def, p.typeError(i, "integer")
	}
	return n, nil
}

// Bool returns parameter i as a boolean. An absent parameter yields def; a
// parameter of another JSON type yields a CodeType *Error.
func (p Params) Bool(i int, def bool) (bool, error) {
	if !p.Has(i) {
		return def, nil
	}
	var b bool
	if jsonKind(p.values[i]) != kindBool {
		return def, p.typeError(i, "boolean")
	}
	if err := json.Unmarshal(p.values[i], &b); err != nil {
		return def, p.typeError(i, "boolean")
	}
	return b, nil
}

// typeError describes a parameter of the wrong JSON type.
func (p Params) typeError(i int, want string) *Error {
	name := fmt.Sprintf("#%d", i+1)
	if i < len(p.args) {
		name = fmt.Sprintf("%s (#%d)", p.args[i].Name, i+1)
	}
	return NewError(CodeType, "parameter %s must be of type %s, got %s", name, want, jsonKind(p.values[i]))
}

// bindParams places raw params (a JSON array, a JSON object, or nil) at the
// positions m declares. A wrong number of positional params, or a missing
// required one, is answered like Core: CodeMisc with the method's help. An
// unknown name is CodeInvalidParameter.
func bindParams(m Method, raw json.RawMessage) (Params, *Error) {
	p := Params{args: m.Args}
	switch jsonKind(raw) {
	case kindNone, kindNull:
	case kindArray:
		if err := json.Unmarshal(raw, &p.values); err != nil {
			return Params{}, NewError(CodeInvalidRequest, "Params must be an array or object")
		}
	case kindObject:
		var named map[string]json.RawMessage
		if err := json.Unmarshal(raw, &named); err != nil {
			return Params{}, NewError(CodeInvalidRequest, "Params must be an array or object")
		}
		positions := make(map[string]int, len(m.Args))
		for i, a := range m.Args {
			positions[a.Name] = i
		}
		for name := range named {
			if _, ok := positions[name]; !ok {
				return Params{}, NewError(CodeInvalidParameter, "Unknown named parameter %s", name)
			}
		}
		for i, a := range m.Args {
			if v, ok := named[a.Name]; ok {
				for len(p.values) <= i {
					p.values = append(p.values, nil)
				}
				p.values[i] = v
			}
		}
	default:
		return Params{}, NewError(CodeInvalidRequest, "Params must be an array or object")
	}
	for len(p.values) > 0 && !p.Has(len(p.values)-1) {
		p.values = p.values[:len(p.values)-1]
	}
	if len(p.values) > len(m.Args) {
		return Params{}, &Error{Code: CodeMisc, Message: m.Help}
	}
	for i, a := range m.Args {
		if !a.Optional && !p.Has(i) {
			return Params{}, &Error{Code: CodeMisc, Message: m.Help}
		}
	}
	return p, nil
}

// jsonKindOf names the JSON type of a raw value by its first byte.
type jsonKindOf string

// The JSON types jsonKind tells apart; kindNone is an absent value.
const (
	kindNone   jsonKindOf = "nothing"
	kindNull   jsonKindOf = "null"
	kindBool   jsonKindOf = "boolean"
	kindNumber jsonKindOf = "number"
	kindString jsonKindOf = "string"
	kindArray  jsonKindOf = "array"
	kindObject jsonKindOf = "object"
)

// jsonKind returns the JSON type of raw, which must be valid JSON or empty.
func jsonKind(raw json.RawMessage) jsonKindOf {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return kindNone
	}
	switch raw[0] {
	case 'n':
		return kindNull
	case 't', 'f':
		return kindBool
	case '"':
		return kindString
	case '[':
		return kindArray
	case '{':
		return kindObject
	default:
		return kindNumber
	}
}
