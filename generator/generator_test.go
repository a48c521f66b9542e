package generator

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/tools/txtar"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

var update = flag.Bool("update", false, "rewrite the golden trees in testdata/golden")

func defaultAnswers() options.Answers {
	return options.Normalize(options.Answers{Name: "demo", Description: "A backend service.",
		Framework: "fastapi", Database: "sqlite", Auth: "jwt", RBAC: true})
}

func loadPack(t testing.TB, name string) templates.Pack {
	t.Helper()
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, ok := templates.Find(packs, name)
	if !ok {
		t.Fatalf("no pack %q", name)
	}
	return p
}

func archive(files []File) []byte {
	a := &txtar.Archive{}
	for _, f := range files {
		a.Files = append(a.Files, txtar.File{Name: f.Path, Data: f.Data})
	}
	return txtar.Format(a)
}

// TestGolden renders every end-to-end answers file and compares the whole
// tree with testdata/golden/NAME.txtar: a missing, extra or changed file
// fails. Run `make golden` (go test -update) after a deliberate change and
// review the diff like code.
func TestGolden(t *testing.T) {
	answerFiles, err := filepath.Glob("../testdata/e2e/*.yaml")
	if err != nil || len(answerFiles) == 0 {
		t.Fatal("no answers files in testdata/e2e")
	}
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, af := range answerFiles {
		name := strings.TrimSuffix(filepath.Base(af), ".yaml")
		t.Run(name, func(t *testing.T) {
			p, err := options.ReadAnswersFile(af)
			if err != nil {
				t.Fatal(err)
			}
			a := options.Normalize(p.Answers)
			pack, _ := templates.Find(packs, a.Framework)
			files, err := Render(pack, a, "0.0.0-golden", checklists.ProjectFiles)
			if err != nil {
				t.Fatal(err)
			}
			got := archive(files)
			golden := filepath.Join("..", "testdata", "golden", name+".txtar")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `make golden` to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("rendered tree differs from %s (run `make golden` if the change is deliberate):\n%s",
					golden, treeDiff(txtar.Parse(want), txtar.Parse(got)))
			}
		})
	}
}

