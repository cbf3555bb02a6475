package btcdtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// rpcTimeout bounds one JSON-RPC round trip. Generating blocks on a loaded
// machine can take a while, so it is generous.
const rpcTimeout = 60 * time.Second

// RPCError is an error object returned by btcd's JSON-RPC server.
type RPCError struct {
	// Code is btcd's numeric error code.
	Code int `json:"code"`
	// Message is btcd's human-readable explanation.
	Message string `json:"message"`
}

// Error implements error.
func (e *RPCError) Error() string {
	return fmt.Sprintf("btcd rpc error %d: %s", e.Code, e.Message)
}

// rpcClient speaks JSON-RPC 1.0 over plain HTTP with basic auth.
type rpcClient struct {
	url        string
	user, pass string
	http       *http.Client
	nextID     atomic.Uint64
}

// newRPCClient returns a client for the server at host:port.
func newRPCClient(hostport, user, pass string) *rpcClient {
	return &rpcClient{
		url:  "http://" + hostport + "/",
		user: user,
		pass: pass,
		http: &http.Client{Timeout: rpcTimeout},
	}
}

// rpcRequest is the JSON-RPC 1.0 request body.
type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// rpcResponse is the JSON-RPC 1.0 response body.
type rpcResponse struct {
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
}

// call performs one request and returns the raw result.
func (c *rpcClient) call(method string, params ...any) (json.RawMessage, error) {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(rpcRequest{JSONRPC: "1.0", ID: c.nextID.Add(1), Method: method, Params: params})
	if err != nil {
		return nil, fmt.Errorf("rpc %s: encode: %w", method, err)
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("rpc %s: %w", method, err)
	}
	req.SetBasicAuth(c.user, c.pass)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("rpc %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("rpc %s: read: %w", method, err)
	}
	var out rpcResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("rpc %s: http %d: %q", method, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out.Error != nil {
		return nil, out.Error
	}
	return out.Result, nil
}
