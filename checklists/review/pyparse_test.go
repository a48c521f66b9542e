package review

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestFlattenMatchesCursor checks that the direct walk over tree-sitter's
// subtrees copies every tree exactly as tree-sitter's cursor does: the
// Python of every fixture and golden tree, the same with bytes changed
// (syntax errors), and nesting deeper than the walk tracks.
func TestFlattenMatchesCursor(t *testing.T) {
	if cursorOnly() {
		t.Fatal("the direct walk differs from the cursor on its own sample: the headers in treesitter/ do not match the library")
	}
	var sources [][]byte
	for _, pattern := range []string{"../testdata/review/*.txtar", "../../testdata/golden/*.txtar"} {
		archives, _ := filepath.Glob(pattern)
		for _, file := range archives {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".py") {
					sources = append(sources, f.Data)
				}
			}
		}
	}
	filepath.WalkDir("../testdata/vulnapps", func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".py") {
			if data, err := os.ReadFile(path); err == nil {
				sources = append(sources, data)
			}
		}
		return nil
	})
	// The golden trees share most of their files.
	slices.SortFunc(sources, bytes.Compare)
	sources = slices.CompactFunc(sources, bytes.Equal)
	t.Logf("%d distinct Python sources", len(sources))
	if len(sources) < 500 {
		t.Fatalf("found %d Python sources in the fixtures; expected hundreds", len(sources))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, src := range sources[:200] {
		changed := bytes.Clone(src)
		for range 1 + len(changed)/50 {
			if len(changed) > 0 {
				changed[rng.IntN(len(changed))] = byte(rng.IntN(128))
			}
		}
		sources = append(sources, changed)
	}
	sources = append(sources,
		[]byte("x = "+strings.Repeat("(", 3000)+"1"+strings.Repeat(")", 3000)+"\n"),
		[]byte("x = "+strings.Repeat("[", 400)+strings.Repeat("]", 400)+"\n"),
		[]byte(strings.Repeat("if x:\n", 1)+nested(700)),
		[]byte(""), []byte("\n"), []byte("# only a comment"))
	p := newPyParser()
	defer p.Close()
	for i, src := range sources {
		fast, slow := p.parseWith(src, false), p.parseWith(src, true)
		if !slices.Equal(fast, slow) {
			at := 0
			for at < min(len(fast), len(slow)) && fast[at] == slow[at] {
				at++
			}
			t.Fatalf("source %d (%d bytes): the walk copied %d nodes, the cursor %d; first difference at node %d", i, len(src), len(fast), len(slow), at)
		}
	}
}

// nested is n levels of indented if statements.
func nested(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i+1) + "if x:\n")
	}
	b.WriteString(strings.Repeat(" ", n+1) + "pass\n")
	return b.String()
}

// TestTreeSitterHeaders checks that the copies of tree-sitter's headers in
// treesitter/ are those of the go-tree-sitter version go.mod names: the
// direct walk reads the library's structures through them.
func TestTreeSitterHeaders(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/tree-sitter/go-tree-sitter").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	copies, _ := filepath.Glob("treesitter/*.h")
	copies = append(copies, "treesitter/tree_sitter/api.h")
	for _, c := range copies {
		orig := filepath.Join(dir, "src", filepath.Base(c))
		if strings.HasPrefix(c, "treesitter/tree_sitter/") {
			orig = filepath.Join(dir, "include", "tree_sitter", filepath.Base(c))
		}
		want, err := os.ReadFile(orig)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: copy the headers of the go-tree-sitter version go.mod names (treesitter/README.md)", c, orig)
		}
	}
}
