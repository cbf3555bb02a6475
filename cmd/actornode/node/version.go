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

// LocalServices are the service bits the node advertises. It does not serve
// the block chain yet, so it claims NODE_WITNESS only (no NODE_NETWORK).
const LocalServices = wire.SFNodeWitness
