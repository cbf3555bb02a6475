package actors

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// RestartPolicy bounds restarts of one supervised actor: at most Max restarts
// within Within. The failure after that stops the actor for good.
type RestartPolicy struct {
	Max    int
	Within time.Duration
}

// GaveUp reports a child that failed more often than its policy allows. The
// supervisor has already stopped it.
type GaveUp struct {
	Child    *actor.PID
	Name     string
	Reason   string
	Failures int
	Policy   RestartPolicy
}

// limitedRestart is a SupervisorStrategy that restarts a failing child while
// its policy allows and otherwise stops it and calls gaveUp. Unlike
// protoactor's ExponentialBackoff it does give up, and unlike OneForOne it
// tells someone when it does.
type limitedRestart struct {
	policies map[string]RestartPolicy
	fallback RestartPolicy
	log      *slog.Logger
	gaveUp   func(GaveUp)
}

// NewLimitedRestart returns a strategy applying policies by child name (the
// last path element of the child's id), fallback for unknown names. gaveUp
// runs in the supervisor's goroutine; it must not block.
func NewLimitedRestart(policies map[string]RestartPolicy, fallback RestartPolicy, log *slog.Logger, gaveUp func(GaveUp)) actor.SupervisorStrategy {
	return &limitedRestart{policies: policies, fallback: fallback, log: log, gaveUp: gaveUp}
}

// HandleFailure implements actor.SupervisorStrategy.
func (s *limitedRestart) HandleFailure(_ *actor.ActorSystem, supervisor actor.Supervisor, child *actor.PID, rs *actor.RestartStatistics, reason interface{}, message interface{}) {
	name := ChildName(child)
	policy, ok := s.policies[name]
	if !ok {
		policy = s.fallback
	}
	rs.Fail()
	failures := rs.NumberOfFailures(policy.Within)
	why := fmt.Sprint(reason)
	if failures > policy.Max {
		s.log.Error("actor failed too often; stopping it",
			"child", name, "failures", failures, "max_restarts", policy.Max, "within", policy.Within, "reason", why)
		supervisor.StopChildren(child)
		if s.gaveUp != nil {
			s.gaveUp(GaveUp{Child: child, Name: name, Reason: why, Failures: failures, Policy: policy})
		}
		return
	}
	s.log.Warn("actor failed; restarting it",
		"child", name, "failures", failures, "max_restarts", policy.Max, "within", policy.Within, "reason", why, "message", fmt.Sprintf("%T", message))
	supervisor.RestartChildren(child)
}

// stopOnFailure is the strategy for actors that are replaced, never
// resurrected (Peer actors, connection actors): a failing child is stopped.
type stopOnFailure struct{ log *slog.Logger }

// NewStopOnFailure returns a strategy that stops any failing child and logs why.
func NewStopOnFailure(log *slog.Logger) actor.SupervisorStrategy { return &stopOnFailure{log: log} }

// HandleFailure implements actor.SupervisorStrategy.
func (s *stopOnFailure) HandleFailure(_ *actor.ActorSystem, supervisor actor.Supervisor, child *actor.PID, _ *actor.RestartStatistics, reason interface{}, message interface{}) {
	s.log.Warn("actor failed; stopping it (never restarted)", "child", child.GetId(), "reason", fmt.Sprint(reason), "message", fmt.Sprintf("%T", message))
	supervisor.StopChildren(child)
}

// ChildName returns the last element of a PID's id ("node/sockman" ->
// "sockman").
func ChildName(pid *actor.PID) string {
	id := pid.GetId()
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}
