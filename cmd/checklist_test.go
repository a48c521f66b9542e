package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runBuffered runs the command line with buffers for standard output and
// error, and returns the exit code and both outputs.
func runBuffered(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	f := NewFactory()
	f.IO = &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Interactive: func() bool { return false }}
	code := Execute(f, args)
	return code, out.String(), errOut.String()
}

// expectRun runs a command line, checks its exit code and that standard
// output and error contain the given strings, and returns standard output.
func expectRun(t *testing.T, args []string, code int, stdout, stderr []string) string {
	t.Helper()
	got, out, errOut := runBuffered(args...)
	if got != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", got, code, out, errOut)
	}
	for _, s := range stdout {
		if !strings.Contains(out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, out)
		}
	}
	for _, s := range stderr {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
	return out
}

func TestChecklistCommand(t *testing.T) {
	empty := t.TempDir()
	project := t.TempDir()
	record := "scaffold_version: 0.1.0\nname: shop\ndescription: ''\nframework: fastapi\ndatabase: sqlite\n" +
		"auth: none\nrbac: false\nintegrations: []\n"
	if err := os.WriteFile(filepath.Join(project, ".scaffold.yaml"), []byte(record), 0o644); err != nil {
		t.Fatal(err)
	}
	guide := filepath.Join("..", "checklists", "testdata", "guidelines", "api-reviewer.md")
	binary, utf16 := filepath.Join(project, "logo.md"), filepath.Join(project, "windows.md")
	if err := os.WriteFile(binary, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(utf16, []byte("\xff\xfe#\x00 \x00R\x00u\x00l\x00e\x00s\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A table of many thousand rows (a concatenation or an export, not an
	// agent file) and a file over the size limit are refused with what to
	// do; one paragraph of many kilobytes is skipped, not read.
	huge, large, long := filepath.Join(project, "export.md"), filepath.Join(project, "dump.md"), filepath.Join(project, "essay.md")
	var rows strings.Builder
	rows.WriteString("| rule | why |\n|---|---|\n")
	for i := range 3500 {
		fmt.Fprintf(&rows, "| Validate input field %d at the boundary | it comes from a client |\n", i)
	}
	for file, data := range map[string]string{
		huge:  rows.String(),
		large: strings.Repeat("- Hash passwords with Argon2id.\n", 40000),
		long:  "# Rules\n\n" + strings.Repeat("Always use parameterized queries and ", 200) + "\n\n- Never log tokens.\n",
	} {
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seed := filepath.Join("..", "checklists", "testdata", "seeds", "backend-logic-implementer.md")
	for _, tc := range []struct {
		name           string
		args           []string
		code           int
		stdout, stderr []string
		notStdout      []string
	}{
		{"defaults from flags", []string{"checklist", empty}, 0,
			[]string{"# Review checklist", "## Authentication and authorization", "- [ ] **AUTH-05**", "automated: `sql-string-building`"},
			nil, []string{"AUTH-17"}},
		{"project record", []string{"checklist", project}, 0,
			[]string{"# Review checklist: shop", "**AUTH-17**", "auth none"}, nil, []string{"AUTH-05", "AUTH-14"}},
		{"flags override the record", []string{"checklist", project, "--auth", "jwt", "--rbac"}, 0,
			[]string{"**AUTH-05**", "**AUTH-14**"}, nil, []string{"AUTH-17"}},
		{"payments", []string{"checklist", empty, "--integrations", "payments"}, 0,
			[]string{"## Integrations", "**INT-03**", "**INT-08**", "**INT-09**", "automated: `webhook-unverified`"},
			nil, []string{"INT-06", "INT-11", "ASYNC-06", "PERF-07"}},
		{"sms and jobs", []string{"checklist", empty, "--integrations", "sms,jobs"}, 0,
			[]string{"**INT-06**", "**INT-08**", "**INT-11**", "**ASYNC-06**", "**ASYNC-08**", "**SEC-15**"},
			nil, []string{"INT-03", "INT-04", "INT-09", "PERF-07"}},
		{"no integrations", []string{"checklist", empty}, 0, []string{"automated: `outbound-timeout`"},
			nil, []string{"## Integrations", "INT-0", "ASYNC-06"}},
		{"json", []string{"checklist", empty, "--format", "json"}, 0,
			[]string{`"rules": [`, `"id": "SEC-03"`, `"check": "sql-string-building"`}, nil, nil},
		{"guidelines added and merged", []string{"checklist", empty, "--guidelines", guide}, 0,
			[]string{"**G-01**", "Source: api-reviewer.md:"},
			[]string{"guidelines " + guide + ": 4 items extracted", "merged", "added", "skipped        code block"}, nil},
		{"seed merges into built-in rules", []string{"checklist", empty, "--guidelines", seed}, 0,
			[]string{"Source: backend-logic-implementer.md:30"},
			[]string{"23 items extracted (22 merged into existing rules, 0 added, 1 not applicable", "skipped        agent section: section \"Output Format\""}, []string{"**G-01**"}},
		{"explain", []string{"checklist", empty, "--guidelines", seed, "--explain"}, 0, nil,
			[]string{"from \"Technical Guidelines\"; the seed mapping (seeds.yaml) lists it"}, nil},
		{"bad format", []string{"checklist", empty, "--format", "yaml"}, 2, nil, []string{"unknown format"}, nil},
		{"missing guideline file", []string{"checklist", empty, "--guidelines", "nope.md"}, 2, nil, []string{"cannot read guideline file"}, nil},
		{"binary guideline file", []string{"checklist", empty, "--guidelines", binary}, 2, nil, []string{"is not UTF-8 text", "save it as UTF-8 Markdown"}, nil},
		{"UTF-16 guideline file", []string{"checklist", empty, "--guidelines", utf16}, 2, nil, []string{"is not UTF-8 text"}, nil},
		{"directory as guideline file", []string{"checklist", empty, "--guidelines", empty}, 2, nil, []string{"is a directory; pass the Markdown file itself"}, nil},
		{"too many items", []string{"checklist", empty, "--guidelines", huge}, 2, nil, []string{"holds more than 3000 items", "pass the files it was made from one by one"}, nil},
		{"guideline file too large", []string{"checklist", empty, "--guidelines", large}, 2, nil, []string{"is 1 MiB", "over the 1 MiB limit"}, nil},
		{"one paragraph too long", []string{"checklist", empty, "--guidelines", long}, 0, []string{"Never log tokens"}, []string{"skipped        too long: 7399 characters"}, nil},
		{"not a directory", []string{"checklist", filepath.Join(empty, "missing")}, 2, nil, []string{"is not a directory"}, nil},
		{"invalid option", []string{"checklist", empty, "--auth", "kerberos"}, 2, nil, []string{"kerberos"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := expectRun(t, tc.args, tc.code, tc.stdout, tc.stderr)
			for _, s := range tc.notStdout {
				if strings.Contains(out, s) {
					t.Errorf("stdout has %q", s)
				}
			}
			if tc.code == 0 && strings.Contains(strings.Join(tc.args, " "), "json") && !json.Valid([]byte(out)) {
				t.Error("--format json printed invalid JSON")
			}
		})
	}
}

// TestChecklistMatchesGeneratedProject checks that `scaffold checklist DIR`
// prints exactly the REVIEW_CHECKLIST.md that `scaffold new` wrote there.
func TestChecklistMatchesGeneratedProject(t *testing.T) {
	out := t.TempDir()
	if code, _, errOut := runBuffered("new", "shop", "--yes", "--no-git", "--output", out, "--no-rbac"); code != 0 {
		t.Fatalf("new failed (%d): %s", code, errOut)
	}
	dir := filepath.Join(out, "shop")
	code, stdout, stderr := runBuffered("checklist", dir)
	if code != 0 {
		t.Fatalf("checklist failed (%d): %s", code, stderr)
	}
	written, err := os.ReadFile(filepath.Join(dir, "REVIEW_CHECKLIST.md"))
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(written) {
		t.Error("scaffold checklist differs from the project's REVIEW_CHECKLIST.md")
	}
	if _, err := os.Stat(filepath.Join(dir, ".github", "pull_request_template.md")); err != nil {
		t.Errorf("the project has no pull request template: %v", err)
	}
}
