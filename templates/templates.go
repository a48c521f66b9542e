// Package templates holds the template packs and reads their manifests. A
// pack is a folder with a pack.yaml, a base tree (files/) and features
// (features/NAME/ with a feature.yaml and their own files/); what every
// Python service shares lives once in _shared/ as named partials. Adding a
// framework is adding a folder; adding an option value or an integration is
// adding a feature folder. Nothing in Go lists packs, values or features.
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/options"
)

//go:embed all:*
var embedded embed.FS

// SharedDir is the folder of partials every pack's template set includes.
const SharedDir = "_shared"

// Check is one step the end-to-end suite runs inside a generated project.
type Check struct {
	Name string `yaml:"name"`
	Run  string `yaml:"run"`
}

// Value is one value a pack offers for a choice or list option.
type Value struct {
	Name string `yaml:"name"`
	Help string `yaml:"help"`
}

// OptionSpec is what a pack offers for one option: its values (choice and
// list options) and its default. Yes/no options have no values; their
// feature is the option's key.
type OptionSpec struct {
	Default string  `yaml:"default"`
	Values  []Value `yaml:"values"`
}

// ExtensionPoint is a named list features contribute to (settings fields,
// .env.example entries, dependencies ...); templates range over the merged
// list as .C.NAME.
type ExtensionPoint struct {
	Name string `yaml:"name"`
	Help string `yaml:"help"`
}

// Feature is one folder under features/: an option value, a yes/no option,
// or a part that other features include.
type Feature struct {
	Name    string `yaml:"-"`
	Summary string `yaml:"summary"`
	// Requires lists capabilities some other selected feature must provide.
	Requires []string `yaml:"requires"`
	// Conflicts lists capabilities that must not be provided alongside.
	Conflicts []string `yaml:"conflicts"`
	// Provides lists the capabilities this feature gives the project.
	Provides []string `yaml:"provides"`
	// Includes lists features selected together with this one.
	Includes []string `yaml:"includes"`
	// Contributes maps an extension point to the items this feature adds.
	// Built-in packs fill it on first use: read it through Contributions.
	Contributes map[string][]any `yaml:"contributes"`
	// Checks are end-to-end steps for projects with this feature, run after
	// the pack's checks, in feature order.
	Checks []Check `yaml:"checks"`
	// Shared names file sets of _shared/ (folders _shared/NAME/files/)
	// written as if they were this feature's own files: code several
	// frameworks share (models, services, provider clients) lives once.
	SharedFiles []string `yaml:"shared"`

	// A built-in pack's feature is read in two steps: everything but the
	// contributions when the pack loads (what the catalog and validation of
	// answers need), the contributions when a project uses the feature.
	// Contributions are most of a manifest's text, and a project uses a
	// few features of one pack.
	lazy   *lazyBody
	points map[string]bool
}

// lazyBody is a manifest whose contributions are not decoded yet.
type lazyBody struct {
	file string // the manifest, for errors
	raw  []byte
	once sync.Once
	err  error
}

// Contributions returns what the feature adds to each extension point,
// decoding it on first use for a built-in pack. An error names the
// manifest and the field.
func (f *Feature) Contributions() (map[string][]any, error) {
	if f.lazy == nil {
		return f.Contributes, nil
	}
	f.lazy.once.Do(func() {
		var full Feature
		if err := decodeStrict(f.lazy.raw, &full); err != nil {
			f.lazy.err = &PackError{File: f.lazy.file, Msg: yamlMessage(err)}
			return
		}
		if err := checkContributes(full.Contributes, f.points, f.lazy.file); err != nil {
			f.lazy.err = err
			return
		}
		f.Contributes = full.Contributes
	})
	return f.Contributes, f.lazy.err
}

// withoutKey returns block-style YAML without one top-level key and its
// block: the lines from "key:" at the start of a line to the next line that
// starts another top-level key.
func withoutKey(text []byte, key string) []byte {
	var out []byte
	skipping := false
	for rest := text; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		top := len(line) > 0 && line[0] != ' ' && line[0] != '\t' && line[0] != '#' && line[0] != '\n' && line[0] != '\r'
		if top {
			skipping = bytes.HasPrefix(line, []byte(key+":"))
		}
		if !skipping {
			out = append(out, line...)
		}
	}
	return out
}

