package rpc

import (
	"strings"

	"github.com/actornode/actornode/chain/chainpb"
)

// blockHashHexLen is the length of a block hash in hex.
const blockHashHexLen = 64

// Core's messages for the chain methods' refusals.
const (
	msgBlockNotFound      = "Block not found"
	msgHeightOutOfRange   = "Block height out of range"
	msgBlockPruned        = "Block not available (pruned data)"
	msgBlockNotDownloaded = "Block not available (not fully downloaded)"
	msgBlockNotOnDisk     = "Block not found on disk"
)

// errChainUnavailable is the answer of every chain method on a node whose
// rpc.Config has no Chainman.
func errChainUnavailable(call *Call) *Error {
	return NewError(CodeInternalError, "%s: chain not available: this node runs without a chain actor", call.Method())
}

// askChain asks the chain actor and waits for an answer of type T; without
// a chain actor it answers errChainUnavailable.
func askChain[T any](call *Call, msg any) (T, error) {
	if call.cfg.Chainman == nil {
		var zero T
		return zero, errChainUnavailable(call)
	}
	return Ask[T](call, call.cfg.Chainman, msg)
}

// chainError turns a chain actor's refusal into Core's error for the
// method: an unknown hash is -5 "Block not found", a height beyond the
// chain -8 "Block height out of range", a block that is not (or no longer)
// stored -1 "Block not available (...)", a store that cannot be read -1
// "Block not found on disk". It returns nil for CHAIN_ERROR_CODE_NONE.
func chainError(call *Call, code chainpb.ChainErrorCode, detail string) error {
	switch code {
	case chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NONE:
		return nil
	case chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_FOUND:
		return NewError(CodeInvalidAddressOrKey, msgBlockNotFound)
	case chainpb.ChainErrorCode_CHAIN_ERROR_CODE_OUT_OF_RANGE:
		return NewError(CodeInvalidParameter, msgHeightOutOfRange)
	case chainpb.ChainErrorCode_CHAIN_ERROR_CODE_PRUNED:
		return NewError(CodeMisc, msgBlockPruned)
	case chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_STORED:
		return NewError(CodeMisc, msgBlockNotDownloaded)
	case chainpb.ChainErrorCode_CHAIN_ERROR_CODE_INTERNAL:
		call.Logger().Error("chain actor cannot read a block", "detail", detail)
		return NewError(CodeMisc, msgBlockNotOnDisk)
	default:
		return NewError(CodeInternalError, "%s: chain actor answered unknown error %v: %s", call.Method(), code, detail)
	}
}

// blockHashParam reads parameter i as a block hash the way Core's
// ParseHashV does: a string of 64 hex digits (either case), else -8 with
// Core's message naming the parameter as name. The hash is returned in
// lower case, as chainman expects.
func blockHashParam(p Params, i int, name string) (string, error) {
	s, err := p.String(i, "")
	if err != nil {
		return "", err
	}
	if len(s) != blockHashHexLen {
		return "", NewError(CodeInvalidParameter, "%s must be of length %d (not %d, for '%s')", name, blockHashHexLen, len(s), s)
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "", NewError(CodeInvalidParameter, "%s must be hexadecimal string (not '%s')", name, s)
		}
	}
	return strings.ToLower(s), nil
}

// verbosityParam reads getblock's verbosity: absent is def, a boolean is 1
// (true) or 0 (false), a number is itself, as Core's ParseVerbosity allows.
func verbosityParam(p Params, i int, def int64) (int64, error) {
	if p.Has(i) && jsonKind(p.Raw(i)) == kindBool {
		b, err := p.Bool(i, false)
		if b {
			return 1, err
		}
		return 0, err
	}
	return p.Int64(i, def)
}
