package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
	"github.com/scaffoldtool/scaffold/options"
)

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func findings(t *testing.T, dir, check string) []Finding {
	t.Helper()
	r, err := Run(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []Finding
	for _, f := range r.Findings {
		if f.Check == check {
			out = append(out, f)
		}
	}
	return out
}

// TestEnvFileTracked commits a .env with git, even though .gitignore lists
// it now: the file is in the index, so it is in the history.
func TestEnvFileTracked(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".env": "SECRET_KEY=abc\n", "app.py": "print(1)\n"})
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add(".env"); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{".gitignore": ".env\n"})
	got := findings(t, dir, "env-file-exposed")
	if len(got) != 1 || got[0].Severity != checklists.Critical || !strings.Contains(got[0].Message, "committed") {
		t.Fatalf("findings %+v, want one critical 'committed' finding", got)
	}
}

// TestFingerprintStable checks that a finding keeps its fingerprint when
// lines are added above it, and that two identical lines differ.
func TestFingerprintStable(t *testing.T) {
	dir := t.TempDir()
	code := "def f(c, x):\n    c.execute(f\"SELECT * FROM t WHERE id = {x}\")\n"
	writeFiles(t, dir, map[string]string{"app.py": code})
	before := findings(t, dir, "sql-string-building")
	writeFiles(t, dir, map[string]string{"app.py": "import os\n\n\n" + code + code})
	after := findings(t, dir, "sql-string-building")
	if len(before) != 1 || len(after) != 2 {
		t.Fatalf("got %d then %d findings, want 1 then 2", len(before), len(after))
	}
	if after[0].Line == before[0].Line {
		t.Fatal("the finding did not move; the test is not testing anything")
	}
	if after[0].Fingerprint != before[0].Fingerprint {
		t.Error("the fingerprint changed when the finding moved")
	}
	if after[0].Fingerprint == after[1].Fingerprint {
		t.Error("two findings share a fingerprint")
	}
}

func TestFormats(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/db.py":      "def f(c, x):\n    c.execute(\"SELECT * FROM t WHERE id = %s\" % x)\n",
		".gitignore":     ".env\n",
		".scaffold.yaml": "name: demo\nframework: fastapi\ndatabase: sqlite\nauth: jwt\nrbac: true\nintegrations: []\n",
	})
	r, err := Run(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Answers == nil || r.Answers.Auth != "jwt" {
		t.Fatalf("answers not read from .scaffold.yaml: %+v", r.Answers)
	}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := r.Write(&b, format, checklists.Medium, "1.2.3"); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := b.String()
		for _, want := range []string{"sql-string-building", "AUTH-07"} {
			if format != "sarif" && !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q", format, want)
			}
		}
		if format == "json" || format == "sarif" {
			var v map[string]any
			if err := json.Unmarshal(b.Bytes(), &v); err != nil {
				t.Errorf("%s output is not JSON: %v", format, err)
			}
		}
	}
	if err := r.Write(&bytes.Buffer{}, "xml", checklists.Medium, ""); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// TestSARIF checks what GitHub code scanning requires of an upload.
func TestSARIF(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app/db.py": "def f(c, x):\n    c.execute(\"DELETE FROM t WHERE id = \" + x)\n"})
	r, err := Run(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Write(&b, "sarif", checklists.Medium, "0.1.0"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(Checks) {
		t.Errorf("%d rules, want one per check (%d)", len(run.Tool.Driver.Rules), len(Checks))
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "" || rule.Help.Text == "" || rule.Properties["security-severity"] == nil {
			t.Errorf("rule %q lacks an id, help or security-severity", rule.ID)
		}
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s points at rule index %d", res.RuleID, res.RuleIndex)
		}
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 ||
			res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result %s has no usable location", res.RuleID)
		}
		if res.PartialFingerprints["scaffoldFinding/v1"] == "" || res.Message.Text == "" {
			t.Errorf("result %s lacks a fingerprint or message", res.RuleID)
		}
	}
}

func TestManualRules(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"README.md": "x\n"})
	ids := func(a *options.Answers) []string {
		r, err := Run(dir, a)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, rule := range r.Manual {
			if rule.Check != "" {
				t.Errorf("%s has a check but is listed for review by hand", rule.ID)
			}
			out = append(out, rule.ID)
		}
		return out
	}
	generic := ids(nil)
	if slices.Contains(generic, "AUTH-09") || !slices.Contains(generic, "API-01") {
		t.Errorf("without answers, the manual list should hold only rules for every project: %v", generic)
	}
	session := ids(&options.Answers{Name: "x", Framework: "fastapi", Database: "sqlite", Auth: "session"})
	if !slices.Contains(session, "AUTH-09") || slices.Contains(session, "AUTH-07") {
		t.Errorf("session answers select the wrong rules: %v", session)
	}
}

