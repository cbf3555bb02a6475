package config

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lineIndex maps each dotted key path of a YAML document to the line of its
// key.
type lineIndex map[string]int

// indexLines parses data as YAML and records the line of every key.
func indexLines(data []byte) (lineIndex, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	idx := lineIndex{}
	if len(doc.Content) == 0 {
		return idx, nil
	}
	idx.walk(doc.Content[0], "")
	return idx, nil
}

func (idx lineIndex) walk(n *yaml.Node, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			if path != "" {
				key = path + "." + k.Value
			}
			if _, seen := idx[key]; !seen {
				idx[key] = k.Line
			}
			idx.walk(v, key)
		}
	}
}

// line returns the line of key, or of its longest recorded prefix, or 0.
func (idx lineIndex) line(key string) int {
	for {
		if l, ok := idx[key]; ok {
			return l
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			return 0
		}
		key = key[:i]
	}
}

// yamlLineRE finds the line number in a YAML parser error.
var yamlLineRE = regexp.MustCompile(`line (\d+): `)

// yamlError turns a YAML parse error into a problem and a line.
func yamlError(err error) (line int, problem string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	if m := yamlLineRE.FindStringSubmatchIndex(msg); m != nil {
		line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = msg[:m[0]] + msg[m[1]:]
	}
	return line, "invalid YAML: " + msg
}
