package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/generator"
	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/prompt"
	"github.com/scaffoldtool/scaffold/templates"
)

// NewOptions are the inputs of `scaffold new`.
type NewOptions struct {
	Factory *Factory
	Answers *answerFlags

	Name   string
	Pack   string
	Output string
	Yes    bool
	Force  bool
	DryRun bool
	NoGit  bool
}

func newCmdNew(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{Factory: f}
	c := &cobra.Command{
		Use:   "new [NAME]",
		Short: "Generate a new backend service",
		Long: "Generate a new backend service in OUTPUT/NAME.\n\n" +
			"Answers come from flags, from --answers FILE, or from questions asked in the terminal.\n" +
			"With --yes, anything not given takes its default and nothing is asked.",
		Example: "  scaffold new shop --yes\n" +
			"  scaffold new shop --database postgres --auth jwt --rbac\n" +
			"  scaffold new shop --answers .scaffold.yaml --yes",
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(c.Context(), opts)
		},
	}
	opts.Answers = bindAnswerFlags(c, f)
	c.Flags().StringVar(&opts.Pack, "pack", "", "use the template pack in `directory` (see docs/packs.md)")
	c.Flags().StringVarP(&opts.Output, "output", "o", ".", "parent `directory` of the project")
	c.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "take defaults for anything not given; never ask")
	c.Flags().BoolVar(&opts.Force, "force", false, "write into a non-empty directory (the generator's files are overwritten, others kept)")
	c.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the files that would be written and write nothing")
	c.Flags().BoolVar(&opts.NoGit, "no-git", false, "do not create a git repository")
	return c
}

func newRun(ctx context.Context, opts *NewOptions) error {
	f := opts.Factory
	ctx, stop := interruptible(ctx)
	defer stop()

	packs, err := f.Packs()
	if err != nil {
		return err
	}
	p, err := opts.Answers.partial()
	if err != nil {
		return err
	}
	if opts.Pack != "" {
		var pack templates.Pack
		if packs, pack, err = withPackDir(packs, opts.Pack); err != nil {
			return err
		}
		if p.Given[options.FrameworkOption.Key] && p.Answers.Framework != pack.Name {
			return &UsageError{Err: fmt.Errorf("--pack %s is the pack %q, but the answers ask for framework=%s; drop one of them",
				opts.Pack, pack.Name, p.Answers.Framework)}
		}
		_ = p.Set(options.FrameworkOption.Key, pack.Name)
	}
	cat := templates.Catalog(packs)
	if opts.Name != "" {
		_ = p.Set(options.NameOption.Key, opts.Name)
	}
	var answers options.Answers
	switch {
	case opts.Yes || len(p.Missing()) == 0:
		answers, err = complete(cat, p, nil)
	case !f.IO.Interactive():
		return &UsageError{Err: fmt.Errorf("no terminal to ask questions on, and no answer given for: %v\n"+
			"pass --yes to take the defaults, or --answers FILE (see 'scaffold list' for the options)", p.Missing())}
	default:
		answers, err = askUntilInterrupted(ctx, func() (options.Answers, error) {
			return complete(cat, p, f.Prompter())
		})
	}
	if err != nil {
		return err
	}

	name, _ := options.ParseName(answers.Name)
	target := filepath.Join(opts.Output, name.Dir)
	gen := generator.Options{Version: Version, Extras: projectExtras, Force: opts.Force, DryRun: opts.DryRun}
	if !opts.NoGit {
		gitName, gitEmail := generator.UserIdentity()
		gen.Git = &generator.GitOptions{Name: gitName, Email: gitEmail, When: f.Now(),
			Message: generator.InitialCommitPrefix + Version + "\n\nAnswers are recorded in .scaffold.yaml."}
	}
	res, err := generator.Generate(ctx, packs, answers, target, gen)
	var exists *generator.TargetExistsError
	var gitErr *generator.GitError
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: nothing was written to %s", prompt.ErrInterrupted, target)
	case errors.As(err, &exists) && exists.IsFile:
		return &UsageError{Err: fmt.Errorf("%w; choose another name or --output", err)}
	case errors.As(err, &exists):
		return &UsageError{Err: fmt.Errorf("%w; choose another name or --output, or pass --force to write "+
			"the generator's files into it (other files are kept)", err)}
	case errors.As(err, &gitErr):
		return fmt.Errorf("%w (pass --no-git to skip the repository)", err)
	case err != nil:
		return err
	}
	out := f.IO.Out
	if opts.DryRun {
		fmt.Fprintf(out, "Would write %s (dry run, nothing written):\n", target)
		printTree(out, name.Dir, res.Files, 0)
		fmt.Fprintf(out, "%d files, %s\n", len(res.Files), humanBytes(totalBytes(res.Files)))
		return nil
	}
	fmt.Fprintf(out, "Created %s\n", res.Target)
	printTree(out, name.Dir, res.Files, 2)
	fmt.Fprintf(out, "%d files, %s", res.Result.Files, humanBytes(res.Bytes))
	switch {
	case res.Committed:
		fmt.Fprint(out, ", one git commit on main")
	case res.GitNote != "":
		fmt.Fprintf(out, "; not committed: %s", res.GitNote)
	}
	fmt.Fprintf(out, "\n\nNext steps (the project's README has the rest):\n  cd %s\n  make install\n  make test\n",
		relOrAbs(res.Target))
	return nil
}

// interruptible is ctx (or the background) ended by SIGINT or SIGTERM.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
}

// withPackDir loads the pack in dir (--pack) and puts it in place of a pack
// of the same name.
func withPackDir(packs []templates.Pack, dir string) ([]templates.Pack, templates.Pack, error) {
	pack, err := templates.LoadDir(dir)
	if err != nil {
		return packs, pack, err
	}
	packs = slices.DeleteFunc(slices.Clone(packs), func(q templates.Pack) bool { return q.Name == pack.Name })
	return append(packs, pack), pack, nil
}

// askUntilInterrupted runs the questions but returns as soon as a signal
// arrives. Survey reads Ctrl-C as a key while a question is on screen; between
// questions the terminal is in cooked mode and Ctrl-C is a SIGINT, which
// cancels ctx.
func askUntilInterrupted(ctx context.Context, ask func() (options.Answers, error)) (options.Answers, error) {
	type result struct {
		a   options.Answers
		err error
	}
	done := make(chan result, 1)
	go func() {
		a, err := ask()
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		return r.a, r.err
	case <-ctx.Done():
		return options.Answers{}, fmt.Errorf("%w: nothing was written", prompt.ErrInterrupted)
	}
}

// projectExtras are the files code writes into every project besides the
// pack: the review checklist and the pull-request template made from it.
var projectExtras = []generator.Extra{checklists.ProjectFiles}

func totalBytes(files []generator.File) int64 {
	var n int64
	for _, f := range files {
		n += int64(len(f.Data))
	}
	return n
}

func humanBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// relOrAbs shows p relative to the working directory when it lies below it,
// so the printed `cd` is short, and absolute otherwise.
func relOrAbs(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
