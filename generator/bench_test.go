package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/templates"
)

// The benchmarks measure `scaffold new` for the default project against the
// physical floor: a program that only writes the same files through a
// staging directory and one rename. The machines that run them are shared
// and noisy, so BenchmarkNewVsFloor reports ratios measured in one run,
// interleaved, and those are the figures to compare; the others give the
// absolute times for profiling.

var benchGit = &GitOptions{Name: "Bench", Email: "bench@example.com", When: time.Unix(1700000000, 0), Message: "init"}

// BenchmarkNewDefault measures `scaffold new demo --yes --no-git`: render the
// default project (pack plus checklist files) and write it through staging.
func BenchmarkNewDefault(b *testing.B) { benchmarkNew(b, nil) }

// BenchmarkNewWithGit adds the git repository and the initial commit.
func BenchmarkNewWithGit(b *testing.B) { benchmarkNew(b, benchGit) }

func benchmarkNew(b *testing.B, git *GitOptions) {
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		newOnce(b, filepath.Join(dir, fmt.Sprint(i)), git)
	}
}

// newOnce is one `scaffold new` as a fresh process does it, through the
// command's own entry point: the packs are loaded and the template caches
// start empty, so decoding and parsing are paid every time.
func newOnce(b testing.TB, target string, git *GitOptions) {
	resetCaches()
	packs, err := templates.Load()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Generate(context.Background(), packs, defaultAnswers(), target, Options{Version: "bench", Extras: []Extra{checklists.ProjectFiles}, Git: git}); err != nil {
		b.Fatal(err)
	}
}

// floorWrite writes files the cheapest way that is still atomic: into a
// staging directory beside the target, then one rename.
func floorWrite(b *testing.B, target string, files []File) {
	stage, err := os.MkdirTemp(filepath.Dir(target), ".floor-")
	if err != nil {
		b.Fatal(err)
	}
	made := map[string]bool{}
	for _, f := range files {
		p := filepath.Join(stage, filepath.FromSlash(f.Path))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				b.Fatal(err)
			}
			made[d] = true
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.Rename(stage, target); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFloorWrite is the floor alone, for the same files.
func BenchmarkFloorWrite(b *testing.B) {
	files, err := Render(loadPack(b, "fastapi"), defaultAnswers(), "bench", checklists.ProjectFiles)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		floorWrite(b, filepath.Join(dir, fmt.Sprint(i)), files)
	}
}

// BenchmarkNewVsFloor interleaves the floor, `new --no-git` and `new` with
// git, and reports each as a multiple of the floor (new/floor, git/floor).
func BenchmarkNewVsFloor(b *testing.B) {
	files, err := Render(loadPack(b, "fastapi"), defaultAnswers(), "bench", checklists.ProjectFiles)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var floor, plain, withGit time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		floorWrite(b, filepath.Join(dir, fmt.Sprint("f", i)), files)
		t1 := time.Now()
		newOnce(b, filepath.Join(dir, fmt.Sprint("n", i)), nil)
		t2 := time.Now()
		newOnce(b, filepath.Join(dir, fmt.Sprint("g", i)), benchGit)
		t3 := time.Now()
		floor, plain, withGit = floor+t1.Sub(t0), plain+t2.Sub(t1), withGit+t3.Sub(t2)
	}
	b.ReportMetric(float64(plain)/float64(floor), "new/floor")
	b.ReportMetric(float64(withGit)/float64(floor), "git/floor")
}

// BenchmarkRender is the pure part alone: templates to bytes in memory,
// parsing included.
func BenchmarkRender(b *testing.B) {
	pack := loadPack(b, "fastapi")
	a := defaultAnswers()
	b.ReportAllocs()
	for b.Loop() {
		resetCaches()
		if _, err := Render(pack, a, "bench", checklists.ProjectFiles); err != nil {
			b.Fatal(err)
		}
	}
}
