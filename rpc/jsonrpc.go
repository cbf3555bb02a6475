package rpc

import (
	"encoding/json"
	"net/http"
)

// jsonrpcVersion is the JSON-RPC dialect of one request; it decides the shape
// of the reply and, for single requests, the HTTP status of errors.
type jsonrpcVersion int

const (
	// versionLegacy is JSON-RPC 1.0 (no "jsonrpc" member, or "1.0"): the
	// reply has result, error and id; errors use HTTP error statuses.
	versionLegacy jsonrpcVersion = iota
	// version2 is JSON-RPC 2.0: the reply has result or error; errors of
	// the method are sent with HTTP 200.
	version2
)

// request is one parsed JSON-RPC request object.
type request struct {
	version jsonrpcVersion
	id      json.RawMessage
	hasID   bool
	method  string
	params  json.RawMessage
}

// isNotification reports whether the request expects no reply: a 2.0
// request without an id member.
func (r request) isNotification() bool { return r.version == version2 && !r.hasID }

// parseRequest reads one request object. On error the returned request holds
// whatever was understood before the error (id, version), so the error reply
// can echo them.
func parseRequest(raw json.RawMessage) (request, *Error) {
	var req request
	if jsonKind(raw) != kindObject {
		return req, NewError(CodeInvalidRequest, "Invalid Request object")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return req, NewError(CodeInvalidRequest, "Invalid Request object")
	}
	if id, ok := members["id"]; ok {
		req.id, req.hasID = id, true
	}
	if v, ok := members["jsonrpc"]; ok && jsonKind(v) != kindNull {
		var s string
		if jsonKind(v) != kindString || json.Unmarshal(v, &s) != nil {
			return req, NewError(CodeInvalidRequest, "jsonrpc field must be a string")
		}
		switch s {
		case "1.0":
		case "2.0":
			req.version = version2
		default:
			return req, NewError(CodeInvalidRequest, "JSON-RPC version not supported")
		}
	}
	method, ok := members["method"]
	if !ok || jsonKind(method) == kindNull {
		return req, NewError(CodeInvalidRequest, "Missing method")
	}
	if jsonKind(method) != kindString || json.Unmarshal(method, &req.method) != nil {
		return req, NewError(CodeInvalidRequest, "Method must be a string")
	}
	switch params := members["params"]; jsonKind(params) {
	case kindNone, kindNull, kindArray, kindObject:
		req.params = params
	default:
		return req, NewError(CodeInvalidRequest, "Params must be an array or object")
	}
	return req, nil
}

// legacyReply is the JSON-RPC 1.0 reply shape.
type legacyReply struct {
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
	ID     json.RawMessage `json:"id"`
}

// v2Reply is the JSON-RPC 2.0 reply shape. Result is never empty when Error
// is nil (a null result is the four bytes "null").
type v2Reply struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
	ID      json.RawMessage `json:"id"`
}

// replyObject builds the reply to one request in its dialect. Exactly one of
// result and rerr is meaningful; an absent id is sent as null.
func replyObject(v jsonrpcVersion, id, result json.RawMessage, rerr *Error) any {
	if id == nil {
		id = json.RawMessage("null")
	}
	if rerr != nil {
		result = nil
	} else if result == nil {
		result = json.RawMessage("null")
	}
	if v == version2 {
		return v2Reply{JSONRPC: "2.0", Result: result, Error: rerr, ID: id}
	}
	return legacyReply{Result: result, Error: rerr, ID: id}
}

// errorStatus is the HTTP status of an error reply to a single request that
// is not known to be JSON-RPC 2.0: 400 for an invalid request, 404 for an
// unknown method, 500 otherwise. Errors of 2.0 requests are sent with 200.
func errorStatus(code ErrorCode) int {
	switch code {
	case CodeInvalidRequest:
		return http.StatusBadRequest
	case CodeMethodNotFound:
		return http.StatusNotFound
	default:
		return http.StatusInternalServerError
	}
}

// executor runs one parsed, valid request and returns its result as JSON or
// an error.
type executor func(req request) (json.RawMessage, *Error)

// response is what the HTTP layer writes: a status and, unless the status is
// 204, a JSON body.
type response struct {
	status int
	body   any
}

// serveBody turns a whole request body into the HTTP response, running each
// request through exec.
func serveBody(body []byte, exec executor) response {
	if !json.Valid(body) {
		return response{http.StatusInternalServerError,
			replyObject(versionLegacy, nil, nil, NewError(CodeParseError, "Parse error"))}
	}
	switch jsonKind(body) {
	case kindObject:
		return serveSingle(body, exec)
	case kindArray:
		return serveBatch(body, exec)
	default:
		return response{http.StatusInternalServerError,
			replyObject(versionLegacy, nil, nil, NewError(CodeParseError, "Top-level object parse error"))}
	}
}

// serveSingle answers a body holding one request object.
func serveSingle(body []byte, exec executor) response {
	req, perr := parseRequest(body)
	if perr != nil {
		status := errorStatus(perr.Code)
		if req.version == version2 {
			status = http.StatusOK
		}
		return response{status, replyObject(req.version, req.id, nil, perr)}
	}
	result, rerr := exec(req)
	if req.isNotification() {
		return response{status: http.StatusNoContent}
	}
	status := http.StatusOK
	if rerr != nil && req.version == versionLegacy {
		status = errorStatus(rerr.Code)
	}
	return response{status, replyObject(req.version, req.id, result, rerr)}
}

// serveBatch answers a body holding an array of requests. Every element gets
// its own reply (always with HTTP 200) except notifications; a batch of only
// notifications gets 204, an empty batch an invalid-request error.
func serveBatch(body []byte, exec executor) response {
	var elems []json.RawMessage
	if err := json.Unmarshal(body, &elems); err != nil {
		return response{http.StatusInternalServerError,
			replyObject(versionLegacy, nil, nil, NewError(CodeParseError, "Parse error"))}
	}
	if len(elems) == 0 {
		return response{http.StatusBadRequest,
			replyObject(version2, nil, nil, NewError(CodeInvalidRequest, "Invalid Request: empty batch"))}
	}
	replies := make([]any, 0, len(elems))
	for _, raw := range elems {
		req, perr := parseRequest(raw)
		if perr != nil {
			replies = append(replies, replyObject(req.version, req.id, nil, perr))
			continue
		}
		result, rerr := exec(req)
		if req.isNotification() {
			continue
		}
		replies = append(replies, replyObject(req.version, req.id, result, rerr))
	}
	if len(replies) == 0 {
		return response{status: http.StatusNoContent}
	}
	return response{http.StatusOK, replies}
}
