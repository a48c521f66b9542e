package review

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// testdata/vulnapps holds three small deliberately vulnerable services
// (Flask, Django, FastAPI), written for these tests after the vulnerability
// classes public vulnerable apps document. Every planted defect ends its
// first line with "# VULN: CLASS". bandit.json is bandit's report on the
// same tree (bandit -r . -f json, run in testdata/vulnapps), kept so that the
// comparison runs without bandit installed; the test fails when it no longer
// matches the sources.

// vulnClasses says which findings count as finding a planted defect of each
// class: review's checks, and bandit's test ids; nil where the tool has
// nothing for the class. A finding of another kind on the same line (a
// missing timeout on an SSRF line) does not count.
var vulnClasses = map[string]struct{ review, bandit []string }{
	"sqli":             {[]string{"sql-string-building"}, []string{"B608", "B610", "B611"}},
	"cmdi":             {[]string{"unsafe-eval"}, []string{"B601", "B602", "B604", "B605", "B609"}},
	"code-injection":   {[]string{"unsafe-eval"}, []string{"B307", "B102"}},
	"ssti":             {[]string{"unsafe-eval"}, nil},
	"xss":              {[]string{"unsafe-eval"}, []string{"B308", "B703", "B704", "B701"}},
	"deserialization":  {[]string{"unsafe-eval"}, []string{"B301", "B302", "B506"}},
	"xxe":              {[]string{"unsafe-eval"}, []string{"B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"}},
	"hardcoded-secret": {[]string{"hardcoded-secret"}, []string{"B105", "B106", "B107"}},
	"debug":            {[]string{"debug-enabled"}, []string{"B201"}},
	"weak-hash":        {[]string{"weak-password-hash"}, []string{"B303", "B324"}},
	"insecure-random":  {[]string{"insecure-random"}, []string{"B311"}},
	"jwt":              {[]string{"jwt-unsafe-decode"}, nil},
	"tls":              {[]string{"tls-verify-disabled"}, []string{"B501", "B502", "B503", "B504", "B323", "B507"}},
	"no-timeout":       {[]string{"outbound-timeout"}, []string{"B113"}},
	"cors":             {[]string{"cors-wildcard-credentials"}, nil},
	"path-traversal":   {[]string{"unsafe-eval"}, []string{"B202"}},
	"open-redirect":    {[]string{"unsafe-eval"}, nil},
	"ssrf":             {[]string{"unsafe-eval"}, []string{"B310"}},
	"csrf":             {[]string{"unsafe-eval"}, nil},
	"assert-guard":     {[]string{"assert-guard"}, []string{"B101"}},
	"insecure-temp":    {[]string{"insecure-temp-file"}, []string{"B108", "B306"}},
	"file-permissions": {[]string{"file-permissions"}, []string{"B103"}},
	"weak-crypto":      {[]string{"weak-cipher"}, []string{"B304", "B305", "B502", "B503", "B504"}},
	"redos":            {[]string{"unsafe-eval"}, nil},
	"mass-assign":      {[]string{"unsafe-eval"}, nil},
	"xpath":            {[]string{"unsafe-eval"}, nil},
}

type plantedVuln struct {
	file       string // relative to testdata/vulnapps
	first, end int    // the lines of the statement
	class      string
}

var vulnMarker = regexp.MustCompile(`#\s*VULN:\s*([a-z-]+)`)

