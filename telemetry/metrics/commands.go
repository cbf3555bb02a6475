package metrics

// knownCommands are the Bitcoin P2P commands that get their own value of
// the command label; any other command is counted as "other", so a peer
// inventing commands cannot grow the label set.
var knownCommands = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range []string{
		"version", "verack", "addr", "addrv2", "sendaddrv2", "getaddr", "inv", "getdata", "notfound",
		"getblocks", "getheaders", "headers", "sendheaders", "block", "tx", "mempool", "merkleblock",
		"ping", "pong", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn", "blocktxn",
		"filterload", "filteradd", "filterclear", "getcfilters", "cfilter", "getcfheaders", "cfheaders",
		"getcfcheckpt", "cfcheckpt", "wtxidrelay", "sendtxrcncl", "reject", "alert",
	} {
		m[c] = true
	}
	return m
}()

// OtherCommand is the command label of every command outside the known set.
const OtherCommand = "other"
