package generator

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

func TestMerge3(t *testing.T) {
	base := "a\nb\nc\nd\ne\n"
	cases := []struct {
		name, ours, theirs, want string
		conflict                 bool
	}{
		{"only ours", "a\nB\nc\nd\ne\n", base, "a\nB\nc\nd\ne\n", false},
		{"only theirs", base, "a\nb\nc\nD\ne\n", "a\nb\nc\nD\ne\n", false},
		{"apart", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n", false},
		{"same change", "a\nX\nc\nd\ne\n", "a\nX\nc\nd\ne\n", "a\nX\nc\nd\ne\n", false},
		{"insert and change apart", "a\nnew\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "a\nnew\nb\nc\nd\nE\n", false},
		{"ours deletes, theirs appends", "a\nc\nd\ne\n", "a\nb\nc\nd\ne\nf\n", "a\nc\nd\ne\nf\n", false},
		{"both change one line", "a\nmine\nc\nd\ne\n", "a\ntheirs\nc\nd\ne\n",
			"a\n<<<<<<< yours\nmine\n||||||| before\nb\n=======\ntheirs\n>>>>>>> new\nc\nd\ne\n", true},
		{"both insert at one place", "a\nb\nmine\nc\nd\ne\n", "a\nb\ntheirs\nc\nd\ne\n",
			"a\nb\n<<<<<<< yours\nmine\n||||||| before\n=======\ntheirs\n>>>>>>> new\nc\nd\ne\n", true},
		{"touching changes are decided together", "a\nB\nc\nd\ne\n", "a\nb\nC\nd\ne\n",
			"a\n<<<<<<< yours\nB\nc\n||||||| before\nb\nc\n=======\nb\nC\n>>>>>>> new\nd\ne\n", true},
		{"no final newline", "a\nb\nc\nd\ne", "a\nb\nc\nd\ne\nf\n",
			"a\nb\nc\nd\n<<<<<<< yours\ne\n||||||| before\ne\n=======\ne\nf\n>>>>>>> new\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, conflict := Merge3([]byte(base), []byte(c.ours), []byte(c.theirs), "yours", "new")
			if string(got) != c.want || conflict != c.conflict {
				t.Errorf("Merge3 = %q (conflict %v), want %q (conflict %v)", got, conflict, c.want, c.conflict)
			}
		})
	}
}

// updateFixture generates a project with its first commit and returns the
// packs, the project's directory and its answers.
func updateFixture(t *testing.T, a options.Answers) ([]templates.Pack, string) {
	t.Helper()
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shop")
	git := &GitOptions{Name: "T", Email: "t@example.com", When: time.Unix(1700000000, 0),
		Message: InitialCommitPrefix + "1.0.0\n\nAnswers are recorded in .scaffold.yaml."}
	if _, err := Generate(context.Background(), packs, a, dir, Options{Version: "1.0.0", Git: git}); err != nil {
		t.Fatal(err)
	}
	return packs, dir
}

func updateAnswers(auth string, rbac bool, integrations ...string) options.Answers {
	return options.Answers{Name: "shop", Framework: "fastapi", Database: "sqlite", Auth: auth, RBAC: rbac, Integrations: integrations}
}

func frameworkAnswers(framework, auth string, rbac bool, integrations ...string) options.Answers {
	a := updateAnswers(auth, rbac, integrations...)
	a.Framework = framework
	return a
}

var updateGit = GitOptions{Name: "T", Email: "t@example.com", When: time.Unix(1700001000, 0)}

// commitAll commits the working tree as the user would (git add -A && git
// commit), with MERGE_HEAD as second parent when it exists.
func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	head, _ := repo.Head()
	parents := []plumbing.Hash{head.Hash()}
	if data, err := os.ReadFile(filepath.Join(dir, ".git", "MERGE_HEAD")); err == nil {
		parents = append(parents, plumbing.NewHash(strings.TrimSpace(string(data))))
	}
	sig := &object.Signature{Name: "U", Email: "u@example.com", When: time.Unix(1700002000, 0)}
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Parents: parents, AllowEmptyCommits: true}); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(dir, ".git", "MERGE_HEAD"))
	_ = os.Remove(filepath.Join(dir, ".git", "MERGE_MSG"))
}