func TestLoadSkips(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app.py":                        "x = 1\n",
		".venv/lib/site.py":             "SECRET_KEY = 's3cr3t-Pr0duction-K3y'\n",
		"env/pyvenv.cfg":                "home = /usr\n",
		"env/lib/x.py":                  "SECRET_KEY = 's3cr3t-Pr0duction-K3y'\n",
		"node_modules/a/index.js":       "x",
		".git/config":                   "x",
		"app/__pycache__/a.py":          "x",
		"build/lib/a.py":                "x",
		"pkg.egg-info/PKG-INFO":         "x",
		"static/logo.png":               "\x89PNG",
		"data/blob.bin":                 "a\x00b",
		"big.py":                        strings.Repeat("#", maxFileSize+1),
		"notes/keep.md":                 "keep\n",
		".mypy_cache/3.11/x.json":       "x",
		"src/.pytest_cache/v/cache.txt": "x",
	})
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p.run() // files are read by the review, one at a time, and dropped
	var paths []string
	for _, f := range p.Files {
		paths = append(paths, fmt.Sprintf("%s:%t", f.Path, f.Text))
		if f.Data != nil || f.py != nil {
			t.Errorf("%s is still held in memory after the review", f.Path)
		}
	}
	want := []string{"app.py:true", "big.py:false", "data/blob.bin:false", "notes/keep.md:true", "static/logo.png:false"}
	if !slices.Equal(paths, want) {
		t.Errorf("loaded %q\nwant %q", paths, want)
	}
	if _, err := Load(filepath.Join(dir, "app.py")); err == nil {
		t.Error("Load accepted a file")
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("Load accepted a missing directory")
	}
}

// benchProject writes a project of n files: Python modules of realistic
// size, tests, configuration and data files, in nested packages.
func benchProject(b *testing.B, n int) string {
	dir := b.TempDir()
	module := `"""A service module."""
import os

from sqlalchemy import select, text

from .settings import settings

SECRET = os.environ["SECRET_KEY"]


def list_items(session, owner_id: int, limit: int = 20):
    stmt = select(Item).where(Item.owner_id == owner_id).limit(limit)
    return session.execute(stmt).scalars().all()


def count(session) -> int:
    return session.execute(text("SELECT count(*) FROM items WHERE owner_id = :o"), {"o": 1}).scalar_one()
`
	files := map[string]string{
		".gitignore":   ".env\n",
		".env.example": "SECRET_KEY=change-me\n",
		"openapi.yaml": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
	}
	for i := range n {
		pkg := fmt.Sprintf("svc/pkg%02d/sub%02d", i%50, (i/50)%20)
		switch i % 5 {
		case 0, 1, 2:
			files[fmt.Sprintf("%s/mod%05d.py", pkg, i)] = module
		case 3:
			files[fmt.Sprintf("tests/pkg%02d/test_%05d.py", i%50, i)] = "def test_x():\n    assert 1 + 1 == 2\n"
		case 4:
			files[fmt.Sprintf("%s/conf%05d.yaml", pkg, i)] = "name: x\nport: 8080\ntimeout: 30\n"
		}
	}
	writeFiles(b, dir, files)
	return dir
}

// walkAndRead is the floor a review is measured against: list the project
// as Load does, read every file and drop it.
func walkAndRead(b *testing.B, dir string, parse bool) {
	p, err := Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	files := make(chan *File, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			parser := newPyParser()
			defer parser.Close()
			for f := range files {
				data, err := os.ReadFile(f.full)
				if err == nil && parse && strings.HasSuffix(f.Path, ".py") {
					parser.parse(data)
				}
			}
		})
	}
	for _, f := range p.Files {
		if f.full != "" {
			files <- f
		}
	}
	close(files)
	wg.Wait()
}

func review(b *testing.B, dir string, files int) {
	r, err := Run(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	if r.Files < files {
		b.Fatalf("reviewed %d files", r.Files)
	}
}

// BenchmarkReview10kFiles reviews a project of 10,000 files; the floor is
// walking the same tree and reading every file.
func BenchmarkReview10kFiles(b *testing.B) {
	dir := benchProject(b, 10000)
	b.Run("review", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			review(b, dir, 10000)
		}
		b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	b.Run("floor", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			walkAndRead(b, dir, false)
		}
		b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	// The parse floor adds tree-sitter's parse of every Python file (and the
	// copy of its tree) to the floor: what no check can avoid.
	b.Run("parse-floor", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			walkAndRead(b, dir, true)
		}
		b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
}

// BenchmarkReviewLargeModule reviews one module of 750 and of 3,000
// functions (about 230 and 920 KB, under the 1 MiB review reads) beside the parse floor of the same
// module: a check that reads the module again for each name or each
// definition shows as review time growing faster than the floor.
func BenchmarkReviewLargeModule(b *testing.B) {
	for _, n := range []int{750, 3000} {
		var src strings.Builder
		src.WriteString("import os\nfrom flask import Flask\n\napp = Flask(__name__)\nLIMIT = 10\n")
		for i := range n {
			fmt.Fprintf(&src, `

@app.route("/items/%[1]d", methods=["POST"])
def handler_%[1]d(request):
    name = request.form["name"]
    query = "SELECT * FROM items WHERE id = :id"
    limit = LIMIT + %[1]d
    token = os.environ.get("TOKEN_%[1]d")
    return {"name": name, "query": query, "limit": limit, "token": token is not None}
`, i)
		}
		reviewBesideParse(b, n, "app.py", src.String())
	}
}

// BenchmarkReviewLargeTable reviews one dict literal of 1,000 and of 8,000
// secret-named entries beside the parse floor of the same module: the
// secret check asks about the dict for each entry, and reading the whole
// dict each time was quadratic (30,000 entries took 383 s of CPU).
func BenchmarkReviewLargeTable(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		var src strings.Builder
		src.WriteString("SETTINGS = {\n")
		for i := range n {
			fmt.Fprintf(&src, "    \"password_%[1]d\": \"hunter%[1]d\",\n", i)
		}
		src.WriteString("}\n")
		reviewBesideParse(b, n, "settings.py", src.String())
	}
}

