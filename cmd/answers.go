package cmd

import (
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
	for _, o := range options.All {
		if o.Key == options.NameOption.Key {
			continue
		}
		switch o.Kind {
		case options.Bool:
			af.bools[o.Key] = c.Flags().Bool(o.Key, false, o.Help)
			af.negated[o.Key] = c.Flags().Bool("no-"+o.Key, false, "no "+o.Help)
		default:
			help := o.Help
			if len(o.Values) > 0 {
				help += " (" + valueNames(o) + ")"
			}
			if o.Kind == options.Multi {
				help += ", comma-separated"
			}
			af.text[o.Key] = c.Flags().String(o.Key, "", help)
			opt := o
			_ = c.RegisterFlagCompletionFunc(o.Key, func(cc *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
				return completeValues(f, af, opt), cobra.ShellCompDirectiveNoFileComp
			})
		}
	}
	_ = c.MarkFlagFilename("answers", "yaml", "yml")
	return af
}

func valueNames(o *options.Option) string {
	names := make([]string, len(o.Values))
	for i, v := range o.Values {
		names[i] = v.Name
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
		out = append(out, v+"\t"+describe(o, v))
	}
	return out
}

func describe(o *options.Option, value string) string {
	for _, v := range o.Values {
		if v.Name == value {
			return v.Help
		}
	}
	return ""
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

// complete fills in what p lacks, asking ask when it is not nil and taking
// defaults otherwise, then validates the whole. Options are asked in their
// defined order so each default can depend on earlier answers.
func complete(cat options.Catalog, p options.Partial, ask prompt.Prompter) (options.Answers, error) {
	for _, o := range options.All {
		if p.Given[o.Key] {
			continue
		}
		a := p.Answers
		def := cat.DefaultFor(o, a)
		allowed := cat.Allowed(o, a.Framework)
		skip := (o.Kind == options.Choice || o.Kind == options.Multi) && len(allowed) <= 1 ||
			o == &options.RBACOption && a.Auth == "none"
		var value string
		switch {
		case o == &options.NameOption && ask == nil:
			return a, &UsageError{Err: fmt.Errorf("a project name is needed: scaffold new NAME")}
		case ask == nil || skip:
			value = def
			if o.Kind == options.Choice && len(allowed) == 1 {
				value = allowed[0]
			}
		case o.Kind == options.Text:
			var validate func(string) error
			if o == &options.NameOption {
				validate = func(s string) error { _, err := options.ParseName(s); return err }
			}
			v, err := ask.Input(o.Prompt, o.Help, def, validate)
			if err != nil {
				return a, err
			}
			value = v
		case o.Kind == options.Choice:
			v, err := ask.Select(o.Prompt, o.Help, allowed, func(s string) string { return describe(o, s) }, def)
			if err != nil {
				return a, err
			}
			value = v
		case o.Kind == options.Bool:
			v, err := ask.Confirm(o.Prompt, o.Help, def == "true")
			if err != nil {
				return a, err
			}
			value = strconv.FormatBool(v)
		case o.Kind == options.Multi:
			v, err := ask.MultiSelect(o.Prompt, o.Help, allowed, func(s string) string { return describe(o, s) })
			if err != nil {
				return a, err
			}
			value = strings.Join(v, ",")
		}
		if err := p.Set(o.Key, value); err != nil {
			return a, err
		}
	}
	a := options.Normalize(p.Answers)
	return a, cat.Validate(a)
}
