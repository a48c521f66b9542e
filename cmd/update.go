package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaffoldtool/scaffold/generator"
	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/prompt"
	"github.com/scaffoldtool/scaffold/templates"
)

// UpdateOptions are the inputs of `scaffold update`.
type UpdateOptions struct {
	Factory *Factory
	Answers *answerFlags

	Dir    string
	Pack   string
	DryRun bool
}

func newCmdUpdate(f *Factory) *cobra.Command {
	opts := &UpdateOptions{Factory: f, Dir: "."}
	c := &cobra.Command{
		Use:   "update [DIR]",
		Short: "Bring a generated project up to this version of scaffold, keeping your changes",
		Long: "Regenerate the project in DIR (default: the current directory) from its .scaffold.yaml with this\n" +
			"version of scaffold, and merge the result into your files, line by line. Option flags change the\n" +
			"answers first (add an integration, turn on RBAC ...); the framework and the name stay.\n\n" +
			"What scaffold generated last is found in the project's git history (the first commit of 'scaffold new',\n" +
			"or the newest update merged since), so the project must be a git repository without uncommitted\n" +
			"changes. Files you did not touch take the new version; files you changed are merged, and where your\n" +
			"change and scaffold's touch the same lines both are kept between conflict markers. Nothing is\n" +
			"committed: review the result, then 'git add -A && git commit' records it as a merge of the\n" +
			"'scaffold' branch, which holds scaffold's own output.",
		Example: "  scaffold update\n" +
			"  scaffold update shop --dry-run\n" +
			"  scaffold update shop --integrations cache,email",
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return updateRun(c.Context(), opts)
		},
	}
	opts.Answers = bindAnswerFlags(c, f)
	_ = c.Flags().MarkHidden("answers")
	c.Flags().StringVar(&opts.Pack, "pack", "", "the project's template pack is in `directory` (as given to scaffold new --pack)")
	c.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print what would change and write nothing")
	return c
}

func updateRun(ctx context.Context, opts *UpdateOptions) error {
	f := opts.Factory
	ctx, stop := interruptible(ctx)
	defer stop()

	if opts.Answers.cmd.Flags().Changed("answers") {
		return &UsageError{Err: fmt.Errorf("update reads the answers from DIR/.scaffold.yaml; " +
			"edit that file, or pass option flags to change single answers")}
	}
	record := filepath.Join(opts.Dir, ".scaffold.yaml")
	if _, err := os.Stat(record); err != nil {
		return &UsageError{Err: fmt.Errorf("%s: no .scaffold.yaml, so this is not a project scaffold generated "+
			"(or not its root); run update in the project's root directory", opts.Dir)}
	}
	recorded, err := options.ReadAnswersFile(record)
	if err != nil {
		return err
	}
	opts.Answers.answersFile = record
	p, err := opts.Answers.partial()
	if err != nil {
		return err
	}
	if p.Answers.Framework != recorded.Answers.Framework {
		return &UsageError{Err: fmt.Errorf("the project is a %s project; update keeps the framework "+
			"(a different framework is a new project: scaffold new)", recorded.Answers.Framework)}
	}
	packs, err := f.Packs()
	if err != nil {
		return err
	}
	if opts.Pack != "" {
		if packs, _, err = withPackDir(packs, opts.Pack); err != nil {
			return err
		}
	}
	answers, err := complete(templates.Catalog(packs), p, nil)
	if err != nil {
		return err
	}
	name, email := generator.UserIdentity()
	res, err := generator.Update(ctx, packs, answers, opts.Dir, generator.UpdateOptions{
		Version: Version, Extras: projectExtras, DryRun: opts.DryRun,
		Git: generator.GitOptions{Name: name, Email: email, When: f.Now()},
	})
	var refused *generator.UpdateRefusedError
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: nothing was written to %s", prompt.ErrInterrupted, opts.Dir)
	case errors.As(err, &refused):
		return &UsageError{Err: err}
	case err != nil:
		return err
	}

	out := f.IO.Out
	if len(res.Changes) == 0 {
		fmt.Fprintf(out, "%s is up to date with scaffold %s for its answers; nothing to do.\n", opts.Dir, Version)
		return nil
	}
	if opts.DryRun {
		fmt.Fprintf(out, "Would update %s to scaffold %s (dry run, nothing written):\n", opts.Dir, Version)
	} else {
		fmt.Fprintf(out, "Updated %s to scaffold %s:\n", opts.Dir, Version)
	}
	for _, c := range res.Changes {
		fmt.Fprintf(out, "  %-9s %s%s\n", c.Kind, c.Path, changeNote(c.Kind))
	}
	if opts.DryRun {
		return nil
	}
	fmt.Fprintf(out, "\nReview the changes with git diff and git status; then\n"+
		"  git add -A && git commit\n"+
		"records the update as a merge of the %q branch (scaffold's own output). To undo it instead:\n"+
		"  git reset --hard && git clean -fd\n"+
		"(update refused to start with uncommitted changes, so that only removes what it wrote).\n", generator.ScaffoldBranch)
	if changed := res.ChangedMigrations(); len(changed) > 0 {
		fmt.Fprintf(f.IO.ErrOut, "\nThese migrations existed before and changed: %s.\n"+
			"A database already migrated will not run them again. If one exists, restore the old file\n"+
			"(git checkout HEAD -- FILE) and let your migration tool write a new migration for the difference\n"+
			"(alembic revision --autogenerate, or manage.py makemigrations). A database nobody has migrated\n"+
			"yet can take the changed files as they are.\n", strings.Join(changed, ", "))
	}
	if n := res.Conflicts(); n > 0 {
		fmt.Fprintf(f.IO.ErrOut, "%d file(s) have conflicts: your lines and scaffold's are both there, between "+
			"<<<<<<< and >>>>>>> markers. Keep what you want, remove the markers, then commit.\n", n)
		return &ExitCodeError{Code: ExitFailure}
	}
	return nil
}

func changeNote(kind string) string {
	switch kind {
	case generator.ChangeKept:
		return " (scaffold no longer generates it, but you changed it)"
	case generator.ChangeSkipped:
		return " (you deleted it; scaffold changed it, and it stays deleted)"
	case generator.ChangeConflict:
		return " (conflict markers: resolve by hand)"
	}
	return ""
}
