// Package prompt asks the user questions in a terminal. Commands depend on the
// Prompter interface only; survey.go is the one file that knows the library
// behind it, so replacing that library touches nothing else.
package prompt

import "errors"

// ErrInterrupted is returned when the user presses Ctrl-C at a question.
var ErrInterrupted = errors.New("interrupted")

// Prompter asks one question at a time.
type Prompter interface {
	// Input asks for free text; validate, when not nil, rejects an answer
	// and the question is asked again.
	Input(message, help, def string, validate func(string) error) (string, error)
	// Select asks for one of choices.
	Select(message, help string, choices []string, describe func(string) string, def string) (string, error)
	// Confirm asks a yes/no question.
	Confirm(message, help string, def bool) (bool, error)
	// MultiSelect asks for any subset of choices.
	MultiSelect(message, help string, choices []string, describe func(string) string) ([]string, error)
}
