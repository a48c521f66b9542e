// Package checklists holds the review rules derived from the agent guideline
// files, as data, and the code that selects them for a project's answers and
// renders them as a review checklist, a pull-request template or JSON.
// Mechanical checks of a project directory live in the review subpackage.
package checklists

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/options"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// The rules are YAML rather than Go literals so that a reviewer can read and
// edit them as a document, and so that a rule change is a data change in one
// file with no code around it.
//
//go:embed rules.yaml
var rulesYAML []byte

// Severity ranks how bad breaking a rule is.
type Severity int

// Severities, from least to most severe.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = []string{"info", "low", "medium", "high", "critical"}

// String returns the severity's name as written in rules.yaml.
func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if n == name {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q; use one of: info, low, medium, high, critical", name)
}

// MarshalText writes the severity's name (for JSON and YAML).
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Area groups rules in the checklist, in this order.
type Area struct {
	Key   string
	Title string
}

// Areas lists every area in checklist order.
var Areas = []Area{
	{"api", "API"},
	{"data", "Data"},
	{"auth", "Authentication and authorization"},
	{"security", "Security"},
	{"errors", "Errors and logging"},
	{"config", "Configuration"},
	{"docs", "Documentation"},
	{"async", "Async work"},
	{"testing", "Testing and quality"},
	{"performance", "Performance"},
	{"integrations", "Integrations"},
}

// AreaTitle returns the heading of an area key.
func AreaTitle(key string) string {
	for _, a := range Areas {
		if a.Key == key {
			return a.Title
		}
	}
	return key
}

// When says which answers a rule applies to. Every non-empty field must
// match; a list matches when the answer is one of its values (for
// integrations: when any of them is chosen).
type When struct {
	Framework    []string `yaml:"framework,omitempty" json:"framework,omitempty"`
	Database     []string `yaml:"database,omitempty" json:"database,omitempty"`
	Auth         []string `yaml:"auth,omitempty" json:"auth,omitempty"`
	RBAC         *bool    `yaml:"rbac,omitempty" json:"rbac,omitempty"`
	Integrations []string `yaml:"integrations,omitempty" json:"integrations,omitempty"`
}

// Matches reports whether answers a satisfy w.
func (w When) Matches(a options.Answers) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	if !in(w.Framework, a.Framework) || !in(w.Database, a.Database) || !in(w.Auth, a.Auth) {
		return false
	}
	if w.RBAC != nil && *w.RBAC != a.RBAC {
		return false
	}
	if len(w.Integrations) > 0 && !slices.ContainsFunc(a.Integrations, func(i string) bool {
		return slices.Contains(w.Integrations, i)
	}) {
		return false
	}
	return true
}

// Source says where a rule came from when it was not built in: a guideline
// file given with --guidelines, and the line of the item.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Rule is one thing a reviewer checks.
type Rule struct {
	ID       string   `yaml:"id" json:"id"`
	Title    string   `yaml:"title" json:"title"`
	Why      string   `yaml:"why" json:"why"`
	Area     string   `yaml:"area" json:"area"`
	Severity Severity `yaml:"severity" json:"severity"`
	When     When     `yaml:"when,omitempty" json:"when,omitzero"`
	ASVS     []string `yaml:"asvs,omitempty" json:"asvs,omitempty"`
	CWE      []int    `yaml:"cwe,omitempty" json:"cwe,omitempty"`
	// Check is the id of the `scaffold review` check that verifies the rule.
	Check string `yaml:"check,omitempty" json:"check,omitempty"`
	// Sources lists the guideline files (given with --guidelines) whose
	// items this rule covers or came from.
	Sources []Source `yaml:"-" json:"sources,omitempty"`
}

var (
	idPattern  = lazyre.New(`^[A-Z]+-\d{2}$`)
	asvsFormat = lazyre.New(`^\d+\.\d+\.\d+$`)
)

var (
	loadOnce sync.Once
	loaded   []Rule
	loadErr  error
)

// Rules returns every built-in rule in file order. The slice is a copy the
// caller may change.
func Rules() ([]Rule, error) {
	loadOnce.Do(func() { loaded, loadErr = parseRules(rulesYAML) })
	if loadErr != nil {
		return nil, loadErr
	}
	return slices.Clone(loaded), nil
}

// Lookup returns the built-in rule with that id.
func Lookup(id string) (Rule, bool) {
	rules, err := Rules()
	if err != nil {
		return Rule{}, false
	}
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

func parseRules(data []byte) ([]Rule, error) {
	var rules []Rule
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rules); err != nil {
		return nil, fmt.Errorf("rules.yaml: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range rules {
		switch {
		case !idPattern.MatchString(r.ID):
			return nil, fmt.Errorf("rules.yaml: rule id %q must look like AREA-01", r.ID)
		case seen[r.ID]:
			return nil, fmt.Errorf("rules.yaml: rule id %s appears twice", r.ID)
		case r.Title == "" || r.Why == "":
			return nil, fmt.Errorf("rules.yaml: rule %s needs a title and a why", r.ID)
		case AreaTitle(r.Area) == r.Area:
			return nil, fmt.Errorf("rules.yaml: rule %s has unknown area %q", r.ID, r.Area)
		}
		for _, ref := range r.ASVS {
			if !asvsFormat.MatchString(ref) {
				return nil, fmt.Errorf("rules.yaml: rule %s: ASVS reference %q must look like 6.2.1", r.ID, ref)
			}
		}
		seen[r.ID] = true
	}
	return rules, nil
}

// Select returns the rules that apply to a project with answers a, in area
// order and, within an area, in file order.
func Select(rules []Rule, a options.Answers) []Rule {
	var out []Rule
	for _, area := range Areas {
		for _, r := range rules {
			if r.Area == area.Key && r.When.Matches(a) {
				out = append(out, r)
			}
		}
	}
	return out
}

// IsZero reports whether w places no condition: the rule applies to every
// project.
func (w When) IsZero() bool {
	return len(w.Framework) == 0 && len(w.Database) == 0 && len(w.Auth) == 0 && w.RBAC == nil &&
		len(w.Integrations) == 0
}