// Pack is one framework's templates and what it offers.
type Pack struct {
	Name    string `yaml:"name"`
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	Default bool   `yaml:"default"`
	// Options maps an option key (database, auth, rbac, integrations) to
	// what the pack offers for it.
	Options         map[string]OptionSpec `yaml:"options"`
	ExtensionPoints []ExtensionPoint      `yaml:"extension_points"`
	Checks          []Check               `yaml:"checks"`
	// SharedFiles names file sets of _shared/ written with the base tree.
	SharedFiles []string `yaml:"shared"`
	// Contract, when true, makes the project's openapi.yaml the shared HTTP
	// contract (_shared/contract/) instead of the pack's own fragments, so
	// that packs which serve the same API publish the same document.
	Contract bool `yaml:"contract"`

	// Features are the pack's feature folders, by name.
	Features map[string]*Feature `yaml:"-"`
	// FS is the pack's folder: pack.yaml, files/, features/.
	FS fs.FS `yaml:"-"`
	// Shared holds the partials of _shared/, when the pack set has them.
	Shared fs.FS `yaml:"-"`
	// Source says where the pack came from: "built-in" or a directory.
	Source string `yaml:"-"`
}

// PackError is a pack that fails validation: it names the file and the
// field at fault.
type PackError struct {
	File  string // path of the manifest, as the user would find it
	Field string // the field at fault, e.g. options.auth.values[2]
	Msg   string
}

func (e *PackError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("template pack %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("template pack %s: %s: %s", e.File, e.Field, e.Msg)
}

// Load reads every pack embedded in the binary, sorted by name. Their
// features' contributions are decoded on first use (Feature.Contributions);
// the tests decode and check all of them.
func Load() ([]Pack, error) { return LoadFS(embedded, BuiltIn) }

// BuiltIn is the Source of the packs embedded in the binary.
const BuiltIn = "built-in"

// LoadFS reads the packs in fsys: each top-level folder with a pack.yaml
// (folders starting with "_" are shared layers, not packs). source labels
// the packs and prefixes the file names in errors.
func LoadFS(fsys fs.FS, source string) ([]Pack, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading template packs: %w", err)
	}
	shared, err := fs.Sub(fsys, SharedDir)
	if err != nil || !exists(fsys, SharedDir) {
		shared = nil
	}
	// Only the packs compiled into the binary (checked by the tests) leave
	// their contributions for later; any other pack is checked whole now.
	lazy := fsys == fs.FS(embedded)
	var names []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		if !exists(fsys, path.Join(e.Name(), "pack.yaml")) {
			continue // a folder without a manifest is not a pack (yet)
		}
		names = append(names, e.Name())
	}
	// Packs are read side by side (decoding their manifests is most of a
	// short command's work); the first error in name order is the one
	// reported, as a sequential read would.
	packs := make([]Pack, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			sub, err := fs.Sub(fsys, name)
			if err == nil {
				packs[i], err = readPack(sub, shared, name, displayPath(source, name), lazy)
			}
			packs[i].Source, errs[i] = source, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Name < packs[j].Name })
	return packs, nil
}

// LoadDir reads one pack from a directory (scaffold new --pack DIR). The
// pack can use the built-in shared partials.
func LoadDir(dir string) (Pack, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Pack{}, err
	}
	if !exists(os.DirFS(abs), "pack.yaml") {
		return Pack{}, &PackError{File: filepath.Join(dir, "pack.yaml"), Msg: "no pack.yaml: a pack directory needs a manifest (see docs/packs.md)"}
	}
	var shared fs.FS
	if sub, err := fs.Sub(embedded, SharedDir); err == nil && exists(embedded, SharedDir) {
		shared = sub
	}
	p, err := readPack(os.DirFS(abs), shared, filepath.Base(abs), dir, false)
	if err != nil {
		return Pack{}, err
	}
	p.Source = abs
	return p, nil
}

