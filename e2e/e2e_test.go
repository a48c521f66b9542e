// Package e2e proves the product: for every answers file in testdata/e2e it
// generates a project with the real binary and runs that project's own
// checks (install, lint, migrations, drift, OpenAPI, tests), against SQLite
// and against real PostgreSQL and MySQL servers when their URLs are given.
package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/scaffoldtool/scaffold/generator"
	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// Environment variables the suite reads.
const (
	envPostgres = "SCAFFOLD_TEST_POSTGRES_URL" // postgresql://user:pw@127.0.0.1:5432/db
	envMySQL    = "SCAFFOLD_TEST_MYSQL_URL"    // mysql://user:pw@127.0.0.1:3306/db
	envParallel = "SCAFFOLD_E2E_PARALLEL"      // variants run at once (default 2)
	envOnly     = "SCAFFOLD_E2E_ONLY"          // regexp of variant names to run
	envKeep     = "SCAFFOLD_E2E_KEEP"          // keep generated projects under .e2e/
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "scaffold-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "scaffold")
	build := exec.Command("go", "build", "-o", binary, "../cmd/scaffold")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building scaffold:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type variant struct {
	name    string
	file    string
	answers options.Answers
}

func loadVariants(t *testing.T) []variant {
	t.Helper()
	files, err := filepath.Glob("../testdata/e2e/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no answers files in testdata/e2e: %v", err)
	}
	var out []variant
	for _, f := range files {
		p, err := options.ReadAnswersFile(f)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(f)
		out = append(out, variant{name: strings.TrimSuffix(filepath.Base(f), ".yaml"), file: abs, answers: p.Answers})
	}
	return out
}

// TestVariantsCoverEveryOption fails when a pack offers a database or an auth
// mode that no end-to-end variant exercises: nothing is offered unproven.
func TestVariantsCoverEveryOption(t *testing.T) {
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	variants := loadVariants(t)
	for _, p := range packs {
		seen := map[string]bool{}
		for _, v := range variants {
			if v.answers.Framework == p.Name {
				seen["database="+v.answers.Database] = true
				seen["auth="+v.answers.Auth] = true
				seen[fmt.Sprintf("auth=%s,rbac=%t", v.answers.Auth, v.answers.RBAC)] = true
				for _, i := range v.answers.Integrations {
					seen["integration="+i] = true
					seen["integration="+i+",database="+v.answers.Database] = true
				}
				if len(p.Options["integrations"].Values) > 0 && len(v.answers.Integrations) == len(p.Options["integrations"].Values) {
					seen["every integration at once"] = true
				}
			}
		}
		var want []string
		for _, d := range p.Options["database"].Values {
			want = append(want, "database="+d.Name)
		}
		for _, a := range p.Options["auth"].Values {
			want = append(want, "auth="+a.Name)
			if _, rbac := p.Options["rbac"]; rbac && p.Catalog().Possible(&options.RBACOption, options.Answers{Framework: p.Name, Auth: a.Name}) {
				want = append(want, "auth="+a.Name+",rbac=true", "auth="+a.Name+",rbac=false")
			}
		}
		// Each integration on each database (its tables, its transactions), and
		// all of them together once (their features meet in shared files).
		for _, i := range p.Options["integrations"].Values {
			want = append(want, "integration="+i.Name)
			for _, d := range p.Options["database"].Values {
				want = append(want, "integration="+i.Name+",database="+d.Name)
			}
		}
		if len(p.Options["integrations"].Values) > 0 {
			want = append(want, "every integration at once")
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("pack %s offers %s but no answers file in testdata/e2e exercises it", p.Name, w)
			}
		}
	}
}

// report collects step timings for the table printed at the end.
type report struct {
	mu      sync.Mutex
	rows    map[string]map[string]string
	steps   []string
	figures []string
}

func (r *report) figure(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.figures = append(r.figures, s)
}