func treeDiff(want, got *txtar.Archive) string {
	w, g := map[string][]byte{}, map[string][]byte{}
	for _, f := range want.Files {
		w[f.Name] = f.Data
	}
	for _, f := range got.Files {
		g[f.Name] = f.Data
	}
	var lines []string
	for n, d := range w {
		if gd, ok := g[n]; !ok {
			lines = append(lines, "missing: "+n)
		} else if !bytes.Equal(d, gd) {
			lines = append(lines, "changed: "+n)
		}
	}
	for n := range g {
		if _, ok := w[n]; !ok {
			lines = append(lines, "extra:   "+n)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestRenderIsDeterministic(t *testing.T) {
	pack := loadPack(t, "fastapi")
	a := defaultAnswers()
	first, err := Render(pack, a, "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		again, err := Render(pack, a, "1.2.3")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(archive(first), archive(again)) {
			t.Fatal("two renders of the same answers differ")
		}
	}
}

// testPack makes a pack whose base tree (files/) holds files.
func testPack(files fstest.MapFS) templates.Pack {
	fsys := fstest.MapFS{}
	for name, f := range files {
		fsys["files/"+name] = f
	}
	return templates.Pack{Name: "test", FS: fsys}
}

// TestFeaturesComposeTheProject: a pack of base + features, loaded from its
// manifests, renders the selected features' files over the base, and its
// templates see capabilities and merged contributions, in feature order.
func TestFeaturesComposeTheProject(t *testing.T) {
	fsys := fstest.MapFS{
		"demo/pack.yaml": {Data: []byte(`name: demo
title: Demo
options:
  database: {default: lite, values: [{name: lite, help: embedded}]}
  auth: {default: pw, values: [{name: pw, help: passwords}, {name: anon, help: nobody}]}
  rbac: {default: true}
extension_points:
  - {name: env, help: .env.example entries}
  - {name: security, help: the security requirement of protected operations}
`)},
		"demo/openapi.yaml.tmpl":                            {Data: []byte("openapi: 3.1.0\ninfo: {title: {{ .Title | toJson }}}\npaths:\n  /items:\n    get: {summary: list, security: []}\n")},
		"demo/features/pw/openapi.yaml.tmpl":                {Data: []byte("paths:\n  /items:\n    get:\n      security: {{ toJson .C.security }}\n      responses: {'401': {description: no}}\n  /login:\n    post: {summary: login}\n")},
		"demo/files/env.tmpl":                               {Data: []byte("{{ range .C.env }}{{ .name }}={{ .value }}\n{{ end }}")},
		"demo/files/app.py.tmpl":                            {Data: []byte(`{{ if .Has "users" }}users{{ else }}public{{ end }} {{ template "_shared/greet" . }}` + "\n")},
		"demo/features/lite/feature.yaml":                   {Data: []byte("provides: [database]\n")},
		"demo/features/pw/feature.yaml":                     {Data: []byte("includes: [accounts]\nprovides: [passwords]\ncontributes:\n  env: [{name: SECRET_KEY, value: change-me}]\n")},
		"demo/features/pw/files/login.py":                   {Data: []byte("login\n")},
		"demo/features/accounts/feature.yaml":               {Data: []byte("provides: [users]\ncontributes:\n  env: [{name: USERS, value: '1'}]\n")},
		"demo/features/accounts/files/__package__/users.py": {Data: []byte("users\n")},
		"demo/features/anon/feature.yaml":                   {Data: []byte("summary: no accounts\n")},
		"demo/features/rbac/feature.yaml":                   {Data: []byte("requires: [users]\nprovides: [rbac]\ncontributes:\n  env: [{name: ROLES, value: admin}]\n")},
		"_shared/greet.tmpl":                                {Data: []byte(`{{ define "_shared/greet" }}hello {{ .Name }}{{ end }}`)},
	}
	packs, err := templates.LoadFS(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(packs[0], options.Answers{Name: "shop", Framework: "demo", Database: "lite", Auth: "pw", RBAC: true}, "1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Data)
	}
	want := map[string]string{
		"env":           "USERS=1\nSECRET_KEY=change-me\nROLES=admin\n",
		"app.py":        "users hello shop\n",
		"login.py":      "login\n",
		"shop/users.py": "users\n",
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s = %q, want %q", p, got[p], w)
		}
	}
	files, err = Render(packs[0], options.Answers{Name: "shop", Framework: "demo", Database: "lite", Auth: "anon"}, "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch f.Path {
		case "login.py", "shop/users.py":
			t.Errorf("%s written without its feature", f.Path)
		case "app.py":
			if string(f.Data) != "public hello shop\n" {
				t.Errorf("app.py = %q", f.Data)
			}
		case "env":
			if len(f.Data) != 0 {
				t.Errorf("env = %q, want no contributions", f.Data)
			}
		}
	}
	if err := templates.Catalog(packs).Validate(options.Answers{Name: "shop", Framework: "demo", Database: "lite", Auth: "anon", RBAC: true}); err == nil ||
		!strings.Contains(err.Error(), "rbac=true needs users, which auth=anon does not provide: choose auth=pw") {
		t.Errorf("rbac without users: err = %v", err)
	}
}

// TestPlanRendersTemplatesAndCopiesTheRest: .tmpl files are rendered and
// lose the suffix, others are copied byte for byte, __package__ becomes the
// package, and scripts keep their executable mode.
func TestPlanRendersTemplatesAndCopiesTheRest(t *testing.T) {
	pack := testPack(fstest.MapFS{
		"README.md.tmpl":      {Data: []byte("# {{ .Title }} ({{ .Database }})\n")},
		"__package__/main.py": {Data: []byte("print('hi')\n")},
		"ci.yml":              {Data: []byte("run: ${{ matrix.python }}\n")},
		"scripts/start.sh":    {Data: []byte("#!/bin/sh\necho start\n")},
	})
	files, err := Render(pack, options.Answers{Name: "My Shop", Auth: "jwt", Database: "postgres"}, "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]File{}
	var got []string
	for _, f := range files {
		if f.Path != RecordFile {
			got = append(got, f.Path)
			byPath[f.Path] = f
		}
	}
	if want := []string{"README.md", "ci.yml", "my_shop/main.py", "scripts/start.sh"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
	if s := string(byPath["README.md"].Data); s != "# My Shop (postgres)\n" {
		t.Errorf("README.md = %q", s)
	}
	if s := string(byPath["ci.yml"].Data); s != "run: ${{ matrix.python }}\n" {
		t.Errorf("non-template file was changed: %q", s)
	}
	if byPath["scripts/start.sh"].Mode != 0o755 {
		t.Errorf("script mode = %v, want executable", byPath["scripts/start.sh"].Mode)
	}
}

func TestTemplatesCannotReadTheMachine(t *testing.T) {
	for _, fn := range []string{`env "HOME"`, `expandenv "$HOME"`, `getHostByName "localhost"`, `now`, `randAlphaNum 8`, `uuidv4`} {
		pack := testPack(fstest.MapFS{"x.tmpl": {Data: []byte("{{ " + fn + " }}")}})
		if _, err := Render(pack, options.Answers{Name: "demo"}, "1"); err == nil {
			t.Errorf("template calling %s rendered; it must be refused", fn)
		}
	}
	pack := testPack(fstest.MapFS{"x.tmpl": {Data: []byte("{{ .Missing }}")}})
	if _, err := Render(pack, options.Answers{Name: "demo"}, "1"); err == nil {
		t.Error("a missing key rendered; missingkey=error must refuse it")
	}
	// tpl (contributions rendered as templates) has the same limits.
	for _, text := range []string{`{{ now }}`, `{{ env "HOME" }}`, `{{ .Missing }}`} {
		pack := testPack(fstest.MapFS{"x.tmpl": {Data: []byte("{{ tpl " + fmt.Sprintf("%q", text) + " . }}")}})
		if _, err := Render(pack, options.Answers{Name: "demo"}, "1"); err == nil {
			t.Errorf("tpl %s rendered; it must be refused", text)
		}
	}
}

// TestTplRendersContributions: a contribution can use the project's data
// and ask capabilities, like a file.
func TestTplRendersContributions(t *testing.T) {
	fsys := fstest.MapFS{
		"demo/pack.yaml": {Data: []byte(`name: demo
options:
  database: {default: lite, values: [{name: lite, help: embedded}]}
  auth: {default: pw, values: [{name: pw, help: passwords}]}
extension_points:
  - {name: env, help: .env.example entries}
`)},
		"demo/files/env.tmpl":             {Data: []byte("{{ range .C.env }}{{ tpl . $ }}{{ end }}")},
		"demo/features/lite/feature.yaml": {Data: []byte("provides: [database]\n")},
		"demo/features/pw/feature.yaml": {Data: []byte("provides: [users]\ncontributes:\n  env:\n    - |\n" +
			"      ISSUER={{ .Name }}{{ if .Has \"users\" }} # users{{ end }}\n")},
	}
	packs, err := templates.LoadFS(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(packs[0], options.Answers{Name: "shop", Framework: "demo", Database: "lite", Auth: "pw"}, "1")
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, f := range files {
		if f.Path == "env" {
			got = string(f.Data)
		}
	}
	if got != "ISSUER=shop # users\n" {
		t.Errorf("env = %q, want the contribution rendered", got)
	}
}

func TestConditionalContributionsAndFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"demo/pack.yaml": {Data: []byte(`name: demo
options:
  database: {default: lite, values: [{name: lite, help: embedded}]}
  auth: {default: pw, values: [{name: pw, help: passwords}, {name: sso, help: single sign-on}]}
extension_points:
  - {name: routers, help: routers}
`)},
		"demo/files/routers.tmpl":            {Data: []byte("{{ range .C.routers }}{{ .module }} {{ end }}")},
		"demo/features/lite/feature.yaml":    {Data: []byte("provides: [database]\n")},
		"demo/features/pw/feature.yaml":      {Data: []byte("provides: [passwords]\ncontributes:\n  routers:\n    - {module: reset, when: passwords}\n    - {module: me}\n")},
		"demo/features/sso/feature.yaml":     {Data: []byte("contributes:\n  routers:\n    - {module: reset, when: passwords}\n    - {module: me}\n")},
		"demo/features/pw/files/reset.tmpl":  {Data: []byte("{{ if .Has \"passwords\" }}reset{{ end }}\n")},
		"demo/features/sso/files/reset.tmpl": {Data: []byte("{{ if .Has \"passwords\" }}reset{{ end }}\n")},
	}
	packs, err := templates.LoadFS(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	for auth, want := range map[string]map[string]string{
		"pw":  {"routers": "reset me ", "reset": "reset\n"},
		"sso": {"routers": "me "},
	} {
		files, err := Render(packs[0], options.Answers{Name: "shop", Framework: "demo", Database: "lite", Auth: auth}, "1")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range files {
			if f.Path == "routers" || f.Path == "reset" {
				got[f.Path] = string(f.Data)
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("auth=%s: got %q, want %q (a `when` item only with its capability, an empty render not written)", auth, got, want)
		}
	}
}

func TestRenderRefusesEscapingAndDuplicatePaths(t *testing.T) {
	for _, p := range []string{"../x", "/etc/passwd", "a/../../b", ".git/config", `a\b`, ""} {
		if err := checkPath(p); err == nil {
			t.Errorf("checkPath(%q) accepted a path outside the project", p)
		}
	}
	for _, p := range []string{"a", ".env.example", "a/b/c.py", ".github/workflows/ci.yml"} {
		if err := checkPath(p); err != nil {
			t.Errorf("checkPath(%q): %v", p, err)
		}
	}
	pack := testPack(fstest.MapFS{".scaffold.yaml": {Data: []byte("x")}})
	if _, err := Render(pack, options.Answers{Name: "demo"}, "1"); err == nil {
		t.Error("a pack writing .scaffold.yaml twice was accepted")
	}
}

func sampleFiles(n int) []File {
	files := []File{{Path: ".gitignore", Mode: 0o644, Data: []byte(".env\n")}}
	for i := 0; i < n; i++ {
		files = append(files, File{Path: fmt.Sprintf("pkg/d%d/f%d.py", i%10, i), Mode: 0o644, Data: []byte("x = 1\n")})
	}
	return files
}

func TestWriteNewTarget(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "demo")
	res, err := Write(context.Background(), target, sampleFiles(5), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 6 {
		t.Errorf("files = %d, want 6", res.Files)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "demo" {
		t.Errorf("parent holds %v; the staging directory must be gone", entries)
	}
}

func TestWriteRefusesNonEmptyTargetAndChangesNothing(t *testing.T) {
	target := filepath.Join(t.TempDir(), "demo")
	if err := os.MkdirAll(filepath.Join(target, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(target, "pkg", "f0.py")
	if err := os.WriteFile(mine, []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Write(context.Background(), target, sampleFiles(3), WriteOptions{})
	var exists *TargetExistsError
	if !errors.As(err, &exists) || exists.Path != target || !IsUserError(err) {
		t.Fatalf("err = %v, want a TargetExistsError for %s", err, target)
	}
	if b, _ := os.ReadFile(mine); string(b) != "mine\n" {
		t.Errorf("existing file changed to %q", b)
	}
	if _, err := os.Stat(filepath.Join(target, ".gitignore")); err == nil {
		t.Error("a file was written into the refused target")
	}
}

func TestWriteForceKeepsOtherFiles(t *testing.T) {
	target := filepath.Join(t.TempDir(), "demo")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(target, "NOTES.txt")
	if err := os.WriteFile(notes, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Write(context.Background(), target, sampleFiles(3),
		WriteOptions{Force: true, Git: &GitOptions{Name: "T", Email: "t@example.com", When: time.Unix(0, 0), Message: "init"}})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(notes); string(b) != "keep\n" {
		t.Error("--force deleted or changed a file the generator does not write")
	}
	if !res.Committed {
		t.Error("no commit was made")
	}
	status := worktreeStatus(t, target)
	if st := status.File("NOTES.txt"); st.Worktree != git.Untracked {
		t.Errorf("NOTES.txt should be left untracked for the user; status: %v", status)
	}
	for name, st := range status {
		if name != "NOTES.txt" && (st.Worktree != git.Unmodified || st.Staging != git.Unmodified) {
			t.Errorf("%s: %c%c after the commit, want it committed and clean", name, st.Staging, st.Worktree)
		}
	}
}

func worktreeStatus(t *testing.T, dir string) git.Status {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	status, err := wt.Status()
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// TestCommitMatchesGitAddCommit proves that the packfile commit is the very
// commit that adding every file and committing (what git itself does) makes,
// and that the result is a clean worktree.
func TestCommitMatchesGitAddCommit(t *testing.T) {
	files := []File{
		{Path: ".gitignore", Mode: 0o644, Data: []byte(".env\n")},
		{Path: ".env", Mode: 0o644, Data: []byte("SECRET=x\n")},
		{Path: "a.py", Mode: 0o644, Data: []byte("a\n")},
		{Path: "a-b/c.txt", Mode: 0o644, Data: []byte("dash sorts before slash\n")},
		{Path: "a/b/c.py", Mode: 0o644, Data: []byte("deep\n")},
		{Path: "a/b.py", Mode: 0o644, Data: []byte("b\n")},
		{Path: "bin/run", Mode: 0o755, Data: []byte("#!/bin/sh\necho hi\n")},
		{Path: "empty.txt", Mode: 0o644, Data: nil},
	}
	opts := GitOptions{Name: "T", Email: "t@example.com", When: time.Unix(1700000000, 0).UTC(), Message: "init\n"}
	write := func() string {
		dir := t.TempDir()
		for _, f := range files {
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}

	fast := write()
	if err := Commit(fast, files, opts); err != nil {
		t.Fatal(err)
	}
	ref := write()
	repo, err := git.PlainInitWithOptions(ref, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: opts.Name, Email: opts.Email, When: opts.When}
	want, err := wt.Commit(opts.Message, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}

	fastRepo, err := git.PlainOpen(fast)
	if err != nil {
		t.Fatal(err)
	}
	head, err := fastRepo.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Hash() != want {
		t.Errorf("commit %s, want %s (what add + commit gives)", head.Hash(), want)
	}
	for name, st := range worktreeStatus(t, fast) {
		if name == ".env" {
			continue // ignored, so never reported
		}
		t.Errorf("%s: %c%c after the commit, want a clean worktree", name, st.Staging, st.Worktree)
	}
	if packs, _ := filepath.Glob(filepath.Join(fast, ".git", "objects", "pack", "*.pack")); len(packs) != 1 {
		t.Errorf("%d packfiles, want the objects in one", len(packs))
	}
	if _, err := exec.LookPath("git"); err == nil {
		if out, err := exec.Command("git", "-C", fast, "fsck", "--strict").CombinedOutput(); err != nil {
			t.Errorf("git fsck: %v\n%s", err, out)
		}
	}
}

// TestWriteForceIsAllOrNothing: when --force fails midway, the files it had
// already replaced are restored and the new ones removed.
func TestWriteForceIsAllOrNothing(t *testing.T) {
	target := filepath.Join(t.TempDir(), "demo")
	files := sampleFiles(20)
	mine := filepath.Join(target, ".gitignore")
	blocker := filepath.Join(target, filepath.FromSlash(files[len(files)-1].Path))
	if err := os.MkdirAll(blocker, 0o755); err != nil { // a directory where the last file goes
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := treeOf(t, target)
	_, err := Write(context.Background(), target, files, WriteOptions{Force: true})
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("err = %v, want the blocking directory named", err)
	}
	if after := treeOf(t, target); after != before {
		t.Errorf("a failed --force changed the directory:\nbefore %s\nafter  %s", before, after)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(target), stagePrefix+"*")); len(left) != 0 {
		t.Errorf("staging left behind: %v", left)
	}
}

// treeOf lists a directory's files with their contents.
func treeOf(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			fmt.Fprintf(&b, "%s/ ", rel)
			return nil
		}
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s=%q ", rel, data)
		return nil
	})
	return b.String()
}

func TestWriteCancelledLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Write(ctx, filepath.Join(parent, "demo"), sampleFiles(50), WriteOptions{}); err == nil {
		t.Fatal("a cancelled write succeeded")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a cancelled write left %v", entries)
	}
}

// TestWriteKilledLeavesNoPartialProject kills a writing process with SIGKILL
// and checks that the target does not exist, then that the next run removes
// the dead run's staging directory.
func TestWriteKilledLeavesNoPartialProject(t *testing.T) {
	if os.Getenv("SCAFFOLD_WRITE_CHILD") != "" {
		_, err := Write(context.Background(), os.Getenv("SCAFFOLD_WRITE_CHILD"), sampleFiles(200000), WriteOptions{})
		fmt.Println(err)
		os.Exit(0)
	}
	parent := t.TempDir()
	target := filepath.Join(parent, "demo")
	child := exec.Command(os.Args[0], "-test.run=^TestWriteKilledLeavesNoPartialProject$")
	child.Env = append(os.Environ(), "SCAFFOLD_WRITE_CHILD="+target)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child is writing into its staging directory.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(parent, stagePrefix+"*", "project", "pkg")); len(m) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	_ = child.Process.Signal(syscall.SIGKILL)
	_ = child.Wait()
	if _, err := os.Stat(target); err == nil {
		t.Fatal("a killed run left a project at the target")
	}
	stale, _ := filepath.Glob(filepath.Join(parent, stagePrefix+"*"))
	if len(stale) == 0 {
		t.Fatal("the child finished before it was killed; the test proved nothing")
	}
	if _, err := Write(context.Background(), target, sampleFiles(2), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(parent, stagePrefix+"*")); len(left) != 0 {
		t.Errorf("stale staging directories were not removed: %v", left)
	}
}

func TestCommitHonoursGitignoreOnMain(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Path: ".gitignore", Data: []byte(".env\n")}, {Path: ".env", Data: []byte("SECRET=x\n")}, {Path: "a.py", Data: []byte("a\n")}}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Commit(dir, files, GitOptions{Name: "T", Email: "t@example.com", When: time.Unix(1700000000, 0), Message: "init"}); err != nil {
		t.Fatal(err)
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Name().String() != "refs/heads/main" {
		t.Errorf("HEAD is %s, want refs/heads/main", head.Name())
	}
	commit, err := repo.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if commit.Author.Name != "T" || commit.Message != "init" || commit.NumParents() != 0 {
		t.Errorf("commit by %q with message %q and %d parents", commit.Author.Name, commit.Message, commit.NumParents())
	}
	tree, err := commit.Tree()
	if err != nil {
		t.Fatal(err)
	}
	var committed []string
	_ = tree.Files().ForEach(func(f *object.File) error {
		committed = append(committed, f.Name)
		return nil
	})
	if got := strings.Join(committed, " "); got != ".gitignore a.py" {
		t.Errorf("committed %q, want %q (.env is ignored)", got, ".gitignore a.py")
	}
}

// TestTplRendersContributedText: a contribution can be a template (the
// project's names, capabilities) rendered with the file's data by `tpl`.
func TestTplRendersContributedText(t *testing.T) {
	d := Data{Name: "shop", Package: "shop", caps: map[string]bool{"rbac": true}}
	got, err := tpl(`{{ .Package }}.cli{{ if .Has "rbac" }} grant-role{{ end }}{{ if .Has "users" }} users{{ end }} {{ "x" | upper }}`, d)
	if err != nil || got != "shop.cli grant-role X" {
		t.Errorf("tpl = %q, %v", got, err)
	}
	if _, err := tpl(`{{ .Nope }}`, d); err == nil {
		t.Error("tpl of an unknown field: no error")
	}
}

// TestSharedFileSetsAndContract: two packs name the same file sets of
// _shared/ (one with the base, one with a feature) and publish the shared
// contract; both get the same files and the same openapi.yaml, and a
// reference to a missing set is refused when the pack is loaded.
func TestSharedFileSetsAndContract(t *testing.T) {
	manifest := func(name string) []byte {
		return []byte("name: " + name + `
options:
  database: {default: lite, values: [{name: lite, help: embedded}]}
  auth: {default: pw, values: [{name: pw, help: passwords}]}
shared: [common]
contract: true
`)
	}
	fsys := fstest.MapFS{
		"_shared/common/files/__package__/models.py":       {Data: []byte("models\n")},
		"_shared/accounts/files/__package__/users.py.tmpl": {Data: []byte("users of {{ .Name }}\n")},
		"_shared/contract/openapi.yaml.tmpl":               {Data: []byte("openapi: 3.1.0\ninfo: {title: {{ .Title | toJson }}}\npaths: {}\n")},
		"_shared/contract/features/pw.yaml.tmpl":           {Data: []byte("paths:\n  /login:\n    post: {summary: login}\n")},
		"one/pack.yaml":                                    {Data: manifest("one")},
		"one/files/app.py":                                 {Data: []byte("one\n")},
		"one/features/lite/feature.yaml":                   {Data: []byte("provides: [database]\n")},
		"one/features/pw/feature.yaml":                     {Data: []byte("shared: [accounts]\n")},
		"two/pack.yaml":                                    {Data: manifest("two")},
		"two/files/app.py":                                 {Data: []byte("two\n")},
		"two/features/lite/feature.yaml":                   {Data: []byte("provides: [database]\n")},
		"two/features/pw/feature.yaml":                     {Data: []byte("shared: [accounts]\n")},
	}
	packs, err := templates.LoadFS(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	var outputs []map[string]string
	for _, p := range packs {
		files, err := Render(p, options.Answers{Name: "shop", Framework: p.Name, Database: "lite", Auth: "pw"}, "1")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range files {
			got[f.Path] = string(f.Data)
		}
		outputs = append(outputs, got)
	}
	for i, got := range outputs {
		if got["shop/models.py"] != "models\n" || got["shop/users.py"] != "users of shop\n" {
			t.Errorf("pack %d: shared files = %q, %q", i, got["shop/models.py"], got["shop/users.py"])
		}
		if !strings.Contains(got["openapi.yaml"], "/login:") || got["openapi.yaml"] != outputs[0]["openapi.yaml"] {
			t.Errorf("pack %d: openapi.yaml = %q, want the shared contract with the feature's fragment", i, got["openapi.yaml"])
		}
	}
	if outputs[0]["app.py"] == outputs[1]["app.py"] {
		t.Errorf("the packs' own files were not kept apart")
	}

	fsys["one/features/pw/feature.yaml"] = &fstest.MapFile{Data: []byte("shared: [nosuch]\n")}
	if _, err := templates.LoadFS(fsys, "test"); err == nil || !strings.Contains(err.Error(), `no shared file set "nosuch"`) {
		t.Errorf("missing shared set: err = %v", err)
	}
}

// TestEveryTemplateParses: a project parses only the templates it needs,
// so a syntax error in a file no golden project uses would show only in a
// user's project; every template of every built-in pack is parsed here.
func TestEveryTemplateParses(t *testing.T) {
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pack := range packs {
		var plan []planned
		for shared, fsys := range map[bool]fs.FS{false: pack.FS, true: pack.Shared} {
			_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, TemplateSuffix) {
					plan = append(plan, planned{src: p, template: true, shared: shared})
				}
				return err
			})
		}
		set, err := parseSet(pack, plan, slices.Sorted(maps.Keys(pack.Features)))
		if err != nil {
			t.Fatalf("%s: %v", pack.Name, err)
		}
		if n := len(set.Templates()); n < len(plan) {
			t.Errorf("%s: %d templates parsed, %d files", pack.Name, n, len(plan))
		}
	}
}

// TestGenerateStreamsAndStaysAtomic: Generate writes files while the rest
// render. A template that fails after many files were written, a cancel
// while writing, and an occupied target all leave nothing behind: no
// target, no staging directory; a good run gives the files Render gives.
func TestGenerateStreamsAndStaysAtomic(t *testing.T) {
	fsys := fstest.MapFS{
		"demo/pack.yaml":                  {Data: []byte("name: demo\noptions:\n  database: {default: lite, values: [{name: lite, help: l}]}\n  auth: {default: pw, values: [{name: pw, help: p}, {name: bad, help: b}]}\n")},
		"demo/features/lite/feature.yaml": {Data: []byte("")},
		"demo/features/pw/feature.yaml":   {Data: []byte("")},
		"demo/features/bad/feature.yaml":  {Data: []byte("")},
		"demo/features/bad/files/zz.tmpl": {Data: []byte("{{ .Missing }}")},
	}
	for i := range 200 {
		fsys[fmt.Sprintf("demo/files/d%d/f%03d.txt.tmpl", i%7, i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("{{ .Name }} %d\n", i))}
	}
	packs, err := templates.LoadFS(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	answers := func(auth string) options.Answers {
		return options.Answers{Name: "shop", Framework: "demo", Database: "lite", Auth: auth}
	}
	leftovers := func(parent string) []string {
		entries, _ := os.ReadDir(parent)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}

	parent := t.TempDir()
	if _, err := Generate(context.Background(), packs, answers("bad"), filepath.Join(parent, "shop"), Options{}); err == nil || !strings.Contains(err.Error(), "Missing") {
		t.Fatalf("err = %v, want the template's error", err)
	}
	if l := leftovers(parent); len(l) != 0 {
		t.Errorf("a failed render left %v", l)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, packs, answers("pw"), filepath.Join(parent, "shop"), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if l := leftovers(parent); len(l) != 0 {
		t.Errorf("a cancelled run left %v", l)
	}

	target := filepath.Join(parent, "shop")
	out, err := Generate(context.Background(), packs, answers("pw"), target, Options{Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Render(packs[0], answers("pw"), "1")
	if err != nil {
		t.Fatal(err)
	}
	if out.Result.Files != len(want) || len(out.Files) != len(want) {
		t.Fatalf("wrote %d files, returned %d, Render gives %d", out.Result.Files, len(out.Files), len(want))
	}
	for i, f := range want {
		got, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(f.Path)))
		if err != nil || !bytes.Equal(got, f.Data) || out.Files[i].Path != f.Path {
			t.Fatalf("%s: %q, %v; want %q", f.Path, got, err, f.Data)
		}
	}
	if l := leftovers(parent); !slices.Equal(l, []string{"shop"}) {
		t.Errorf("after a good run the parent holds %v", l)
	}
	var exists *TargetExistsError
	if _, err := Generate(context.Background(), packs, answers("pw"), target, Options{}); !errors.As(err, &exists) {
		t.Fatalf("err = %v, want TargetExistsError", err)
	}
	if l := leftovers(parent); !slices.Equal(l, []string{"shop"}) {
		t.Errorf("a refused run left %v", l)
	}
}
