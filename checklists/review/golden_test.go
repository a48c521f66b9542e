package review

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/scaffoldtool/scaffold/checklists"
)

// TestGeneratedProjectsReviewClean reviews every golden tree (what `scaffold
// new` writes for each end-to-end variant): a project scaffold generates must
// pass scaffold's own review, with no finding at medium or above. The
// end-to-end suite proves the same on projects it generates; this test
// catches a new rule that would fail them in seconds, without Python.
func TestGeneratedProjectsReviewClean(t *testing.T) {
	if raceDetector {
		t.Skip("39 whole reviews under the race detector add a minute; the plain unit run covers them")
	}
	goldens, err := filepath.Glob("../../testdata/golden/*.txtar")
	if err != nil || len(goldens) == 0 {
		t.Fatal("no golden trees in testdata/golden")
	}
	for _, g := range goldens {
		t.Run(strings.TrimSuffix(filepath.Base(g), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(g)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]string{}
			for _, f := range ar.Files {
				files[f.Name] = string(f.Data)
			}
			dir := t.TempDir()
			writeFiles(t, dir, files)
			rep, err := Run(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Findings {
				if f.Severity >= checklists.Medium {
					t.Errorf("%s %s:%d %s [%s]", f.Severity, f.Path, f.Line, f.Message, f.Check)
				}
			}
		})
	}
}
