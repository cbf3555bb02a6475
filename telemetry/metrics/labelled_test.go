package metrics

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func TestLabelledCounterOneSeriesPerLabelSet(t *testing.T) {
	m, err := New(Config{Listen: "127.0.0.1:0"}, testInfo)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	values := []Labelled{
		{Labels: []attribute.KeyValue{attribute.String("direction", "recv"), attribute.String("msgtype", "ping")}, Value: 64},
		{Labels: []attribute.KeyValue{attribute.String("direction", "sent"), attribute.String("msgtype", "pong")}, Value: 32},
	}
	if err := m.ObserveLabelledCounter("actornode.net.bytes", "By", "Wire bytes by direction and type.", func() []Labelled { return values }); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, m.Addr().String())
	for want, value := range map[string]string{
		`actornode_net_bytes_total{direction="recv",msgtype="ping"`: " 64",
		`actornode_net_bytes_total{direction="sent",msgtype="pong"`: " 32",
	} {
		line := lineWith(body, want)
		if line == "" || !strings.HasSuffix(line, value) {
			t.Errorf("series %s: line %q, want value%s:\n%s", want, line, value, body)
		}
	}
}

// lineWith returns the first line of body containing s, or "".
func lineWith(body, s string) string {
	for _, line := range strings.Split(body, "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}
