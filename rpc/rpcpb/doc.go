// Package rpcpb declares the messages of the rpc actor's boundary: what other
// actors and the node's wiring code may ask the rpc actor. The types are
// generated from rpc.proto; the package holds no logic and touches nothing.
package rpcpb
