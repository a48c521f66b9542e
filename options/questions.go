package options

import (
	"errors"
	"strconv"
	"strings"
)

// Asker asks one question at a time. prompt.Prompter satisfies it; tests
// answer with a stub that fails on any question it does not expect.
type Asker interface {
	Input(message, help, def string, validate func(string) error) (string, error)
	Select(message, help string, choices []string, describe func(string) string, def string) (string, error)
	Confirm(message, help string, def bool) (bool, error)
	MultiSelect(message, help string, choices []string, describe func(string) string) ([]string, error)
}

// ErrNameNeeded is returned when no name is given and nothing may be asked.
var ErrNameNeeded = errors.New("a project name is needed")

// Complete fills in what p lacks and validates the whole. This is the
// question policy: options are asked in their defined order, so each default
// can depend on earlier answers, and a question is skipped when
//   - its answer was given (a flag or the answers file),
//   - nothing may be asked (ask is nil): the default is taken,
//   - the framework offers one value or none: there is nothing to choose,
//   - it is a yes/no option whose requirements the earlier answers cannot
//     meet (rbac with auth=none): the answer is no.
func (c Catalog) Complete(p Partial, ask Asker) (Answers, error) {
	if err := c.CheckGiven(p); err != nil {
		return p.Answers, err
	}
	for _, o := range All {
		if p.Given[o.Key] {
			continue
		}
		a := p.Answers
		def := c.DefaultFor(o, a)
		allowed := c.Allowed(o, a.Framework)
		skip := (o.Kind == Choice || o.Kind == Multi) && len(allowed) <= 1 ||
			o.Kind == Bool && !c.Possible(o, a)
		var value string
		switch {
		case o == &NameOption && ask == nil:
			return a, ErrNameNeeded
		case ask == nil || skip:
			value = def
			if o.Kind == Choice && len(allowed) == 1 {
				value = allowed[0]
			}
		case o.Kind == Text:
			var validate func(string) error
			if o == &NameOption {
				validate = func(s string) error { _, err := ParseName(s); return err }
			}
			v, err := ask.Input(o.Prompt, o.Help, def, validate)
			if err != nil {
				return a, err
			}
			value = v
		case o.Kind == Choice:
			v, err := ask.Select(o.Prompt, o.Help, allowed, c.describer(o, a.Framework), def)
			if err != nil {
				return a, err
			}
			value = v
		case o.Kind == Bool:
			v, err := ask.Confirm(o.Prompt, o.Help, def == "true")
			if err != nil {
				return a, err
			}
			value = strconv.FormatBool(v)
		case o.Kind == Multi:
			v, err := ask.MultiSelect(o.Prompt, o.Help, allowed, c.describer(o, a.Framework))
			if err != nil {
				return a, err
			}
			value = strings.Join(v, ",")
		}
		if err := p.Set(o.Key, value); err != nil {
			return a, err
		}
	}
	a := Normalize(p.Answers)
	return a, c.Validate(a)
}

func (c Catalog) describer(o *Option, framework string) func(string) string {
	return func(v string) string { return c.Describe(o, framework, v) }
}