// UserPacksDir is where installed user packs live:
// $XDG_DATA_HOME/scaffold/packs, by default ~/.local/share/scaffold/packs.
func UserPacksDir() string {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "scaffold", "packs")
}

// LoadAll reads the built-in packs and the user's installed packs. A user
// pack with a built-in pack's name, or one that fails validation, is an
// error naming its file.
func LoadAll() ([]Pack, error) {
	packs, err := Load()
	if err != nil {
		return nil, err
	}
	dir := UserPacksDir()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || dir == "" {
		return packs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading user packs in %s: %w", dir, err)
	}
	for _, e := range entries {
		// Stat, not the entry's type: a symlink to a pack is a pack.
		if info, err := os.Stat(filepath.Join(dir, e.Name())); err != nil || !info.IsDir() {
			continue
		}
		p, err := LoadDir(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("%w (fix or remove that pack)", err)
		}
		if other, clash := Find(packs, p.Name); clash {
			return nil, &PackError{File: filepath.Join(dir, e.Name(), "pack.yaml"), Field: "name",
				Msg: fmt.Sprintf("%q is already the name of the pack from %s; rename one of them", p.Name, other.Source)}
		}
		p.Default = false // the built-in default stays the default
		packs = append(packs, p)
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Name < packs[j].Name })
	return packs, nil
}