func (r *report) set(v, step, cell string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rows[v] == nil {
		r.rows[v] = map[string]string{}
	}
	r.rows[v][step] = cell
	if !slices.Contains(r.steps, step) {
		r.steps = append(r.steps, step)
	}
}

func (r *report) String() string {
	var b strings.Builder
	names := make([]string, 0, len(r.rows))
	for n := range r.rows {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "%-22s", "variant")
	for _, s := range r.steps {
		fmt.Fprintf(&b, " %9s", s)
	}
	b.WriteString("\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%-22s", n)
		for _, s := range r.steps {
			cell := r.rows[n][s]
			if cell == "" {
				cell = "-"
			}
			fmt.Fprintf(&b, " %9s", cell)
		}
		b.WriteString("\n")
	}
	for _, f := range r.figures {
		b.WriteString("load: " + f + "\n")
	}
	return b.String()
}

func TestGeneratedProjects(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end suite skipped with -short")
	}
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	variants := loadVariants(t)
	if only := os.Getenv(envOnly); only != "" {
		re := regexp.MustCompile(only)
		variants = slices.DeleteFunc(variants, func(v variant) bool { return !re.MatchString(v.name) })
	}
	parallel := 2
	if n, err := fmt.Sscan(os.Getenv(envParallel), &parallel); n != 1 || err != nil || parallel < 1 {
		parallel = 2
	}
	sem := make(chan struct{}, parallel)
	rep := &report{rows: map[string]map[string]string{}}
	work := workDir(t)
	uvCache := os.Getenv("UV_CACHE_DIR")
	if uvCache == "" {
		home, _ := os.UserHomeDir()
		uvCache = filepath.Join(home, ".cache", "scaffold-e2e-uv")
	}
	t.Run("variant", func(t *testing.T) {
		for _, v := range variants {
			t.Run(v.name, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				pack, ok := templates.Find(packs, v.answers.Framework)
				if !ok {
					t.Fatalf("%s: no pack %q", v.file, v.answers.Framework)
				}
				runVariant(t, v, pack, filepath.Join(work, v.name), uvCache, rep)
			})
		}
	})
	table := rep.String()
	t.Log("\n" + table)
	_ = os.MkdirAll("../.e2e", 0o755)
	_ = os.WriteFile("../.e2e/report.txt", []byte(table), 0o644)
}