// BenchmarkReviewReassignedName reviews a module that builds one query by
// 1,000 and by 8,000 reassignments (q = q + "..."), beside the parse floor:
// resolving the name at each use read every assignment from the first
// (30,000 took 12 s of CPU).
func BenchmarkReviewReassignedName(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		var src strings.Builder
		src.WriteString("q = \"SELECT \"\n")
		for i := range n {
			fmt.Fprintf(&src, "q = q + \"c%d, \"\n", i)
		}
		src.WriteString("cursor.execute(q)\n")
		reviewBesideParse(b, n, "report.py", src.String())
	}
}

// reviewBesideParse runs two sub-benchmarks on one module of n units:
// review of a project holding only it, and the tree-sitter parse of the
// same bytes, so that review time growing faster than the parse shows.
func reviewBesideParse(b *testing.B, n int, name, src string) {
	dir := b.TempDir()
	writeFiles(b, dir, map[string]string{name: src})
	data := []byte(src)
	b.Run(fmt.Sprintf("review-%d", n), func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			review(b, dir, 1)
		}
	})
	b.Run(fmt.Sprintf("parse-floor-%d", n), func(b *testing.B) {
		parser := newPyParser()
		defer parser.Close()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			parser.parse(data)
		}
	})
}

// cpuTime is the process's user and system CPU time so far: on a machine
// shared with other jobs it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReview50kFilesMemory reports the peak heap (live objects) and the
// peak memory taken from the system while reviewing 50,000 files, next to
// the same figures for walking and reading them.
func BenchmarkReview50kFilesMemory(b *testing.B) {
	if testing.Short() {
		b.Skip("writes 50,000 files")
	}
	dir := benchProject(b, 50000)
	for _, bc := range []struct {
		name string
		run  func()
	}{
		{"review", func() { review(b, dir, 50000) }},
		{"floor", func() { walkAndRead(b, dir, false) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var heap, total uint64
			for b.Loop() {
				h, t := peakMemory(bc.run)
				heap, total = max(heap, h), max(total, t)
			}
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(total)/(1<<20), "peak-sys-MiB")
		})
	}
}

// peakMemory runs fn and samples the heap's live objects and the memory
// mapped from the system every millisecond, returning the peaks.
func peakMemory(fn func()) (heap, total uint64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			heap = max(heap, samples[0].Value.Uint64())
			total = max(total, samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	return heap, total
}

// TestPythonSecretTargets lists the places a literal can be given to a
// name, and whether that name gets it; v is a value that looks secret.
func TestPythonSecretTargets(t *testing.T) {
	const v = `"Zx9-kq7Lm2p0"`
	parser := newPyParser()
	defer parser.Close()
	for code, want := range map[string]bool{
		`SECRET_KEY = ` + v:                                     true,
		`jwt_secret: str = ` + v:                                true,
		`token: str | None = ` + v:                              true,
		`client(api_key=` + v + `)`:                             true,
		`client(timeout=3, api_key = ` + v + `)`:                true,
		`secret: SecretStr = SecretStr(` + v + `)`:              true,
		`secret: str = Field(default=` + v + `)`:                true,
		`settings.secret_key = ` + v:                            true,
		`app.config["SECRET_KEY"] = ` + v:                       true,
		`x = {"password": ` + v + `}`:                           true,
		`value = os.getenv("TOKEN", ` + v + `)`:                 true,
		`if password == ` + v + `: pass`:                        false,
		`print(` + v + `)`:                                      false,
		`token = d.get(` + v + `)`:                              false,
		`token = f"{x}"` + v:                                    false,
		`password: Annotated[str, Field(` + v + `)] = None`:     false,
		`password: Annotated[str, Field()] = ` + v:              true,
		`password_url = ` + v:                                   false,
		`password = "The password you entered is not correct."`: false,
		`password = "${DB_PASSWORD}"`:                           false,
		`password = "pa$$ w0rd%(x"`:                             true,
	} {
		f := &File{Path: "app/x.py", Data: []byte(code + "\n")}
		f.py = parsePython(parser, f.Data)
		got := len(pythonSecrets(f)) > 0
		if got != want {
			t.Errorf("%s: flagged %t, want %t", code, got, want)
		}
	}
}

func TestLooksSecret(t *testing.T) {
	for value, want := range map[string]bool{
		"supersecret":                   true,
		"mysecret123":                   true,
		"s3cr3t-Pr0duction-K3y":         true,
		"Winter2024!":                   true,
		"secret_key":                    false,
		"my-password":                   false,
		"change-me":                     false,
		"test-key":                      false,
		"<your-key>":                    false,
		"NextToken":                     false,
		"Password: ":                    false,
		"${SECRET}":                     false,
		"SECRET_KEY":                    false,
		"abc":                           false,
		"https://x.example/a":           false,
		"mlflow.trace.tokenUsage":       false,
		"unused":                        false,
		"ckan.tests.factories:APIToken": false,
		"not-needed":                    false,
		"s3cr3t.Pr0d":                   true,
	} {
		if got := looksSecret(value); got != want {
			t.Errorf("looksSecret(%q) = %t, want %t", value, got, want)
		}
	}
}

func TestHighEntropy(t *testing.T) {
	for value, want := range map[string]bool{
		"q8Zr2Lx7Kp4Vn9Wt3Yb6Hd1Jf5Gc0Ms2":                                 true,
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9kLm2":                            true,
		"rk9XwQ2pLm7Zt4Vb8Nc3Jh6Gf1Dk5Sa0":                                 true,
		"QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=":                     true,
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08": true,
		"OpenAPIV3SpecValidator":                                           false,
		"SQLTextWaveTo2DBinaryWave":                                        false,
		"manylinux2010_compatible":                                         false,
		"GFDL-1.3-invariants-only":                                         false,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567":                                 false,
		"-I/root/.pyenv/versions/3.11.7/include":                           false,
		"cpython-311-x86_64-linux-gnu":                                     false,
		"6ba7b810-9dad-11d1-80b4-00c04fd430c8":                             false,
		"app.services.tokens.TokenService":                                 false,
		"short1A":                                                          false,
		"Cryptography_HAS_TLSv1_3_FUNCTIONS":                               false,
		"STREAMING-AWS4-HMAC-SHA256-PAYLOAD":                               false,
	} {
		if got := highEntropy(value); got != want {
			t.Errorf("highEntropy(%q) = %t, want %t (entropy %.2f, switches %.2f)", value, got, want,
				entropy(value), classSwitches(value))
		}
	}
}

func TestLoadThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"real/app.py": "x = 1\n"})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	p, err := Load(link)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 1 || p.Files[0].Path != "app.py" {
		t.Errorf("files %v, want app.py", p.Files)
	}
}

