package metrics

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Labelled is one value of a labelled counter: its labels (never a peer id
// or an address) and its current total.
type Labelled struct {
	Labels []attribute.KeyValue
	Value  uint64
}

// ObserveLabelledCounter exports the values f returns as one monotonic
// counter named name, one series per label set. f is called at each scrape
// from the exporter's goroutine (never from an actor), so it may ask an
// actor for the figures; it must return quickly and may return nil when
// they are not to be had. It is a no-op when metrics are disabled.
func (m *Metrics) ObserveLabelledCounter(name, unit, description string, f func() []Labelled) error {
	if !m.Enabled() {
		return nil
	}
	_, err := m.meter.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(description),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			for _, v := range f() {
				o.Observe(clampInt64(v.Value), metric.WithAttributes(v.Labels...))
			}
			return nil
		}))
	return err
}
