package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/v2"
)

// resolve converts and checks every merged value, decodes the result into a
// Config and expands ~ in paths. Every problem found is returned at once.
func (l *loader) resolve(home string, homeErr error) (Config, error) {
	flat := l.ko.All()
	typed := make(map[string]any, len(l.schema))
	bad := map[string]bool{}
	l.checkKeys(flat, typed, bad)
	l.fillMissing(typed)
	l.checkCombinations(typed, bad)

	var c Config
	if err := decode(typed, &c); err != nil {
		l.errs = append(l.errs, &Error{Problem: "internal decoding error: " + err.Error()})
	}
	l.expandPaths(&c, home, homeErr)
	if len(l.errs) > 0 {
		sortErrors(l.errs)
		return Config{}, l.errs
	}
	return c, nil
}

// checkKeys converts and checks each merged key, reporting unknown keys,
// wrong types and invalid values. Good values land in typed; keys with a
// problem are marked in bad.
func (l *loader) checkKeys(flat map[string]any, typed map[string]any, bad map[string]bool) {
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		raw := flat[key]
		kind, known := l.schema[key]
		switch {
		case known:
			o := l.origin(key)
			spec := specFor(key)
			weak := o.layer == LayerEnv || o.layer == LayerFlag
			v, ok := convert(kind, raw, weak)
			if !ok {
				l.errs = append(l.errs, o.errorAt(key, typeProblem(kind, spec, raw)))
				bad[key] = true
				continue
			}
			if problem := spec.check(kind, v); problem != "" {
				l.errs = append(l.errs, o.errorAt(key, problem))
				bad[key] = true
				continue
			}
			typed[key] = v
		case l.schema.isSection(key):
			// An empty or null section leaves its keys at their lower
			// layers' values; anything else cannot hold settings.
			if m, ok := raw.(map[string]any); (ok && len(m) == 0) || raw == nil {
				continue
			}
			l.errs = append(l.errs, l.origin(key).errorAt(key, "expected a section of settings, got "+describe(raw)))
		default:
			if leaf, ok := l.schema.leafPrefix(key); ok {
				if !bad[leaf] {
					bad[leaf] = true
					spec := specFor(leaf)
					l.errs = append(l.errs, l.origin(key).errorAt(leaf,
						"expected "+spec.expectation(l.schema[leaf])+", got a mapping"))
				}
				continue
			}
			l.errs = append(l.errs, l.origin(key).errorAt(key, l.unknownProblem(key)))
		}
	}
}

// typeProblem explains a value that does not fit its key's type.
func typeProblem(kind valueKind, spec keySpec, raw any) string {
	msg := "expected " + spec.expectation(kind) + ", got " + describe(raw)
	switch {
	case raw == nil && kind == kindList:
		msg += " (write [] for an empty list)"
	case raw == nil && kind == kindString:
		msg += ` (write "" for an empty string)`
	case kind == kindString:
		if _, isMap := raw.(map[string]any); !isMap {
			if _, isList := raw.([]any); !isList {
				msg += fmt.Sprintf(` (put it in quotes: "%v")`, raw)
			}
		}
	case kind == kindList:
		if s, ok := raw.(string); ok {
			msg += fmt.Sprintf(" (write [%q])", s)
		}
	}
	return msg
}

// unknownProblem explains an unknown key, suggesting the likely intended key
// spelt the way its layer spells keys.
func (l *loader) unknownProblem(key string) string {
	hint := l.schema.suggest(key)
	if hint == "" {
		return "unknown key"
	}
	switch l.origin(key).layer {
	case LayerEnv:
		hint = EnvVar(hint)
	case LayerFlag:
		hint = "--" + hint
	}
	return "unknown key (did you mean " + hint + "?)"
}

// origin returns where key's value came from, falling back to the origin of
// its nearest parent section (a YAML section or null replaces its keys).
func (l *loader) origin(key string) origin {
	for k := key; ; {
		if o, ok := l.origins[k]; ok {
			return o
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			return origin{}
		}
		k = k[:i]
	}
}

