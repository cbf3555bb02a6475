package peerfilter

import (
	"strings"
)

// tokKind is the kind of one lexical token.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokLParen         // (
	tokRParen         // )
	tokEq             // =
	tokNeq            // !=
	tokWord           // a bare word: keyword, key or unquoted value
	tokString         // a double-quoted string, unescaped
)

// token is one lexical token and where it starts (a byte offset).
type token struct {
	kind tokKind
	pos  int
	text string
}

// describe renders the token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of filter"
	case tokString:
		return quote(t.text)
	default:
		return `"` + t.text + `"`
	}
}

// lexer splits a filter into tokens.
type lexer struct {
	src string
	pos int
}

// next returns the next token or a syntax error (an unterminated string, a
// lone "!").
func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	switch c := l.src[l.pos]; c {
	case '(':
		l.pos++
		return token{kind: tokLParen, pos: start, text: "("}, nil
	case ')':
		l.pos++
		return token{kind: tokRParen, pos: start, text: ")"}, nil
	case '=':
		l.pos++
		return token{kind: tokEq, pos: start, text: "="}, nil
	case '!':
		if strings.HasPrefix(l.src[l.pos:], "!=") {
			l.pos += 2
			return token{kind: tokNeq, pos: start, text: "!="}, nil
		}
	case '"':
		return l.quoted()
	}
	for l.pos < len(l.src) && !endsWord(l.src, l.pos) {
		l.pos++
	}
	if l.pos == start { // cannot happen: every word-ending byte is handled above
		l.pos++
		return token{}, &SyntaxError{Offset: start, Expected: "a term", Found: quote(l.src[start:l.pos])}
	}
	return token{kind: tokWord, pos: start, text: l.src[start:l.pos]}, nil
}

// quoted lexes a double-quoted string starting at l.pos.
func (l *lexer) quoted() (token, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch c {
		case '"':
			l.pos++
			return token{kind: tokString, pos: start, text: b.String()}, nil
		case '\\':
			if l.pos+1 < len(l.src) && (l.src[l.pos+1] == '"' || l.src[l.pos+1] == '\\') {
				b.WriteByte(l.src[l.pos+1])
				l.pos += 2
				continue
			}
		}
		b.WriteByte(c)
		l.pos++
	}
	return token{}, &SyntaxError{Offset: start, Expected: `a closing '"'`, Found: "end of filter"}
}

// endsWord reports whether the byte at i ends a bare word.
func endsWord(s string, i int) bool {
	switch s[i] {
	case ' ', '\t', '\n', '\r', '(', ')', '=', '"':
		return true
	case '!':
		return i+1 < len(s) && s[i+1] == '='
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
