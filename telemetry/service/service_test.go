package service

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func TestResourceAttributes(t *testing.T) {
	t.Setenv("OTEL_SERVICE_NAME", "not-this")
	res, err := Info{Version: "0.3.0", InstanceID: "node-a", Network: "regtest"}.Resource()
	if err != nil {
		t.Fatal(err)
	}
	want := map[attribute.Key]string{
		KeyServiceName: "actornode", KeyServiceVersion: "0.3.0",
		KeyServiceInstanceID: "node-a", KeyNetwork: "regtest",
	}
	for k, v := range want {
		got, ok := res.Set().Value(k)
		if !ok || got.AsString() != v {
			t.Errorf("%s = %q (present %v), want %q", k, got.AsString(), ok, v)
		}
	}
	if _, ok := res.Set().Value("telemetry.sdk.name"); !ok {
		t.Error("telemetry.sdk.name missing")
	}
}

func TestResourceDefaults(t *testing.T) {
	a, err := Info{}.Resource()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Info{}.Resource()
	if err != nil {
		t.Fatal(err)
	}
	va, _ := a.Set().Value(KeyServiceVersion)
	ia, _ := a.Set().Value(KeyServiceInstanceID)
	ib, _ := b.Set().Value(KeyServiceInstanceID)
	if va.AsString() != "unknown" {
		t.Errorf("version = %q, want unknown", va.AsString())
	}
	if len(ia.AsString()) != 32 || ia.AsString() == ib.AsString() {
		t.Errorf("instance ids %q and %q: want two different 32-hex-digit ids", ia.AsString(), ib.AsString())
	}
	if _, ok := a.Set().Value(KeyNetwork); ok {
		t.Error("bitcoin.network set without a network")
	}
}
