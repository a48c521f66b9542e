package checklists

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

func answers(auth string, rbac bool, db string, integrations ...string) options.Answers {
	return options.Answers{Name: "demo", Framework: "fastapi", Database: db, Auth: auth, RBAC: rbac,
		Integrations: integrations}
}

func TestRulesLoad(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 50 {
		t.Fatalf("only %d rules loaded", len(rules))
	}
}

func TestParseRulesRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"bad id":        "- {id: X1, title: t, why: w, area: api, severity: low}",
		"duplicate":     "- {id: API-01, title: t, why: w, area: api, severity: low}\n- {id: API-01, title: t, why: w, area: api, severity: low}",
		"no why":        "- {id: API-01, title: t, area: api, severity: low}",
		"unknown area":  "- {id: API-01, title: t, why: w, area: nowhere, severity: low}",
		"bad severity":  "- {id: API-01, title: t, why: w, area: api, severity: dire}",
		"bad asvs":      "- {id: API-01, title: t, why: w, area: api, severity: low, asvs: [V1.2]}",
		"unknown field": "- {id: API-01, title: t, why: w, area: api, severity: low, colour: red}",
	} {
		if _, err := parseRules([]byte(doc)); err == nil {
			t.Errorf("%s: parseRules accepted %q", name, doc)
		}
	}
}

