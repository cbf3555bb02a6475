package rpc

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// Opcodes the script decoder treats specially.
const (
	opPushData1   = 0x4c
	opPushData2   = 0x4d
	opPushData4   = 0x4e
	op1Negate     = 0x4f
	op1           = 0x51
	op16          = 0x60
	opReturn      = 0x6a
	opDup         = 0x76
	opEqual       = 0x87
	opEqualVerify = 0x88
	opHash160     = 0xa9
	opCheckSig    = 0xac
	opCheckMulti  = 0xae
)

// maxScriptSize is the consensus limit above which a script is unspendable.
const maxScriptSize = 10000

// opNames are Core's names of the non-push opcodes, indexed from
// firstNamedOpcode (OP_1NEGATE); the small integers are written as numbers.
// Opcodes past the table are OP_UNKNOWN, except 0xff.
var opNames = [...]string{
	"-1", "OP_RESERVED", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
	"OP_NOP", "OP_VER", "OP_IF", "OP_NOTIF", "OP_VERIF", "OP_VERNOTIF", "OP_ELSE", "OP_ENDIF", "OP_VERIFY", "OP_RETURN",
	"OP_TOALTSTACK", "OP_FROMALTSTACK", "OP_2DROP", "OP_2DUP", "OP_3DUP", "OP_2OVER", "OP_2ROT", "OP_2SWAP",
	"OP_IFDUP", "OP_DEPTH", "OP_DROP", "OP_DUP", "OP_NIP", "OP_OVER", "OP_PICK", "OP_ROLL", "OP_ROT", "OP_SWAP", "OP_TUCK",
	"OP_CAT", "OP_SUBSTR", "OP_LEFT", "OP_RIGHT", "OP_SIZE",
	"OP_INVERT", "OP_AND", "OP_OR", "OP_XOR", "OP_EQUAL", "OP_EQUALVERIFY", "OP_RESERVED1", "OP_RESERVED2",
	"OP_1ADD", "OP_1SUB", "OP_2MUL", "OP_2DIV", "OP_NEGATE", "OP_ABS", "OP_NOT", "OP_0NOTEQUAL",
	"OP_ADD", "OP_SUB", "OP_MUL", "OP_DIV", "OP_MOD", "OP_LSHIFT", "OP_RSHIFT",
	"OP_BOOLAND", "OP_BOOLOR", "OP_NUMEQUAL", "OP_NUMEQUALVERIFY", "OP_NUMNOTEQUAL",
	"OP_LESSTHAN", "OP_GREATERTHAN", "OP_LESSTHANOREQUAL", "OP_GREATERTHANOREQUAL", "OP_MIN", "OP_MAX", "OP_WITHIN",
	"OP_RIPEMD160", "OP_SHA1", "OP_SHA256", "OP_HASH160", "OP_HASH256", "OP_CODESEPARATOR",
	"OP_CHECKSIG", "OP_CHECKSIGVERIFY", "OP_CHECKMULTISIG", "OP_CHECKMULTISIGVERIFY",
	"OP_NOP1", "OP_CHECKLOCKTIMEVERIFY", "OP_CHECKSEQUENCEVERIFY", "OP_NOP4", "OP_NOP5", "OP_NOP6", "OP_NOP7",
	"OP_NOP8", "OP_NOP9", "OP_NOP10", "OP_CHECKSIGADD",
}

// opName returns Core's name of a non-push opcode.
func opName(op byte) string {
	switch {
	case op >= op1Negate && int(op-op1Negate) < len(opNames):
		return opNames[op-op1Negate]
	case op == 0xff:
		return "OP_INVALIDOPCODE"
	default:
		return "OP_UNKNOWN"
	}
}

// scriptOp is one parsed operation: the opcode and, for a push, its data.
type scriptOp struct {
	op   byte
	data []byte
}

// isPush reports whether the operation pushes data (OP_0 to OP_PUSHDATA4).
func (o scriptOp) isPush() bool { return o.op <= opPushData4 }

