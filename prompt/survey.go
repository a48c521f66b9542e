package prompt

import (
	"errors"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Survey implements Prompter with github.com/AlecAivazis/survey/v2.
type Survey struct {
	In  terminal.FileReader
	Out terminal.FileWriter
	Err io.Writer
}

// NewSurvey returns a Prompter on the process's terminal.
func NewSurvey() *Survey { return &Survey{In: os.Stdin, Out: os.Stdout, Err: os.Stderr} }

func (s *Survey) opts() survey.AskOpt { return survey.WithStdio(s.In, s.Out, s.Err) }

func mapErr(err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return ErrInterrupted
	}
	return err
}

// Input implements Prompter.
func (s *Survey) Input(message, help, def string, validate func(string) error) (string, error) {
	var out string
	var opts []survey.AskOpt
	opts = append(opts, s.opts())
	if validate != nil {
		opts = append(opts, survey.WithValidator(func(v any) error {
			str, _ := v.(string)
			return validate(str)
		}))
	}
	err := survey.AskOne(&survey.Input{Message: message, Help: help, Default: def}, &out, opts...)
	return out, mapErr(err)
}

// Select implements Prompter.
func (s *Survey) Select(message, help string, choices []string, describe func(string) string, def string) (string, error) {
	var out string
	q := &survey.Select{Message: message, Help: help, Options: choices, Default: def}
	if describe != nil {
		q.Description = func(value string, _ int) string { return describe(value) }
	}
	err := survey.AskOne(q, &out, s.opts())
	return out, mapErr(err)
}

// Confirm implements Prompter.
func (s *Survey) Confirm(message, help string, def bool) (bool, error) {
	var out bool
	err := survey.AskOne(&survey.Confirm{Message: message, Help: help, Default: def}, &out, s.opts())
	return out, mapErr(err)
}

// MultiSelect implements Prompter.
func (s *Survey) MultiSelect(message, help string, choices []string, describe func(string) string) ([]string, error) {
	var out []string
	q := &survey.MultiSelect{Message: message, Help: help, Options: choices}
	if describe != nil {
		q.Description = func(value string, _ int) string { return describe(value) }
	}
	err := survey.AskOne(q, &out, s.opts())
	return out, mapErr(err)
}
