// Package service owns the OpenTelemetry resource that names this node in
// every trace and metric it exports: service.name=actornode, the version,
// the instance id and the Bitcoin network.
//
// It never exports anything and never reads config: the caller fills Info.
package service
