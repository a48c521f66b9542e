package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkVersionVsHello measures process start: `scaffold version` against
// a Go hello-world; against a hello-world that links only the prescribed
// libraries (cobra, survey, sprig, go-git) and the tree-sitter binding
// (testdata/depsfloor); and against one that links everything scaffold links
// (testdata/importfloor); run alternately in one benchmark. It reports
// version/hello, deps/hello (the floor those libraries set: their package
// initialisation, cgo's start-up, a larger binary), version/deps (what
// scaffold adds to that floor) and version/imports (what scaffold's own
// start-up work costs beyond every dependency's).
func BenchmarkVersionVsHello(b *testing.B) {
	dir := b.TempDir()
	hello := filepath.Join(dir, "hello")
	deps := filepath.Join(dir, "deps")
	imports := filepath.Join(dir, "imports")
	scaffold := filepath.Join(dir, "scaffold")
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, build := range [][]string{{"build", "-o", hello, src}, {"build", "-o", scaffold, "."}, {"build", "-o", deps, "./testdata/depsfloor"}, {"build", "-o", imports, "./testdata/importfloor"}} {
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
	var h, d, i, v time.Duration
	for b.Loop() {
		h += run(hello)
		d += run(deps)
		i += run(imports)
		v += run(scaffold, "version")
	}
	b.ReportMetric(float64(v)/float64(h), "version/hello")
	b.ReportMetric(float64(d)/float64(h), "deps/hello")
	b.ReportMetric(float64(v)/float64(d), "version/deps")
	b.ReportMetric(float64(v)/float64(i), "version/imports")
}
