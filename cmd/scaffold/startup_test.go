package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkVersionVsHello measures process start: `scaffold version` against
// a Go hello-world, and against a hello-world that links everything scaffold
// links (testdata/importfloor), run alternately in one benchmark. It reports
// version/hello, and version/imports: what scaffold's own start-up work costs
// beyond its dependencies' (package init, binary size, dynamic linking).
func BenchmarkVersionVsHello(b *testing.B) {
	dir := b.TempDir()
	hello := filepath.Join(dir, "hello")
	imports := filepath.Join(dir, "imports")
	scaffold := filepath.Join(dir, "scaffold")
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, build := range [][]string{{"build", "-o", hello, src}, {"build", "-o", scaffold, "."}, {"build", "-o", imports, "./testdata/importfloor"}} {
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
	var h, i, v time.Duration
	for b.Loop() {
		h += run(hello)
		i += run(imports)
		v += run(scaffold, "version")
	}
	b.ReportMetric(float64(v)/float64(h), "version/hello")
	b.ReportMetric(float64(v)/float64(i), "version/imports")
}
