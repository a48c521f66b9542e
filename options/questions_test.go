package options

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// stubAsker answers from a script of expected questions and fails the test
// on any question it does not expect, in the shape of cli/cli's prompter
// stub: a question the policy should have skipped is a bug.
type stubAsker struct {
	t       *testing.T
	answers map[string]string // prompt -> answer
	asked   []string
}

func (s *stubAsker) take(prompt string) string {
	s.t.Helper()
	a, ok := s.answers[prompt]
	if !ok {
		s.t.Fatalf("unexpected question %q", prompt)
	}
	s.asked = append(s.asked, prompt)
	return a
}

func (s *stubAsker) Input(m, _, def string, validate func(string) error) (string, error) {
	a := s.take(m)
	if a == "" {
		a = def
	}
	if validate != nil {
		if err := validate(a); err != nil {
			return "", err
		}
	}
	return a, nil
}

func (s *stubAsker) Select(m, _ string, choices []string, describe func(string) string, def string) (string, error) {
	a := s.take(m)
	if a == "" {
		a = def
	}
	if !slices.Contains(choices, a) {
		s.t.Fatalf("%q offered %v; the stub answers %q", m, choices, a)
	}
	for _, c := range choices {
		if describe(c) == "" {
			s.t.Errorf("%q: value %q has no description", m, c)
		}
	}
	return a, nil
}

func (s *stubAsker) Confirm(m, _ string, def bool) (bool, error) {
	switch s.take(m) {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return def, nil
}

func (s *stubAsker) MultiSelect(m, _ string, choices []string, _ func(string) string) ([]string, error) {
	a := s.take(m)
	if a == "" {
		return nil, nil
	}
	return strings.Split(a, ","), nil
}

func TestQuestionPolicy(t *testing.T) {
	tests := []struct {
		name    string
		given   map[string]string
		answers map[string]string
		asked   []string
		want    Answers
	}{
		{
			name:    "everything asked, framework has a choice",
			answers: map[string]string{"Project name": "Shop", "One-line description": "Sells.", "Framework": "fastapi", "Database": "postgres", "Authentication": "jwt", "Roles and permissions (RBAC)?": "no", "Integrations": "cache"},
			asked:   []string{"Project name", "One-line description", "Framework", "Database", "Authentication", "Roles and permissions (RBAC)?", "Integrations"},
			want:    Answers{Name: "Shop", Description: "Sells.", Framework: "fastapi", Database: "postgres", Auth: "jwt", Integrations: []string{"cache"}},
		},
		{
			name:    "given answers are not asked; rbac is not asked without users",
			given:   map[string]string{"name": "Shop", "framework": "fastapi", "auth": "none"},
			answers: map[string]string{"One-line description": "", "Database": "", "Integrations": ""},
			asked:   []string{"One-line description", "Database", "Integrations"},
			want:    Answers{Name: "Shop", Framework: "fastapi", Database: "sqlite", Auth: "none", Integrations: []string{}},
		},
		{
			name:    "a single value is not asked, nor an option the pack does not offer",
			given:   map[string]string{"name": "Shop", "description": "d", "framework": "flask"},
			answers: map[string]string{"Authentication": "session"},
			asked:   []string{"Authentication"},
			want:    Answers{Name: "Shop", Description: "d", Framework: "flask", Database: "sqlite", Auth: "session", Integrations: []string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPartial()
			for k, v := range tt.given {
				if err := p.Set(k, v); err != nil {
					t.Fatal(err)
				}
			}
			stub := &stubAsker{t: t, answers: tt.answers}
			got, err := testCatalog.Complete(p, stub)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(stub.asked, tt.asked) {
				t.Errorf("asked %q, want %q", stub.asked, tt.asked)
			}
			want := Normalize(tt.want)
			if want.Description == "" {
				want.Description = DescriptionOption.Default
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("answers %+v, want %+v", got, want)
			}
		})
	}
}

func TestCompleteWithoutAskingNeedsAName(t *testing.T) {
	if _, err := testCatalog.Complete(NewPartial(), nil); !errors.Is(err, ErrNameNeeded) {
		t.Fatalf("err = %v, want ErrNameNeeded", err)
	}
	p := NewPartial()
	_ = p.Set("name", "demo")
	_ = p.Set("auth", "none")
	a, err := testCatalog.Complete(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.RBAC || a.Framework != "fastapi" || a.Database != "sqlite" {
		t.Errorf("defaults gave %+v", a)
	}
}
