package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// printResult prints a call's result as bitcoin-cli does: nothing for null,
// a string as is, anything else as JSON indented by two spaces, keeping the
// server's key order and number forms.
func printResult(w io.Writer, result json.RawMessage) {
	result = bytes.TrimSpace(result)
	switch {
	case len(result) == 0 || string(result) == "null":
		return
	case result[0] == '"':
		var s string
		if json.Unmarshal(result, &s) == nil {
			fmt.Fprintln(w, s)
			return
		}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, result, "", "  "); err != nil {
		fmt.Fprintln(w, string(result))
		return
	}
	out.WriteByte('\n')
	_, _ = w.Write(out.Bytes())
}

// printCallError prints a failed call as bitcoin-cli does: the server's
// error object as "error code: N" / "error message:" / the message; any
// other failure as "error: " and what went wrong.
func printCallError(w io.Writer, err error) {
	var callErr *rpcCallError
	if errors.As(err, &callErr) {
		fmt.Fprintf(w, "error code: %d\nerror message:\n%s\n", callErr.Code, callErr.Message)
		return
	}
	fmt.Fprintf(w, "error: %v\n", err)
}
