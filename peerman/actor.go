package peerman

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
)

// Config configures the peerman actor.
type Config struct {
	// Logger is peerman's logger.
	Logger *slog.Logger
}

// NewActor returns the producer of the peerman actor. Until connman hands
// connections over to it, peerman supervises no Peer actors.
func NewActor(cfg Config) actor.Producer {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return func() actor.Actor { return &peermanActor{cfg: cfg} }
}

type peermanActor struct{ cfg Config }

// Receive implements actor.Actor.
func (a *peermanActor) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); ok {
		a.cfg.Logger.Debug("peerman started")
	}
}