// plantedVulns reads the markers. A defect spans from its marked line to
// the line where its brackets close, so a finding reported on any line of
// a statement laid out over several lines counts.
func plantedVulns(t *testing.T, root string) []plantedVuln {
	var out []plantedVuln
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".py") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		lines := strings.Split(string(data), "\n")
		for i, l := range lines {
			m := vulnMarker.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			if _, ok := vulnClasses[m[1]]; !ok {
				t.Fatalf("%s:%d: unknown class %q", rel, i+1, m[1])
			}
			end, depth := i, 0
			for j := i; j < len(lines); j++ {
				code, _, _ := strings.Cut(lines[j], "#")
				depth += strings.Count(code, "(") + strings.Count(code, "[") + strings.Count(code, "{") -
					strings.Count(code, ")") - strings.Count(code, "]") - strings.Count(code, "}")
				end = j
				if depth <= 0 {
					break
				}
			}
			out = append(out, plantedVuln{filepath.ToSlash(rel), i + 1, end + 1, m[1]})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type toolFinding struct {
	file string
	line int
	id   string
}

// banditFindings reads the recorded bandit report and checks that each
// result's code still stands on its line.
func banditFindings(t *testing.T, root string) []toolFinding {
	data, err := os.ReadFile(filepath.Join(root, "bandit.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Results []struct {
			File string `json:"filename"`
			Line int    `json:"line_number"`
			ID   string `json:"test_id"`
			Code string `json:"code"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	var out []toolFinding
	for _, r := range report.Results {
		file := strings.TrimPrefix(filepath.ToSlash(r.File), "./")
		src, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatalf("bandit.json names %s: %v", file, err)
		}
		lines := strings.Split(string(src), "\n")
		// bandit's code excerpt numbers its lines, with context around.
		text := ""
		for _, l := range strings.Split(r.Code, "\n") {
			if n, rest, ok := strings.Cut(l, " "); ok && n == fmt.Sprint(r.Line) {
				text = strings.TrimSpace(rest)
			}
		}
		if r.Line < 1 || r.Line > len(lines) || text == "" || !strings.Contains(lines[r.Line-1], text) {
			t.Fatalf("bandit.json is stale at %s:%d (%s); rerun: cd checklists/testdata/vulnapps && bandit -r . -f json -o bandit.json", file, r.Line, r.ID)
		}
		out = append(out, toolFinding{file, r.Line, r.ID})
	}
	return out
}

func reviewFindings(t *testing.T, root string) []toolFinding {
	apps, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []toolFinding
	for _, app := range apps {
		if !app.IsDir() {
			continue
		}
		r, err := Run(filepath.Join(root, app.Name()), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Findings {
			out = append(out, toolFinding{app.Name() + "/" + f.Path, f.Line, f.Check})
		}
	}
	return out
}

// found reports whether a finding of an accepted id falls on the defect.
func found(v plantedVuln, fs []toolFinding, ids []string) bool {
	for _, f := range fs {
		if f.file == v.file && f.line >= v.first && f.line <= v.end && slices.Contains(ids, f.id) {
			return true
		}
	}
	return false
}

// TestVulnAppsRecall compares review's recall with bandit's on the planted
// defects: review must find at least as many. It logs the table by class.
func TestVulnAppsRecall(t *testing.T) {
	root := filepath.Join("..", "testdata", "vulnapps")
	planted := plantedVulns(t, root)
	bandit := banditFindings(t, root)
	review := reviewFindings(t, root)
	type tally struct{ n, review, bandit, either int }
	byClass := map[string]*tally{}
	var all tally
	var missed []string
	for _, v := range planted {
		c := byClass[v.class]
		if c == nil {
			c = &tally{}
			byClass[v.class] = c
		}
		r, b := found(v, review, vulnClasses[v.class].review), found(v, bandit, vulnClasses[v.class].bandit)
		for _, x := range []*tally{c, &all} {
			x.n++
			if r {
				x.review++
			}
			if b {
				x.bandit++
			}
			if r || b {
				x.either++
			}
		}
		if !r {
			missed = append(missed, fmt.Sprintf("%s:%d %s", v.file, v.first, v.class))
		}
	}
	var classes []string
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	w := bufio.NewWriter(&b)
	fmt.Fprintf(w, "%-18s %7s %7s %7s\n", "class", "planted", "review", "bandit")
	for _, c := range classes {
		x := byClass[c]
		fmt.Fprintf(w, "%-18s %7d %7d %7d\n", c, x.n, x.review, x.bandit)
	}
	fmt.Fprintf(w, "%-18s %7d %7d %7d   (either: %d)\n", "total", all.n, all.review, all.bandit, all.either)
	w.Flush()
	t.Logf("recall on %d planted defects: review %.0f %%, bandit %.0f %%\n%s", all.n,
		100*float64(all.review)/float64(all.n), 100*float64(all.bandit)/float64(all.n), b.String())
	if testing.Verbose() {
		t.Logf("review misses:\n%s", strings.Join(missed, "\n"))
	}
	if all.n < 40 {
		t.Fatalf("only %d planted defects", all.n)
	}
	if all.review < all.bandit {
		t.Errorf("review finds %d planted defects, bandit %d; review misses:\n%s", all.review, all.bandit, strings.Join(missed, "\n"))
	}
}
