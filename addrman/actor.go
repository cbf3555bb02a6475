package addrman

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
)

// Config configures the addrman actor.
type Config struct {
	// Logger is addrman's logger.
	Logger *slog.Logger
}

// NewActor returns the producer of the addrman actor. The address book itself
// arrives with the addrman issue; until then addrman holds no addresses.
func NewActor(cfg Config) actor.Producer {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return func() actor.Actor { return &addrmanActor{cfg: cfg} }
}

type addrmanActor struct{ cfg Config }

// Receive implements actor.Actor.
func (a *addrmanActor) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); ok {
		a.cfg.Logger.Debug("addrman started")
	}
}
