package config

import (
	"errors"
	"net"
	"strconv"
	"strings"
)

// addrPolicy says which addresses a list key accepts.
type addrPolicy int

const (
	// addrNone marks a key that holds no addresses.
	addrNone addrPolicy = iota
	// addrListen accepts an empty host (all interfaces) and port 0 (any
	// free port).
	addrListen
	// addrPeer needs a host and a port from 1 to 65535 when one is given.
	addrPeer
)

// splitAddr splits "host", "host:port", "[ipv6]:port", "[ipv6]" or a bare
// IPv6 literal into host and port; port is "" when the address has none.
func splitAddr(s string, policy addrPolicy) (host, port string, err error) {
	switch {
	case s == "":
		return "", "", errors.New("empty address")
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		host = s[1 : len(s)-1]
		if ip := net.ParseIP(host); ip == nil || !strings.Contains(host, ":") {
			return "", "", errors.New("brackets must hold an IPv6 address")
		}
		return host, "", nil
	case strings.HasPrefix(s, "["):
		host, port, err = net.SplitHostPort(s)
		if err != nil {
			return "", "", errors.New("not a valid [ipv6]:port address")
		}
		if net.ParseIP(host) == nil || !strings.Contains(host, ":") {
			return "", "", errors.New("brackets must hold an IPv6 address")
		}
	case strings.Count(s, ":") > 1:
		if net.ParseIP(s) == nil {
			return "", "", errors.New("not a valid IPv6 address; write [ipv6]:port to add a port")
		}
		return s, "", nil
	case strings.Contains(s, ":"):
		host, port, err = net.SplitHostPort(s)
		if err != nil {
			return "", "", errors.New("not a valid host:port address")
		}
	default:
		host = s
	}
	if host == "" && policy == addrPeer {
		return "", "", errors.New("missing host")
	}
	if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
		return "", "", errors.New("not a valid IP address or host name")
	}
	if port != "" || strings.HasSuffix(s, ":") {
		n, perr := strconv.ParseUint(port, 10, 16)
		switch {
		case perr != nil:
			return "", "", errors.New("port must be a number from 1 to 65535")
		case n == 0 && policy == addrPeer:
			return "", "", errors.New("port must be a number from 1 to 65535")
		}
	}
	return host, port, nil
}

// validHostname reports whether h is made only of the characters host names
// use (letters, digits, '-', '.' and '_') and does not start or end with a dot.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 || h[0] == '.' || h[0] == '-' {
		return false
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-', r == '.', r == '_':
		default:
			return false
		}
	}
	return true
}

// withDefaultPorts returns addrs as host:port strings, giving port to every
// address that has none. Addresses are assumed valid (Load checked them).
func withDefaultPorts(addrs []string, port string) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		host, p, err := splitAddr(a, addrListen)
		if err != nil {
			out = append(out, a)
			continue
		}
		if p == "" {
			p = port
		}
		out = append(out, net.JoinHostPort(host, p))
	}
	return out
}
