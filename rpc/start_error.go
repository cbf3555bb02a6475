package rpc

import "fmt"

// StartStep names what the rpc actor was doing when it failed to start.
type StartStep string

// The steps of starting the rpc actor.
const (
	// StepAuth means no authentication is configured: neither a cookie
	// file nor both user and password.
	StepAuth StartStep = "auth"
	// StepCookie means the cookie file could not be written.
	StepCookie StartStep = "cookie"
	// StepListen means a listen address could not be bound.
	StepListen StartStep = "listen"
)

// StartError reports why the rpc actor could not start. The actor passes it
// to Config.OnStartError and then panics with it.
type StartError struct {
	// Step is what failed.
	Step StartStep
	// Addr is the listen address (StepListen) or the cookie path
	// (StepCookie); empty otherwise.
	Addr string
	// Err is the underlying error.
	Err error
}

// Error describes the failure, naming the address or file involved.
func (e *StartError) Error() string {
	if e.Addr == "" {
		return fmt.Sprintf("rpc: cannot start (%s): %v", e.Step, e.Err)
	}
	return fmt.Sprintf("rpc: cannot start (%s %s): %v", e.Step, e.Addr, e.Err)
}

// Unwrap returns the underlying error.
func (e *StartError) Unwrap() error { return e.Err }
