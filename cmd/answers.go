package cmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/prompt"
	"github.com/scaffoldtool/scaffold/templates"
)

// answerFlags are the flags that give answers, one per option definition,
// plus --answers for a whole file of them.
type answerFlags struct {
	cmd         *cobra.Command
	answersFile string
	text        map[string]*string
	bools       map[string]*bool
	negated     map[string]*bool
}

// bindAnswerFlags registers a flag for every option except the name (which
// is an argument), with shell completion of the values the packs offer.
func bindAnswerFlags(c *cobra.Command, f *Factory) *answerFlags {
	af := &answerFlags{cmd: c, text: map[string]*string{}, bools: map[string]*bool{}, negated: map[string]*bool{}}
	c.Flags().StringVar(&af.answersFile, "answers", "", "read answers from a YAML `file` (the format of .scaffold.yaml)")
	// The values in the flags' help come from the packs. Reading the packs
	// costs every command's start-up, so it is done when help is shown.
	help := c.HelpFunc()
	c.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		if packs, err := f.Packs(); err == nil { // a broken pack is reported when the command runs
			cat := templates.Catalog(packs)
			for _, o := range options.All {
				if fl := cmd.Flags().Lookup(o.Key); fl != nil && o.Kind != options.Bool {
					if names := valueNames(cat, o); names != "" {
						fl.Usage = o.Help + " (" + names + ")" + multiSuffix(o)
					}
				}
			}
		}
		help(cmd, args)
	})
	for _, o := range options.All {
		if o.Key == options.NameOption.Key {
			continue
		}
		switch o.Kind {
		case options.Bool:
			af.bools[o.Key] = c.Flags().Bool(o.Key, false, o.Help)
			af.negated[o.Key] = c.Flags().Bool("no-"+o.Key, false, "no "+o.Help)
		default:
			af.text[o.Key] = c.Flags().String(o.Key, "", o.Help+multiSuffix(o))
			opt := o
			_ = c.RegisterFlagCompletionFunc(o.Key, func(cc *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
				return completeValues(f, af, opt), cobra.ShellCompDirectiveNoFileComp
			})
		}
	}
	_ = c.MarkFlagFilename("answers", "yaml", "yml")
	return af
}

func multiSuffix(o *options.Option) string {
	if o.Kind == options.Multi {
		return ", comma-separated"
	}
	return ""
}

// valueNames lists the values some pack offers for o, for flag help.
func valueNames(cat options.Catalog, o *options.Option) string {
	var names []string
	if o == &options.FrameworkOption {
		names = cat.Names()
	}
	for _, v := range cat.Values(o) {
		names = append(names, v.Name)
	}
	return strings.Join(names, "|")
}

// completeValues offers the values the chosen (or default) framework supports.
func completeValues(f *Factory, af *answerFlags, o *options.Option) []string {
	packs, err := f.Packs()
	if err != nil {
		return nil
	}
	cat := templates.Catalog(packs)
	framework := *af.text[options.FrameworkOption.Key]
	if framework == "" {
		framework = cat.DefaultFramework()
	}
	var out []string
	for _, v := range cat.Allowed(o, framework) {
		out = append(out, v+"\t"+cat.Describe(o, framework, v))
	}
	return out
}

// partial collects the answers given by the answers file and the flags;
// flags win over the file.
func (af *answerFlags) partial() (options.Partial, error) {
	p := options.NewPartial()
	if af.answersFile != "" {
		var err error
		if p, err = options.ReadAnswersFile(af.answersFile); err != nil {
			return p, err
		}
	}
	for key, v := range af.text {
		if af.cmd.Flags().Changed(key) {
			if err := p.Set(key, *v); err != nil {
				return p, err
			}
		}
	}
	for key, v := range af.bools {
		if af.cmd.Flags().Changed(key) && af.cmd.Flags().Changed("no-"+key) {
			return p, &UsageError{Err: fmt.Errorf("--%s and --no-%s contradict each other; pass one of them", key, key)}
		}
		if af.cmd.Flags().Changed(key) {
			_ = p.Set(key, strconv.FormatBool(*v))
		}
		if af.cmd.Flags().Changed("no-" + key) {
			_ = p.Set(key, strconv.FormatBool(!*af.negated[key]))
		}
	}
	return p, nil
}

// resolveDefaults gives complete, validated answers from the flags and the
// defaults, never asking anything.
func (af *answerFlags) resolveDefaults(f *Factory, name string) (options.Answers, error) {
	p, err := af.partial()
	if err != nil {
		return options.Answers{}, err
	}
	if name != "" {
		_ = p.Set(options.NameOption.Key, name)
	}
	packs, err := f.Packs()
	if err != nil {
		return options.Answers{}, err
	}
	return complete(templates.Catalog(packs), p, nil)
}

// complete runs the question policy (options.Catalog.Complete) and words its
// errors for the command line.
func complete(cat options.Catalog, p options.Partial, ask prompt.Prompter) (options.Answers, error) {
	var asker options.Asker
	if ask != nil {
		asker = ask
	}
	a, err := cat.Complete(p, asker)
	if errors.Is(err, options.ErrNameNeeded) {
		return a, &UsageError{Err: fmt.Errorf("a project name is needed: scaffold new NAME")}
	}
	return a, err
}