// nextOp parses the operation at script[pos:]. ok is false when a push
// runs past the end of the script.
func nextOp(script []byte, pos int) (o scriptOp, next int, ok bool) {
	o.op = script[pos]
	pos++
	var n int
	switch {
	case o.op < opPushData1:
		n = int(o.op)
	case o.op == opPushData1:
		if pos+1 > len(script) {
			return o, len(script), false
		}
		n, pos = int(script[pos]), pos+1
	case o.op == opPushData2:
		if pos+2 > len(script) {
			return o, len(script), false
		}
		n, pos = int(binary.LittleEndian.Uint16(script[pos:])), pos+2
	case o.op == opPushData4:
		if pos+4 > len(script) {
			return o, len(script), false
		}
		size := binary.LittleEndian.Uint32(script[pos:])
		if uint64(size) > uint64(len(script)-pos-4) {
			return o, len(script), false
		}
		n, pos = int(size), pos+4
	default:
		return o, pos, true
	}
	if n > len(script)-pos {
		return o, len(script), false
	}
	o.data = script[pos : pos+n]
	return o, pos + n, true
}

// parseScript splits a script into operations. ok is false when the script
// ends inside a push; ops then holds the operations before it.
func parseScript(script []byte) (ops []scriptOp, ok bool) {
	for pos := 0; pos < len(script); {
		o, next, good := nextOp(script, pos)
		if !good {
			return ops, false
		}
		ops = append(ops, o)
		pos = next
	}
	return ops, true
}

// scriptNum decodes up to 4 bytes of minimal-or-not script number
// (little endian, sign in the top bit of the last byte).
func scriptNum(b []byte) int64 {
	if len(b) == 0 {
		return 0
	}
	var v int64
	for i, c := range b {
		v |= int64(c) << (8 * i)
	}
	if b[len(b)-1]&0x80 != 0 {
		return -(v &^ (int64(0x80) << (8 * (len(b) - 1))))
	}
	return v
}

// scriptAsm renders a script as Core's "asm": pushes of at most 4 bytes as
// decimal numbers, longer pushes as hex, other opcodes by name, and
// "[error]" where a push runs past the end. With sigHashes (Core does this
// for scriptSigs), a push that is a strictly DER-encoded signature with a
// defined hash type is written as the signature's hex followed by the type
// in brackets, e.g. "3044...01" becomes "3044...[ALL]".
func scriptAsm(script []byte, sigHashes bool) string {
	var b strings.Builder
	unspendable := len(script) > 0 && script[0] == opReturn || len(script) > maxScriptSize
	for pos := 0; pos < len(script); {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		o, next, ok := nextOp(script, pos)
		if !ok {
			b.WriteString("[error]")
			break
		}
		pos = next
		switch {
		case !o.isPush():
			b.WriteString(opName(o.op))
		case len(o.data) <= 4:
			b.WriteString(strconv.FormatInt(scriptNum(o.data), 10))
		case sigHashes && !unspendable && isStrictSignature(o.data):
			name := sigHashName(o.data[len(o.data)-1])
			if name == "" {
				b.WriteString(hex.EncodeToString(o.data))
			} else {
				b.WriteString(hex.EncodeToString(o.data[:len(o.data)-1]) + "[" + name + "]")
			}
		default:
			b.WriteString(hex.EncodeToString(o.data))
		}
	}
	return b.String()
}

// sigHashName returns Core's name of a signature hash type, or "" for a
// type it does not name.
func sigHashName(t byte) string {
	switch t {
	case 0x01:
		return "ALL"
	case 0x81:
		return "ALL|ANYONECANPAY"
	case 0x02:
		return "NONE"
	case 0x82:
		return "NONE|ANYONECANPAY"
	case 0x03:
		return "SINGLE"
	case 0x83:
		return "SINGLE|ANYONECANPAY"
	}
	return ""
}

// isStrictSignature reports whether sig is a signature under BIP66's strict
// DER rules followed by a defined hash type (what Core's STRICTENC check
// accepts).
func isStrictSignature(sig []byte) bool {
	n := len(sig)
	if n < 9 || n > 73 || sig[0] != 0x30 || int(sig[1]) != n-3 {
		return false
	}
	lenR := int(sig[3])
	if 5+lenR >= n {
		return false
	}
	lenS := int(sig[5+lenR])
	if lenR+lenS+7 != n || sig[2] != 0x02 || lenR == 0 || sig[4]&0x80 != 0 {
		return false
	}
	if lenR > 1 && sig[4] == 0 && sig[5]&0x80 == 0 {
		return false
	}
	if sig[lenR+4] != 0x02 || lenS == 0 || sig[lenR+6]&0x80 != 0 {
		return false
	}
	if lenS > 1 && sig[lenR+6] == 0 && sig[lenR+7]&0x80 == 0 {
		return false
	}
	base := sig[n-1] &^ 0x80
	return base >= 0x01 && base <= 0x03
}
