package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkVersionVsHello measures process start: `scaffold version` against
// a Go hello-world, run alternately in one benchmark, and reports the ratio
// (version/hello). Work done at package init (compiling patterns, parsing
// data) shows up here for every command, however small.
func BenchmarkVersionVsHello(b *testing.B) {
	dir := b.TempDir()
	hello := filepath.Join(dir, "hello")
	scaffold := filepath.Join(dir, "scaffold")
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, build := range [][]string{{"build", "-o", hello, src}, {"build", "-o", scaffold, "."}} {
		if out, err := exec.Command("go", build...).CombinedOutput(); err != nil {
			b.Fatalf("go %v: %v\n%s", build, err, out)
		}
	}
	run := func(args ...string) time.Duration {
		t0 := time.Now()
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
		return time.Since(t0)
	}
	var h, v time.Duration
	for b.Loop() {
		h += run(hello)
		v += run(scaffold, "version")
	}
	b.ReportMetric(float64(v)/float64(h), "version/hello")
}
