package generator

import (
	"context"
	"errors"
	"fmt"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// Options control one generation.
type Options struct {
	Version string  // generator version, recorded in the project
	Extras  []Extra // files made by code (the review checklist ...)
	Force   bool    // write into a non-empty directory
	DryRun  bool    // render only; write nothing
	Git     *GitOptions
}

// Outcome is what Generate did: the rendered files, and where and how they
// were written (Result is empty on a dry run).
type Outcome struct {
	Files []File
	Result
}

// InvalidAnswersError: the answers do not describe a project the packs can
// make. The message names the options involved.
type InvalidAnswersError struct{ Err error }

func (e *InvalidAnswersError) Error() string { return e.Err.Error() }
func (e *InvalidAnswersError) Unwrap() error { return e.Err }

// TargetExistsError: the target is a non-empty directory (or a file) and
// Force was not given. Nothing was written.
type TargetExistsError struct {
	Path   string
	IsFile bool
}

func (e *TargetExistsError) Error() string {
	if e.IsFile {
		return fmt.Sprintf("%s exists and is a file", e.Path)
	}
	return fmt.Sprintf("%s already exists and is not empty", e.Path)
}

// Generate is the one entry point: it finds the answers' pack, validates
// the answers against what the packs offer, plans and renders the project,
// and writes it to target (staged, then moved into place; with its first
// git commit when asked). Commands only gather answers and print.
func Generate(ctx context.Context, packs []templates.Pack, a options.Answers, target string, opts Options) (Outcome, error) {
	a = options.Normalize(a)
	if err := templates.Catalog(packs).Validate(a); err != nil {
		return Outcome{}, &InvalidAnswersError{Err: err}
	}
	pack, _ := templates.Find(packs, a.Framework)
	files, err := Render(pack, a, opts.Version, opts.Extras...)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Files: files}
	if opts.DryRun {
		return out, nil
	}
	out.Result, err = Write(ctx, target, files, WriteOptions{Force: opts.Force, Git: opts.Git})
	return out, err
}

// IsUserError reports whether err is the user's to fix (exit code 2 in the
// CLI): invalid answers or an occupied target.
func IsUserError(err error) bool {
	var inv *InvalidAnswersError
	var exists *TargetExistsError
	return errors.As(err, &inv) || errors.As(err, &exists) || options.IsValidation(err)
}
