package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// Commit messages that mark scaffold's own output in a project's history:
// the first commit `new` makes, and each commit `update` adds on the
// scaffold branch. Update looks for the newest of them among HEAD's
// ancestors to know what scaffold generated last.
const (
	InitialCommitPrefix  = "Initial commit from scaffold "
	PristineCommitPrefix = "scaffold output: "
	// ScaffoldBranch holds scaffold's output, one commit per update.
	ScaffoldBranch = "scaffold"
)

// UpdateOptions control one update.
type UpdateOptions struct {
	Version string
	Extras  []Extra
	DryRun  bool
	Git     GitOptions // identity and time of the commit of scaffold's new output
}

// Change kinds, as reported to the user.
const (
	ChangeAdded    = "added"    // new in scaffold's output
	ChangeUpdated  = "updated"  // unchanged in the project, so scaffold's new version was taken
	ChangeRemoved  = "removed"  // no longer generated, and unchanged in the project
	ChangeMerged   = "merged"   // changed on both sides, merged without conflict
	ChangeConflict = "conflict" // changed on both sides; conflict markers written
	ChangeKept     = "kept"     // no longer generated, but changed in the project: kept
	ChangeSkipped  = "skipped"  // deleted in the project and changed by scaffold: left deleted
)

// FileChange is what the update did to one file.
type FileChange struct {
	Path string
	Kind string
}

// UpdateResult is what Update did (or, on a dry run, would do).
type UpdateResult struct {
	Changes []FileChange
	Base    string // the commit of scaffold's previous output
	Output  string // the commit of its new output (empty on a dry run or when nothing changed)
}

// Conflicts counts the files left with conflict markers.
func (r UpdateResult) Conflicts() int {
	n := 0
	for _, c := range r.Changes {
		if c.Kind == ChangeConflict {
			n++
		}
	}
	return n
}

// ChangedMigrations lists the migration files that existed in scaffold's
// previous output and that the update changed: a database migrated with
// the old version will not run them again.
func (r UpdateResult) ChangedMigrations() []string {
	var out []string
	for _, c := range r.Changes {
		if c.Kind != ChangeAdded && c.Kind != ChangeSkipped && isMigration(c.Path) {
			out = append(out, c.Path)
		}
	}
	return out
}

// isMigration: a numbered Python module in a migrations directory (Django's
// app/migrations/0001_initial.py) or in Alembic's migrations/versions/.
func isMigration(p string) bool {
	dir, name := pathpkg.Split(p)
	if !strings.HasSuffix(name, ".py") || name == "__init__.py" {
		return false
	}
	dir = strings.TrimSuffix(dir, "/")
	return strings.HasSuffix(dir, "migrations/versions") ||
		(pathpkg.Base(dir) == "migrations" && name[0] >= '0' && name[0] <= '9')
}

// UpdateRefusedError: the project is not in a state an update can start
// from (not a repository, uncommitted changes, a merge in progress, no
// scaffold commit in its history), or answers that rename the project or
// change its framework. Nothing was written.
type UpdateRefusedError struct{ Err error }

func (e *UpdateRefusedError) Error() string { return e.Err.Error() }
func (e *UpdateRefusedError) Unwrap() error { return e.Err }

