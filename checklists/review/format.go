package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"
)

// Formats are the output formats of a report.
var Formats = []string{"text", "json", "sarif", "markdown"}

// Write renders the report in the named format. threshold is the --fail-on
// severity, named in the summary.
func (r *Report) Write(w io.Writer, format string, threshold Severity, version string) error {
	switch format {
	case "text":
		return r.writeText(w, threshold)
	case "json":
		return writeJSON(w, r.jsonReport(threshold))
	case "sarif":
		return writeJSON(w, r.sarif(version))
	case "markdown":
		return r.writeMarkdown(w, threshold)
	}
	return fmt.Errorf("unknown format %q; use one of: %s", format, strings.Join(Formats, ", "))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func location(f Finding) string {
	switch {
	case f.Path == "":
		return "(project)"
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	return f.Path
}

// Summary counts the findings by severity, e.g. "1 critical, 2 medium".
func (r *Report) Summary() string {
	counts := map[Severity]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
	}
	var parts []string
	for s := checklists.Critical; s >= checklists.Info; s-- {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	var extra string
	if len(r.Suppressed) > 0 {
		extra += fmt.Sprintf("; %d suppressed", len(r.Suppressed))
	}
	if r.Baselined > 0 {
		extra += fmt.Sprintf("; %d in the baseline", r.Baselined)
	}
	if len(parts) == 0 {
		return "no findings" + extra
	}
	return fmt.Sprintf("%s: %s%s", plural(len(r.Findings), "finding"), strings.Join(parts, ", "), extra)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func (r *Report) scope() string {
	if r.Answers == nil {
		return "rules for every project; no .scaffold.yaml, so options are unknown"
	}
	return checklists.Describe(*r.Answers)
}

func (r *Report) writeText(w io.Writer, threshold Severity) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scaffold review of %s: %s, %s\n\n", r.Root, plural(r.Files, "file"), plural(len(r.Checks), "check"))
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%-8s %s %s [%s]\n", f.Severity, location(f), f.Message, f.Check+" "+f.Rule)
		fmt.Fprintf(&b, "         %s\n", whyFix(f))
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n")
	}
	if len(r.Suppressed) > 0 {
		fmt.Fprintf(&b, "Suppressed by a comment (# scaffold: ignore[...], or a security linter's # nosec / # noqa: S...) (%d):\n", len(r.Suppressed))
		for _, f := range r.Suppressed {
			fmt.Fprintf(&b, "  %s %s [%s]: %s\n", location(f), f.Message, f.Check, f.Suppressed)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s (%s: %s)\n", r.Summary(), failingAt(threshold), verdict(r.Failed(threshold)))
	if len(r.Manual) > 0 {
		fmt.Fprintf(&b, "\nReview by hand (%d rules, %s):\n", len(r.Manual), r.scope())
		r.eachManualArea(func(area string, rules []checklists.Rule) {
			fmt.Fprintf(&b, "  %s\n", area)
			for _, rule := range rules {
				fmt.Fprintf(&b, "    %-8s %-8s %s\n", rule.ID, rule.Severity, rule.Title)
			}
		})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// failingAt names the --fail-on threshold; above critical means "none".
func failingAt(threshold Severity) string {
	if threshold > checklists.Critical {
		return "never failing (--fail-on none)"
	}
	return "failing at " + threshold.String() + " and above"
}

func verdict(failed bool) string {
	if failed {
		return "FAIL"
	}
	return "pass"
}

type manualRule struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Area     string   `json:"area"`
	Severity Severity `json:"severity"`
	Why      string   `json:"why"`
}

type jsonReport struct {
	Root     string    `json:"root"`
	Files    int       `json:"files"`
	Checks   []string  `json:"checks"`
	FailOn   string    `json:"fail_on"`
	Failed   bool      `json:"failed"`
	Summary  string    `json:"summary"`
	Findings []Finding `json:"findings"`
	// Suppressed are the findings silenced by comments; Baselined counts
	// those the baseline file lists.
	Suppressed []Finding    `json:"suppressed"`
	Baselined  int          `json:"baselined"`
	Manual     []manualRule `json:"review_by_hand"`
}

func (r *Report) jsonReport(threshold Severity) jsonReport {
	failOn := "none"
	if threshold <= checklists.Critical {
		failOn = threshold.String()
	}
	out := jsonReport{Root: r.Root, Files: r.Files, Checks: r.Checks, FailOn: failOn,
		Failed: r.Failed(threshold), Summary: r.Summary(), Findings: r.Findings, Manual: []manualRule{},
		Suppressed: r.Suppressed, Baselined: r.Baselined}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Suppressed == nil {
		out.Suppressed = []Finding{}
	}
	for _, rule := range r.Manual {
		out.Manual = append(out.Manual, manualRule{rule.ID, rule.Title, rule.Area, rule.Severity, rule.Why})
	}
	return out
}

// whyFix is a finding's explanation in one line: why it matters, how to
// fix it, and the rule's reference.
func whyFix(f Finding) string {
	s := "fix: " + f.Fix
	if f.Why != "" {
		s = "why: " + f.Why + " " + s
	}
	if f.Ref != "" {
		s += " (" + f.Ref + ")"
	}
	return s
}

func (r *Report) writeMarkdown(w io.Writer, threshold Severity) error {
	var b strings.Builder
	b.WriteString("# scaffold review\n\n")
	fmt.Fprintf(&b, "%s, %s. %s; %s: **%s**.\n\n", plural(r.Files, "file"), plural(len(r.Checks), "check"),
		r.Summary(), failingAt(threshold), verdict(r.Failed(threshold)))
	if len(r.Findings) > 0 {
		b.WriteString("| Severity | Location | Finding | Check | Why and fix |\n| --- | --- | --- | --- | --- |\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "| %s | `%s` | %s | `%s` (%s) | %s |\n", f.Severity, location(f), mdCell(f.Message),
				f.Check, f.Ref, mdCell(whyFix(f)))
		}
		b.WriteString("\n")
	}
	if len(r.Manual) > 0 {
		fmt.Fprintf(&b, "## Review by hand\n\n%d rules (%s).\n", len(r.Manual), r.scope())
		r.eachManualArea(func(area string, rules []checklists.Rule) {
			fmt.Fprintf(&b, "\n### %s\n\n", area)
			for _, rule := range rules {
				fmt.Fprintf(&b, "- [ ] **%s** %s *(%s)*\n", rule.ID, rule.Title, rule.Severity)
			}
		})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// eachManualArea calls fn with each area's title and its rules to review by
// hand, in checklist order.
func (r *Report) eachManualArea(fn func(area string, rules []checklists.Rule)) {
	for _, a := range checklists.Areas {
		var rules []checklists.Rule
		for _, rule := range r.Manual {
			if rule.Area == a.Key {
				rules = append(rules, rule)
			}
		}
		if len(rules) > 0 {
			fn(a.Title, rules)
		}
	}
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
