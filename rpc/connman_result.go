package rpc

import "github.com/actornode/actornode/connman/connmanpb"

// resultError turns connman's answer to a command into a method's error:
// nil when it succeeded, otherwise an *Error with connman's code and
// message. A refusal without a code is CodeMisc; a refusal with neither code
// nor message is reported as fallback.
func resultError(res *connmanpb.Result, fallback *Error) error {
	if res.GetOk() {
		return nil
	}
	code, msg := ErrorCode(res.GetErrorCode()), res.GetError()
	switch {
	case code == 0 && msg == "":
		return fallback
	case code == 0:
		return &Error{Code: CodeMisc, Message: msg}
	}
	return &Error{Code: code, Message: msg}
}

// askConnman sends one command to connman and converts its *connmanpb.Result
// with resultError.
func askConnman(call *Call, msg any, fallback *Error) error {
	res, err := Ask[*connmanpb.Result](call, call.Connman(), msg)
	if err != nil {
		return err
	}
	return resultError(res, fallback)
}
