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

// Value is one possible value of a choice option.
type Value struct {
	Name string `json:"name"`
	Help string `json:"help"`
}

// Option is the single definition of one answer.
type Option struct {
	Key     string  // answers-file key and flag name
	Prompt  string  // question asked interactively
	Help    string  // flag help and prompt help
	Kind    Kind    // how the value is typed and asked for
	Values  []Value // every value the tool knows, for Choice and Multi
	Default string  // for Text and Choice; "true"/"false" for Bool
}

// Definitions of every option, in the order they are asked.
var (
	NameOption = Option{Key: "name", Prompt: "Project name", Kind: Text,
		Help: "project name; gives the directory (my-shop) and the Python package (my_shop)"}
	DescriptionOption = Option{Key: "description", Prompt: "One-line description", Kind: Text,
		Help: "one-line description of the service", Default: "A backend service."}
	FrameworkOption = Option{Key: "framework", Prompt: "Framework", Kind: Choice,
		Help: "web framework (template pack)"}
	DatabaseOption = Option{Key: "database", Prompt: "Database", Kind: Choice, Default: "sqlite",
		Help: "database the service runs on",
		Values: []Value{
			{"sqlite", "SQLite, embedded: runs with no server"},
			{"postgres", "PostgreSQL"},
			{"mysql", "MySQL / MariaDB"},
		}}
	AuthOption = Option{Key: "auth", Prompt: "Authentication", Kind: Choice, Default: "jwt",
		Help: "how users authenticate",
		Values: []Value{
			{"jwt", "JWT access token (15 min) + rotating refresh token"},
			{"session", "server-side session cookie with CSRF protection"},
			{"oauth2", "OpenID Connect login with an external issuer (code flow + PKCE)"},
			{"none", "no users; the example resource is public"},
		}}
	RBACOption = Option{Key: "rbac", Prompt: "Roles and permissions (RBAC)?", Kind: Bool, Default: "true",
		Help: "roles and permissions stored in the database, with an admin-only endpoint"}
	IntegrationsOption = Option{Key: "integrations", Prompt: "Integrations", Kind: Multi,
		Help: "third-party integrations to include",
		Values: []Value{
			{"payments", "Stripe payments with verified webhooks"},
			{"email", "email over SMTP or an HTTP provider"},
			{"sms", "SMS with Twilio"},
			{"jobs", "background jobs with Celery and Redis"},
			{"cache", "Redis cache with explicit invalidation"},
		}}
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

// Framework is what a template pack supports: the values of each choice it
// can generate. The catalog of frameworks comes from the packs themselves.
type Framework struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Default      bool     `json:"default"`
	Databases    []string `json:"database"`
	Auths        []string `json:"auth"`
	Integrations []string `json:"integrations"`
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

// Allowed returns the values of option o that the chosen framework offers,
// in the order the option defines them. Everything that restricts a value
// (the framework's pack, other answers) is decided here.
func (c Catalog) Allowed(o *Option, framework string) []string {
	if o == &FrameworkOption {
		return c.Names()
	}
	f, ok := c.Find(framework)
	if !ok {
		return nil
	}
	var supported []string
	switch o {
	case &DatabaseOption:
		supported = f.Databases
	case &AuthOption:
		supported = f.Auths
	case &IntegrationsOption:
		supported = f.Integrations
	default:
		return nil
	}
	var out []string
	for _, v := range o.Values {
		if slices.Contains(supported, v.Name) {
			out = append(out, v.Name)
		}
	}
	return out
}

// DefaultFor gives the default value of o given the answers decided so far.
func (c Catalog) DefaultFor(o *Option, a Answers) string {
	switch o {
	case &FrameworkOption:
		return c.DefaultFramework()
	case &RBACOption:
		if a.Auth == "none" {
			return "false"
		}
	case &DatabaseOption, &AuthOption:
		allowed := c.Allowed(o, a.Framework)
		if !slices.Contains(allowed, o.Default) && len(allowed) > 0 {
			return allowed[0]
		}
	}
	return o.Default
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
		return &ValidationError{Msg: fmt.Sprintf("unknown framework %q; choose one of: %s",
			a.Framework, strings.Join(c.Names(), ", "))}
	}
	for _, check := range []struct {
		opt   *Option
		value string
	}{{&DatabaseOption, a.Database}, {&AuthOption, a.Auth}} {
		if err := c.checkValue(check.opt, a.Framework, check.value); err != nil {
			return err
		}
	}
	if a.RBAC && a.Auth == "none" {
		return &ValidationError{Msg: "rbac=true cannot be combined with auth=none: roles need users; " +
			"pass --no-rbac, or choose --auth jwt, session or oauth2"}
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
	return nil
}

func (c Catalog) checkValue(o *Option, framework, value string) error {
	allowed := c.Allowed(o, framework)
	if slices.Contains(allowed, value) {
		return nil
	}
	known := slices.ContainsFunc(o.Values, func(v Value) bool { return v.Name == value })
	accepted := strings.Join(allowed, ", ")
	if accepted == "" {
		accepted = "none yet"
	}
	if known {
		return &ValidationError{Msg: fmt.Sprintf("%s=%s is not available with framework=%s; it offers: %s",
			o.Key, value, framework, accepted)}
	}
	return &ValidationError{Msg: fmt.Sprintf("unknown %s %q; accepted values: %s", o.Key, value, accepted)}
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
