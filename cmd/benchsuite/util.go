package main

import "strings"

// join lists a figure's runs.
func join(runs []string) string {
	if len(runs) == 0 {
		return "—"
	}
	return strings.Join(runs, ", ")
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
