package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// rpcClient calls a JSON-RPC server (actornode's or btcd's) with basic
// authentication.
type rpcClient struct {
	url, user, pass string
	http            *http.Client
}

// newRPC returns a client of the server at addr.
func newRPC(addr, user, pass string) *rpcClient {
	return &rpcClient{url: "http://" + addr + "/", user: user, pass: pass, http: &http.Client{Timeout: 60 * time.Second}}
}

// call invokes method and decodes its result into out (when not nil).
func (c *rpcClient) call(out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "1.0", "method": method, "params": params, "id": 1})
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.user, c.pass)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&reply); err != nil {
		return fmt.Errorf("%s: HTTP %d: %w", method, res.StatusCode, err)
	}
	if len(reply.Error) > 0 && string(reply.Error) != "null" {
		return fmt.Errorf("%s: %s", method, reply.Error)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(reply.Result, out)
}

// handshakenPeers counts getpeerinfo entries whose version is known (the
// version message was handled).
func (c *rpcClient) handshakenPeers() (int, error) {
	var peers []struct {
		Version int32 `json:"version"`
	}
	if err := c.call(&peers, "getpeerinfo"); err != nil {
		return 0, err
	}
	n := 0
	for _, p := range peers {
		if p.Version > 0 {
			n++
		}
	}
	return n, nil
}

// receivedPings returns how many pings actornode has received in total
// (getnetmsgstats).
func (c *rpcClient) receivedPings() (uint64, error) {
	var stats map[string]map[string]struct {
		Count uint64 `json:"count"`
	}
	if err := c.call(&stats, "getnetmsgstats", []string{"network", "connection_type"}); err != nil {
		return 0, err
	}
	return stats["recv"]["ping"].Count, nil
}