// Update brings the project in dir to what scaffold generates now for
// answers a, keeping the project's own changes. It is a three-way merge,
// file by file and line by line: the base is scaffold's previous output (the
// newest scaffold commit among HEAD's ancestors), "ours" the working tree,
// "theirs" the new output. The new output is committed on the scaffold
// branch, with the previous output as parent, and MERGE_HEAD names it, so
// that the user's next `git commit` records the update as a merge. The index
// is left alone: the result is in the working tree, for review.
func Update(ctx context.Context, packs []templates.Pack, a options.Answers, dir string, opts UpdateOptions) (UpdateResult, error) {
	var res UpdateResult
	repo, base, err := openForUpdate(dir)
	if err != nil {
		return res, err
	}
	res.Base = base.Hash.String()
	baseFiles, err := treeFiles(base)
	if err != nil {
		return res, err
	}
	if err := keepsIdentity(baseFiles, a); err != nil {
		return res, err
	}
	out, err := Generate(ctx, packs, a, dir, Options{Version: opts.Version, Extras: opts.Extras, DryRun: true})
	if err != nil {
		return res, err
	}
	newFiles := committable(out.Files)

	type plan struct {
		path string
		data []byte // nil: remove
		mode os.FileMode
	}
	var writes []plan
	theirs := map[string]File{}
	for _, f := range newFiles {
		theirs[f.Path] = f
	}
	paths := make([]string, 0, len(baseFiles)+len(theirs))
	for p := range baseFiles {
		paths = append(paths, p)
	}
	for p := range theirs {
		if _, ok := baseFiles[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	label := "scaffold " + opts.Version
	for _, p := range paths {
		b, inBase := baseFiles[p]
		t, inNew := theirs[p]
		if inBase == inNew && (!inBase || bytes.Equal(b, t.Data)) {
			continue // scaffold's output did not change
		}
		o, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		inOurs := err == nil
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return res, fmt.Errorf("reading %s: %w", p, err)
		}
		switch {
		case inOurs == inBase && (!inOurs || bytes.Equal(o, b)):
			// The project did not touch the file: take the new output.
			if !inNew {
				writes = append(writes, plan{path: p})
				res.Changes = append(res.Changes, FileChange{p, ChangeRemoved})
				break
			}
			writes = append(writes, plan{path: p, data: t.Data, mode: t.Mode})
			kind := ChangeUpdated
			if !inOurs {
				kind = ChangeAdded
			}
			res.Changes = append(res.Changes, FileChange{p, kind})
		case inOurs == inNew && (!inOurs || bytes.Equal(o, t.Data)):
			// The project already has the new version.
		case !inNew:
			res.Changes = append(res.Changes, FileChange{p, ChangeKept})
		case !inOurs:
			res.Changes = append(res.Changes, FileChange{p, ChangeSkipped})
		default:
			merged, conflict := Merge3(b, o, t.Data, "your project", label)
			writes = append(writes, plan{path: p, data: merged, mode: t.Mode})
			kind := ChangeMerged
			if conflict {
				kind = ChangeConflict
			}
			res.Changes = append(res.Changes, FileChange{p, kind})
		}
	}
	if opts.DryRun || len(res.Changes) == 0 {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}

	// scaffold's new output, committed first: once the working tree changes,
	// MERGE_HEAD must be able to name it.
	commit := opts.Git
	commit.Message = fmt.Sprintf("%sscaffold %s, for the answers in .scaffold.yaml\n\n"+
		"This commit holds only what scaffold generated; `scaffold update` merges it into the project.\n",
		PristineCommitPrefix, opts.Version)
	objs, _, head, err := commitObjects(newFiles, commit, base.Hash)
	if err != nil {
		return res, err
	}
	if err := objs.writePack(filepath.Join(dir, ".git", "objects", "pack")); err != nil {
		return res, &GitError{Err: fmt.Errorf("committing scaffold's output: %w", err)}
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(ScaffoldBranch), head)); err != nil {
		return res, &GitError{Err: fmt.Errorf("setting the %s branch: %w", ScaffoldBranch, err)}
	}
	res.Output = head.String()

	for _, w := range writes {
		path := filepath.Join(dir, filepath.FromSlash(w.path))
		if w.data == nil {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return res, fmt.Errorf("removing %s: %w", w.path, err)
			}
			continue
		}
		if err := writeFileAtomic(path, w.data, w.mode); err != nil {
			return res, fmt.Errorf("writing %s: %w", w.path, err)
		}
	}
	gitDir := filepath.Join(dir, ".git")
	if err := os.WriteFile(filepath.Join(gitDir, "MERGE_HEAD"), []byte(head.String()+"\n"), 0o644); err != nil {
		return res, &GitError{Err: err}
	}
	mergeMsg := fmt.Sprintf("Update to scaffold %s\n\nMerges scaffold's output for the answers in .scaffold.yaml (branch %s).\n",
		opts.Version, ScaffoldBranch)
	if err := os.WriteFile(filepath.Join(gitDir, "MERGE_MSG"), []byte(mergeMsg), 0o644); err != nil {
		return res, &GitError{Err: err}
	}
	return res, nil
}

// keepsIdentity refuses answers that rename the project or change its
// framework: the package directory or the whole tree would be replaced, and
// the project's own files would be left beside the new ones.
func keepsIdentity(baseFiles map[string][]byte, a options.Answers) error {
	data, ok := baseFiles[".scaffold.yaml"]
	if !ok {
		return nil
	}
	was, err := options.ParseAnswers(".scaffold.yaml in scaffold's last output", data)
	if err != nil {
		return nil // an older record the parser no longer reads: nothing to compare
	}
	switch {
	case was.Answers.Framework != "" && was.Answers.Framework != a.Framework:
		return &UpdateRefusedError{Err: fmt.Errorf("the project was generated for framework %s, and the answers now say %s: "+
			"update keeps the framework (a different framework is a new project: scaffold new)", was.Answers.Framework, a.Framework)}
	case was.Answers.Name != "" && was.Answers.Name != a.Name:
		return &UpdateRefusedError{Err: fmt.Errorf("the project was generated as %q, and .scaffold.yaml now says %q: "+
			"update keeps the name, which names the package directory; set name back to %q "+
			"(renaming the package is a change to make by hand)", was.Answers.Name, a.Name, was.Answers.Name)}
	}
	return nil
}

