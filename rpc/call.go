package rpc

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Call is what a Handler gets besides its params: the request's context, the
// node's static description, the actors it may ask and the means to ask
// them. A Call is used by one handler invocation only.
type Call struct {
	ctx     context.Context
	method  string
	root    *actor.RootContext
	timeout time.Duration
	cfg     *Config
	table   *methodTable
	logger  *slog.Logger
}

// Context returns the HTTP request's context; it is cancelled when the
// client goes away.
func (c *Call) Context() context.Context { return c.ctx }

// Method returns the name of the method being called.
func (c *Call) Method() string { return c.method }

// Info returns the node's static description.
func (c *Call) Info() NodeInfo { return c.cfg.Info }

// Node returns the root supervisor's PID (nil if not configured).
func (c *Call) Node() *actor.PID { return c.cfg.Node }

// Connman returns the connection manager's PID (nil if not configured).
func (c *Call) Connman() *actor.PID { return c.cfg.Connman }

// Peerman returns the peer manager's PID (nil if not configured).
func (c *Call) Peerman() *actor.PID { return c.cfg.Peerman }

// Sockman returns the socket manager's PID (nil if not configured).
func (c *Call) Sockman() *actor.PID { return c.cfg.Sockman }

// Addrman returns the address manager's PID (nil if not configured).
func (c *Call) Addrman() *actor.PID { return c.cfg.Addrman }

// Capture returns the capture recorder's PID (nil if not configured).
func (c *Call) Capture() *actor.PID { return c.cfg.Capture }

// HelpError returns the error Core gives for arguments a method rejects as a
// whole (an unknown command word, say): CodeMisc with the method's full
// help as the message.
func (c *Call) HelpError() *Error {
	m, _ := c.table.lookup(c.method)
	return &Error{Code: CodeMisc, Message: m.Help}
}

// Logger returns the rpc logger with the method name attached.
func (c *Call) Logger() *slog.Logger { return c.logger }

// Ask sends msg to pid from the actor system's root context and waits, at
// most the configured RequestTimeout, for an answer of type T. It is meant
// for HTTP handler goroutines, which are not actors. A missing PID, a
// timeout, a dead recipient or an answer of another type is returned as a
// CodeInternalError *Error naming the recipient.
func Ask[T any](c *Call, pid *actor.PID, msg any) (T, error) {
	var zero T
	if pid == nil {
		return zero, NewError(CodeInternalError, "%s: no actor is configured to answer %T", c.method, msg)
	}
	res, err := c.root.RequestFuture(pid, msg, c.timeout).Result()
	switch {
	case errors.Is(err, actor.ErrTimeout):
		return zero, NewError(CodeInternalError, "%s: %s did not answer %T within %s", c.method, pid.Id, msg, c.timeout)
	case errors.Is(err, actor.ErrDeadLetter):
		return zero, NewError(CodeInternalError, "%s: %s is not running", c.method, pid.Id)
	case err != nil:
		return zero, NewError(CodeInternalError, "%s: asking %s: %v", c.method, pid.Id, err)
	}
	answer, ok := res.(T)
	if !ok {
		return zero, NewError(CodeInternalError, "%s: %s answered %T with %T, want %T", c.method, pid.Id, msg, res, zero)
	}
	return answer, nil
}
