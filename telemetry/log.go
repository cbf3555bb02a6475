package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// LogConfig selects the log format and the level of each subsystem.
type LogConfig struct {
	// Format is "text" or "json".
	Format string
	// Level is the default level: debug, info, warn or error.
	Level string
	// Levels overrides Level per subsystem name; empty values inherit.
	Levels map[string]string
}

// Logs hands out one logger per subsystem, each with the field
// subsystem=<name> and its own level.
type Logs struct {
	base   slog.Handler
	level  slog.Level
	levels map[string]slog.Level
}

// NewLogs builds the node's loggers writing to w.
func NewLogs(w io.Writer, cfg LogConfig) (*Logs, error) {
	level, err := ParseLevel(cfg.Level)
	if err != nil {
		return nil, fmt.Errorf("log.level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	var base slog.Handler
	switch cfg.Format {
	case "", "text":
		base = slog.NewTextHandler(w, opts)
	case "json":
		base = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("log.format: expected text or json, got %q", cfg.Format)
	}
	l := &Logs{base: base, level: level, levels: map[string]slog.Level{}}
	for name, s := range cfg.Levels {
		if s == "" {
			continue
		}
		lv, err := ParseLevel(s)
		if err != nil {
			return nil, fmt.Errorf("log.levels.%s: %w", name, err)
		}
		l.levels[name] = lv
	}
	return l, nil
}

// For returns the logger of subsystem name.
func (l *Logs) For(name string) *slog.Logger {
	lv, ok := l.levels[name]
	if !ok {
		lv = l.level
	}
	return slog.New(&levelHandler{level: lv, inner: l.base}).With("subsystem", name)
}

// ParseLevel parses debug, info, warn or error.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("expected debug, info, warn or error, got %q", s)
}

// levelHandler filters records below level before the shared handler.
type levelHandler struct {
	level slog.Level
	inner slog.Handler
}

func (h *levelHandler) Enabled(_ context.Context, lv slog.Level) bool { return lv >= h.level }

func (h *levelHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.inner.Handle(ctx, r)
}

func (h *levelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &levelHandler{level: h.level, inner: h.inner.WithAttrs(attrs)}
}

func (h *levelHandler) WithGroup(name string) slog.Handler {
	return &levelHandler{level: h.level, inner: h.inner.WithGroup(name)}
}
