package rpc

import (
	"errors"
	"fmt"
)

// ErrorCode is a JSON-RPC error code. The values are the ones Bitcoin Core
// uses, so clients written for Core interpret them the same way.
type ErrorCode int

// The error codes the server and its methods use.
const (
	// CodeParseError means the request body is not valid JSON or its top
	// level is neither an object nor an array.
	CodeParseError ErrorCode = -32700
	// CodeInvalidRequest means the JSON is not a valid request object.
	CodeInvalidRequest ErrorCode = -32600
	// CodeMethodNotFound means no method has the requested name.
	CodeMethodNotFound ErrorCode = -32601
	// CodeInvalidParams is available to methods whose parameters are
	// invalid as a whole. (A wrong number of parameters is reported with
	// CodeMisc and the method's help, as Core does.)
	CodeInvalidParams ErrorCode = -32602
	// CodeInternalError means the server failed, for example because the
	// actor owning the answer did not reply in time.
	CodeInternalError ErrorCode = -32603
	// CodeMisc is the general error of a method, and the code of any
	// non-*Error error a method returns.
	CodeMisc ErrorCode = -1
	// CodeType means a parameter has the wrong JSON type.
	CodeType ErrorCode = -3
	// CodeInvalidParameter means a parameter's value (or name) is invalid.
	CodeInvalidParameter ErrorCode = -8
	// CodeClientNodeAlreadyAdded means addnode add named a node that is
	// already on the list, or setban add an address already banned.
	CodeClientNodeAlreadyAdded ErrorCode = -23
	// CodeClientNodeNotAdded means addnode remove named a node that is not
	// on the list.
	CodeClientNodeNotAdded ErrorCode = -24
	// CodeClientNodeNotConnected means disconnectnode found no such peer.
	CodeClientNodeNotConnected ErrorCode = -29
	// CodeClientInvalidIPOrSubnet means setban got an address or subnet it
	// cannot parse, or a remove for something that is not banned.
	CodeClientInvalidIPOrSubnet ErrorCode = -30
)

// Error is a JSON-RPC error object. Methods return it (or wrap it) to choose
// the code; any other error becomes CodeMisc with the error's text.
type Error struct {
	// Code is the JSON-RPC error code.
	Code ErrorCode `json:"code"`
	// Message is the human-readable description.
	Message string `json:"message"`
}

// Error returns the message and code.
func (e *Error) Error() string { return fmt.Sprintf("%s (code %d)", e.Message, e.Code) }

// NewError returns an *Error with the given code and formatted message.
func NewError(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// asRPCError converts any error returned by a method into the error object
// sent to the client.
func asRPCError(err error) *Error {
	var rpcErr *Error
	if errors.As(err, &rpcErr) {
		return rpcErr
	}
	return &Error{Code: CodeMisc, Message: err.Error()}
}