func displayPath(source, name string) string {
	if source == BuiltIn {
		return path.Join("templates", name)
	}
	return filepath.Join(source, name)
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

func decodeStrict(data []byte, into any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(into)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// yamlMessage turns a decoder error into "line N: what", without the Go
// type names.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = regexp.MustCompile(` in type [\w.]+`).ReplaceAllString(msg, "")
	return strings.Join(strings.Fields(msg), " ")
}

// readPack reads and validates one pack folder. shown is the folder as the
// user would find it, for error messages. lazy leaves the features'
// contributions to be decoded on first use.
func readPack(fsys, shared fs.FS, folder, shown string, lazy bool) (Pack, error) {
	manifest := filepath.Join(shown, "pack.yaml")
	data, err := fs.ReadFile(fsys, "pack.yaml")
	if err != nil {
		return Pack{}, &PackError{File: manifest, Msg: err.Error()}
	}
	var p Pack
	if err := decodeStrict(data, &p); err != nil {
		return Pack{}, &PackError{File: manifest, Msg: yamlMessage(err)}
	}
	p.FS, p.Shared = fsys, shared
	if p.Name != folder {
		return Pack{}, &PackError{File: manifest, Field: "name", Msg: fmt.Sprintf("%q must match its folder %q", p.Name, folder)}
	}
	if !exists(fsys, "files") {
		return Pack{}, &PackError{File: manifest, Msg: "the pack has no files/ folder"}
	}
	p.Features = map[string]*Feature{}
	feats, _ := fs.ReadDir(fsys, "features")
	for _, e := range feats {
		if !e.IsDir() {
			continue
		}
		f := &Feature{Name: e.Name()}
		fm := filepath.Join(shown, "features", e.Name(), "feature.yaml")
		raw, err := fs.ReadFile(fsys, path.Join("features", e.Name(), "feature.yaml"))
		if err != nil {
			return Pack{}, &PackError{File: fm, Msg: "every feature folder needs a feature.yaml"}
		}
		head := raw
		if lazy {
			head = withoutKey(raw, "contributes")
			f.lazy = &lazyBody{file: fm, raw: raw}
		}
		if err := decodeStrict(head, f); err != nil {
			return Pack{}, &PackError{File: fm, Msg: yamlMessage(err)}
		}
		p.Features[f.Name] = f
	}
	return p, p.validate(manifest, shown)
}

// validate checks what the YAML decoder cannot: option keys and values,
// feature references, extension points.
func (p *Pack) validate(manifest, shown string) error {
	points := map[string]bool{}
	for i, ep := range p.ExtensionPoints {
		if ep.Name == "" || points[ep.Name] {
			return &PackError{File: manifest, Field: fmt.Sprintf("extension_points[%d]", i), Msg: "needs a unique name"}
		}
		points[ep.Name] = true
	}
	for _, key := range slices.Sorted(maps.Keys(p.Options)) {
		spec := p.Options[key]
		o := options.Lookup(key)
		field := "options." + key
		switch {
		case o == nil || o.Kind == options.Text || key == options.FrameworkOption.Key:
			return &PackError{File: manifest, Field: field, Msg: fmt.Sprintf("a pack declares only %s", strings.Join(options.PackKeys(), ", "))}
		case o.Kind == options.Bool:
			if len(spec.Values) > 0 {
				return &PackError{File: manifest, Field: field + ".values", Msg: "a yes/no option has no values"}
			}
			if spec.Default != "" && spec.Default != "true" && spec.Default != "false" {
				return &PackError{File: manifest, Field: field + ".default", Msg: "must be true or false"}
			}
			if p.Features[key] == nil {
				return &PackError{File: manifest, Field: field, Msg: fmt.Sprintf("needs a feature folder features/%s/", key)}
			}
		default:
			seen := map[string]bool{}
			for i, v := range spec.Values {
				vf := fmt.Sprintf("%s.values[%d]", field, i)
				if !options.ValidValueName(v.Name) || seen[v.Name] {
					return &PackError{File: manifest, Field: vf, Msg: fmt.Sprintf("%q must be a unique lower-case word (letters, digits, -)", v.Name)}
				}
				seen[v.Name] = true
				if p.Features[v.Name] == nil {
					return &PackError{File: manifest, Field: vf, Msg: fmt.Sprintf("value %q needs a feature folder features/%s/ with a feature.yaml", v.Name, v.Name)}
				}
			}
			if o.Kind == options.Choice && len(spec.Values) == 0 {
				return &PackError{File: manifest, Field: field + ".values", Msg: "offer at least one value"}
			}
			if spec.Default != "" && !seen[spec.Default] {
				return &PackError{File: manifest, Field: field + ".default", Msg: fmt.Sprintf("%q is not one of the values", spec.Default)}
			}
		}
	}
	for _, key := range []string{options.DatabaseOption.Key, options.AuthOption.Key} {
		if _, ok := p.Options[key]; !ok {
			return &PackError{File: manifest, Field: "options." + key, Msg: "every pack offers at least one value"}
		}
	}
	if err := p.checkShared(p.SharedFiles); err != nil {
		return &PackError{File: manifest, Field: "shared", Msg: err.Error()}
	}
	if p.Contract && (p.Shared == nil || !exists(p.Shared, path.Join(ContractDir, "openapi.yaml.tmpl"))) {
		return &PackError{File: manifest, Field: "contract", Msg: "there is no shared contract (_shared/contract/openapi.yaml.tmpl) to use"}
	}
	for _, n := range slices.Sorted(maps.Keys(p.Features)) {
		f := p.Features[n]
		f.points = points
		fm := filepath.Join(shown, "features", n, "feature.yaml")
		if err := p.checkShared(f.SharedFiles); err != nil {
			return &PackError{File: fm, Field: "shared", Msg: err.Error()}
		}
		for i, inc := range f.Includes {
			if p.Features[inc] == nil {
				return &PackError{File: fm, Field: fmt.Sprintf("includes[%d]", i), Msg: fmt.Sprintf("no feature %q in this pack", inc)}
			}
		}
		if err := p.checkCycle(n, nil); err != nil {
			return &PackError{File: fm, Field: "includes", Msg: err.Error()}
		}
		if err := checkContributes(f.Contributes, points, fm); err != nil {
			return err
		}
		for i, c := range f.Checks {
			if c.Name == "" || c.Run == "" {
				return &PackError{File: fm, Field: fmt.Sprintf("checks[%d]", i), Msg: "a check needs a name and a run command"}
			}
			if slices.ContainsFunc(p.Checks, func(pc Check) bool { return pc.Name == c.Name }) {
				return &PackError{File: fm, Field: fmt.Sprintf("checks[%d]", i), Msg: fmt.Sprintf("pack.yaml already has a check named %q", c.Name)}
			}
		}
	}
	return nil
}

// checkContributes refuses a contribution to an extension point pack.yaml
// does not declare.
func checkContributes(c map[string][]any, points map[string]bool, manifest string) error {
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if !points[k] {
			return &PackError{File: manifest, Field: "contributes." + k, Msg: fmt.Sprintf("pack.yaml declares no extension point %q (declared: %s)", k, strings.Join(sortedKeys(points), ", "))}
		}
	}
	return nil
}