func workDir(t *testing.T) string {
	if os.Getenv(envKeep) != "" {
		dir, _ := filepath.Abs("../.e2e/projects")
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func runVariant(t *testing.T, v variant, pack templates.Pack, dir, uvCache string, rep *report) {
	env := baseEnv(uvCache)
	var seed *sql.DB
	var appURL string
	if v.answers.Database != "sqlite" {
		var testURL, skip string
		appURL, testURL, skip = freshDatabases(t, v)
		if skip != "" {
			rep.set(v.name, "generate", "skipped")
			if os.Getenv("CI") != "" {
				t.Fatalf("%s (a skipped variant is a failure in CI)", skip)
			}
			t.Skip(skip)
		}
		env = append(env, "DATABASE_URL="+appURL, "TEST_DATABASE_URL="+testURL)
		if v.answers.Database == "postgres" {
			db, err := sql.Open("pgx", appURL)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			seed = db
		}
	}

	start := time.Now()
	name, _ := options.ParseName(v.answers.Name)
	project := filepath.Join(dir, name.Dir)
	if v.name == updateVariant {
		rep.set(v.name, "generate", "FAIL")
		generateByUpdate(t, v, dir, project)
	} else {
		gen := exec.Command(binary, "new", "--answers", v.file, "--yes", "--no-git", "--output", dir)
		if out, err := gen.CombinedOutput(); err != nil {
			rep.set(v.name, "generate", "FAIL")
			t.Fatalf("scaffold new: %v\n%s", err, out)
		}
	}
	rep.set(v.name, "generate", seconds(time.Since(start)))
	// The project's own checks (lint, types, migrations, make test) see what a
	// developer's shell would: the database URLs and the TEST_* variables the
	// generated README names for its integration tests, never the service's
	// provider settings (STRIPE_API_KEY, SMTP_HOST, REDIS_URL...), which would
	// hide a test that depends on them. The live run gets everything.
	intEnv := integrationEnv(t, project, v.answers)
	checkEnv := append(slices.Clone(env), slices.DeleteFunc(slices.Clone(intEnv), func(kv string) bool {
		return !strings.HasPrefix(kv, "TEST_")
	})...)
	env = append(env, intEnv...)

	if v.name == uvBootstrapVariant {
		start := time.Now()
		rep.set(v.name, "uv-boot", "FAIL")
		uvBootstrap(t, project, env)
		rep.set(v.name, "uv-boot", seconds(time.Since(start)))
	}

	for _, c := range pack.ChecksFor(generator.Selected(pack, v.answers)) {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-c", c.Run)
		cmd.Dir = project
		cmd.Env = checkEnv
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			rep.set(v.name, c.Name, "FAIL")
			t.Fatalf("%s: `%s` failed: %v\n%s", c.Name, c.Run, err, tail(out, 80))
		}
		rep.set(v.name, c.Name, seconds(time.Since(start)))
	}

	start = time.Now()
	if problems := staticChecks(project, v.answers); len(problems) > 0 {
		rep.set(v.name, "static", "FAIL")
		t.Fatalf("Dockerfile, compose, workflow and ignore files:\n%s", strings.Join(problems, "\n"))
	}
	rep.set(v.name, "static", seconds(time.Since(start)))

	start = time.Now()
	if out, err := exec.Command(binary, "review", project).CombinedOutput(); err != nil {
		rep.set(v.name, "review", "FAIL")
		t.Fatalf("scaffold review of the generated project: %v\n%s", err, out)
	}
	rep.set(v.name, "review", seconds(time.Since(start)))

	start = time.Now()
	rep.set(v.name, "live", "FAIL") // overwritten when the live run passes
	if figure := liveRun(t, project, env, v.answers, seed); figure != "" {
		rep.figure(figure)
	}
	rep.set(v.name, "live", seconds(time.Since(start)))

	start = time.Now()
	rep.set(v.name, "after", "FAIL")
	afterLive(t, project, env, v.answers)
	rep.set(v.name, "after", seconds(time.Since(start)))

	if benchVariants[v.name] {
		start = time.Now()
		rep.set(v.name, "bench", "FAIL")
		rep.figure(bench(t, v.name, project, env, appURL))
		rep.set(v.name, "bench", seconds(time.Since(start)))
	}
}

// updateVariant is made by `scaffold update` rather than `new`: generated
// with the same name, framework and database but no auth and no
// integrations, committed, then updated to its own answers. Every check
// that follows runs on the updated project.
const updateVariant = "django-sqlite-jwt"

// generateByUpdate makes the update variant's project, and checks that the
// update left exactly what `new` makes for the same answers.
func generateByUpdate(t *testing.T, v variant, dir, project string) {
	t.Helper()
	a := v.answers
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(binary, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("scaffold %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("new", a.Name, "--yes", "--output", dir, "--description", a.Description, "--framework", a.Framework,
		"--database", a.Database, "--auth", "none", "--no-rbac", "--integrations", "")
	rbac := "--no-rbac"
	if a.RBAC {
		rbac = "--rbac"
	}
	out := run("update", project, "--auth", a.Auth, rbac, "--integrations", strings.Join(a.Integrations, ","))
	if !strings.Contains(out, "Updated ") || strings.Contains(out, "conflict") {
		t.Fatalf("scaffold update of an untouched project:\n%s", out)
	}
	fresh := t.TempDir()
	run("new", "--answers", v.file, "--yes", "--no-git", "--output", fresh)
	want, got := treeOf(t, filepath.Join(fresh, filepath.Base(project))), treeOf(t, project)
	for p, data := range want {
		if g, ok := got[p]; !ok || !bytes.Equal(g, data) {
			t.Errorf("after update, %s differs from what scaffold new makes", p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("after update, %s is left over", p)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// treeOf reads every file under root but .git, by slash path.
func treeOf(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = data
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// uvBootstrapVariant is the variant whose `make install` runs on a PATH
// without uv, as on a fresh machine: the generated Makefile must fetch uv
// from PyPI itself.
const uvBootstrapVariant = "sqlite-none"

// uvBootstrap runs `make install` with every directory holding a uv binary
// removed from PATH and an empty Python user base, then checks that uv was
// installed there and that the dependencies were synced with it.
func uvBootstrap(t *testing.T, project string, env []string) {
	t.Helper()
	userBase := t.TempDir()
	var path []string
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == "PATH" {
			for _, dir := range filepath.SplitList(v) {
				if _, err := os.Stat(filepath.Join(dir, "uv")); err != nil {
					path = append(path, dir)
				}
			}
		}
	}
	stripped := slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "PYTHONUSERBASE=")
	})
	stripped = append(stripped, "PATH="+strings.Join(path, string(filepath.ListSeparator)), "PYTHONUSERBASE="+userBase)
	if out, err := exec.Command("sh", "-c", "command -v uv").CombinedOutput(); err == nil {
		check := exec.Command("sh", "-c", "command -v uv")
		check.Env = stripped
		if found, err := check.CombinedOutput(); err == nil {
			t.Fatalf("uv is still on the stripped PATH (%s; normally %s)", found, out)
		}
	}
	cmd := exec.Command("make", "install")
	cmd.Dir = project
	cmd.Env = stripped
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make install without uv on PATH: %v\n%s", err, tail(out, 30))
	}
	if !strings.Contains(string(out), "installing it from PyPI") {
		t.Errorf("make install did not say it installs uv:\n%s", tail(out, 10))
	}
	if _, err := os.Stat(filepath.Join(userBase, "bin", "uv")); err != nil {
		t.Errorf("make install did not put uv in the user base: %v", err)
	}
}

// benchVariants are the variants whose `make bench` figures go into the
// report, one per pack (FastAPI, Flask, Django), with the same options: on
// PostgreSQL, the database the comparison was made on.
var benchVariants = map[string]bool{
	"postgres-jwt-rbac": true, "flask-postgres-jwt-rbac": true, "django-postgres-jwt-rbac": true,
}

// bench runs the project's own `make bench` against the variant's app
// database (emptied by afterLive's downgrade; the bench migrates it again)
// and returns its table. The bench bounds itself to under a minute.
func bench(t *testing.T, variant, project string, env []string, databaseURL string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "bench")
	cmd.Dir = project
	cmd.Env = append(append([]string{}, env...), "BENCH_DATABASE_URL="+databaseURL)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("make bench: %v\n%s\n%s", err, tail(stdout.Bytes(), 20), tail(stderr.Bytes(), 40))
	}
	var table []string
	for _, line := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(line, "|") || strings.Contains(line, " connections, ") {
			table = append(table, line)
		}
	}
	if len(table) < 7 {
		t.Fatalf("make bench printed no table:\n%s", tail(stdout.Bytes(), 40))
	}
	return "make bench (" + variant + ") " + strings.Join(table, "\n")
}

