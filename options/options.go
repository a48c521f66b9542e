// Package options defines the answers a user gives to `scaffold new` and one
// definition per option. The same definitions drive the command-line flags,
// the interactive prompts, the answers file and validation, so the four cannot
// disagree.
package options

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Answers is everything that decides what a generated project contains.
// The YAML keys are those of `.scaffold.yaml` and of `--answers` files.
type Answers struct {
	Name         string   `yaml:"name" json:"name"`
	Description  string   `yaml:"description" json:"description"`
	Framework    string   `yaml:"framework" json:"framework"`
	Database     string   `yaml:"database" json:"database"`
	Auth         string   `yaml:"auth" json:"auth"`
	RBAC         bool     `yaml:"rbac" json:"rbac"`
	Integrations []string `yaml:"integrations" json:"integrations"`
}

// Kind says how an option's value is typed and asked for.
type Kind int

// The kinds of option.
const (
	Text Kind = iota
	Choice
	Bool
	Multi
)

// Option is the single definition of one answer. Go defines the options
// and their kinds; the values of choice and list options, their help and
// their defaults come from the packs (see Catalog).
type Option struct {
	Key     string // answers-file key and flag name
	Prompt  string // question asked interactively
	Help    string // flag help and prompt help
	Kind    Kind   // how the value is typed and asked for
	Default string // for Text options
}

// Definitions of every option, in the order they are asked.
var (
	NameOption = Option{Key: "name", Prompt: "Project name", Kind: Text,
		Help: "project name; gives the directory (my-shop) and the Python package (my_shop)"}
	DescriptionOption = Option{Key: "description", Prompt: "One-line description", Kind: Text,
		Help: "one-line description of the service", Default: "A backend service."}
	FrameworkOption = Option{Key: "framework", Prompt: "Framework", Kind: Choice,
		Help: "web framework (template pack)"}
	DatabaseOption = Option{Key: "database", Prompt: "Database", Kind: Choice,
		Help: "database the service runs on"}
	AuthOption = Option{Key: "auth", Prompt: "Authentication", Kind: Choice,
		Help: "how users authenticate"}
	RBACOption = Option{Key: "rbac", Prompt: "Roles and permissions (RBAC)?", Kind: Bool,
		Help: "roles and permissions stored in the database, with an admin-only endpoint"}
	IntegrationsOption = Option{Key: "integrations", Prompt: "Integrations", Kind: Multi,
		Help: "third-party integrations to include"}
)

// All lists the options in the order they are asked.
var All = []*Option{&NameOption, &DescriptionOption, &FrameworkOption, &DatabaseOption,
	&AuthOption, &RBACOption, &IntegrationsOption}

// Lookup finds an option by key.
func Lookup(key string) *Option {
	for _, o := range All {
		if o.Key == key {
			return o
		}
	}
	return nil
}

// PackKeys are the options whose values and defaults packs declare.
func PackKeys() []string {
	var out []string
	for _, o := range All {
		if o.Kind != Text && o != &FrameworkOption {
			out = append(out, o.Key)
		}
	}
	return out
}

