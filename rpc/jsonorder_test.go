package rpc_test

import (
	"bytes"
	"encoding/json"
	"testing"
)

// objectKeys returns the keys of the JSON object raw in the order they were
// written (a map would lose it).
func objectKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		t.Fatalf("%s is not a JSON object (%v, %v)", raw, tok, err)
	}
	keys := []string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("reading key of %s: %v", raw, err)
		}
		key, ok := tok.(string)
		if !ok {
			t.Fatalf("key %v of %s is not a string", tok, raw)
		}
		keys = append(keys, key)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatalf("reading value of %q in %s: %v", key, raw, err)
		}
	}
	return keys
}

// rawResult runs one legacy request and returns its result as raw JSON,
// failing the test on an error reply.
func (h *harness) rawResult(t *testing.T, method string, params ...any) json.RawMessage {
	t.Helper()
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"method": method, "params": params, "id": 1})
	_, b := h.post(t, string(body))
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(b, &reply); err != nil {
		t.Fatalf("%s: reply %s: %v", method, b, err)
	}
	if string(reply.Error) != "null" {
		t.Fatalf("%s: error reply %s", method, b)
	}
	return reply.Result
}

// callError runs one request whose params are given as raw JSON (an array
// or an object) and returns the code and message of its error reply.
func (h *harness) callError(t *testing.T, method, params string) (int, string) {
	t.Helper()
	_, reply := h.postObject(t, `{"method":"`+method+`","params":`+params+`,"id":1}`)
	return errorOf(t, reply)
}

// decodeValue decodes raw JSON into a generic value.
func decodeValue(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return v
}

// noCommand checks that connman got no command since the channel was last
// drained: replies are sent after the command is recorded, so when a reply
// has arrived the channel is complete.
func (h *harness) noCommand(t *testing.T, what string) {
	t.Helper()
	select {
	case cmd := <-h.connmanCmds:
		t.Errorf("%s: connman got %T %v, want nothing", what, cmd, cmd)
	default:
	}
}

// nextCommand returns the next command connman got.
func (h *harness) nextCommand(t *testing.T) any {
	t.Helper()
	select {
	case cmd := <-h.connmanCmds:
		return cmd
	case <-timeAfter(t):
		t.Fatal("connman got no command")
		return nil
	}
}
