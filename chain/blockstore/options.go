package blockstore

import (
	"errors"

	"github.com/btcsuite/btcd/wire/v2"
)

// DefaultMaxFileSize is the data file size limit used when
// Options.MaxFileSize is zero: 128 MiB, as Bitcoin Core.
const DefaultMaxFileSize int64 = 128 << 20

// defaultCompactMinDead is how many index records describing nothing live
// (superseded or dropped blocks) make Open rewrite the index.
const defaultCompactMinDead = 50000

// Options configures a Store.
type Options struct {
	// Net is the network whose magic frames every block; required. Open
	// refuses a store written for another network.
	Net wire.BitcoinNet
	// MaxFileSize is the size at which a data file is closed to new blocks;
	// 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// PruneTarget is 0 to keep every block; otherwise Prune deletes the
	// oldest data files while the newer ones still hold at least this many
	// bytes.
	PruneTarget int64

	// compactMinDead overrides defaultCompactMinDead (tests).
	compactMinDead int
}

func (o Options) withDefaults() (Options, error) {
	if o.Net == 0 {
		return o, errors.New("blockstore: Options.Net is required")
	}
	if o.MaxFileSize < 0 || o.PruneTarget < 0 {
		return o, errors.New("blockstore: negative MaxFileSize or PruneTarget")
	}
	if o.MaxFileSize == 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.compactMinDead == 0 {
		o.compactMinDead = defaultCompactMinDead
	}
	return o, nil
}
