// Package peerfilter owns the peer filter language: a small boolean
// expression that selects peers by address, CIDR prefix, peer id, direction,
// connection type and user agent. A filter is parsed once (Parse) and then
// evaluated many times (Filter.Match) without allocating.
//
// The same language selects the peers traced in full
// (telemetry.traces.peers) and, later, the peers whose messages are captured
// or dumped.
//
// It is pure: it never touches actors, sockets, OpenTelemetry or config; the
// caller hands it a Peer value and gets a yes or no.
//
// # Grammar
//
//	filter  = or
//	or      = and { "or" and }
//	and     = unary { "and" unary }
//	unary   = "not" unary | primary
//	primary = "(" or ")" | "all" | "none" | term
//	term    = key ( "=" | "!=" ) value
//	key     = "addr" | "id" | "dir" | "type" | "ua"
//	value   = a run of characters other than space, "(", ")" and "!="
//	        | a double-quoted string (\" and \\ escape)
//
// Keywords and keys are case-insensitive; "and" binds tighter than "or".
// Terms:
//
//	addr=1.2.3.4          the address, any port (IPv4-mapped IPv6 matches too)
//	addr=1.2.3.4:8333     address and port; IPv6 as [2001:db8::1]:8333
//	addr=10.0.0.0/8       every address in the CIDR prefix
//	id=7                  the peer id (getpeerinfo "id")
//	dir=inbound           inbound or outbound
//	type=feeler           manual, inbound, outbound-full-relay,
//	                      block-relay-only, feeler or addr-fetch
//	ua=*Satoshi:27*       user agent glob: * any run, ? one byte,
//	                      case-insensitive
//
// key!=value is the same as not key=value. Examples:
//
//	addr=10.0.0.0/8 or addr=192.168.1.5:8333
//	dir=inbound and not ua="/Satoshi:27.*"
//	(type=manual or id=7) and not addr=127.0.0.1
package peerfilter
