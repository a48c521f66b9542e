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
	if opts.DryRun {
		files, err := Render(pack, a, opts.Version, opts.Extras...)
		return Outcome{Files: files}, err
	}
	st, err := beginWrite(target, WriteOptions{Force: opts.Force, Git: opts.Git})
	if err != nil {
		return Outcome{Result: st.res}, err
	}
	defer st.abort()
	// Files are written to the staging directory while the rest render; a
	// render error or a failed write stops both, and the staging directory
	// goes. Nothing reaches the target before everything is rendered and
	// written.
	stream := make(chan File, 16)
	stop := make(chan struct{})
	var files []File
	var renderErr error
	go func() {
		defer close(stream)
		files, renderErr = render(pack, a, opts.Version, func(f File) error {
			select {
			case stream <- f:
				return nil
			case <-stop:
				return errWriteStopped
			}
		}, opts.Extras...)
	}()
	var writeErr error
	for f := range stream {
		if writeErr == nil {
			if writeErr = st.put(ctx, f); writeErr != nil {
				close(stop)
			}
		}
	}
	if writeErr != nil {
		return Outcome{Result: st.res}, writeErr
	}
	if renderErr != nil {
		return Outcome{}, renderErr
	}
	res, err := st.finish(ctx, files)
	return Outcome{Files: files, Result: res}, err
}

// errWriteStopped ends a render whose files can no longer be written; the
// write's own error is the one reported.
var errWriteStopped = errors.New("the write stopped")

// IsUserError reports whether err is the user's to fix (exit code 2 in the
// CLI): invalid answers or an occupied target.
func IsUserError(err error) bool {
	var inv *InvalidAnswersError
	var exists *TargetExistsError
	return errors.As(err, &inv) || errors.As(err, &exists) || options.IsValidation(err)
}