// TestUpdateOfAnUntouchedProjectEqualsAFreshOne: new answers on a project
// nobody changed give exactly the files `new` gives for those answers.
func TestUpdateOfAnUntouchedProjectEqualsAFreshOne(t *testing.T) {
	for _, framework := range []string{"fastapi", "flask", "django"} {
		t.Run(framework, func(t *testing.T) { testUpdateEqualsFresh(t, framework) })
	}
}

func testUpdateEqualsFresh(t *testing.T, framework string) {
	packs, dir := updateFixture(t, frameworkAnswers(framework, "none", false))
	want := frameworkAnswers(framework, "jwt", true, "cache", "email")
	res, err := Update(context.Background(), packs, want, dir, UpdateOptions{Version: "1.1.0", Git: updateGit})
	if err != nil {
		t.Fatal(err)
	}
	if res.Conflicts() != 0 || res.Output == "" {
		t.Fatalf("conflicts %d, output %q", res.Conflicts(), res.Output)
	}
	fresh, err := Render(findPack(t, packs, framework), options.Normalize(want), "1.1.0")
	if err != nil {
		t.Fatal(err)
	}
	freshPaths := map[string]bool{}
	for _, f := range fresh {
		freshPaths[f.Path] = true
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from a fresh project's (%v)", f.Path, err)
		}
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(dir, p)
		if !d.IsDir() && !freshPaths[filepath.ToSlash(rel)] {
			t.Errorf("%s is left over: a fresh project does not have it", rel)
		}
		return nil
	})

	// scaffold's new output is on the scaffold branch, its parent the
	// first commit, and MERGE_HEAD names it.
	repo, _ := git.PlainOpen(dir)
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(ScaffoldBranch), true)
	if err != nil || ref.Hash().String() != res.Output {
		t.Fatalf("branch %s: %v %v", ScaffoldBranch, ref, err)
	}
	out, _ := repo.CommitObject(ref.Hash())
	if len(out.ParentHashes) != 1 || out.ParentHashes[0].String() != res.Base {
		t.Errorf("output's parents %v, want the base %s", out.ParentHashes, res.Base)
	}
	merge, _ := os.ReadFile(filepath.Join(dir, ".git", "MERGE_HEAD"))
	if strings.TrimSpace(string(merge)) != res.Output {
		t.Errorf("MERGE_HEAD %q, want %s", merge, res.Output)
	}

	// Once merged, the same answers again change nothing.
	commitAll(t, dir, "Update to scaffold 1.1.0")
	again, err := Update(context.Background(), packs, want, dir, UpdateOptions{Version: "1.1.0", Git: updateGit})
	if err != nil || len(again.Changes) != 0 || again.Base != res.Output {
		t.Fatalf("second update: %v, changes %v, base %s (want %s)", err, again.Changes, again.Base, res.Output)
	}
}

func findPack(t *testing.T, packs []templates.Pack, name string) templates.Pack {
	t.Helper()
	p, ok := templates.Find(packs, name)
	if !ok {
		t.Fatalf("no pack %s", name)
	}
	return p
}

