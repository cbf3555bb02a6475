// Package node assembles actornode: it builds each subsystem's actor from the
// configuration, gives siblings each other's addresses, starts them under the
// root supervisor and stops them again. It is the only package that imports
// every subsystem.
//
// It owns no protocol logic and no state of its own beyond the running actor
// system: everything it reports it asks the owning actor for.
package node
