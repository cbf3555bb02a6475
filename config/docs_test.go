package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const docPath = "../docs/configuration.md"

// docRow is one row of the key reference tables.
type docRow struct {
	key, typ, def string
	line          int
}

// readDoc returns the configuration document.
func readDoc(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("reading the configuration document: %v", err)
	}
	return string(data)
}

// keyRows returns the rows of the tables under "## Key reference".
func keyRows(t *testing.T, doc string) []docRow {
	t.Helper()
	var rows []docRow
	inRef := false
	for i, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "## ") {
			inRef = line == "## Key reference"
			continue
		}
		if !inRef || !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 4 {
			t.Fatalf("%s:%d: a key row needs 4 cells (key, type, default, meaning): %q", docPath, i+1, line)
		}
		rows = append(rows, docRow{
			key:  strings.Trim(strings.TrimSpace(cells[0]), "`"),
			typ:  strings.TrimSpace(cells[1]),
			def:  strings.TrimSpace(cells[2]),
			line: i + 1,
		})
	}
	return rows
}

// docDefault renders a built-in default the way the document writes it.
func docDefault(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "`\"\"`"
		}
		return "`" + x + "`"
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "`[" + strings.Join(q, ", ") + "]`"
	}
	return fmt.Sprintf("`%v`", v)
}

func TestDocsDocumentEveryKeyExactlyOnce(t *testing.T) {
	rows := keyRows(t, readDoc(t))
	s := configSchema()
	defaults := defaultValues()
	seen := map[string]int{}
	for _, r := range rows {
		if prev, dup := seen[r.key]; dup {
			t.Errorf("%s:%d: %s is documented again (first at line %d)", docPath, r.line, r.key, prev)
		}
		seen[r.key] = r.line
		kind, ok := s[r.key]
		if !ok {
			t.Errorf("%s:%d: documented key %s does not exist", docPath, r.line, r.key)
			continue
		}
		if r.typ != kind.String() {
			t.Errorf("%s:%d: %s has type %q in the document, want %q", docPath, r.line, r.key, r.typ, kind)
		}
		if want := docDefault(defaults[r.key]); r.def != want {
			t.Errorf("%s:%d: %s has default %s in the document, want %s", docPath, r.line, r.key, r.def, want)
		}
	}
	for _, k := range Keys() {
		if _, ok := seen[k]; !ok {
			t.Errorf("key %s is not documented in %s", k, docPath)
		}
	}
}

// TestDocsExampleIsValid loads the document's sample YAML file and checks
// the effect the document claims for its command line.
func TestDocsExampleIsValid(t *testing.T) {
	doc := readDoc(t)
	start := strings.Index(doc, "```yaml\n")
	if start < 0 {
		t.Fatal("the document has no YAML example")
	}
	body := doc[start+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	path := filepath.Join(t.TempDir(), "regtest.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFile(path)
	if err != nil {
		t.Fatalf("the documented example is invalid:\n%v", err)
	}
	if c.Network != "regtest" || !slices.Equal(c.RPCListenAddrs(), []string{"127.0.0.1:18443"}) {
		t.Fatalf("example: network %q rpc %q", c.Network, c.RPCListenAddrs())
	}
	c, err = Load([]string{"--config", path, "--p2p.listen=",
		"--p2p.connect", "127.0.0.1:18444", "--p2p.connect", "127.0.0.1:18445"},
		testEnv("ACTORNODE_P2P_MAXCONNECTIONS=16"))
	if err != nil {
		t.Fatal(err)
	}
	if c.P2P.MaxConnections != 16 || len(c.P2P.Listen) != 0 ||
		!slices.Equal(c.P2P.Connect, []string{"127.0.0.1:18444", "127.0.0.1:18445"}) ||
		c.Shutdown.Timeout.String() != "10s" || c.P2P.DNSSeed {
		t.Fatalf("the documented command line does not do what the document says: %+v", c)
	}
}
