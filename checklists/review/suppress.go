package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// ignoreComment is # scaffold: ignore[ID, ID...] reason, where an ID is a
// check (sql-string-building) or a rule (SEC-03).
var ignoreComment = lazyre.New(`#\s*scaffold:\s*ignore\[([^\]]+)\]\s*(.*)$`)

// linterWaiver is bandit's # nosec (optionally with test ids) or ruff's
// # noqa naming a flake8-bandit code (S101 ...): the team has already
// reviewed the line for the security linters.
var linterWaiver = lazyre.New(`#\s*(nosec\b[^#]*|noqa:[^#]*\bS\d{3}\b[^#]*)`)

// ignore is one suppression comment.
type ignore struct {
	line   int
	ids    []string
	reason string
	// waiver: a security linter's waiver, which silences one finding on
	// its own line whatever the check.
	waiver bool
}

// ignoresIn finds the suppression comments of a file.
func ignoresIn(data []byte) []ignore {
	ours := bytes.Contains(data, []byte("scaffold:"))
	waivers := bytes.Contains(data, []byte("nosec")) || bytes.Contains(data, []byte("noqa"))
	if !ours && !waivers {
		return nil
	}
	var out []ignore
	for i, line := range strings.Split(string(data), "\n") {
		if waivers {
			if m := linterWaiver.FindStringSubmatch(line); m != nil {
				out = append(out, ignore{line: i + 1, waiver: true,
					reason: "waived for the security linters: # " + strings.TrimSpace(m[1])})
			}
		}
		m := ignoreComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var ids []string
		for _, id := range strings.Split(m[1], ",") {
			ids = append(ids, strings.TrimSpace(id))
		}
		out = append(out, ignore{line: i + 1, ids: ids, reason: strings.TrimSpace(m[2])})
	}
	return out
}

// waiversOnStringEnds also applies a linter waiver written after a string
// that spans lines to the line where the string starts: ruff and black
// put "# noqa: S608" after the closing quotes of a multi-line SQL string,
// and the finding is reported where the string opens.
func waiversOnStringEnds(ignores []ignore, py *pySource) []ignore {
	return moveWaivers(ignores, func(line int) int {
		for _, lit := range py.lits {
			if lit.line < line && py.lineOf(lit.end-1) == line {
				return lit.line
			}
		}
		return 0
	})
}

// waiversInCalls also applies a linter waiver written on a line inside a
// call or an assignment that spans lines (shell=True,  # nosec; a value
// in brackets under its name, "...",  # nosec: B105) to the line where it
// starts, where the finding is reported, and to each line between (an
// inner call's line, where modes.ECB() in Cipher(\n  ..., modes.ECB()\n)
// is reported): bandit reads a waiver anywhere in the flagged statement's
// lines.
func waiversInCalls(ignores []ignore, py *pySource) []ignore {
	return spreadWaivers(ignores, func(line int) int {
		t, start := py.tree, 0
		t.each(func(c int32) {
			if first := t.line(c); first < line && first > start && t.lineOf(t.end(c)-1) >= line {
				start = first
			}
		}, "call", "assignment")
		return start
	})
}

// spreadWaivers adds, for each linter waiver, a copy at each line from the
// one startOf gives for the waiver's line up to the line before it (none
// when it gives 0).
func spreadWaivers(ignores []ignore, startOf func(line int) int) []ignore {
	n := len(ignores)
	for k := 0; k < n; k++ {
		if w := ignores[k]; w.waiver {
			if start := startOf(w.line); start > 0 {
				for line := start; line < ignores[k].line; line++ {
					w.line = line
					ignores = append(ignores, w)
				}
			}
		}
	}
	return ignores
}

// moveWaivers adds, for each linter waiver, a copy at the line startOf
// gives for the waiver's line (none when it gives 0).
func moveWaivers(ignores []ignore, startOf func(line int) int) []ignore {
	n := len(ignores)
	for k := 0; k < n; k++ {
		if w := ignores[k]; w.waiver {
			if start := startOf(w.line); start > 0 {
				w.line = start
				ignores = append(ignores, w)
			}
		}
	}
	return ignores
}

// suppress moves each finding that a comment on its line (or the line
// above) names to the suppressed list; a comment silences one finding.
func (p *Project) suppress(fs []Finding) (kept, suppressed []Finding) {
	used := map[string]map[int]bool{}
	for _, f := range fs {
		if i := p.ignoreFor(f, used); i != nil {
			f.Suppressed = i.reason
			if f.Suppressed == "" {
				f.Suppressed = "no reason given"
			}
			suppressed = append(suppressed, f)
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}

func (p *Project) ignoreFor(f Finding, used map[string]map[int]bool) *ignore {
	if f.Line == 0 {
		return nil
	}
	file := p.File(f.Path)
	if file == nil {
		return nil
	}
	ignores := file.ignores
	for _, line := range []int{f.Line, f.Line - 1} {
		for k := range ignores {
			i := &ignores[k]
			if i.line != line || used[f.Path][i.line] {
				continue
			}
			if i.waiver && line == f.Line || slices.Contains(i.ids, f.Check) || slices.Contains(i.ids, f.Rule) {
				if used[f.Path] == nil {
					used[f.Path] = map[int]bool{}
				}
				used[f.Path][i.line] = true
				return i
			}
		}
	}
	return nil
}

// Baseline is a file of accepted findings: a team adopting review on an old
// project writes one, and later reviews report only what is new.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding, by fingerprint; the rest is there
// for the people reading the file.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Check       string `json:"check"`
	Path        string `json:"path,omitempty"`
	Message     string `json:"message"`
}

// WriteBaseline writes the report's findings as a baseline file.
func (r *Report) WriteBaseline(file string) error {
	b := Baseline{Version: 1, Findings: []BaselineEntry{}}
	for _, f := range r.Findings {
		b.Findings = append(b.Findings, BaselineEntry{f.Fingerprint, f.Check, f.Path, f.Message})
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("cannot write the baseline: %w", err)
	}
	return nil
}

// ApplyBaseline drops the findings the baseline file lists.
func (r *Report) ApplyBaseline(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("cannot read the baseline: %w; write one with --write-baseline %s", err, file)
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return fmt.Errorf("%s is not a baseline file: %w; write one with --write-baseline", file, err)
	}
	known := map[string]bool{}
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	r.Findings = slices.DeleteFunc(r.Findings, func(f Finding) bool {
		if known[f.Fingerprint] {
			r.Baselined++
			return true
		}
		return false
	})
	return nil
}