// ContractDir is the folder of _shared/ holding the HTTP contract's OpenAPI
// fragments: openapi.yaml.tmpl and features/NAME.yaml.tmpl.
const ContractDir = "contract"

// checkShared refuses a reference to a shared file set that does not exist.
func (p *Pack) checkShared(names []string) error {
	for i, n := range names {
		if !options.ValidValueName(n) || p.Shared == nil || !exists(p.Shared, path.Join(n, "files")) {
			return fmt.Errorf("[%d]: no shared file set %q (a folder _shared/%s/files/)", i, n, n)
		}
	}
	return nil
}

func (p *Pack) checkCycle(name string, stack []string) error {
	if slices.Contains(stack, name) {
		return fmt.Errorf("features include each other: %s", strings.Join(append(stack, name), " -> "))
	}
	for _, inc := range p.Features[name].Includes {
		if err := p.checkCycle(inc, append(stack, name)); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// Expand returns the named features with everything they include, includes
// first, each once, in a stable order.
func (p Pack) Expand(names []string) []*Feature {
	var out []*Feature
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if seen[n] || p.Features[n] == nil {
			return
		}
		seen[n] = true
		for _, inc := range p.Features[n].Includes {
			visit(inc)
		}
		out = append(out, p.Features[n])
	}
	for _, n := range names {
		visit(n)
	}
	return out
}

// ChecksFor lists what the end-to-end suite runs in a project made of the
// selected features: the pack's checks, then each feature's (includes first,
// as in Expand).
func (p Pack) ChecksFor(selected []string) []Check {
	out := append([]Check{}, p.Checks...)
	for _, f := range p.Expand(selected) {
		out = append(out, f.Checks...)
	}
	return out
}

// Catalog describes what the packs offer, for option validation, prompts,
// completion and `scaffold list`.
func Catalog(packs []Pack) options.Catalog {
	var c options.Catalog
	for _, p := range packs {
		fw := options.Framework{Name: p.Name, Title: p.Title, Summary: p.Summary, Default: p.Default,
			Offers: map[string]options.Offer{}}
		for key, spec := range p.Options {
			offer := options.Offer{Default: spec.Default}
			for _, v := range spec.Values {
				offer.Values = append(offer.Values, options.OfferedValue{Name: v.Name, Help: v.Help, Traits: p.traits(v.Name)})
			}
			if o := options.Lookup(key); o != nil && o.Kind == options.Bool {
				offer.Traits = p.traits(key)
			}
			fw.Offers[key] = offer
		}
		c = append(c, fw)
	}
	return c
}

// Catalog is this one pack as a catalog.
func (p Pack) Catalog() options.Catalog { return Catalog([]Pack{p}) }

// traits gathers what a feature and everything it includes requires,
// conflicts with and provides.
func (p Pack) traits(feature string) options.Traits {
	var t options.Traits
	for _, f := range p.Expand([]string{feature}) {
		t.Requires = append(t.Requires, f.Requires...)
		t.Conflicts = append(t.Conflicts, f.Conflicts...)
		t.Provides = append(t.Provides, f.Provides...)
	}
	return t
}

// Find returns the pack with that name.
func Find(packs []Pack, name string) (Pack, bool) {
	for _, p := range packs {
		if p.Name == name {
			return p, true
		}
	}
	return Pack{}, false
}
