package peerman

import "github.com/actornode/actornode/telemetry/accounting"

// OtherCommand is the key under which bytes of unknown commands and of
// dropped frames (bad checksum) are counted, as in Core's getpeerinfo.
const OtherCommand = accounting.OtherType
