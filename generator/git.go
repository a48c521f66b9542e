package generator

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// GitOptions describe the initial commit.
type GitOptions struct {
	Name, Email string
	When        time.Time
	Message     string
}

// FallbackIdentity signs the initial commit when the user has no git identity.
var FallbackIdentity = object.Signature{Name: "scaffold", Email: "scaffold@localhost"}

// UserIdentity reads user.name and user.email from the user's git config.
// A missing or unreadable config is not an error: it gives the fallback.
func UserIdentity() (name, email string) {
	cfg, err := config.LoadConfig(config.GlobalScope)
	if err != nil || cfg.User.Name == "" || cfg.User.Email == "" {
		return FallbackIdentity.Name, FallbackIdentity.Email
	}
	return cfg.User.Name, cfg.User.Email
}

// Commit makes dir a git repository on branch main and commits files in one
// commit, leaving out what the project's .gitignore excludes.
func Commit(dir string, files []File, opts GitOptions) error {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.Main},
	})
	if err != nil {
		return fmt.Errorf("initialising git in %s: %w (pass --no-git to skip)", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("opening the git worktree: %w", err)
	}
	if err := addFiles(wt, dir, files); err != nil {
		return err
	}
	sig := &object.Signature{Name: opts.Name, Email: opts.Email, When: opts.When}
	if _, err := wt.Commit(opts.Message, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		return fmt.Errorf("git commit: %w", err)
	}
	return nil
}

// addFiles stages the generator's files that .gitignore does not exclude.
// SkipStatus avoids recomputing the worktree status for every file, which
// made the initial commit quadratic in the number of files.
func addFiles(wt *git.Worktree, dir string, files []File) error {
	patterns, err := gitignore.ReadPatterns(osfs.New(dir), nil)
	if err != nil {
		return fmt.Errorf("reading .gitignore: %w", err)
	}
	ignored := gitignore.NewMatcher(patterns)
	for _, f := range files {
		if ignored.Match(strings.Split(f.Path, "/"), false) {
			continue
		}
		if err := wt.AddWithOptions(&git.AddOptions{Path: f.Path, SkipStatus: true}); err != nil {
			return fmt.Errorf("git add %s: %w", f.Path, err)
		}
	}
	return nil
}
