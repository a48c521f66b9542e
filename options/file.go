package options

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// VersionKey is the key under which `.scaffold.yaml` records the generator
// version. Answers files may carry it; it is informational.
const VersionKey = "scaffold_version"

// Partial holds answers given so far (by flags or a file) and which of them
// were given, so that the rest can be asked for or defaulted.
type Partial struct {
	Answers Answers
	Given   map[string]bool
	// File and Lines say where answers read from a file came from
	// (key, or key/value for list items -> line), for error messages.
	File  string
	Lines map[string]int
}

// NewPartial returns an empty Partial.
func NewPartial() Partial { return Partial{Given: map[string]bool{}, Lines: map[string]int{}} }

// Missing lists the keys not given yet, in asking order.
func (p Partial) Missing() []string {
	var out []string
	for _, o := range All {
		if !p.Given[o.Key] {
			out = append(out, o.Key)
		}
	}
	return out
}

// Set records one answer given as text (a flag value or a prompt answer).
func (p *Partial) Set(key, value string) error {
	o := Lookup(key)
	if o == nil {
		return &ValidationError{Msg: fmt.Sprintf("unknown option %q%s", key, didYouMean(key, optionKeys()))}
	}
	a := &p.Answers
	switch o.Key {
	case "name":
		a.Name = value
	case "description":
		a.Description = value
	case "framework":
		a.Framework = value
	case "database":
		a.Database = value
	case "auth":
		a.Auth = value
	case "rbac":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return &ValidationError{Msg: fmt.Sprintf("rbac must be true or false, not %q", value)}
		}
		a.RBAC = b
	case "integrations":
		a.Integrations = nil
		for _, s := range strings.Split(value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				a.Integrations = append(a.Integrations, s)
			}
		}
	}
	p.Given[o.Key] = true
	return nil
}

// ReadAnswersFile parses an answers file (the format of `.scaffold.yaml`).
// Errors name the file and line, and list the accepted keys or values.
func ReadAnswersFile(path string) (Partial, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Partial{}, &ValidationError{Msg: fmt.Sprintf("cannot read answers file: %v", err)}
	}
	return ParseAnswers(path, data)
}

// ParseAnswers parses answers-file content; name is used in error messages.
func ParseAnswers(name string, data []byte) (Partial, error) {
	p := NewPartial()
	p.File = name
	fail := func(line int, format string, args ...any) (Partial, error) {
		return Partial{}, &ValidationError{Msg: fmt.Sprintf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Partial{}, &ValidationError{Msg: fmt.Sprintf("%s: not valid YAML: %v", name,
			strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if len(doc.Content) == 0 {
		return fail(1, "the file is empty; expected keys: %s", keyList())
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, "expected a mapping of option: value; keys: %s", keyList())
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value == VersionKey {
			continue
		}
		o := Lookup(k.Value)
		if o == nil {
			return fail(k.Line, "unknown key %q%s; accepted keys: %s", k.Value, didYouMean(k.Value, optionKeys()), keyList())
		}
		if p.Given[o.Key] {
			return fail(k.Line, "key %q appears twice", k.Value)
		}
		switch o.Kind {
		case Text, Choice:
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Tag == "!!map" {
				return fail(v.Line, "%s must be a string", o.Key)
			}
			p.Lines[o.Key] = v.Line
			_ = p.Set(o.Key, v.Value)
		case Bool:
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return fail(v.Line, "%s must be true or false, not %q", o.Key, v.Value)
			}
			_ = p.Set(o.Key, v.Value)
		case Multi:
			if v.Kind != yaml.SequenceNode {
				return fail(v.Line, "%s must be a list, e.g. [payments, email]", o.Key)
			}
			var items []string
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return fail(item.Line, "%s items must be names, not %q", o.Key, item.Value)
				}
				p.Lines[o.Key+"/"+item.Value] = item.Line
				items = append(items, item.Value)
			}
			p.Answers.Integrations = items
			p.Given[o.Key] = true
		}
	}
	return p, nil
}

// CheckGiven refuses values no framework offers, naming the answers file
// and line they came from and the accepted values. Whether a value suits
// the chosen framework is Validate's job, once every answer is known.
func (c Catalog) CheckGiven(p Partial) error {
	for _, o := range All {
		if !p.Given[o.Key] || (o.Kind != Choice && o.Kind != Multi) {
			continue
		}
		var values []string
		switch o.Kind {
		case Choice:
			values = []string{p.Answers.get(o)}
		case Multi:
			values = p.Answers.Integrations
		}
		var known []string
		if o == &FrameworkOption {
			known = c.Names()
		}
		for _, v := range c.Values(o) {
			known = append(known, v.Name)
		}
		for _, v := range values {
			if slices.Contains(known, v) {
				continue
			}
			where := ""
			if line, ok := p.Lines[o.Key]; ok && p.File != "" {
				where = fmt.Sprintf("%s:%d: ", p.File, line)
			}
			if line, ok := p.Lines[o.Key+"/"+v]; ok && p.File != "" {
				where = fmt.Sprintf("%s:%d: ", p.File, line)
			}
			accepted := strings.Join(known, ", ")
			if accepted == "" {
				accepted = "none yet"
			}
			return &ValidationError{Msg: fmt.Sprintf("%sunknown %s %q%s; accepted values: %s",
				where, o.Key, v, didYouMean(v, known), accepted)}
		}
	}
	return nil
}

func keyList() string {
	return strings.Join(append([]string{VersionKey}, optionKeys()...), ", ")
}

func optionKeys() []string {
	keys := make([]string, 0, len(All))
	for _, o := range All {
		keys = append(keys, o.Key)
	}
	return keys
}

// Record renders answers as `.scaffold.yaml`: the generator version first,
// then every answer, in a fixed order so the file is byte-stable.
func Record(a Answers, version string) []byte {
	var b strings.Builder
	b.WriteString("# Written by scaffold. `scaffold new NAME --answers .scaffold.yaml --yes`\n")
	b.WriteString("# regenerates this project exactly; keep this file under version control.\n")
	b.WriteString("# `scaffold update` merges a newer scaffold's output, or changed answers, into your files.\n")
	fmt.Fprintf(&b, "%s: %s\n", VersionKey, quote(version))
	fmt.Fprintf(&b, "name: %s\n", quote(a.Name))
	fmt.Fprintf(&b, "description: %s\n", quote(a.Description))
	fmt.Fprintf(&b, "framework: %s\n", a.Framework)
	fmt.Fprintf(&b, "database: %s\n", a.Database)
	fmt.Fprintf(&b, "auth: %s\n", a.Auth)
	fmt.Fprintf(&b, "rbac: %t\n", a.RBAC)
	fmt.Fprintf(&b, "integrations: [%s]\n", strings.Join(a.Integrations, ", "))
	return []byte(b.String())
}

// quote renders s as a YAML scalar that reads back as exactly s.
func quote(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