// TestChecksMatchRules keeps rules.yaml and the checks in step: every check
// a rule names exists, and every check verifies a rule that names it.
func TestChecksMatchRules(t *testing.T) {
	rules, err := checklists.Rules()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range Checks {
		if ids[c.ID] {
			t.Errorf("check %s is listed twice", c.ID)
		}
		ids[c.ID] = true
		rule, ok := checklists.Lookup(c.Rule)
		if !ok || rule.Check != c.ID {
			t.Errorf("check %s verifies rule %s, which does not name it", c.ID, c.Rule)
		}
		if c.Title == "" || c.Help == "" || c.file == nil && c.project == nil {
			t.Errorf("check %s needs a title, help and something to run", c.ID)
		}
	}
	for _, r := range rules {
		if r.Check != "" && !ids[r.Check] {
			t.Errorf("rule %s names check %s, which does not exist", r.ID, r.Check)
		}
	}
}

// TestEnvExampleOneFinding: every missing variable is named in one finding
// on the example file.
func TestEnvExampleOneFinding(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".env.example": "A=1\n",
		"app/x.py":     "import os\n\nB = os.environ[\"B\"]\nC = os.getenv(\"C\")\nA = os.getenv(\"A\")\n",
	})
	got := findings(t, dir, "env-example-incomplete")
	if len(got) != 1 || got[0].Path != ".env.example" ||
		!strings.Contains(got[0].Message, "2 variables read by the code are missing from .env.example: B, C (first read at app/x.py:3)") {
		t.Fatalf("findings %+v, want one naming B and C", got)
	}
	if got[0].Why == "" || got[0].Ref != "CFG-01" || got[0].Fix == "" {
		t.Errorf("finding lacks why, fix or reference: %+v", got[0])
	}
}

// TestPatternsCompile compiles every pattern of the review and the
// checklists: they compile on first use, so a bad one would otherwise fail
// only in the run that needs it.
func TestPatternsCompile(t *testing.T) {
	if err := lazyre.CheckAll(); err != nil {
		t.Fatal(err)
	}
}

