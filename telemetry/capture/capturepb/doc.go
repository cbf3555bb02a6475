// Package capturepb holds the boundary messages of the capture recorder
// (telemetry/capture/recorder): starting and stopping capture and listing
// its state, as RPC asks for them. They are protobuf so that they may cross
// a process boundary. It holds no logic and touches nothing.
package capturepb
