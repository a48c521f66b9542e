package review

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// extract writes an archive's files under dir.
func extract(t *testing.T, ar *txtar.Archive, dir string) {
	t.Helper()
	for _, f := range ar.Files {
		full := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestChecks runs every check on its fixtures: testdata/review/<check>.txtar
// holds projects, one per top-level directory (bad/, good/, bad-*/...). The
// findings of that check in each must be exactly the "want dir/path:line"
// lines of the archive's comment; good/ holds near-misses and must have none.
func TestChecks(t *testing.T) {
	archives, _ := filepath.Glob("../testdata/review/*.txtar")
	covered := map[string]bool{}
	for _, file := range archives {
		id := strings.TrimSuffix(filepath.Base(file), ".txtar")
		covered[id] = true
		t.Run(id, func(t *testing.T) {
			if !slices.ContainsFunc(Checks, func(c *Check) bool { return c.ID == id }) {
				t.Fatalf("no check named %s", id)
			}
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			extract(t, ar, dir)
			// "want dir/path:line" and, where the severity is the point,
			// "want dir/path:line low".
			var want []string
			wantSev := map[string]string{}
			sc := bufio.NewScanner(strings.NewReader(string(ar.Comment)))
			for sc.Scan() {
				if w, ok := strings.CutPrefix(sc.Text(), "want "); ok {
					loc, sev, _ := strings.Cut(strings.TrimSpace(w), " ")
					want = append(want, loc)
					if sev != "" {
						wantSev[loc] = sev
					}
				}
			}
			var sides []string
			for _, f := range ar.Files {
				side, _, _ := strings.Cut(f.Name, "/")
				if !slices.Contains(sides, side) {
					sides = append(sides, side)
				}
			}
			if !slices.Contains(sides, "good") || !slices.Contains(sides, "bad") {
				t.Fatal("the archive needs a bad/ and a good/ project")
			}
			for _, side := range sides {
				p, err := Load(filepath.Join(dir, side))
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range p.run() {
					if f.Check == id {
						loc := fmt.Sprintf("%s/%s:%d", side, f.Path, f.Line)
						got = append(got, loc)
						if sev, ok := wantSev[loc]; ok && f.Severity.String() != sev {
							t.Errorf("%s: severity %s, want %s", loc, f.Severity, sev)
						}
						t.Logf("%s %s:%d %s", f.Severity, f.Path, f.Line, f.Message)
					}
				}
				var expect []string
				for _, w := range want {
					if strings.HasPrefix(w, side+"/") {
						expect = append(expect, w)
					}
				}
				slices.Sort(got)
				slices.Sort(expect)
				if !slices.Equal(got, expect) {
					t.Errorf("%s: findings\n  got  %q\n  want %q", side, got, expect)
				}
			}
		})
	}
	for _, c := range Checks {
		if !covered[c.ID] {
			t.Errorf("check %s has no fixture testdata/review/%s.txtar", c.ID, c.ID)
		}
	}
}

// TestPairSet holds the pre-check's filter to what a scan would say: a
// string whose byte pairs the text lacks is absent, and no present string
// is ever missed, whatever its bytes.
func TestPairSet(t *testing.T) {
	text := []byte("SECRET = os.environ['KEY']  # clé, 鍵\nx")
	var s pairSet
	s.fill(text)
	subs := []string{"", "S", "x", "SECRET", "os.environ", "clé", "鍵", "\nx", "KEY']",
		"secret", "environ[\"", "cle", "鍵鍵", "x\n", "é,", "ET =", "T  "}
	for _, sub := range subs {
		present := bytes.Contains(text, []byte(sub))
		if got := hasAnyIn(text, &s, []string{sub}); got != present {
			t.Errorf("hasAnyIn(%q) = %v, scan says %v", sub, got, present)
		}
		if present && !s.mayHold(sub) {
			t.Errorf("mayHold(%q) = false for a string the text holds", sub)
		}
	}
	for _, sub := range []string{"secret", "cle", "ENV"} {
		if s.mayHold(sub) {
			t.Errorf("mayHold(%q) = true: a pair the text lacks was not caught", sub)
		}
	}
	f := &File{Data: text}
	if !f.dataHas("nope", "environ") || f.dataHas("nope", "ENVIRON") {
		t.Error("dataHas disagrees with a scan")
	}
}