// openForUpdate opens the project's repository, refuses a state an update
// cannot start from, and finds the commit of scaffold's last output.
func openForUpdate(dir string) (*git.Repository, *object.Commit, error) {
	refuse := func(format string, args ...any) error {
		return &UpdateRefusedError{Err: fmt.Errorf(format, args...)}
	}
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, nil, refuse("%s is not the root of a git repository: update merges scaffold's new output "+
			"with your changes, and needs the history to tell them apart (projects made with --no-git cannot be updated)", dir)
	}
	if err != nil {
		return nil, nil, &GitError{Err: fmt.Errorf("opening the repository in %s: %w", dir, err)}
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "MERGE_HEAD")); err == nil {
		return nil, nil, refuse("a merge is in progress in %s: finish it with git commit, or undo it, then run update again", dir)
	}
	head, err := repo.Head()
	if err != nil {
		return nil, nil, refuse("%s has no commit yet: commit the project first", dir)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, nil, &GitError{Err: err}
	}
	status, err := wt.Status()
	if err != nil {
		return nil, nil, &GitError{Err: fmt.Errorf("reading git status: %w", err)}
	}
	if !status.IsClean() {
		var dirty []string
		for p := range status {
			dirty = append(dirty, p)
		}
		sort.Strings(dirty)
		more := ""
		if len(dirty) > 5 {
			more = fmt.Sprintf(" and %d more", len(dirty)-5)
			dirty = dirty[:5]
		}
		return nil, nil, refuse("%s has uncommitted changes (%s%s): commit or stash them first, "+
			"so that the update's own changes can be reviewed and undone on their own", dir, strings.Join(dirty, ", "), more)
	}
	commits, err := repo.Log(&git.LogOptions{From: head.Hash(), Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, nil, &GitError{Err: err}
	}
	defer commits.Close()
	for {
		c, err := commits.Next()
		if errors.Is(err, io.EOF) {
			return nil, nil, refuse("no commit of scaffold's output in the history of %s (the first commit of `scaffold new`, "+
				"or a %q commit on the %s branch): update cannot tell scaffold's files from your changes", dir,
				strings.TrimSpace(PristineCommitPrefix), ScaffoldBranch)
		}
		if err != nil {
			return nil, nil, &GitError{Err: err}
		}
		if strings.HasPrefix(c.Message, InitialCommitPrefix) || strings.HasPrefix(c.Message, PristineCommitPrefix) {
			return repo, c, nil
		}
	}
}

// treeFiles reads every file of a commit's tree.
func treeFiles(c *object.Commit) (map[string][]byte, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, &GitError{Err: err}
	}
	out := map[string][]byte{}
	err = tree.Files().ForEach(func(f *object.File) error {
		s, err := f.Contents()
		out[f.Name] = []byte(s)
		return err
	})
	if err != nil {
		return nil, &GitError{Err: fmt.Errorf("reading scaffold's previous output: %w", err)}
	}
	return out, nil
}

// committable are the files the project's own .gitignore files (as
// rendered) do not exclude, in git's index order (byte order of the full
// path): what a commit of scaffold's output holds.
func committable(files []File) []File {
	var patterns []gitignore.Pattern
	for _, f := range files {
		dir, name := pathpkg.Split(f.Path)
		if name != ".gitignore" {
			continue
		}
		var domain []string
		if dir != "" {
			domain = strings.Split(strings.TrimSuffix(dir, "/"), "/")
		}
		for _, line := range strings.Split(string(f.Data), "\n") {
			if line = strings.TrimRight(line, "\r"); line != "" && !strings.HasPrefix(line, "#") {
				patterns = append(patterns, gitignore.ParsePattern(line, domain))
			}
		}
	}
	ignored := gitignore.NewMatcher(patterns)
	var out []File
	for _, f := range files {
		if !ignored.Match(strings.Split(f.Path, "/"), false) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// writeFileAtomic replaces path with data through a temporary file beside it.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".scaffold-update-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode.Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