// afterLive works on the database the live run filled: expired rows are
// purged by the project's own command, a downgrade that would delete rows is
// refused unless the risk is named, then allowed, and migrating up again
// works.
func afterLive(t *testing.T, project string, env []string, a options.Answers) {
	run := func(extra []string, args ...string) (string, error) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = project
		cmd.Env = append(append([]string{}, env...), extra...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if a.Auth != "none" {
		if out, err := run(nil, "make", "purge"); err != nil {
			t.Fatalf("make purge: %v\n%s", err, out)
		}
	}
	// `make downgrade` is every pack's way to roll all migrations back.
	out, err := run(nil, "make", "downgrade")
	if err == nil || !strings.Contains(out, "refusing to downgrade") {
		t.Fatalf("make downgrade on a database holding rows: %v, want a refusal; output:\n%s", err, tail([]byte(out), 20))
	}
	if !strings.Contains(out, "ALLOW_DESTRUCTIVE_DOWNGRADE") {
		t.Errorf("the refused downgrade does not say how to allow it:\n%s", tail([]byte(out), 20))
	}
	if out, err := run([]string{"ALLOW_DESTRUCTIVE_DOWNGRADE=true"}, "make", "downgrade"); err != nil {
		t.Fatalf("make downgrade with ALLOW_DESTRUCTIVE_DOWNGRADE=true: %v\n%s", err, tail([]byte(out), 20))
	} else if !strings.Contains(out, "0001") {
		t.Errorf("the downgrade did not log the migrations it reverted (the first is 0001):\n%s", tail([]byte(out), 20))
	}
	if out, err := run(nil, "make", "migrate"); err != nil {
		t.Fatalf("make migrate after a full downgrade: %v\n%s", err, tail([]byte(out), 20))
	}
}

func baseEnv(uvCache string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DATABASE_URL", "TEST_DATABASE_URL", "VIRTUAL_ENV", "UV_CACHE_DIR", "APP_ENV":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "UV_CACHE_DIR="+uvCache, "UV_PYTHON_DOWNLOADS=never", "UV_NO_PROGRESS=1")
}

// freshDatabases creates (or recreates) two databases for the variant on the
// server named by the environment: one for the app and its migrations, one
// for its test suite. It returns their URLs, or why the variant is skipped.
func freshDatabases(t *testing.T, v variant) (appURL, testURL, skip string) {
	t.Helper()
	envName, driver := envPostgres, "pgx"
	if v.answers.Database == "mysql" {
		envName, driver = envMySQL, "mysql"
	}
	raw := os.Getenv(envName)
	if raw == "" {
		return "", "", fmt.Sprintf("%s is not set: no %s server to test against", envName, v.answers.Database)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", envName, err)
	}
	// The process id keeps two suites running the same variant at once (two
	// checkouts on one machine) off each other's databases; they are dropped
	// when the variant ends, unless the projects are kept for inspection.
	base := fmt.Sprintf("e2e_%s_%d", strings.ReplaceAll(v.name, "-", "_"), os.Getpid())
	dsn := raw
	if driver == "mysql" {
		pw, _ := u.User.Password()
		dsn = fmt.Sprintf("%s:%s@tcp(%s)%s", u.User.Username(), pw, u.Host, u.Path)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	quote := func(s string) string { return `"` + s + `"` }
	if driver == "mysql" {
		quote = func(s string) string { return "`" + s + "`" }
	}
	var urls []string
	for _, name := range []string{base, base + "_test"} {
		for _, stmt := range []string{"DROP DATABASE IF EXISTS " + quote(name), "CREATE DATABASE " + quote(name)} {
			if _, err := db.Exec(stmt); err != nil {
				t.Fatalf("%s on %s: %v", stmt, envName, err)
			}
		}
		c := *u
		c.Path = "/" + name
		urls = append(urls, c.String())
	}
	if os.Getenv(envKeep) == "" {
		t.Cleanup(func() {
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Error(err)
				return
			}
			defer db.Close()
			for _, name := range []string{base, base + "_test"} {
				// Connections the project left open (a server still stopping)
				// must not keep the database: PostgreSQL 13+ can force it.
				stmt := "DROP DATABASE IF EXISTS " + quote(name)
				if driver == "pgx" {
					stmt += " WITH (FORCE)"
				}
				if _, err := db.Exec(stmt); err != nil {
					t.Errorf("%s on %s: %v", stmt, envName, err)
				}
			}
		})
	}
	return urls[0], urls[1], ""
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

func tail(out []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
