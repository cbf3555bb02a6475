package peerfilter

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/actornode/actornode/actors"
)

// opKind is what one node of a parsed filter tests.
type opKind uint8

const (
	opAll opKind = iota
	opNone
	opNot
	opAnd
	opOr
	opAddr     // address, any port
	opAddrPort // address and port
	opPrefix   // address in prefix
	opID
	opDir
	opType
	opUA
)

// node is one node of a parsed filter. Only the fields of its op are set.
type node struct {
	op       opKind
	kids     []*node // opNot: one; opAnd, opOr: two or more
	addr     netip.Addr
	addrPort netip.AddrPort
	prefix   netip.Prefix
	id       actors.PeerID
	inbound  bool
	text     string // opType: the type; opUA: the glob
}

// eval reports whether p satisfies the node.
func (n *node) eval(p *Peer) bool {
	switch n.op {
	case opAll:
		return true
	case opNone:
		return false
	case opNot:
		return !n.kids[0].eval(p)
	case opAnd:
		for _, k := range n.kids {
			if !k.eval(p) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if k.eval(p) {
				return true
			}
		}
		return false
	case opAddr:
		return p.Addr.IsValid() && p.Addr.Addr().Unmap() == n.addr
	case opAddrPort:
		return p.Addr.IsValid() && p.Addr.Addr().Unmap() == n.addrPort.Addr() && p.Addr.Port() == n.addrPort.Port()
	case opPrefix:
		return p.Addr.IsValid() && n.prefix.Contains(p.Addr.Addr().Unmap())
	case opID:
		return p.ID == n.id
	case opDir:
		return p.Inbound == n.inbound
	case opType:
		return p.ConnType == n.text
	case opUA:
		return globMatch(n.text, p.UserAgent)
	}
	return false
}

// Binding strengths used to decide where format needs parentheses.
const (
	precOr = iota
	precAnd
	precUnary
)

// format writes the node in canonical form; ctx is the binding strength of
// the enclosing operator.
func (n *node) format(b *strings.Builder, ctx int) {
	switch n.op {
	case opAll:
		b.WriteString("all")
	case opNone:
		b.WriteString("none")
	case opNot:
		b.WriteString("not ")
		n.kids[0].format(b, precUnary)
	case opAnd, opOr:
		prec, word := precAnd, " and "
		if n.op == opOr {
			prec, word = precOr, " or "
		}
		if ctx > prec {
			b.WriteByte('(')
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(word)
			}
			k.format(b, prec+1)
		}
		if ctx > prec {
			b.WriteByte(')')
		}
	case opAddr:
		b.WriteString("addr=" + n.addr.String())
	case opAddrPort:
		b.WriteString("addr=" + n.addrPort.String())
	case opPrefix:
		b.WriteString("addr=" + n.prefix.String())
	case opID:
		b.WriteString("id=" + strconv.FormatUint(uint64(n.id), 10))
	case opDir:
		if n.inbound {
			b.WriteString("dir=inbound")
		} else {
			b.WriteString("dir=outbound")
		}
	case opType:
		b.WriteString("type=" + n.text)
	case opUA:
		b.WriteString("ua=" + quoteIfNeeded(n.text))
	}
}

// quoteIfNeeded returns v as a bare word when the lexer reads it back as
// one, and quoted otherwise.
func quoteIfNeeded(v string) string {
	if v == "" {
		return `""`
	}
	for i := 0; i < len(v); i++ {
		if endsWord(v, i) || v[i] == '\\' {
			return quote(v)
		}
	}
	switch strings.ToLower(v) {
	case "and", "or", "not", "all", "none":
		return quote(v)
	}
	return v
}

// quote renders v as a double-quoted filter string.
func quote(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}