func TestSelect(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(a options.Answers) []string {
		var out []string
		for _, r := range Select(rules, a) {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		a         options.Answers
		want, not []string
	}{
		{"jwt rbac", answers("jwt", true, "sqlite"), []string{"AUTH-05", "AUTH-07", "AUTH-14", "SEC-03"},
			[]string{"AUTH-09", "AUTH-10", "AUTH-11", "AUTH-17", "INT-03", "DATA-08"}},
		{"session", answers("session", false, "postgres"), []string{"AUTH-09", "AUTH-10", "DATA-08"},
			[]string{"AUTH-05", "AUTH-14"}},
		{"oauth2", answers("oauth2", true, "mysql"), []string{"AUTH-11", "AUTH-05"}, []string{"AUTH-01", "AUTH-07"}},
		{"none", answers("none", false, "sqlite"), []string{"AUTH-17"}, []string{"AUTH-01", "AUTH-03", "TEST-04"}},
		{"payments", answers("jwt", true, "sqlite", "payments"), []string{"INT-01", "INT-03", "INT-04"},
			[]string{"INT-05", "ASYNC-02"}},
		{"jobs cache", answers("jwt", true, "sqlite", "cache", "jobs"), []string{"ASYNC-02", "PERF-03"},
			[]string{"INT-01"}},
		{"payments only", answers("jwt", false, "sqlite", "payments"),
			[]string{"INT-02", "INT-03", "INT-07", "INT-08", "INT-09", "INT-10"},
			[]string{"INT-06", "INT-11", "ASYNC-06", "PERF-07", "SEC-15"}},
		{"sms only", answers("jwt", false, "sqlite", "sms"), []string{"INT-06", "INT-08", "INT-10", "INT-11"},
			[]string{"INT-03", "INT-04", "INT-09", "INT-05"}},
		{"email only", answers("session", false, "sqlite", "email"), []string{"INT-05", "INT-11", "INT-02"},
			[]string{"INT-08", "INT-06", "INT-03"}},
		{"jobs only", answers("jwt", false, "sqlite", "jobs"),
			[]string{"ASYNC-02", "ASYNC-05", "ASYNC-06", "ASYNC-07", "ASYNC-08", "ASYNC-09", "PERF-08", "SEC-15", "INT-07"},
			[]string{"PERF-03", "PERF-07", "INT-01", "INT-08"}},
		{"cache only", answers("jwt", false, "sqlite", "cache"), []string{"PERF-03", "PERF-07", "PERF-08", "SEC-15"},
			[]string{"ASYNC-06", "INT-02", "INT-08"}},
	} {
		got := ids(tc.a)
		for _, id := range tc.want {
			if !slices.Contains(got, id) {
				t.Errorf("%s: %s not selected", tc.name, id)
			}
		}
		for _, id := range tc.not {
			if slices.Contains(got, id) {
				t.Errorf("%s: %s selected", tc.name, id)
			}
		}
	}
}

func TestProjectFiles(t *testing.T) {
	a := answers("jwt", true, "sqlite", "payments")
	first, err := ProjectFiles(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[ChecklistFile] == nil || first[PRTemplateFile] == nil {
		t.Fatalf("ProjectFiles returned %d files", len(first))
	}
	second, _ := ProjectFiles(a)
	for name, data := range first {
		if !bytes.Equal(data, second[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	md := string(first[ChecklistFile])
	for _, want := range []string{"# Review checklist: demo", "## Authentication and authorization",
		"- [ ] **AUTH-05**", "automated: `jwt-unsafe-decode`", "CWE-347", "ASVS 5.0 V9.1.1"} {
		if !strings.Contains(md, want) {
			t.Errorf("checklist lacks %q", want)
		}
	}
	pr := string(first[PRTemplateFile])
	for _, want := range []string{"`scaffold review` passes", "**INT-03**", "REVIEW_CHECKLIST.md"} {
		if !strings.Contains(pr, want) {
			t.Errorf("pull request template lacks %q", want)
		}
	}
	if strings.Contains(pr, "**SEC-03**") {
		t.Error("pull request template lists an automated rule as a hand check")
	}
}

// TestEveryIntegrationHasRules checks that each integration a pack offers
// brings rules of its own: choosing it adds at least three rules to the
// checklist of the same project without it, and each of them names it.
func TestEveryIntegrationHasRules(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]bool{}
	for _, r := range Select(rules, answers("jwt", true, "postgres")) {
		base[r.ID] = true
	}
	checked := 0
	for _, p := range packs {
		for _, v := range p.Options["integrations"].Values {
			checked++
			var added []string
			for _, r := range Select(rules, answers("jwt", true, "postgres", v.Name)) {
				if base[r.ID] {
					continue
				}
				added = append(added, r.ID)
				if !slices.Contains(r.When.Integrations, v.Name) {
					t.Errorf("%s: rule %s is added but does not name the integration", v.Name, r.ID)
				}
			}
			if len(added) < 3 {
				t.Errorf("integration %s (pack %s) adds only %v to the checklist", v.Name, p.Name, added)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no pack offers an integration: the test checked nothing")
	}
}

// TestReadmeIntegrationTable checks the table of README.md's Integrations
// section against rules.yaml: each row lists exactly the rules whose `when`
// names that integration ("INT-07 to INT-10" stands for the four).
func TestReadmeIntegrationTable(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## Integrations")
	if !ok {
		t.Fatal("README.md has no Integrations section")
	}
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || strings.Contains(cells[1], "---") || strings.TrimSpace(cells[1]) == "Integration" {
			continue
		}
		name := strings.TrimSpace(cells[1])
		listed := map[string]bool{}
		ids := ruleID.FindAllStringSubmatch(strings.Split(cells[2], ":")[0], -1)
		for i := 0; i < len(ids); i++ {
			listed[ids[i][0]] = true
			// "INT-07 to INT-10": every id between the two.
			if i+1 < len(ids) && strings.Contains(cells[2], ids[i][0]+" to "+ids[i+1][0]) {
				from, _ := strconv.Atoi(ids[i][2])
				to, _ := strconv.Atoi(ids[i+1][2])
				for n := from; n <= to; n++ {
					listed[fmt.Sprintf("%s-%02d", ids[i][1], n)] = true
				}
			}
		}
		var want []string
		for _, r := range rules {
			if slices.Contains(r.When.Integrations, name) {
				want = append(want, r.ID)
			}
		}
		got := slices.Sorted(maps.Keys(listed))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("README.md lists for %s\n  %v\nrules.yaml has\n  %v", name, got, want)
		}
		rows++
	}
	if rows < 5 {
		t.Errorf("README.md's integration table has %d rows; want one per integration", rows)
	}
}

var ruleID = regexp.MustCompile(`\b([A-Z]+)-(\d{2})\b`)
