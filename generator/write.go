package generator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// stagePrefix starts the name of every staging directory; the pid that owns
// it follows, so a later run can tell a live run's directory from a stale one.
const stagePrefix = ".scaffold-stage-"

// WriteOptions control how a rendered project reaches the disk.
type WriteOptions struct {
	// Force allows a non-empty target: the generator's files are written over
	// any existing ones of the same path, and nothing else is touched.
	Force bool
	// Git, when not nil, makes the project a git repository with one commit.
	Git *GitOptions
}

// Result says what Write did.
type Result struct {
	Target    string
	Files     int
	Bytes     int64
	Committed bool   // a git commit was made
	GitNote   string // why no commit was made, when Git was asked for
}

// Write puts files into target. Everything is written to a staging directory
// beside the target first and then moved into place, so an error, a Ctrl-C
// (ctx cancelled) or a killed process never leaves a partial project at
// target. Staging directories of dead runs are removed on the way.
func Write(ctx context.Context, target string, files []File, opts WriteOptions) (Result, error) {
	st, err := beginWrite(target, opts)
	if err != nil {
		return st.res, err
	}
	defer st.abort()
	for _, f := range files {
		if err := st.put(ctx, f); err != nil {
			return st.res, err
		}
	}
	return st.finish(ctx, files)
}

// staging is a project on its way to the disk: the target's state when the
// write began and the staging directory beside it that receives the files.
type staging struct {
	opts          WriteOptions
	target        string
	exists, empty bool
	stage, root   string
	made          map[string]bool // directories created under root
	res           Result
}

// beginWrite checks the target and creates the staging directory.
func beginWrite(target string, opts WriteOptions) (*staging, error) {
	st := &staging{opts: opts, made: map[string]bool{}}
	st.res.Target = target
	target, err := filepath.Abs(target)
	if err != nil {
		return st, err
	}
	st.target, st.res.Target = target, target
	if st.empty, st.exists, err = dirState(target); err != nil {
		return st, err
	}
	if st.exists && !st.empty && !opts.Force {
		return st, &TargetExistsError{Path: target}
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return st, fmt.Errorf("creating the output directory: %w", err)
	}
	removeStale(parent)
	if st.stage, err = os.MkdirTemp(parent, fmt.Sprintf("%s%d-", stagePrefix, os.Getpid())); err != nil {
		return st, fmt.Errorf("creating a staging directory in %s: %w", parent, err)
	}
	st.root = filepath.Join(st.stage, "project")
	return st, nil
}

// abort removes the staging directory and whatever is still in it; after
// finish it is empty but for a --force run's backups.
func (st *staging) abort() {
	if st.stage != "" {
		_ = os.RemoveAll(st.stage)
	}
}

// put writes one file into the staging directory.
func (st *staging) put(ctx context.Context, f File) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dest := filepath.Join(st.root, filepath.FromSlash(f.Path))
	if dir := filepath.Dir(dest); !st.made[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		st.made[dir] = true
	}
	if err := os.WriteFile(dest, f.Data, f.Mode); err != nil {
		return fmt.Errorf("writing %s: %w", f.Path, err)
	}
	st.res.Files++
	st.res.Bytes += int64(len(f.Data))
	return nil
}

// finish moves the staged project into place, with its first commit when
// asked; files are all the files put, sorted by path.
func (st *staging) finish(ctx context.Context, files []File) (Result, error) {
	res, opts, target := st.res, st.opts, st.target
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := os.MkdirAll(st.root, 0o755); err != nil { // a project of no files
		return res, err
	}
	if !st.exists || st.empty {
		if opts.Git != nil {
			if err := Commit(st.root, files, *opts.Git); err != nil {
				return res, err
			}
			res.Committed = true
		}
		if st.exists {
			if err := os.Remove(target); err != nil {
				return res, fmt.Errorf("replacing the empty directory %s: %w", target, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := os.Rename(st.root, target); err != nil {
			return res, fmt.Errorf("moving the project into place: %w", err)
		}
		return res, nil
	}

	// --force into a non-empty directory: move file by file, never deleting.
	// A file the generator replaces is first moved into the staging
	// directory's backup/, so that an error or a cancel can put everything
	// back as it was.
	if err := forceInto(ctx, st.stage, st.root, target, files); err != nil {
		return res, err
	}
	if opts.Git != nil {
		if _, err := os.Stat(filepath.Join(target, ".git")); err == nil {
			res.GitNote = "the directory is already a git repository; commit the new files yourself"
			return res, nil
		}
		if err := Commit(target, files, *opts.Git); err != nil {
			return res, err
		}
		res.Committed = true
	}
	return res, nil
}

// forceInto moves the staged files into an existing directory. It is all or
// nothing for errors and cancels: on failure the files already moved are
// removed and the ones they replaced are restored. A process killed midway
// cannot roll back; the replaced files are then in STAGE/backup (removeStale
// keeps such a directory), so nothing is lost.
func forceInto(ctx context.Context, stage, root, target string, files []File) (err error) {
	backup := filepath.Join(stage, "backup")
	type move struct{ dest, saved string }
	var done []move
	var made []string // directories this run created, parents first
	defer func() {
		if err == nil {
			return
		}
		for i := len(done) - 1; i >= 0; i-- {
			_ = os.Remove(done[i].dest)
			if done[i].saved != "" {
				_ = os.Rename(done[i].saved, done[i].dest)
			}
		}
		for i := len(made) - 1; i >= 0; i-- {
			_ = os.Remove(made[i])
		}
	}()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		rel := filepath.FromSlash(f.Path)
		dest := filepath.Join(target, rel)
		var missing []string
		for d := filepath.Dir(dest); d != target; d = filepath.Dir(d) {
			if _, err := os.Lstat(d); err == nil {
				break
			}
			missing = append([]string{d}, missing...)
		}
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		made = append(made, missing...)
		m := move{dest: dest}
		if info, err := os.Lstat(dest); err == nil {
			if info.IsDir() {
				return fmt.Errorf("%s is a directory in %s; the generator writes a file there: move it away and try again", f.Path, target)
			}
			m.saved = filepath.Join(backup, rel)
			if err := os.MkdirAll(filepath.Dir(m.saved), 0o755); err != nil {
				return err
			}
			if err := os.Rename(dest, m.saved); err != nil {
				return fmt.Errorf("setting %s aside: %w", f.Path, err)
			}
		}
		if err := os.Rename(filepath.Join(root, rel), dest); err != nil {
			if m.saved != "" {
				_ = os.Rename(m.saved, dest)
			}
			return fmt.Errorf("moving %s into place: %w", f.Path, err)
		}
		done = append(done, m)
	}
	return nil
}

// dirState reports whether path exists and, if so, whether it is an empty
// directory. A file at path is an error.
func dirState(path string) (empty, exists bool, err error) {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	if !info.IsDir() {
		return false, true, &TargetExistsError{Path: path, IsFile: true}
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return false, true, err
	}
	return len(entries) == 0, true, nil
}

// removeStale deletes staging directories in dir whose owning process is gone
// (a run that was killed before it could clean up).
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, stagePrefix) {
			continue
		}
		pidText, _, _ := strings.Cut(strings.TrimPrefix(name, stagePrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, name, "backup")); err == nil {
			continue // a killed --force run: the user's replaced files are in it
		}
		_ = os.RemoveAll(filepath.Join(dir, name))
	}
}

func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
