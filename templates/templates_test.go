package templates

import (
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEmbeddedPacksAreConsistent checks every pack shipped in the binary:
// it offers a database and an auth mode and declares the checks the
// end-to-end suite runs.
func TestEmbeddedPacksAreConsistent(t *testing.T) {
	packs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(packs) == 0 {
		t.Fatal("no template packs are embedded")
	}
	defaults := 0
	for _, p := range packs {
		t.Run(p.Name, func(t *testing.T) {
			if p.Default {
				defaults++
			}
			if len(p.Options["database"].Values) == 0 || len(p.Options["auth"].Values) == 0 {
				t.Error("pack.yaml must offer at least one database and one auth mode")
			}
			var names []string
			for _, c := range p.Checks {
				names = append(names, c.Name)
			}
			for _, want := range []string{"install", "lint", "migrations", "drift", "openapi", "test"} {
				if !slices.Contains(names, want) {
					t.Errorf("pack.yaml has no %q check for the end-to-end suite", want)
				}
			}
		})
	}
	if defaults > 1 {
		t.Errorf("%d packs are marked default; at most one may be", defaults)
	}
}

// TestLoadFSRejectsBadManifests: a pack that fails validation is refused
// with the file and the field at fault.
func TestLoadFSRejectsBadManifests(t *testing.T) {
	base := "name: x\noptions:\n  database: {values: [{name: lite}]}\n  auth: {values: [{name: pw}]}\n"
	tests := []struct {
		name    string
		files   map[string]string
		errPart string
	}{
		{"unknown key", map[string]string{"x/pack.yaml": "name: x\nbogus: 1\n"}, "templates/x/pack.yaml: line 2: field bogus not found"},
		{"name differs from folder", map[string]string{"x/pack.yaml": "name: y\n"}, `templates/x/pack.yaml: name: "y" must match its folder`},
		{"unknown option", map[string]string{"x/pack.yaml": base + "  colour: {values: [{name: red}]}\n"}, "templates/x/pack.yaml: options.colour: a pack declares only database, auth, rbac, integrations"},
		{"value without a feature", map[string]string{"x/pack.yaml": base + "  integrations: {values: [{name: fax}]}\n"}, "templates/x/pack.yaml: options.integrations.values[0]: value \"fax\" needs a feature folder features/fax/"},
		{"bad default", map[string]string{"x/pack.yaml": strings.Replace(base, "{values: [{name: pw}]}", "{default: jwt, values: [{name: pw}]}", 1)}, "options.auth.default: \"jwt\" is not one of the values"},
		{"feature manifest typo", map[string]string{"x/features/pw/feature.yaml": "provide: [users]\n"}, "templates/x/features/pw/feature.yaml: line 1: field provide not found"},
		{"unknown include", map[string]string{"x/features/pw/feature.yaml": "includes: [ghost]\n"}, "templates/x/features/pw/feature.yaml: includes[0]: no feature \"ghost\""},
		{"include cycle", map[string]string{"x/features/pw/feature.yaml": "includes: [lite]\n", "x/features/lite/feature.yaml": "includes: [pw]\n"}, "features include each other"},
		{"undeclared extension point", map[string]string{"x/features/pw/feature.yaml": "contributes:\n  env: [A]\n"}, "templates/x/features/pw/feature.yaml: contributes.env: pack.yaml declares no extension point \"env\""},
		{"feature check without run", map[string]string{"x/features/pw/feature.yaml": "checks: [{name: login}]\n"}, "templates/x/features/pw/feature.yaml: checks[0]: a check needs a name and a run command"},
		{"feature check named like the pack's", map[string]string{"x/pack.yaml": base + "checks: [{name: test, run: 'true'}]\n", "x/features/pw/feature.yaml": "checks: [{name: test, run: 'true'}]\n"}, "checks[0]: pack.yaml already has a check named \"test\""},
		{"feature folder without manifest", map[string]string{"x/features/pw/feature.yaml": "", "x/features/extra/files/a": "a"}, "templates/x/features/extra/feature.yaml: every feature folder needs a feature.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"x/pack.yaml": {Data: []byte(base)}, "x/files/a": {Data: []byte("a")},
				"x/features/lite/feature.yaml": {Data: []byte("")}, "x/features/pw/feature.yaml": {Data: []byte("")}}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := LoadFS(fsys, "built-in")
			var pe *PackError
			if err == nil || !strings.Contains(err.Error(), tt.errPart) || !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a PackError containing %q", err, tt.errPart)
			}
		})
	}
	packs, err := LoadFS(fstest.MapFS{"notapack/readme.md": {Data: []byte("x")}, "x/pack.yaml": {Data: []byte(base)}, "x/files/a": {},
		"x/features/lite/feature.yaml": {}, "x/features/pw/feature.yaml": {}}, "built-in")
	if err != nil || len(packs) != 1 || packs[0].Name != "x" {
		t.Fatalf("LoadFS = %v, %v; want the one pack x", packs, err)
	}
}