// TestUpdateKeepsTheProjectsChanges: a change scaffold did not touch
// stays, one beside scaffold's change is merged, one on the same line is a
// conflict with both versions, a deleted file stays deleted.
func TestUpdateKeepsTheProjectsChanges(t *testing.T) {
	packs, dir := updateFixture(t, updateAnswers("none", false))
	path := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	readme, _ := os.ReadFile(path("README.md"))
	// Our note at the end of the README; scaffold's changes are elsewhere.
	if err := os.WriteFile(path("README.md"), append(readme, []byte("\n## Our team's notes\n\nDeploys on Fridays.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	// A line scaffold changes too: the first line of .env.example that
	// differs between the old answers' output and the new ones'.
	next := updateAnswers("jwt", false, "cache")
	newFiles, err := Render(findPack(t, packs, "fastapi"), options.Normalize(next), "1.1.0")
	if err != nil {
		t.Fatal(err)
	}
	var newEnv string
	for _, f := range newFiles {
		if f.Path == ".env.example" {
			newEnv = string(f.Data)
		}
	}
	env, _ := os.ReadFile(path(".env.example"))
	oldLines, newLines := strings.SplitAfter(string(env), "\n"), strings.SplitAfter(newEnv, "\n")
	changed := -1
	for i := 0; i < len(oldLines) && i < len(newLines); i++ {
		if oldLines[i] != newLines[i] {
			changed = i
			break
		}
	}
	if changed < 0 {
		t.Fatal("the new answers change no line of .env.example in place; pick other answers for this test")
	}
	oldLines[changed] = "# ours\n"
	if err := os.WriteFile(path(".env.example"), []byte(strings.Join(oldLines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path("docker-compose.yml")); err != nil {
		t.Fatal(err)
	}
	commitAll(t, dir, "our changes")

	res, err := Update(context.Background(), packs, next, dir, UpdateOptions{Version: "1.1.0", Git: updateGit})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, c := range res.Changes {
		kinds[c.Path] = c.Kind
	}
	got, _ := os.ReadFile(path("README.md"))
	if kinds["README.md"] != ChangeMerged || !strings.Contains(string(got), "Deploys on Fridays.") ||
		!strings.Contains(string(got), "JWT") || strings.Contains(string(got), "<<<<<<<") {
		t.Errorf("README.md: %s, want merged with our note and scaffold's jwt text:\n%s", kinds["README.md"], got)
	}
	if _, err := os.Stat(path("docker-compose.yml")); !errors.Is(err, os.ErrNotExist) || kinds["docker-compose.yml"] != ChangeSkipped {
		t.Errorf("docker-compose.yml: %s, %v; want it left deleted and reported as skipped", kinds["docker-compose.yml"], err)
	}
	env, _ = os.ReadFile(path(".env.example"))
	if kinds[".env.example"] != ChangeConflict || res.Conflicts() != 1 ||
		!strings.Contains(string(env), "<<<<<<< your project\n# ours\n") || !strings.Contains(string(env), ">>>>>>> scaffold 1.1.0\n") {
		t.Errorf(".env.example: %s (%d conflicts), want one conflict with our line between markers:\n%s",
			kinds[".env.example"], res.Conflicts(), env)
	}
	if got := res.ChangedMigrations(); len(got) != 1 || got[0] != "migrations/versions/0001_initial.py" {
		t.Errorf("changed migrations %v, want the initial migration", got)
	}
}

// TestUpdateRefusesAndWritesNothing: no repository, uncommitted changes,
// a merge in progress.
func TestUpdateRefusesAndWritesNothing(t *testing.T) {
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := updateAnswers("none", false)
	b := updateAnswers("jwt", false)
	plain := filepath.Join(t.TempDir(), "plain")
	if _, err := Generate(context.Background(), packs, a, plain, Options{Version: "1.0.0"}); err != nil {
		t.Fatal(err)
	}
	_, dirty := updateFixture(t, a)
	if err := os.WriteFile(filepath.Join(dirty, "README.md"), []byte("edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, merging := updateFixture(t, a)
	if _, err := Update(context.Background(), packs, b, merging, UpdateOptions{Version: "1.1.0", Git: updateGit}); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{plain: "not the root of a git repository", dirty: "uncommitted changes (README.md)",
		merging: "a merge is in progress"} {
		before := snapshot(t, dir)
		_, err := Update(context.Background(), packs, b, dir, UpdateOptions{Version: "1.1.0", Git: updateGit})
		var refused *UpdateRefusedError
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want refused with %q", filepath.Base(dir), err, want)
		}
		if after := snapshot(t, dir); after != before {
			t.Errorf("%s: a refused update changed files", filepath.Base(dir))
		}
	}
}

// snapshot lists every file under dir with its size and content hash.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.WriteString(p + " " + plumbing.ComputeHash(plumbing.BlobObject, data).String() + "\n")
		}
		return nil
	})
	return b.String()
}