// TestWebhookFindingSeverity checks what a webhook finding says: critical
// when the handler is about money, high otherwise, and the construct_from
// slip named when the handler makes it.
func TestWebhookFindingSeverity(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app/hooks.py": `import stripe
from fastapi import APIRouter, Request

router = APIRouter()


@router.post("/webhooks/stripe")
async def paid(request: Request):
    event = stripe.Event.construct_from(await request.json(), stripe.api_key)
    fulfil(event)


@router.post("/webhooks/github")
async def pushed(request: Request):
    build(await request.json())
`})
	got := findings(t, dir, "webhook-unverified")
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2: %+v", len(got), got)
	}
	if got[0].Severity != checklists.Critical || !strings.Contains(got[0].Message, "construct_from checks nothing") {
		t.Errorf("payment webhook: %s %q", got[0].Severity, got[0].Message)
	}
	if got[1].Severity != checklists.High || strings.Contains(got[1].Message, "construct_from") {
		t.Errorf("other webhook: %s %q", got[1].Severity, got[1].Message)
	}
	if got[0].Rule != "INT-08" || !strings.Contains(got[0].Ref, "CWE-345") || got[0].Fix == "" || got[0].Why == "" {
		t.Errorf("finding lacks its rule, reference, why or fix: %+v", got[0])
	}
}

// TestMigrationSQLSeverity: SQL built from request input is critical, from
// the function's arguments high when the module passes them request input
// (low otherwise), from values the check cannot trace (an
// attribute: usually a table name) low, and in a migration low: no request
// reaches it.
func TestMigrationSQLSeverity(t *testing.T) {
	dir := t.TempDir()
	body := "def run(op, table):\n    op.execute(f\"UPDATE {table} SET done = false WHERE done IS NULL\")\n"
	writeFiles(t, dir, map[string]string{
		"app/migrations/0002_backfill.py":   body,
		"alembic/versions/0003_backfill.py": body,
		"app/jobs.py":                       body,
		"app/views.py": "from flask import request\n\n\ndef search(db):\n" +
			"    db.execute(\"SELECT * FROM items WHERE title = '%s'\" % request.args[\"q\"])\n",
		"app/metrics.py": "def estimate(cursor, model):\n" +
			"    cursor.execute(\"SELECT reltuples FROM pg_class WHERE relname = '%s'\" % model._meta.db_table)\n",
		// Names quoted for SQL stay names whatever the caller passed.
		"app/alter.py": "def add(conn, res_id, col):\n" +
			"    conn.execute('ALTER TABLE {0} ADD {1} text;'.format(identifier(res_id), identifier(col)))\n",
		// sql_with_params keeps the values apart: the text is the ORM's.
		"app/inside.py": "def inside(qs):\n    base_q, base_params = qs.query.sql_with_params()\n" +
			"    return RawSQL(f\"SELECT id FROM ({base_q}) s WHERE n = 0\", base_params)\n",
		// No view or caller in the module passes find request input.
		"app/search.py": "def find(db, table, name):\n" +
			"    return db.execute(f\"SELECT * FROM {table} WHERE name = '{name}'\")\n",
		"app/routes.py": "from flask import request\n\n\ndef find(db, table, name):\n" +
			"    return db.execute(f\"SELECT * FROM {table} WHERE name = '{name}'\")\n\n\n" +
			"def search(db):\n    return find(db, \"items\", request.args[\"q\"])\n",
		"app/stats.py": "class Stats:\n    def count(self, db):\n" +
			"        return db.execute(f\"SELECT count(*) FROM {self.model.table_name}\")\n",
	})
	got := map[string]checklists.Severity{}
	for _, f := range findings(t, dir, "sql-string-building") {
		got[f.Path] = f.Severity
	}
	want := map[string]checklists.Severity{
		"app/migrations/0002_backfill.py": checklists.Low, "alembic/versions/0003_backfill.py": checklists.Low,
		// jobs.py puts an argument only where a table name goes: low;
		// search.py puts one where a value goes too, but nothing in the
		// module passes it input: low; routes.py passes request input: high.
		"app/jobs.py": checklists.Low, "app/search.py": checklists.Low, "app/routes.py": checklists.High,
		"app/views.py": checklists.Critical,
		"app/stats.py": checklists.Low, "app/metrics.py": checklists.Low, "app/inside.py": checklists.Low,
		"app/alter.py": checklists.Low,
	}
	if !maps.Equal(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}

// TestStampedSchemaSeverity: a project that makes its schema with
// create_all and stamps Alembic's history (its history starts after a
// baseline) gets a low finding for a table no migration creates; without
// the stamp it is high.
func TestStampedSchemaSeverity(t *testing.T) {
	files := map[string]string{
		"migrations/env.py":             "",
		"migrations/versions/0001_a.py": "from alembic import op\n\n\ndef upgrade():\n    op.create_table(\"a\")\n",
		"app/models.py":                 "class A(Base):\n    __tablename__ = \"a\"\n\n\nclass B(Base):\n    __tablename__ = \"b\"\n",
		"app/cli.py":                    "def prepare(db, stamp):\n    db.create_all()\n    stamp(revision=\"head\")\n",
	}
	for _, stamped := range []bool{true, false} {
		dir := t.TempDir()
		if !stamped {
			files["app/cli.py"] = "def prepare(db):\n    db.create_all()\n"
		}
		writeFiles(t, dir, files)
		fs := findings(t, dir, "models-without-migrations")
		want := checklists.High
		if stamped {
			want = checklists.Low
		}
		if len(fs) != 1 || fs[0].Severity != want {
			t.Errorf("stamped %v: findings %+v, want one %s", stamped, fs, want)
		}
	}
}

// TestPasswordSetterSeverity: setting user.password from a form is high,
// unless the project defines a password property that hashes on
// assignment (then low: the line cannot tell which class the object is).
func TestPasswordSetterSeverity(t *testing.T) {
	for _, setter := range []bool{false, true} {
		dir := t.TempDir()
		files := map[string]string{
			"app/views.py": "def change(user, form):\n    user.password = form.new_password\n    user.save()\n",
		}
		if setter {
			files["app/models.py"] = "class Identity(Base):\n    password = PasswordProperty(\"password_hash\")\n"
		}
		writeFiles(t, dir, files)
		var got []checklists.Severity
		for _, f := range findings(t, dir, "weak-password-hash") {
			got = append(got, f.Severity)
		}
		want := []checklists.Severity{checklists.High}
		if setter {
			want = []checklists.Severity{checklists.Low}
		}
		if !slices.Equal(got, want) {
			t.Errorf("setter %v: severities %v, want %v", setter, got, want)
		}
	}
}

// TestSignedInAuthRouteLow: an auth route whose view requires a signed-in
// user (a decorator, a mixin, inherited from a base view) is low; a
// sign-in route is medium.
func TestSignedInAuthRouteLow(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"proj/urls.py": "from django.urls import path\n\nfrom accounts import views\n\nurlpatterns = [\n" +
			"    path(\"login/\", views.LoginView.as_view()),\n" +
			"    path(\"security/2fa/\", views.TOTPView.as_view()),\n" +
			"    path(\"security/2fa/<int:pk>/\", views.TOTPDetailView.as_view()),\n" +
			"    path(\"api/token/\", views.token_list),\n" +
			"    path(\"security/otp/\", views.RecoveryCodesView.as_view()),\n]\n",
		"accounts/views.py": "from django.contrib.auth.decorators import login_required\n" +
			"from django.utils.decorators import method_decorator\nfrom django.views.generic import FormView\n\n\n" +
			"class LoginView(FormView):\n    pass\n\n\n" +
			"@method_decorator(login_required, name=\"dispatch\")\nclass TOTPView(FormView):\n    pass\n\n\n" +
			"class TOTPDetailView(TOTPView):\n    pass\n\n\n" +
			"@login_required\ndef token_list(request):\n    return None\n\n\n" +
			"@method_decorator(login_required, name=\"dispatch\")\nclass RecoveryCodesView(FormView):\n    pass\n",
	})
	got := map[int]checklists.Severity{}
	for _, f := range findings(t, dir, "auth-without-rate-limit") {
		got[f.Line] = f.Severity
	}
	want := map[int]checklists.Severity{6: checklists.Medium, 7: checklists.Low, 8: checklists.Low, 9: checklists.Low,
		10: checklists.Low}
	if !maps.Equal(got, want) {
		t.Errorf("severities by line %v, want %v", got, want)
	}
}

// TestEvidenceSeverity: a finding fails a review (medium and above) when
// the code shows the danger; without that evidence it stays, low.
func TestEvidenceSeverity(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/views.py": `import pickle
import xml.etree.ElementTree as ET

from lxml import etree

from django.utils.safestring import mark_safe
from jinja2.sandbox import SandboxedEnvironment


def comment(request):
    return mark_safe("<p>" + request.POST["body"] + "</p>")


def badge(obj):
    return mark_safe("<b>{}</b>".format(obj.name))


def render(user_template):
    return SandboxedEnvironment().from_string(user_template).render()


def feed(body):
    return ET.fromstring(body)


def powered_by(request, safelink=True):
    # the request-shaped parameter only chooses between two fixed links
    return mark_safe('href="{}"'.format(link("https://x.test") if safelink else "https://x.test"))


def statement(data):
    return etree.fromstring(data)


def upload(request):
    return etree.fromstring(request.body)


def restore(request):
    return pickle.loads(request.body)


def restore_blob(blob):
    return pickle.loads(blob)


class Config:
    def load(self):
        exec(compile(self.config_file.read(), self.path, "exec"), {})


def latex_env():
    from jinja2 import Environment

    return Environment(autoescape=False, variable_start_string="\\VAR{", variable_end_string="}")
`})
	got := map[int]checklists.Severity{}
	for _, f := range findings(t, dir, "unsafe-eval") {
		got[f.Line] = f.Severity
	}
	// restore_blob (44) unpickles an argument no view or caller in the
	// module fills from the request: low (TestCallerEvidence has the other side).
	want := map[int]checklists.Severity{11: checklists.High, 15: checklists.Low, 19: checklists.Low, 23: checklists.Low,
		28: checklists.Low, 32: checklists.Low, 36: checklists.Medium, 40: checklists.High, 44: checklists.Low,
		49: checklists.Low, 55: checklists.Low}
	if !maps.Equal(got, want) {
		t.Errorf("severities by line %v, want %v", got, want)
	}
}

// TestCallerEvidence: a function's argument reaching SQL, eval, a
// deserialiser or a template (given whole) keeps its severity only when the module shows client input
// reaching that argument: the function is a view (decorated, registered
// with add_url_rule, a class-based view's method), or a call in the module
// passes request input, or a view's parameter, into it, directly or
// through another function's parameter. Otherwise the finding is low.
func TestCallerEvidence(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/views.py": `import pickle

from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


def find(db, name):
    return db.execute(f"SELECT * FROM items WHERE name = '{name}'")


def lookup(db, term):
    return find(db, term)


def restore(blob):
    return pickle.loads(blob)


def count(db, name):
    return db.execute(f"SELECT count(*) FROM items WHERE name = '{name}'")


class Repo:
    def by_title(self, db, title):
        return db.execute(f"SELECT * FROM notes WHERE title = '{title}'")

    def by_owner(self, db, owner):
        return db.execute(f"SELECT * FROM notes WHERE owner = '{owner}'")


@app.route("/search")
def search():
    db = get_db()
    lookup(db, request.args["q"])
    restore(request.data)
    count(db, "all")
    Repo().by_owner(db, current_user.name)
    return "ok"


@app.post("/notes")
def notes(form: NoteForm):
    return Repo().by_title(get_db(), title=form.title)


def export(spec):
    return eval(spec)


app.add_url_rule("/export/<spec>", view_func=export)


class Report(MethodView):
    def get(self, expr):
        return str(eval(expr))
`,
		// A driver's methods: their callers are in other modules.
		"app/store.py": `import pickle

from jinja2 import Template


class Store:
    def search(self, table, text):
        return self.db.execute(f"SELECT * FROM {table} WHERE body LIKE '%{text}%'")

    def load(self, blob):
        return pickle.loads(blob)

    def run(self, code):
        exec(code, {})

    def refresh(self):
        self.run(self.source)

    def render(self, source):
        return Template(source).render()

    def banner(self, name):
        return Template(f"<h1>{name}</h1>").render()


def walk(db, name, depth):
    if depth:
        return walk(db, name, depth - 1)
    return db.execute(f"SELECT * FROM t WHERE name = '{name}'")
`,
		"app/pages.py": `from flask import render_template_string, request


def render_page(source):
    return render_template_string(source)


def show():
    return render_page(request.args["t"])
`,
	})
	got := map[string]checklists.Severity{}
	for _, f := range findings(t, dir, "sql-string-building") {
		got[fmt.Sprintf("%s:%d", f.Path, f.Line)] = f.Severity
	}
	for _, f := range findings(t, dir, "unsafe-eval") {
		got[fmt.Sprintf("%s:%d", f.Path, f.Line)] = f.Severity
	}
	want := map[string]checklists.Severity{
		"app/views.py:10": checklists.High,   // find <- lookup's term <- request.args
		"app/views.py:18": checklists.Medium, // restore <- request.data
		"app/views.py:22": checklists.Low,    // count: only a literal
		"app/views.py:27": checklists.High,   // by_title <- a view's parameter
		"app/views.py:30": checklists.Low,    // by_owner: the signed-in user's name, not the request
		"app/views.py:49": checklists.Medium, // export: registered as a view
		"app/views.py:57": checklists.Medium, // a MethodView's get
		"app/store.py:8":  checklists.Low,
		"app/store.py:11": checklists.Low,
		"app/store.py:14": checklists.Low, // its one caller passes an attribute
		"app/store.py:20": checklists.Low, // a template given whole
		// A value formatted into template code is high wherever it comes from.
		"app/store.py:23": checklists.High,
		"app/store.py:29": checklists.Low,  // it calls itself, and nothing else calls it
		"app/pages.py:5":  checklists.High, // show passes request input
	}
	if !maps.Equal(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}

// TestNoMigrationsOneFinding: a project with models and no migrations at
// all gets one finding that names the tables, not one per table, and low:
// with no history at all, nothing shows the schema is not made elsewhere.
func TestNoMigrationsOneFinding(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	var body strings.Builder
	for i := range 12 {
		fmt.Fprintf(&body, "class M%d(Base):\n    __tablename__ = \"t%02d\"\n\n\n", i, i)
	}
	files["app/models.py"] = body.String()
	files["app/more.py"] = "class N(Base):\n    __tablename__ = \"t00\"\n"
	writeFiles(t, dir, files)
	fs := findings(t, dir, "models-without-migrations")
	if len(fs) != 1 || fs[0].Severity != checklists.Low || fs[0].Path != "app/models.py" || fs[0].Line != 2 ||
		!strings.Contains(fs[0].Message, "12 tables are defined by models (t00, t01, t02, t03, t04, t05, t06, t07 and 4 more) but the project has no migrations") {
		t.Fatalf("findings %+v, want one low naming 12 tables", fs)
	}
}

// TestExampleAndTestTreesLow: example, tutorial and documentation code
// (examples/, docs_src/, docs/, tutorial/) gets low findings whatever the
// check, a top-level t/ is a test tree, and a package named demo or
// example is the service's own code at the top or under src/, and a demo
// app beside the library below another package.
func TestExampleAndTestTreesLow(t *testing.T) {
	dir := t.TempDir()
	settings := "DEBUG = True\nSECRET_KEY = \"k3p-9ZqL2vX8rT4mWn6YbC1dF5gH7jK0sA3\"\n"
	writeFiles(t, dir, map[string]string{
		"examples/proj/settings.py":     settings,
		"docs_src/tutorial/settings.py": settings,
		"demo/settings.py":              settings,
		"example/settings.py":           settings,
		"src/demo/settings.py":          settings,
		"admin/example/settings.py":     settings,
		"t/unit/security/keys.py":       "KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\"\"\"\n",
	})
	r, err := Run(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]checklists.Severity{}
	for _, f := range r.Findings {
		if f.Check == "debug-enabled" || f.Check == "hardcoded-secret" {
			if f.Severity > got[f.Path] {
				got[f.Path] = f.Severity
			}
		}
	}
	for _, p := range []string{"examples/proj/settings.py", "docs_src/tutorial/settings.py", "t/unit/security/keys.py", "admin/example/settings.py"} {
		if s, ok := got[p]; !ok || s > checklists.Low {
			t.Errorf("%s: highest %v (found %v), want low findings", p, s, ok)
		}
	}
	for _, p := range []string{"demo/settings.py", "example/settings.py", "src/demo/settings.py"} {
		if got[p] < checklists.High {
			t.Errorf("%s: highest %v, want high: it is the service's package", p, got[p])
		}
	}
}

func TestNamesSecret(t *testing.T) {
	for name, want := range map[string]bool{
		"reset_token": true, "otpCode": true, "api_key": true, "apiKey": true, "API_KEYS": true, "new_session_id": true,
		"verification_code": true, "CSRFToken": true, "pins": true,
		"encode_multipart": false, "unicode_table": false, "barcode": false, "tokenizer": false, "spinner": false,
		"keyboard": false, "boundary": false, "": false,
		"generate_random_pass": true, "new_pwd": true, "tmpPw": true, "passphrase": true,
		"first_pass": false, "pass_count": false, "bypass": false, "pass_rate": false,
	} {
		if got := namesSecret(name); got != want {
			t.Errorf("namesSecret(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestDevProjectDirs: settings and config in a throwaway project beside the
// real one (devproject/, sample_project/) are development values.
func TestDevProjectDirs(t *testing.T) {
	dir := t.TempDir()
	settings := "DEBUG = True\nSECRET_KEY = \"1znyfpwp*_#!r0#l248lht*6)_0b+504n*2-8cxf(2u)fhi0f^\"\n"
	writeFiles(t, dir, map[string]string{
		"devproject/settings.py":             settings,
		"pkg/data/sample_project/fides.toml": "[redis]\npassword = \"redispassword-Xk29\"\n",
		"devices/settings.py":                settings,
	})
	r, err := Run(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	high := map[string]bool{}
	for _, f := range r.Findings {
		if (f.Check == "debug-enabled" || f.Check == "hardcoded-secret") && f.Severity > checklists.Low {
			high[f.Path] = true
		}
	}
	if high["devproject/settings.py"] || high["pkg/data/sample_project/fides.toml"] || !high["devices/settings.py"] {
		t.Errorf("medium or worse on %v; want only devices/settings.py", high)
	}
}

// TestUnparsableCodeIsChecked: code tree-sitter cannot parse (a syntax
// error, nesting past its limits) yields ERROR nodes; the file is still
// checked, with no check failing on it.
func TestUnparsableCodeIsChecked(t *testing.T) {
	dir := t.TempDir()
	var deep strings.Builder
	for i := range 300 {
		deep.WriteString(strings.Repeat("    ", i) + "if x:\n")
	}
	deep.WriteString(strings.Repeat("    ", 300) + "pass\n")
	writeFiles(t, dir, map[string]string{
		"app/deep.py":   deep.String() + "SECRET_KEY = \"k3p-9ZqL2vX8rT4mWn6YbC1dF5gH7jK0sA3\"\n",
		"app/broken.py": "def broken(:\n    return\n\nAPI_TOKEN = \"k3p-9ZqL2vX8rT4mWn6YbC1dF5gH7jK0sA4\"\n",
	})
	r, err := Run(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range r.Findings {
		if f.Check == "review-error" {
			t.Errorf("%s: %s", f.Path, f.Message)
		}
		if f.Check == "hardcoded-secret" {
			found[f.Path] = true
		}
	}
	if !found["app/broken.py"] {
		t.Errorf("the secret after a syntax error was not found: %v", found)
	}
}

// TestReassignedNameStaysLinear: a name reassigned from itself many times
// before a redirect is followed once per use, not once per path through
// the earlier assignments (120 reassignments took 39 s before).
func TestReassignedNameStaysLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("from flask import redirect, request\n\n\ndef view():\n    url = request.args.get(\"next\")\n")
	for i := range 400 {
		fmt.Fprintf(&b, "    url = url + \"x%d\"\n", i)
	}
	b.WriteString("    return redirect(url)\n\n\ndef safe():\n    url = \"/home\"\n")
	for i := range 400 {
		fmt.Fprintf(&b, "    url = url + \"x%d\"\n", i)
	}
	b.WriteString("    return redirect(url)\n")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app/views.py": b.String()})
	// Before the fix this did not finish (the test binary's timeout ends it).
	if fs := findings(t, dir, "unsafe-eval"); len(fs) != 1 || fs[0].Line != 406 {
		t.Errorf("findings %+v, want the tainted redirect at line 406 only", fs)
	}
}

// TestUnreadableFilesAreReported: a listed file that cannot be opened (gone
// or locked between the listing and the reading) is named in the report,
// not silently left out, and the other files are still checked.
func TestUnreadableFilesAreReported(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/settings.py": "SECRET_KEY = \"k3p-9ZqL2vX8rT4mWn6YbC1dF5gH7jK0sA3\"\n",
		"app/gone.py":     "x = 1\n",
	})
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "app", "gone.py")); err != nil {
		t.Fatal(err)
	}
	var reported, secret bool
	for _, f := range p.run() {
		switch {
		case f.Check == "review-error" && f.Path == "app/gone.py":
			reported = true
			if f.Severity != checklists.Info || !strings.Contains(f.Message, "could not be read") {
				t.Errorf("unreadable file: %+v", f)
			}
		case f.Check == "hardcoded-secret":
			secret = true
		}
	}
	if !reported {
		t.Error("a listed file that could not be read was left out without a word")
	}
	if !secret {
		t.Error("the readable file beside it was not checked")
	}
}
