package generator

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/checklists"
)

// BenchmarkNewDefault measures `scaffold new demo --yes --no-git`: render the
// default project (pack plus checklist files) and write it through staging.
func BenchmarkNewDefault(b *testing.B) {
	benchmarkNew(b, nil)
}

// BenchmarkNewWithGit adds the git repository and the initial commit.
func BenchmarkNewWithGit(b *testing.B) {
	benchmarkNew(b, &GitOptions{Name: "Bench", Email: "bench@example.com", When: time.Unix(1700000000, 0), Message: "init"})
}

func benchmarkNew(b *testing.B, git *GitOptions) {
	pack := loadPack(b, "fastapi")
	a := defaultAnswers()
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		files, err := Render(pack, a, "bench", checklists.ProjectFiles)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Write(context.Background(), filepath.Join(dir, fmt.Sprint(i)), files, WriteOptions{Git: git}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender is the pure part alone: templates to bytes in memory.
func BenchmarkRender(b *testing.B) {
	pack := loadPack(b, "fastapi")
	a := defaultAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(pack, a, "bench", checklists.ProjectFiles); err != nil {
			b.Fatal(err)
		}
	}
}