// ValidValueName reports whether s can be an option value: a lower-case
// word of letters, digits and dashes, starting with a letter.
func ValidValueName(s string) bool {
	if s == "" || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Traits are what choosing a value brings: capabilities it requires from
// the other choices, capabilities it must not be combined with, and
// capabilities it provides.
type Traits struct {
	Requires  []string `json:"requires,omitempty"`
	Conflicts []string `json:"conflicts,omitempty"`
	Provides  []string `json:"provides,omitempty"`
}

// OfferedValue is one value a framework offers for an option.
type OfferedValue struct {
	Name   string `json:"name"`
	Help   string `json:"help"`
	Traits Traits `json:"traits"`
}

// Offer is what a framework offers for one option.
type Offer struct {
	Default string         `json:"default,omitempty"`
	Values  []OfferedValue `json:"values,omitempty"`
	Traits  Traits         `json:"traits"` // of a yes/no option, when yes
}

// Framework is what a template pack offers. The catalog of frameworks comes
// from the packs themselves.
type Framework struct {
	Name    string           `json:"name"`
	Title   string           `json:"title"`
	Summary string           `json:"summary"`
	Default bool             `json:"default"`
	Offers  map[string]Offer `json:"options"`
}

// Catalog is the set of frameworks available in this build.
type Catalog []Framework

// Find returns the framework with that name.
func (c Catalog) Find(name string) (Framework, bool) {
	for _, f := range c {
		if f.Name == name {
			return f, true
		}
	}
	return Framework{}, false
}

// DefaultFramework is the pack marked default, or the first one.
func (c Catalog) DefaultFramework() string {
	for _, f := range c {
		if f.Default {
			return f.Name
		}
	}
	if len(c) > 0 {
		return c[0].Name
	}
	return ""
}

// Names lists the frameworks.
func (c Catalog) Names() []string {
	var out []string
	for _, f := range c {
		out = append(out, f.Name)
	}
	return out
}

// Allowed returns the values of option o that the framework offers, in the
// pack's order.
func (c Catalog) Allowed(o *Option, framework string) []string {
	if o == &FrameworkOption {
		return c.Names()
	}
	f, _ := c.Find(framework)
	var out []string
	for _, v := range f.Offers[o.Key].Values {
		out = append(out, v.Name)
	}
	return out
}

// Describe returns the help of one value, from the first framework that
// offers it (the framework's own when it offers it).
func (c Catalog) Describe(o *Option, framework, value string) string {
	if o == &FrameworkOption {
		f, _ := c.Find(value)
		return f.Summary
	}
	order := append(Catalog{}, c...)
	if f, ok := c.Find(framework); ok {
		order = append(Catalog{f}, c...)
	}
	for _, f := range order {
		for _, v := range f.Offers[o.Key].Values {
			if v.Name == value {
				return v.Help
			}
		}
	}
	return ""
}

// Values lists every value some framework offers for o, each once, with
// its help, in the order the frameworks list them.
func (c Catalog) Values(o *Option) []OfferedValue {
	var out []OfferedValue
	seen := map[string]bool{}
	for _, f := range c {
		for _, v := range f.Offers[o.Key].Values {
			if !seen[v.Name] {
				seen[v.Name] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// Offered reports whether the framework offers option o at all.
func (c Catalog) Offered(o *Option, framework string) bool {
	if o.Kind == Text || o == &FrameworkOption {
		return true
	}
	f, _ := c.Find(framework)
	_, ok := f.Offers[o.Key]
	return ok
}

// DefaultFor gives the default value of o given the answers decided so far.
// A yes/no option defaults to no when what it requires cannot be had with
// those answers.
func (c Catalog) DefaultFor(o *Option, a Answers) string {
	switch o.Kind {
	case Text:
		return o.Default
	case Multi:
		return ""
	}
	if o == &FrameworkOption {
		return c.DefaultFramework()
	}
	f, _ := c.Find(a.Framework)
	offer, ok := f.Offers[o.Key]
	if o.Kind == Bool {
		if !ok || offer.Default == "false" || len(c.missing(f, a, offer.Traits)) > 0 {
			return "false"
		}
		return "true"
	}
	allowed := c.Allowed(o, a.Framework)
	if slices.Contains(allowed, offer.Default) {
		return offer.Default
	}
	if len(allowed) > 0 {
		return allowed[0]
	}
	return ""
}

// Possible reports whether a yes/no option can be yes with the answers
// decided so far (what it requires is provided by them).
func (c Catalog) Possible(o *Option, a Answers) bool {
	f, _ := c.Find(a.Framework)
	offer, ok := f.Offers[o.Key]
	return ok && len(c.missing(f, a, offer.Traits)) == 0
}

// chosen lists each answer that selects something of the framework, as
// "key=value", with its traits.
func chosen(f Framework, a Answers) (names []string, traits []Traits) {
	for _, o := range All {
		offer := f.Offers[o.Key]
		var values []string
		switch o.Kind {
		case Choice:
			values = []string{a.get(o)}
		case Multi:
			values = a.Integrations
		case Bool:
			if a.flag(o) {
				names, traits = append(names, o.Key+"=true"), append(traits, offer.Traits)
			}
		}
		for _, v := range values {
			for _, ov := range offer.Values {
				if ov.Name == v {
					names, traits = append(names, o.Key+"="+v), append(traits, ov.Traits)
				}
			}
		}
	}
	return names, traits
}

// missing lists the capabilities t requires that the answers do not
// provide.
func (c Catalog) missing(f Framework, a Answers, t Traits) []string {
	_, all := chosen(f, a)
	var out []string
	for _, r := range t.Requires {
		if !slices.ContainsFunc(all, func(o Traits) bool { return slices.Contains(o.Provides, r) }) {
			out = append(out, r)
		}
	}
	return out
}

// flag returns the answer for a yes/no option.
func (a Answers) flag(o *Option) bool { return o == &RBACOption && a.RBAC }

// get returns the answer for a choice option.
func (a Answers) get(o *Option) string {
	switch o {
	case &FrameworkOption:
		return a.Framework
	case &DatabaseOption:
		return a.Database
	case &AuthOption:
		return a.Auth
	}
	return ""
}

// ValidationError is an error in what the user asked for (exit code 2).
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }

// IsValidation reports whether err is a ValidationError.
func IsValidation(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}

// Validate checks a complete set of answers against the catalog. All rules
// about which answers go together live here, and every message names the
// option (or both options) involved and the values that would work.
func (c Catalog) Validate(a Answers) error {
	if _, err := ParseName(a.Name); err != nil {
		return err
	}
	if len(a.Description) > 200 || strings.ContainsAny(a.Description, "\n\r") {
		return &ValidationError{Msg: "invalid description: it must be one line of at most 200 characters"}
	}
	if _, ok := c.Find(a.Framework); !ok {
		return &ValidationError{Msg: fmt.Sprintf("unknown framework %q%s; choose one of: %s",
			a.Framework, didYouMean(a.Framework, c.Names()), strings.Join(c.Names(), ", "))}
	}
	f, _ := c.Find(a.Framework)
	for _, o := range []*Option{&DatabaseOption, &AuthOption} {
		if err := c.checkValue(o, a.Framework, a.get(o)); err != nil {
			return err
		}
	}
	if a.flag(&RBACOption) && !c.Offered(&RBACOption, a.Framework) {
		return &ValidationError{Msg: fmt.Sprintf("rbac is not offered by framework=%s; set rbac=false", a.Framework)}
	}
	seen := map[string]bool{}
	for _, in := range a.Integrations {
		if seen[in] {
			return &ValidationError{Msg: fmt.Sprintf("integration %q is listed twice", in)}
		}
		seen[in] = true
		if err := c.checkValue(&IntegrationsOption, a.Framework, in); err != nil {
			return err
		}
	}
	return c.checkTraits(f, a)
}

// checkTraits enforces what the packs' features require and exclude. The
// message names the answer that needs something, the answer that fails to
// provide it, and the values that would.
func (c Catalog) checkTraits(f Framework, a Answers) error {
	names, traits := chosen(f, a)
	for i, t := range traits {
		for _, r := range t.Requires {
			provided := false
			for j, o := range traits {
				if j != i && slices.Contains(o.Provides, r) {
					provided = true
				}
			}
			if provided {
				continue
			}
			return &ValidationError{Msg: fmt.Sprintf("%s needs %s, which %s%s", names[i], r,
				c.providers(f, a, r), undo(names[i]))}
		}
		for _, x := range t.Conflicts {
			for j, o := range traits {
				if j != i && slices.Contains(o.Provides, x) {
					return &ValidationError{Msg: fmt.Sprintf("%s cannot be combined with %s (both concern %s); choose one",
						names[i], names[j], x)}
				}
			}
		}
	}
	return nil
}

// providers says which current answers fail to provide capability r and
// which values would.
func (c Catalog) providers(f Framework, a Answers, r string) string {
	var parts []string
	for _, o := range All {
		if o.Kind != Choice || o == &FrameworkOption {
			continue
		}
		var good []string
		for _, v := range f.Offers[o.Key].Values {
			if slices.Contains(v.Traits.Provides, r) {
				good = append(good, v.Name)
			}
		}
		if len(good) > 0 {
			parts = append(parts, fmt.Sprintf("%s=%s does not provide: choose %s=%s", o.Key, a.get(o), o.Key, orList(good)))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("framework=%s cannot provide", f.Name)
	}
	return strings.Join(parts, "; ")
}

func undo(name string) string {
	key, value, _ := strings.Cut(name, "=")
	switch {
	case value == "true":
		return ", or set " + key + "=false"
	case key == IntegrationsOption.Key:
		return ", or leave " + value + " out of " + key
	}
	return ""
}

func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

func (c Catalog) checkValue(o *Option, framework, value string) error {
	allowed := c.Allowed(o, framework)
	if slices.Contains(allowed, value) {
		return nil
	}
	known := slices.ContainsFunc(c.Values(o), func(v OfferedValue) bool { return v.Name == value })
	accepted := strings.Join(allowed, ", ")
	if accepted == "" {
		accepted = "none yet"
	}
	if known {
		return &ValidationError{Msg: fmt.Sprintf("%s=%s is not available with framework=%s; it offers: %s",
			o.Key, value, framework, accepted)}
	}
	return &ValidationError{Msg: fmt.Sprintf("unknown %s %q%s; accepted values: %s",
		o.Key, value, didYouMean(value, allowed), accepted)}
}

// Normalize puts answers into their canonical form (sorted integrations,
// trimmed text) so that equal answers render identical projects.
func Normalize(a Answers) Answers {
	a.Name = strings.TrimSpace(a.Name)
	a.Description = strings.TrimSpace(a.Description)
	ints := slices.Clone(a.Integrations)
	sort.Strings(ints)
	if ints == nil {
		ints = []string{}
	}
	a.Integrations = ints
	return a
}
