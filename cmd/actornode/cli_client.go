package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxErrorBodyBytes bounds how much of a non-JSON error body is shown.
const maxErrorBodyBytes = 4 << 10

// rpcClient calls one node's JSON-RPC server as bitcoin-cli does: legacy
// JSON-RPC 1.0 requests, POST /, HTTP basic authentication.
type rpcClient struct {
	target cliTarget
	http   *http.Client
}

// newRPCClient returns a client for target; timeout 0 means no limit.
func newRPCClient(target cliTarget, timeout time.Duration) *rpcClient {
	return &rpcClient{target: target, http: &http.Client{Timeout: timeout}}
}

// rpcCallError is a JSON-RPC error object the server answered with.
type rpcCallError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Error returns the code and message.
func (e *rpcCallError) Error() string { return fmt.Sprintf("error code %d: %s", e.Code, e.Message) }

// rpcRequest is the body of one call.
type rpcRequest struct {
	JSONRPC string            `json:"jsonrpc"`
	ID      int               `json:"id"`
	Method  string            `json:"method"`
	Params  []json.RawMessage `json:"params"`
}

// rpcReply is the legacy reply shape.
type rpcReply struct {
	Result json.RawMessage `json:"result"`
	Error  *rpcCallError   `json:"error"`
}

// call runs method with params and returns its result as raw JSON. The
// server's error object is returned as an *rpcCallError; every other
// failure (connection, authentication, an HTTP error without a JSON-RPC
// reply) as a plain error saying what went wrong.
func (c *rpcClient) call(ctx context.Context, method string, params []json.RawMessage) (json.RawMessage, error) {
	if params == nil {
		params = []json.RawMessage{}
	}
	body, err := json.Marshal(rpcRequest{JSONRPC: "1.0", ID: 1, Method: method, Params: params})
	if err != nil {
		return nil, fmt.Errorf("encoding the request: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+c.target.addr+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(c.target.user, c.target.password)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("could not connect to the server %s (%v)\n\n"+
			"Make sure the node is running and that --rpcconnect, or the configuration's rpc.listen, "+
			"--network and --datadir, name it", c.target.addr, unwrapURLError(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, fmt.Errorf("authorization failed: incorrect rpcuser or rpcpassword (from %s)", c.target.source)
	case resp.StatusCode >= 400 && resp.StatusCode != http.StatusBadRequest &&
		resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusInternalServerError:
		text, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		msg := fmt.Sprintf("server returned HTTP error %d", resp.StatusCode)
		if t := strings.TrimSpace(string(text)); t != "" {
			msg += ": " + t
		}
		return nil, errors.New(msg)
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the reply: %v", err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("no response from server (HTTP %d)", resp.StatusCode)
	}
	var reply rpcReply
	if err := json.Unmarshal(raw, &reply); err != nil {
		return nil, fmt.Errorf("couldn't parse reply from server (HTTP %d): %v", resp.StatusCode, err)
	}
	if reply.Error != nil {
		return nil, reply.Error
	}
	return reply.Result, nil
}

// unwrapURLError drops the method and URL of an HTTP client error.
func unwrapURLError(err error) error {
	var u *url.Error
	if errors.As(err, &u) {
		return u.Err
	}
	return err
}