// TestProjectImportsSurviveLongNames guards the rule in the FastAPI pack's
// NOTES.md: an import of the project package must be parenthesised with one
// name per line, or a long project name makes the generated code fail
// `ruff format --check`. The end-to-end suite proves it; this finds it early.
func TestProjectImportsSurviveLongNames(t *testing.T) {
	packs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range packs {
		_ = fs.WalkDir(p.FS, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".py.tmpl") {
				return err
			}
			data, _ := fs.ReadFile(p.FS, path)
			for i, line := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(line, "from {{ .Package }}") && !strings.HasSuffix(line, "import (") {
					t.Errorf("%s/files/%s:%d: write it as `from {{ .Package }}... import (` with one name per line: %s",
						p.Name, path, i+1, line)
				}
			}
			return nil
		})
	}
}

// TestChecksForAddsFeatureChecks: a project runs the pack's checks, then
// those of its features in feature order, included features first.
func TestChecksForAddsFeatureChecks(t *testing.T) {
	fsys := fstest.MapFS{
		"x/pack.yaml":                      {Data: []byte("name: x\noptions:\n  database: {values: [{name: lite}]}\n  auth: {values: [{name: pw}, {name: anon}]}\nchecks: [{name: test, run: make test}]\n")},
		"x/files/a":                        {Data: []byte("a")},
		"x/features/lite/feature.yaml":     {Data: []byte("checks: [{name: wal, run: ./wal.sh}]\n")},
		"x/features/accounts/feature.yaml": {Data: []byte("checks: [{name: users, run: ./users.sh}]\n")},
		"x/features/pw/feature.yaml":       {Data: []byte("includes: [accounts]\nchecks: [{name: login, run: ./login.sh}]\n")},
		"x/features/anon/feature.yaml":     {Data: []byte("")},
	}
	packs, err := LoadFS(fsys, "built-in")
	if err != nil {
		t.Fatal(err)
	}
	names := func(cs []Check) (out []string) {
		for _, c := range cs {
			out = append(out, c.Name+"="+c.Run)
		}
		return out
	}
	if got, want := names(packs[0].ChecksFor([]string{"lite", "pw"})), []string{"test=make test", "wal=./wal.sh", "users=./users.sh", "login=./login.sh"}; !slices.Equal(got, want) {
		t.Errorf("lite+pw checks = %v, want %v", got, want)
	}
	if got, want := names(packs[0].ChecksFor([]string{"lite", "anon"})), []string{"test=make test", "wal=./wal.sh"}; !slices.Equal(got, want) {
		t.Errorf("lite+anon checks = %v, want %v", got, want)
	}
}

// TestEmbeddedContributionsDecode: the built-in packs decode their
// features' contributions on first use; every one of them decodes, names
// only declared extension points, and equals what a whole decode gives.
func TestEmbeddedContributionsDecode(t *testing.T) {
	packs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range packs {
		for name, f := range p.Features {
			if f.lazy == nil {
				t.Fatalf("%s/%s: a built-in feature should be read lazily", p.Name, name)
			}
			got, err := f.Contributions()
			if err != nil {
				t.Fatalf("%s/%s: %v", p.Name, name, err)
			}
			var whole Feature
			if err := decodeStrict(f.lazy.raw, &whole); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, whole.Contributes) {
				t.Errorf("%s/%s: lazy contributions differ from a whole decode", p.Name, name)
			}
			head := *f
			head.Contributes, head.lazy, head.points = nil, nil, nil
			whole.Name, whole.Contributes = name, nil
			if !reflect.DeepEqual(head, whole) {
				t.Errorf("%s/%s: the manifest without contributions decodes differently:\n%+v\n%+v", p.Name, name, head, whole)
			}
		}
	}
}

// TestLazyContributionsErrorNamesTheFile: a lazily read feature whose
// contributions are bad fails on first use, naming its manifest.
func TestLazyContributionsErrorNamesTheFile(t *testing.T) {
	fsys := fstest.MapFS{"pack.yaml": {Data: []byte("name: x\nextension_points: [{name: deps}]\noptions:\n  database: {values: [{name: lite}]}\n  auth: {values: [{name: pw}]}\n")},
		"files/a": {Data: []byte("a")}, "features/lite/feature.yaml": {Data: []byte("provides: [db]\ncontributes:\n  deps: [a]\n")},
		"features/pw/feature.yaml": {Data: []byte("provides: [users]\ncontributes:\n  env:\n    - A\n# a comment\nchecks: [{name: pw, run: 'true'}]\n")}}
	p, err := readPack(fsys, nil, "x", "templates/x", true)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Features["pw"].Checks; len(got) != 1 || got[0].Name != "pw" {
		t.Errorf("checks after the contributions were lost: %v", got)
	}
	if c, err := p.Features["lite"].Contributions(); err != nil || len(c["deps"]) != 1 {
		t.Errorf("lite: %v, %v", c, err)
	}
	_, err = p.Features["pw"].Contributions()
	var pe *PackError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), `templates/x/features/pw/feature.yaml: contributes.env: pack.yaml declares no extension point "env"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestWithoutKey(t *testing.T) {
	in := "a: 1\ncontributes:\n  x:\n    - |\n      text\n\n# note\ncontributesmore: 2\nb: [3]\ncontributes: {y: 1}\n"
	if got, want := string(withoutKey([]byte(in), "contributes")), "a: 1\ncontributesmore: 2\nb: [3]\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
