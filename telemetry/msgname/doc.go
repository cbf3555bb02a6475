// Package msgname owns how the node names a message type in span names,
// span attributes and metric labels: the protobuf message name for protobuf
// messages, the Go type name otherwise.
//
// It never looks inside a message beyond its type.
package msgname
