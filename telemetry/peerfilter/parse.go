package peerfilter

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/actornode/actornode/actors"
)

// Filter is a parsed peer filter. It is immutable and safe for concurrent
// use; a nil *Filter matches no peer.
type Filter struct {
	root *node
	src  string
}

// Parse parses a filter (see the package documentation for the grammar).
// Errors are *SyntaxError values naming the column, what was expected and
// what was found. An empty or blank filter is an error: callers that treat
// "no filter" specially check for the empty string first.
func Parse(src string) (*Filter, error) {
	p := &parser{lex: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.expected(`"and", "or" or end of filter`)
	}
	return &Filter{root: root, src: src}, nil
}

// MustParse is Parse for filters fixed in code and tests; it panics on error.
func MustParse(src string) *Filter {
	f, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return f
}

// Match reports whether p is selected by the filter. It does not allocate.
func (f *Filter) Match(p Peer) bool {
	if f == nil {
		return false
	}
	return f.root.eval(&p)
}

// String returns the filter in canonical form: keywords in lower case,
// minimal parentheses, values quoted only when they must be.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	var b strings.Builder
	f.root.format(&b, 0)
	return b.String()
}

// Source returns the text the filter was parsed from.
func (f *Filter) Source() string {
	if f == nil {
		return ""
	}
	return f.src
}

// parser is a recursive-descent parser with one token of lookahead.
type parser struct {
	lex lexer
	tok token
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// expected builds the error for the current token.
func (p *parser) expected(what string) error {
	return &SyntaxError{Offset: p.tok.pos, Expected: what, Found: p.tok.describe()}
}

// isKeyword reports whether the current token is the bare word kw.
func (p *parser) isKeyword(kw string) bool {
	return p.tok.kind == tokWord && strings.EqualFold(p.tok.text, kw)
}

func (p *parser) parseOr() (*node, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	if !p.isKeyword("or") {
		return left, nil
	}
	n := &node{op: opOr}
	n.add(left)
	for p.isKeyword("or") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		n.add(right)
	}
	return n, nil
}

func (p *parser) parseAnd() (*node, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	if !p.isKeyword("and") {
		return left, nil
	}
	n := &node{op: opAnd}
	n.add(left)
	for p.isKeyword("and") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		n.add(right)
	}
	return n, nil
}

func (p *parser) parseUnary() (*node, error) {
	if p.isKeyword("not") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		inner, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &node{op: opNot, kids: []*node{inner}}, nil
	}
	return p.parsePrimary()
}

const expectTerm = `a term (addr=, id=, dir=, type=, ua=), "not", "all", "none" or "("`

func (p *parser) parsePrimary() (*node, error) {
	switch {
	case p.tok.kind == tokLParen:
		if err := p.advance(); err != nil {
			return nil, err
		}
		inner, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			return nil, p.expected(`"and", "or" or ")"`)
		}
		return inner, p.advance()
	case p.isKeyword("all"):
		return &node{op: opAll}, p.advance()
	case p.isKeyword("none"):
		return &node{op: opNone}, p.advance()
	case p.tok.kind == tokWord:
		return p.parseTerm()
	}
	return nil, p.expected(expectTerm)
}

// parseTerm parses key ( "=" | "!=" ) value.
func (p *parser) parseTerm() (*node, error) {
	key := strings.ToLower(p.tok.text)
	switch key {
	case "addr", "id", "dir", "type", "ua":
	case "and", "or":
		return nil, p.expected(expectTerm)
	default:
		return nil, p.expected("a key: addr, id, dir, type or ua")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	negate := false
	switch p.tok.kind {
	case tokEq:
	case tokNeq:
		negate = true
	default:
		return nil, p.expected(`"=" or "!=" after ` + key)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != tokWord && p.tok.kind != tokString {
		return nil, p.expected("a value for " + key)
	}
	n, err := p.termValue(key, p.tok.text)
	if err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if negate {
		n = &node{op: opNot, kids: []*node{n}}
	}
	return n, nil
}

// termValue checks the value of a key=value term and builds its node.
func (p *parser) termValue(key, v string) (*node, error) {
	switch key {
	case "addr":
		if strings.Contains(v, "/") {
			pfx, err := netip.ParsePrefix(v)
			if err != nil {
				return nil, p.expected("a CIDR prefix such as 10.0.0.0/8 or 2001:db8::/32")
			}
			if pfx.Addr().Zone() != "" {
				return nil, p.expected("a CIDR prefix without an IPv6 zone")
			}
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), unmappedBits(pfx)).Masked()
			return &node{op: opPrefix, prefix: pfx}, nil
		}
		if ap, err := netip.ParseAddrPort(v); err == nil {
			return &node{op: opAddrPort, addrPort: netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())}, nil
		}
		if a, err := netip.ParseAddr(v); err == nil {
			return &node{op: opAddr, addr: a.Unmap()}, nil
		}
		return nil, p.expected("an IP address, IP:port ([IPv6]:port) or CIDR prefix")
	case "id":
		id, err := strconv.ParseUint(v, 10, 64)
		if err != nil || id == 0 {
			return nil, p.expected("a peer id (a whole number >= 1)")
		}
		return &node{op: opID, id: actors.PeerID(id)}, nil
	case "dir":
		switch strings.ToLower(v) {
		case "inbound", "in":
			return &node{op: opDir, inbound: true}, nil
		case "outbound", "out":
			return &node{op: opDir, inbound: false}, nil
		}
		return nil, p.expected("inbound or outbound")
	case "type":
		lv := strings.ToLower(v)
		for _, ct := range connTypes {
			if lv == ct {
				return &node{op: opType, text: ct}, nil
			}
		}
		return nil, p.expected("a connection type: " + strings.Join(connTypes[:], ", "))
	default: // ua
		return &node{op: opUA, text: v}, nil
	}
}

// unmappedBits converts the length of an IPv4-mapped IPv6 prefix
// (::ffff:10.0.0.0/104) to the IPv4 length (8).
func unmappedBits(pfx netip.Prefix) int {
	if pfx.Addr().Is4In6() {
		if b := pfx.Bits() - 96; b >= 0 {
			return b
		}
		return 0
	}
	return pfx.Bits()
}

// add appends kid to an and/or node, splicing in the children of a kid with
// the same operator so that (a and b) and c is stored (and printed) flat.
func (n *node) add(kid *node) {
	if kid.op == n.op {
		n.kids = append(n.kids, kid.kids...)
		return
	}
	n.kids = append(n.kids, kid)
}
