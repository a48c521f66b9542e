// Package cmd holds the cobra commands of scaffold. Each command is a thin
// wrapper over a library package: it parses flags into an options struct and
// calls a run function that tests can drive directly.
package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/scaffoldtool/scaffold/generator"
	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/prompt"
	"github.com/scaffoldtool/scaffold/templates"
)

// Version is the generator version recorded in every project it writes.
var Version = "0.1.0"

// Exit codes.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// IOStreams are the process's standard streams; tests replace them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Interactive reports whether questions can be asked (stdin and stdout
	// are terminals).
	Interactive func() bool
}

// Factory hands commands their dependencies.
type Factory struct {
	IO       *IOStreams
	Prompter func() prompt.Prompter
	Packs    func() ([]templates.Pack, error)
	Now      func() time.Time
}

// NewFactory returns the dependencies of a real run.
func NewFactory() *Factory {
	return &Factory{
		IO: &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Interactive: func() bool {
			return term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
		}},
		Prompter: func() prompt.Prompter { return prompt.NewSurvey() },
		Packs:    templates.LoadAll,
		Now:      time.Now,
	}
}

// UsageError is a mistake in how the command was called (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// ExitCodeError carries a specific exit code with no further message, for
// commands whose output already says what went wrong.
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "scaffold",
		Short: "Generate production-ready backend services",
		Long: "scaffold writes backend services that already do what careful engineers insist on:\n" +
			"layered code, migrations, an OpenAPI contract, real authentication, rate limiting,\n" +
			"consistent errors, and tests that pass on day one.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &UsageError{Err: fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())}
	})
	root.AddCommand(
		newCmdNew(f, nil),
		newCmdUpdate(f),
		newCmdList(f),
		newCmdVersion(f),
		newCmdChecklist(f),
		newCmdReview(f),
	)
	return root
}

// Execute runs the command line and turns the outcome into an exit code.
// This is the one place where errors become exit codes.
func Execute(f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var code *ExitCodeError
	if errors.As(err, &code) {
		return code.Code
	}
	fmt.Fprintln(f.IO.ErrOut, "error:", err)
	var usage *UsageError
	var pack *templates.PackError
	switch {
	case errors.Is(err, prompt.ErrInterrupted):
		return ExitInterrupted
	case errors.As(err, &usage), options.IsValidation(err), generator.IsUserError(err), errors.As(err, &pack),
		strings.HasPrefix(err.Error(), "unknown command"),
		strings.Contains(err.Error(), "arg(s), received"):
		return ExitUsage
	}
	return ExitFailure
}
