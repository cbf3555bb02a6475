package metrics

import (
	"context"
	"fmt"
	"math"

	"github.com/actornode/actornode/actors"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// mailbox is one registered set of mailbox counters.
type mailbox struct {
	attrs    metric.ObserveOption
	counters *actors.MailboxCounters
}

// registerMailboxes creates the mailbox instruments and their single
// callback, which reads whatever mailboxes are registered at collection
// time.
func (m *Metrics) registerMailboxes() error {
	depth, err := m.meter.Int64ObservableGauge(NameMailboxDepth, metric.WithUnit("{message}"),
		metric.WithDescription("User messages accepted into actor mailboxes and not yet handled, by subsystem and actor kind."))
	if err != nil {
		return err
	}
	dropped, err := m.meter.Int64ObservableCounter(NameMailboxDropped, metric.WithUnit("{message}"),
		metric.WithDescription("User messages refused by full dropping mailboxes, by subsystem and actor kind."))
	if err != nil {
		return err
	}
	reg, err := m.meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		m.mu.Lock()
		boxes := m.mailboxes
		m.mu.Unlock()
		for _, b := range boxes {
			o.ObserveInt64(depth, clampInt64(b.counters.Depth()), b.attrs)
			o.ObserveInt64(dropped, clampInt64(b.counters.Dropped.Load()), b.attrs)
		}
		return nil
	}, depth, dropped)
	if err != nil {
		return err
	}
	m.regs = append(m.regs, reg)
	return nil
}

// ObserveMailbox reports the depth and drops of the mailboxes counted by c,
// labelled subsystem=sub and actor=kind (the subsystem's own name for its
// main actor; "peer" or "conn" for the per-connection actors that share one
// MailboxCounters). Register each counters value once, at start: the
// registration lives as long as the Metrics. It is a no-op when metrics are
// disabled.
func (m *Metrics) ObserveMailbox(sub actors.Subsystem, kind string, c *actors.MailboxCounters) error {
	if !m.Enabled() {
		return nil
	}
	if c == nil {
		return fmt.Errorf("metrics: nil mailbox counters for %s/%s", sub, kind)
	}
	b := &mailbox{counters: c, attrs: metric.WithAttributeSet(attribute.NewSet(
		attribute.String(LabelSubsystem, string(sub)), attribute.String(LabelActor, kind)))}
	m.mu.Lock()
	defer m.mu.Unlock()
	// Copy on write: the callback reads the slice without holding the lock.
	boxes := make([]*mailbox, 0, len(m.mailboxes)+1)
	m.mailboxes = append(append(boxes, m.mailboxes...), b)
	return nil
}

// ObserveCounter exports f as a monotonic counter named name (an
// OpenTelemetry instrument name such as "actornode.trace.spans.dropped").
// f is called at each scrape and must be cheap and safe for concurrent use.
// It is a no-op when metrics are disabled.
func (m *Metrics) ObserveCounter(name, description string, f func() uint64) error {
	if !m.Enabled() {
		return nil
	}
	_, err := m.meter.Int64ObservableCounter(name, metric.WithDescription(description),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			o.Observe(clampInt64(f()))
			return nil
		}))
	return err
}

func clampInt64(v uint64) int64 {
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}
