package checklists

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/scaffoldtool/scaffold/options"
)

// Checklist is the set of rules that apply to one project.
type Checklist struct {
	// Project is the project's name, used in headings.
	Project string `json:"project"`
	// Answers are the options the rules were selected for; nil when the
	// checklist was not made from answers.
	Answers *options.Answers `json:"answers,omitempty"`
	Rules   []Rule           `json:"rules"`
}

// ForAnswers builds the checklist of built-in rules for a project.
func ForAnswers(a options.Answers) (Checklist, error) {
	rules, err := Rules()
	if err != nil {
		return Checklist{}, err
	}
	a = options.Normalize(a)
	return Checklist{Project: a.Name, Answers: &a, Rules: Select(rules, a)}, nil
}

// Names of the files ProjectFiles writes.
const (
	ChecklistFile   = "REVIEW_CHECKLIST.md"
	PRTemplateFile  = ".github/pull_request_template.md"
	reviewCommand   = "scaffold review"
	checklistRegen  = "scaffold checklist"
	checklistAnchor = "REVIEW_CHECKLIST.md"
)

// ProjectFiles renders the files every generated project carries: the full
// review checklist and the pull-request template with its short form. The
// output depends only on a.
func ProjectFiles(a options.Answers) (map[string][]byte, error) {
	c, err := ForAnswers(a)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		ChecklistFile:  []byte(c.Markdown()),
		PRTemplateFile: []byte(c.PullRequestTemplate()),
	}, nil
}

// Describe summarises answers in one line, e.g. "fastapi, sqlite, jwt, RBAC,
// no integrations".
func Describe(a options.Answers) string {
	parts := []string{a.Framework, a.Database, "auth " + a.Auth}
	if a.RBAC {
		parts = append(parts, "RBAC")
	}
	if len(a.Integrations) == 0 {
		parts = append(parts, "no integrations")
	} else {
		parts = append(parts, "integrations: "+strings.Join(a.Integrations, ", "))
	}
	return strings.Join(parts, ", ")
}

// Markdown renders the checklist as GitHub task lists grouped by area.
func (c Checklist) Markdown() string {
	var b strings.Builder
	title := "Review checklist"
	if c.Project != "" {
		title += ": " + c.Project
	}
	fmt.Fprintf(&b, "# %s\n\n", title)
	b.WriteString("Go through this list before approving a pull request.\n\n")
	if c.Answers != nil {
		fmt.Fprintf(&b, "- Options: %s.\n", Describe(*c.Answers))
	}
	fmt.Fprintf(&b, "- Items marked *automated* are verified by `%s`: run it first, then check the rest by hand.\n", reviewCommand)
	fmt.Fprintf(&b, "- Regenerate it with `%s > %s` rather than editing it.\n", checklistRegen, ChecklistFile)
	fmt.Fprintf(&b, "- %d items: %s.\n", len(c.Rules), c.countBySeverity())
	for _, area := range c.areas() {
		fmt.Fprintf(&b, "\n## %s\n\n", AreaTitle(area))
		for _, r := range c.Rules {
			if r.Area == area {
				writeItem(&b, r)
			}
		}
	}
	return b.String()
}

func writeItem(b *strings.Builder, r Rule) {
	fmt.Fprintf(b, "- [ ] **%s** %s *(%s", r.ID, strings.TrimSuffix(r.Title, "."), r.Severity)
	if r.Check != "" {
		fmt.Fprintf(b, "; automated: `%s`", r.Check)
	}
	b.WriteString(")*\n")
	fmt.Fprintf(b, "  %s", r.Why)
	if refs := r.References(); refs != "" {
		fmt.Fprintf(b, " (%s)", refs)
	}
	if len(r.Sources) > 0 {
		var src []string
		for _, s := range r.Sources {
			src = append(src, fmt.Sprintf("%s:%d", s.File, s.Line))
		}
		fmt.Fprintf(b, " Source: %s.", strings.Join(src, ", "))
	}
	b.WriteString("\n")
}

// References renders the rule's ASVS and CWE references, e.g.
// "ASVS 5.0 V1.2.4; CWE-89".
func (r Rule) References() string {
	var parts []string
	if len(r.ASVS) > 0 {
		ids := make([]string, len(r.ASVS))
		for i, a := range r.ASVS {
			ids[i] = "V" + a
		}
		parts = append(parts, "ASVS 5.0 "+strings.Join(ids, ", "))
	}
	for _, c := range r.CWE {
		parts = append(parts, fmt.Sprintf("CWE-%d", c))
	}
	return strings.Join(parts, "; ")
}

// areas lists the areas the checklist uses, in checklist order; areas not in
// Areas (none today) follow in order of appearance.
func (c Checklist) areas() []string {
	var out []string
	for _, a := range Areas {
		if slices.ContainsFunc(c.Rules, func(r Rule) bool { return r.Area == a.Key }) {
			out = append(out, a.Key)
		}
	}
	return out
}

func (c Checklist) countBySeverity() string {
	var parts []string
	for s := Critical; s >= Info; s-- {
		n := 0
		for _, r := range c.Rules {
			if r.Severity == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}

// PullRequestTemplate renders the checklist's short form: one box for the
// automated checks and one for each critical or high rule that needs a
// human, with a pointer to the full list.
func (c Checklist) PullRequestTemplate() string {
	var b strings.Builder
	b.WriteString("## What and why\n\n<!-- What this change does, why, and the issue it closes. -->\n\n")
	b.WriteString("## Decisions and trade-offs\n\n")
	b.WriteString("<!-- Options considered, what was chosen and what it costs; security considerations and pitfalls. -->\n\n")
	b.WriteString("## Checklist\n\n")
	var automated []string
	for _, r := range c.Rules {
		if r.Check != "" && !slices.Contains(automated, r.ID) {
			automated = append(automated, r.ID)
		}
	}
	fmt.Fprintf(&b, "- [ ] `%s` passes (%s)\n", reviewCommand, strings.Join(automated, ", "))
	b.WriteString("- [ ] Tests, lint and type checks pass; new behaviour and its failure cases are tested\n")
	for _, r := range c.Rules {
		if r.Check == "" && r.Severity >= High {
			fmt.Fprintf(&b, "- [ ] **%s** %s\n", r.ID, strings.TrimSuffix(r.Title, "."))
		}
	}
	fmt.Fprintf(&b, "\nThe full list, with the reason for each item, is in [%s](../%s).\n", checklistAnchor, checklistAnchor)
	return b.String()
}

// JSON renders the checklist as indented JSON.
func (c Checklist) JSON() ([]byte, error) {
	if c.Rules == nil {
		c.Rules = []Rule{}
	}
	out, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
