package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/posflag"
	"github.com/knadh/koanf/v2"
	"github.com/spf13/pflag"
)

// envPrefix starts every environment variable the node reads.
const envPrefix = "ACTORNODE_"

// EnvConfigFile names the configuration file when --config is not given.
const EnvConfigFile = envPrefix + "CONFIG"

// Load builds the node's configuration from args (the command-line
// arguments after the program and sub-command names) and environ (as from
// os.Environ). The layers, lowest first, are the built-in defaults, the YAML
// file named by --config (or by ACTORNODE_CONFIG), the ACTORNODE_*
// environment variables and the flags. A flag or variable that is not given
// never overrides a lower layer. Unknown flags, positional arguments,
// unknown keys, values of the wrong type and invalid values are errors; the
// returned error is then an Errors listing every problem found. When args
// ask for help (-h, --help) the error is pflag.ErrHelp. A leading ~ in
// datadir and rpc.cookiefile is expanded with HOME from environ, or the
// current user's home directory when environ has none.
func Load(args []string, environ []string) (Config, error) {
	fs := NewFlagSet("actornode")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		return Config{}, flagError(err, configSchema())
	}
	if fs.NArg() > 0 {
		return Config{}, Errors{{Layer: LayerFlag, Problem: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}}
	}
	return LoadFlagSet(fs, environ)
}

// LoadFlagSet is Load for a flag set that the caller built with NewFlagSet
// (possibly adding flags of its own) and has already parsed. Flags that are
// not configuration keys are ignored, and so are positional arguments.
func LoadFlagSet(fs *pflag.FlagSet, environ []string) (Config, error) {
	if !fs.Parsed() {
		return Config{}, errors.New("config: LoadFlagSet needs a parsed flag set")
	}
	file := ""
	if f := fs.Lookup(ConfigFlag); f != nil {
		file = f.Value.String()
	}
	if file == "" {
		file = lookupEnv(environ, EnvConfigFile)
	}
	return load(sources{file: file, environ: environ, flags: fs})
}

// LoadFile builds the configuration from the built-in defaults and the YAML
// file at path only, ignoring the environment and flags; it is what
// `actornode config check FILE` runs. Errors are reported as by Load.
func LoadFile(path string) (Config, error) {
	if path == "" {
		return Config{}, Errors{{Layer: LayerFile, Problem: "no configuration file given"}}
	}
	return load(sources{file: path})
}

// sources lists the layers one load reads.
type sources struct {
	file    string
	environ []string
	flags   *pflag.FlagSet
	// homeOptional leaves a leading ~ unexpanded when the home directory
	// is unknown instead of reporting an error.
	homeOptional bool
}

// loader accumulates the layers in one koanf instance and remembers where
// each key's effective value came from.
type loader struct {
	schema  schema
	ko      *koanf.Koanf
	origins map[string]origin
	errs    Errors
}

func newLoader(s schema) *loader {
	if s == nil {
		s = configSchema()
	}
	return &loader{schema: s, ko: koanf.New("."), origins: map[string]origin{}}
}

// load reads every layer in src and resolves the result.
func load(src sources) (Config, error) {
	l := newLoader(nil)
	l.loadDefaults()
	if src.file != "" {
		if !l.loadFile(src.file) {
			return Config{}, l.errs
		}
	}
	if src.environ != nil {
		l.loadEnv(src.environ)
	}
	if src.flags != nil {
		l.loadFlags(src.flags)
	}
	home, homeErr := homeDir(src.environ)
	if homeErr != nil && src.homeOptional {
		home, homeErr = "", nil
	}
	return l.resolve(home, homeErr)
}

// bytesProvider is a koanf.Provider for a YAML document already in memory.
type bytesProvider []byte

// ReadBytes returns the document.
func (b bytesProvider) ReadBytes() ([]byte, error) { return b, nil }

// Read is not supported; koanf calls ReadBytes when a parser is given.
func (b bytesProvider) Read() (map[string]any, error) {
	return nil, errors.New("config: bytesProvider needs a parser")
}

// loadDefaults loads the embedded defaults.yaml.
func (l *loader) loadDefaults() {
	l.loadYAML(defaultsYAML, LayerDefaults, defaultsName)
}

// loadFile loads the YAML file at path. It reports false when the file
// cannot be read or parsed, in which case nothing further is loaded.
func (l *loader) loadFile(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		l.errs = append(l.errs, &Error{Layer: LayerFile, File: path, Problem: "cannot read: " + unwrapPathError(err)})
		return false
	}
	return l.loadYAML(data, LayerFile, path)
}

// loadYAML parses data, records the line of every key and merges it.
func (l *loader) loadYAML(data []byte, layer Layer, name string) bool {
	lines, err := indexLines(data)
	if err == nil {
		lk := koanf.New(".")
		if err = lk.Load(bytesProvider(data), yaml.Parser()); err == nil {
			for _, k := range lk.Keys() {
				l.origins[k] = origin{layer: layer, file: name, line: lines.line(k)}
			}
			err = l.ko.Merge(lk)
		}
	}
	if err != nil {
		line, problem := yamlError(err)
		if strings.Contains(problem, "cannot unmarshal") {
			problem = "expected a mapping of settings at the top level"
		}
		l.errs = append(l.errs, &Error{Layer: layer, File: name, Line: line, Problem: problem})
		return false
	}
	return true
}

// loadEnv merges the ACTORNODE_* variables of environ: the name after the
// prefix, lower-cased with underscores as dots, is the key.
func (l *loader) loadEnv(environ []string) {
	lk := koanf.New(".")
	p := env.Provider(".", env.Opt{
		Prefix:      envPrefix,
		EnvironFunc: func() []string { return environ },
		TransformFunc: func(name, value string) (string, any) {
			if name == EnvConfigFile {
				return "", nil
			}
			key := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(name, envPrefix), "_", "."))
			l.origins[key] = origin{layer: LayerEnv, env: name}
			return key, value
		},
	})
	if err := lk.Load(p, nil); err != nil {
		l.errs = append(l.errs, &Error{Layer: LayerEnv, Problem: err.Error()})
		return
	}
	if err := l.ko.Merge(lk); err != nil {
		l.errs = append(l.errs, &Error{Layer: LayerEnv, Problem: err.Error()})
	}
}

// loadFlags merges the flags of fs that name keys and were given on the
// command line; posflag also consults l.ko so that a flag's default never
// overrides a lower layer.
func (l *loader) loadFlags(fs *pflag.FlagSet) {
	p := posflag.ProviderWithFlag(fs, ".", l.ko, func(f *pflag.Flag) (string, any) {
		if _, ok := l.schema[f.Name]; !ok || !f.Changed {
			return "", nil
		}
		l.origins[f.Name] = origin{layer: LayerFlag, flag: f.Name}
		if v, ok := f.Value.(*flagValue); ok {
			return f.Name, v.value()
		}
		return f.Name, posflag.FlagVal(fs, f)
	})
	if err := l.ko.Load(p, nil); err != nil {
		l.errs = append(l.errs, &Error{Layer: LayerFlag, Problem: err.Error()})
	}
}

// lookupEnv returns the value of name in environ, or "".
func lookupEnv(environ []string, name string) string {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// unwrapPathError drops the operation and path from an *os.PathError, which
// the message already names.
func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
