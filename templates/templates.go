// Package templates holds the template packs, one folder per framework, and
// reads their manifests. Adding a framework is adding a folder with a
// pack.yaml and a files/ tree; nothing in Go code lists the packs.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/options"
)

//go:embed all:*
var embedded embed.FS

// Rule makes the files under Path conditional. Path is relative to the pack's
// files/ folder: one file, or a folder when it ends in "/". When is a
// text/template expression (without braces) over the template data.
type Rule struct {
	Path string `yaml:"path"`
	When string `yaml:"when"`
}

// Check is one step the end-to-end suite runs inside a generated project.
type Check struct {
	Name string `yaml:"name"`
	Run  string `yaml:"run"`
}

// Pack is one framework's templates and what it supports.
type Pack struct {
	Name    string `yaml:"name"`
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	Default bool   `yaml:"default"`
	Options struct {
		Database     []string `yaml:"database"`
		Auth         []string `yaml:"auth"`
		Integrations []string `yaml:"integrations"`
	} `yaml:"options"`
	Files  []Rule  `yaml:"files"`
	Checks []Check `yaml:"checks"`

	// FS is the pack's files/ tree.
	FS fs.FS `yaml:"-"`
}

// Load reads every pack embedded in the binary, sorted by name.
func Load() ([]Pack, error) { return LoadFS(embedded) }

// LoadFS reads the packs in fsys: each top-level folder with a pack.yaml.
func LoadFS(fsys fs.FS) ([]Pack, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading template packs: %w", err)
	}
	var packs []Pack
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		manifest := path.Join(e.Name(), "pack.yaml")
		data, err := fs.ReadFile(fsys, manifest)
		if err != nil {
			continue // a folder without a manifest is not a pack (yet)
		}
		var p Pack
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("template pack %s: %w", manifest, err)
		}
		if p.Name != e.Name() {
			return nil, fmt.Errorf("template pack %s: name %q must match its folder", manifest, p.Name)
		}
		sub, err := fs.Sub(fsys, path.Join(e.Name(), "files"))
		if err != nil {
			return nil, fmt.Errorf("template pack %s: %w", p.Name, err)
		}
		p.FS = sub
		packs = append(packs, p)
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Name < packs[j].Name })
	return packs, nil
}

// Catalog describes what the packs offer, for option validation and prompts.
func Catalog(packs []Pack) options.Catalog {
	var c options.Catalog
	for _, p := range packs {
		c = append(c, options.Framework{
			Name: p.Name, Title: p.Title, Summary: p.Summary, Default: p.Default,
			Databases: p.Options.Database, Auths: p.Options.Auth, Integrations: p.Options.Integrations,
		})
	}
	return c
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
