package config

import "strings"

// suggest returns the schema key closest to an unknown key, or "" when none
// is close enough to be a likely misspelling.
func (s schema) suggest(unknown string) string {
	u := strings.ToLower(unknown)
	best, bestDist := "", -1
	for _, k := range s.sortedKeys() {
		d := editDistance(u, k)
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	limit := max(2, len(unknown)/5)
	if bestDist >= 0 && bestDist <= limit {
		return best
	}
	// A truncated key: suggest the one key it starts.
	if strings.Contains(u, ".") {
		if k := s.unique(func(k string) bool { return strings.HasPrefix(k, u) }); k != "" {
			return k
		}
	}
	// A known setting placed in the wrong section: suggest it when its last
	// segment is unique.
	last := u[strings.LastIndexByte(u, '.')+1:]
	return s.unique(func(k string) bool { return k[strings.LastIndexByte(k, '.')+1:] == last })
}

// unique returns the only key matching match, or "" when none or several do.
func (s schema) unique(match func(string) bool) string {
	found := ""
	for k := range s {
		if match(k) {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
