package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Name is the service.name of every actornode process.
const Name = "actornode"

// Resource attribute keys set by Info.Resource.
const (
	KeyServiceName       = attribute.Key("service.name")
	KeyServiceVersion    = attribute.Key("service.version")
	KeyServiceInstanceID = attribute.Key("service.instance.id")
	// KeyNetwork is the Bitcoin network (mainnet, testnet4, regtest, ...).
	KeyNetwork = attribute.Key("bitcoin.network")
)

// Info describes this node process.
type Info struct {
	// Version is the node's version (service.version); empty is "unknown".
	Version string
	// InstanceID distinguishes processes (service.instance.id); empty gets
	// a random id from NewInstanceID.
	InstanceID string
	// Network is the Bitcoin network name (bitcoin.network).
	Network string
}

// Resource builds the OpenTelemetry resource for info, with the telemetry
// SDK's attributes. It deliberately reads nothing from the environment
// (OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME): the node's config is the one
// source of truth.
func (info Info) Resource() (*resource.Resource, error) {
	version := info.Version
	if version == "" {
		version = "unknown"
	}
	id := info.InstanceID
	if id == "" {
		id = NewInstanceID()
	}
	attrs := []attribute.KeyValue{
		KeyServiceName.String(Name),
		KeyServiceVersion.String(version),
		KeyServiceInstanceID.String(id),
	}
	if info.Network != "" {
		attrs = append(attrs, KeyNetwork.String(info.Network))
	}
	res, err := resource.New(context.Background(), resource.WithTelemetrySDK(), resource.WithAttributes(attrs...))
	if err != nil {
		return nil, fmt.Errorf("building the telemetry resource: %w", err)
	}
	return res, nil
}

// NewInstanceID returns a random 16-byte hex id for service.instance.id.
func NewInstanceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