// fillMissing gives every key without a good value its built-in default, so
// that decoding succeeds and later checks see a complete configuration.
func (l *loader) fillMissing(typed map[string]any) {
	var defaults map[string]any
	for key, kind := range l.schema {
		if _, ok := typed[key]; ok {
			continue
		}
		if defaults == nil {
			defaults = defaultValues()
		}
		if v, ok := convert(kind, defaults[key], false); ok {
			typed[key] = v
		} else {
			l.errs = append(l.errs, &Error{Layer: LayerDefaults, File: defaultsName, Key: key, Problem: "no valid built-in default"})
		}
	}
}

// checkCombinations reports problems that involve more than one key.
func (l *loader) checkCombinations(typed map[string]any, bad map[string]bool) {
	user, password := typed["rpc.user"].(string), typed["rpc.password"].(string)
	switch {
	case user != "" && password == "":
		l.errs = append(l.errs, l.origin("rpc.user").errorAt("rpc.user", "set without rpc.password; set both or neither"))
	case user == "" && password != "":
		l.errs = append(l.errs, l.origin("rpc.password").errorAt("rpc.password", "set without rpc.user; set both or neither"))
	}
	// OTLP over HTTP listens on another port than over gRPC: an endpoint
	// left at its built-in (gRPC) default follows the protocol.
	if typed["telemetry.traces.protocol"] == TraceProtocolHTTP && !bad["telemetry.traces.endpoint"] &&
		l.origin("telemetry.traces.endpoint").layer == LayerDefaults &&
		typed["telemetry.traces.endpoint"] == DefaultTraceGRPCEndpoint {
		typed["telemetry.traces.endpoint"] = DefaultTraceHTTPEndpoint
	}
	for key := range l.schema {
		name, ok := strings.CutSuffix(key, ".mailbox.size")
		if !ok || bad[key] || bad[name+".mailbox.kind"] {
			continue
		}
		if typed[name+".mailbox.kind"] == MailboxDropping && typed[key].(int64) < 1 {
			// Point at whichever of the two keys was set last, since that
			// is where the user will look.
			o := l.origin(key)
			if ko := l.origin(name + ".mailbox.kind"); ko.layer > o.layer {
				o = ko
			}
			l.errs = append(l.errs, o.errorAt(key,
				fmt.Sprintf("expected a whole number >= 1 when %s.mailbox.kind is %s, got %d", name, MailboxDropping, typed[key])))
		}
	}
}

// decode unmarshals the converted values into c through koanf and
// mapstructure, failing on any key Config lacks or any field left unset.
func decode(typed map[string]any, c *Config) error {
	k := koanf.New(".")
	if err := k.Load(confmap.Provider(typed, "."), nil); err != nil {
		return err
	}
	return k.UnmarshalWithConf("", c, koanf.UnmarshalConf{
		Tag: "koanf",
		DecoderConfig: &mapstructure.DecoderConfig{
			DecodeHook: mapstructure.ComposeDecodeHookFunc(
				mapstructure.StringToTimeDurationHookFunc(),
				mapstructure.TextUnmarshallerHookFunc(),
			),
			ErrorUnused: true,
			ErrorUnset:  true,
		},
	})
}

// homeDir returns HOME from environ when it is set there, otherwise the
// current user's home directory.
func homeDir(environ []string) (string, error) {
	if h := lookupEnv(environ, "HOME"); h != "" {
		return h, nil
	}
	return os.UserHomeDir()
}

// expandPaths replaces a leading ~ in datadir and rpc.cookiefile by home.
func (l *loader) expandPaths(c *Config, home string, homeErr error) {
	expand := func(key string, p *string) {
		if *p != "~" && !strings.HasPrefix(*p, "~/") {
			return
		}
		if homeErr != nil {
			l.errs = append(l.errs, l.origin(key).errorAt(key, "cannot expand ~: "+homeErr.Error()))
			return
		}
		if home == "" {
			return
		}
		*p = filepath.Join(home, (*p)[1:])
	}
	expand("datadir", &c.DataDir)
	expand("rpc.cookiefile", &c.RPC.CookieFile)
}
