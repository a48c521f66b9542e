package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/options"
)

// ChecklistOptions are the inputs of `scaffold checklist`.
type ChecklistOptions struct {
	Factory    *Factory
	Answers    *answerFlags
	Dir        string
	Format     string
	Guidelines []string
	// Explain shows, for every item of a guideline file, why it was
	// merged, added or skipped.
	Explain bool
}

func newCmdChecklist(f *Factory) *cobra.Command {
	opts := &ChecklistOptions{Factory: f}
	c := &cobra.Command{
		Use:   "checklist [DIR]",
		Short: "Print the review checklist for a project or a set of options",
		Long: "Print the review checklist: the rules that apply to a project, grouped by area.\n\n" +
			"With DIR (default .), the options come from DIR/.scaffold.yaml; without that file they come\n" +
			"from the same flags as `scaffold new` and their defaults. --guidelines adds the items of\n" +
			"agent guideline files, merging those that restate a built-in rule; what was extracted and\n" +
			"skipped is reported on standard error.",
		Example: "  scaffold checklist path/to/project\n" +
			"  scaffold checklist --auth session --no-rbac --format json\n" +
			"  scaffold checklist --guidelines .claude/agents/backend.md",
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return checklistRun(opts)
		},
	}
	opts.Answers = bindAnswerFlags(c, f)
	c.Flags().StringVar(&opts.Format, "format", "markdown", "output `format`: markdown or json")
	c.Flags().StringArrayVar(&opts.Guidelines, "guidelines", nil, "add the items of an agent guideline `file` (repeatable)")
	c.Flags().BoolVar(&opts.Explain, "explain", false, "with --guidelines: say for every item where it came from and why it was merged, added or skipped")
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"markdown", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.MarkFlagFilename("guidelines", "md", "markdown", "txt")
	return c
}

func checklistRun(opts *ChecklistOptions) error {
	// A checklist run is short and holds a few megabytes (the guideline
	// files, the content model): collecting less often saves about a tenth
	// of a small file's run. Review, whose memory grows with the tree,
	// keeps Go's default.
	debug.SetGCPercent(400)
	if opts.Format != "markdown" && opts.Format != "json" {
		return &UsageError{Err: fmt.Errorf("unknown format %q; use markdown or json", opts.Format)}
	}
	a, err := checklistAnswers(opts)
	if err != nil {
		return err
	}
	list, err := checklists.ForAnswers(a)
	if err != nil {
		return err
	}
	for _, file := range opts.Guidelines {
		data, err := readGuidelineFile(file)
		if err != nil {
			return err
		}
		g := checklists.ParseGuidelines(file, data)
		if g.TooMany {
			return &UsageError{Err: fmt.Errorf("guideline file %s holds more than %d items; agent guideline files hold a few hundred at most: pass the files it was made from one by one, or the part that holds the rules", file, checklists.MaxGuidelineItems)}
		}
		outcomes, err := list.AddGuidelines(g)
		if err != nil {
			return err
		}
		reportGuidelines(opts.Factory.IO.ErrOut, g, outcomes, opts.Explain)
	}
	if opts.Format == "json" {
		out, err := list.JSON()
		if err != nil {
			return err
		}
		_, err = opts.Factory.IO.Out.Write(out)
		return err
	}
	_, err = io.WriteString(opts.Factory.IO.Out, list.Markdown())
	return err
}

// maxGuidelineSize bounds a guideline file: agent files are a few
// kilobytes (the corpus's largest under 10); anything this large is not
// one, and reading it would take seconds.
const maxGuidelineSize = 1 << 20

// readGuidelineFile reads an agent guideline file, refusing what is not
// one: a directory, a file too large, binary data or text that is not
// UTF-8 (a UTF-16 file from a Windows editor, say).
func readGuidelineFile(file string) ([]byte, error) {
	info, err := os.Stat(file)
	switch {
	case err != nil:
		return nil, &UsageError{Err: fmt.Errorf("cannot read guideline file: %w", err)}
	case info.IsDir():
		return nil, &UsageError{Err: fmt.Errorf("guideline file %s is a directory; pass the Markdown file itself (for example %s)", file, filepath.Join(file, "AGENTS.md"))}
	case info.Size() > maxGuidelineSize:
		return nil, &UsageError{Err: fmt.Errorf("guideline file %s is %d MiB; agent guideline files are Markdown of a few kilobytes, and this one is over the %d MiB limit", file, info.Size()>>20, maxGuidelineSize>>20)}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &UsageError{Err: fmt.Errorf("cannot read guideline file: %w", err)}
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, &UsageError{Err: fmt.Errorf("guideline file %s is not UTF-8 text (binary data, or another encoding such as UTF-16); save it as UTF-8 Markdown", file)}
	}
	return data, nil
}

// checklistAnswers reads DIR/.scaffold.yaml (unless --answers names another
// file) and applies the flags on top; without a file, flags and defaults.
func checklistAnswers(opts *ChecklistOptions) (options.Answers, error) {
	info, err := os.Stat(opts.Dir)
	if err != nil || !info.IsDir() {
		return options.Answers{}, &UsageError{Err: fmt.Errorf("%s is not a directory; pass a project directory, or none to use flags", opts.Dir)}
	}
	af := opts.Answers
	name := ""
	if af.answersFile == "" {
		record := filepath.Join(opts.Dir, ".scaffold.yaml")
		_, err := os.Stat(record)
		switch {
		case err == nil:
			af.answersFile = record
		case errors.Is(err, os.ErrNotExist):
			fmt.Fprintf(opts.Factory.IO.ErrOut, "no .scaffold.yaml in %s: the checklist follows the flags and their defaults\n", opts.Dir)
		default:
			return options.Answers{}, err
		}
	}
	if af.answersFile != "" {
		p, err := options.ReadAnswersFile(af.answersFile)
		if err != nil {
			return options.Answers{}, err
		}
		name = p.Answers.Name
	}
	if name == "" {
		abs, _ := filepath.Abs(opts.Dir)
		if name = options.SuggestName(filepath.Base(abs)); name == "" {
			name = "service"
		}
	}
	return af.resolveDefaults(opts.Factory, name)
}

// reportGuidelines tells, on standard error, what was taken from a
// guideline file and what was left out.
func reportGuidelines(w io.Writer, g checklists.Guideline, outcomes []checklists.Outcome, explain bool) {
	counts := map[string]int{}
	for _, o := range outcomes {
		counts[o.Action]++
	}
	fmt.Fprintf(w, "guidelines %s: %d items extracted (%d merged into existing rules, %d added, %d not applicable to these options), %d parts skipped\n",
		g.File, len(outcomes), counts[checklists.Merged], counts[checklists.Added], counts[checklists.NotApplicable], len(g.Skipped))
	for _, o := range outcomes {
		title := o.Item.Title
		if o.Possibly != "" {
			title += " (possibly the same as " + o.Possibly + ")"
		}
		fmt.Fprintf(w, "  line %-4d %-14s %-22s %s\n", o.Item.Line, o.Action, strings.Join(o.Rules, ","), title)
		if explain {
			fmt.Fprintf(w, "            from %q; %s\n", o.Item.Section, o.Why)
		}
	}
	for _, s := range g.Skipped {
		text := s.Text
		if text != "" {
			text = ": " + text
		}
		fmt.Fprintf(w, "  line %-4d skipped        %s%s\n", s.Line, s.Kind, text)
	}
}
