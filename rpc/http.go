package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// wwwAuthenticate is sent with every 401, as Core does.
const wwwAuthenticate = `Basic realm="jsonrpc"`

// authFailureDelay is how long a request with wrong credentials waits before
// its 401, to slow down password guessing (Core waits as long).
const authFailureDelay = 250 * time.Millisecond

// deterGuessing waits authFailureDelay, or less if the client goes away.
func deterGuessing(ctx context.Context) {
	t := time.NewTimer(authFailureDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// httpHandler serves JSON-RPC over HTTP. Everything in it is fixed when the
// actor starts; handler goroutines only read it.
type httpHandler struct {
	cfg   *Config
	auth  authenticator
	table *methodTable
	root  *actor.RootContext
}

// ServeHTTP checks the method, the credentials and the body size, then
// answers the JSON-RPC request(s) in the body.
func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "JSON-RPC server handles only POST requests", http.StatusMethodNotAllowed)
		return
	}
	if !h.auth.allows(r) {
		if r.Header.Get("Authorization") != "" {
			h.cfg.Logger.Warn("refused RPC request with wrong credentials", slog.String("remote", r.RemoteAddr))
			deterGuessing(r.Context())
		}
		w.Header().Set("WWW-Authenticate", wwwAuthenticate)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	body, ok := h.readBody(w, r)
	if !ok {
		return
	}
	resp := serveBody(body, func(req request) (json.RawMessage, *Error) {
		return h.execute(r.Context(), req)
	})
	if resp.status == http.StatusNoContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	out, err := json.Marshal(resp.body)
	if err != nil {
		h.cfg.Logger.Error("encoding RPC reply", slog.Any("err", err))
		http.Error(w, "internal error encoding the reply", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(append(out, '\n'))
}

// readBody reads at most MaxBodyBytes. A body that is (or announces to be)
// larger is answered with 413 and the connection is closed, without reading
// the rest.
func (h *httpHandler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	limit := h.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		h.tooLarge(w)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.tooLarge(w)
		return nil, false
	case err != nil:
		h.cfg.Logger.Debug("reading RPC request body", slog.Any("err", err))
		http.Error(w, "cannot read request body", http.StatusBadRequest)
		return nil, false
	}
	return bytes.TrimSpace(body), true
}

// tooLarge answers 413 and asks the server to close the connection.
func (h *httpHandler) tooLarge(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	http.Error(w, fmt.Sprintf("request body exceeds the limit of %d bytes", h.cfg.MaxBodyBytes),
		http.StatusRequestEntityTooLarge)
}

// execute looks the method up, binds its params and runs it.
func (h *httpHandler) execute(ctx context.Context, req request) (json.RawMessage, *Error) {
	start := time.Now()
	logger := h.cfg.Logger.With(slog.String("method", req.method))
	m, ok := h.table.lookup(req.method)
	if !ok {
		logger.Debug("RPC method not found")
		return nil, NewError(CodeMethodNotFound, "Method not found")
	}
	params, perr := bindParams(m, req.params)
	if perr != nil {
		logger.Debug("RPC params refused", slog.Int("code", int(perr.Code)))
		return nil, perr
	}
	call := &Call{
		ctx:     ctx,
		method:  m.Name,
		root:    h.root,
		timeout: h.cfg.RequestTimeout,
		cfg:     h.cfg,
		table:   h.table,
		logger:  logger,
	}
	result, err := m.Handler(call, params)
	if err != nil {
		rerr := asRPCError(err)
		logger.Debug("RPC call failed", slog.Int("code", int(rerr.Code)), slog.String("error", rerr.Message),
			slog.Duration("took", time.Since(start)))
		return nil, rerr
	}
	out, err := json.Marshal(result)
	if err != nil {
		logger.Error("encoding RPC result", slog.Any("err", err))
		return nil, NewError(CodeInternalError, "encoding the result of %s: %v", m.Name, err)
	}
	logger.Debug("RPC call", slog.Duration("took", time.Since(start)))
	return out, nil
}
