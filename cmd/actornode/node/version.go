package node

import (
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// Version is actornode's version.
const (
	VersionMajor = 0
	VersionMinor = 1
	VersionPatch = 0
)

// Version returns the version as "major.minor.patch".
func Version() string { return fmt.Sprintf("%d.%d.%d", VersionMajor, VersionMinor, VersionPatch) }

// UserAgent is the BIP14 user agent sent to peers and reported as
// subversion: "/actornode:VERSION/".
func UserAgent() string { return "/actornode:" + Version() + "/" }

// ProtocolVersion is the P2P protocol version the node speaks (wtxidrelay).
const ProtocolVersion uint32 = 70016

// LocalServices are the service bits a node that keeps every block
// advertises: it serves the whole block chain, witnesses included.
const LocalServices = wire.SFNodeNetwork | wire.SFNodeWitness

// PrunedServices are the service bits a pruning node advertises: it
// serves only recent blocks (BIP 159).
const PrunedServices = wire.SFNodeNetworkLimited | wire.SFNodeWitness

// servicesFor returns the service bits advertised with the given prune
// setting (chain.prune, 0 = keep every block).
func servicesFor(prune int) wire.ServiceFlag {
	if prune > 0 {
		return PrunedServices
	}
	return LocalServices
}
