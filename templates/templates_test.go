package templates

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scaffoldtool/scaffold/options"
)

// TestEmbeddedPacksAreConsistent checks every pack shipped in the binary:
// its manifest names only known option values, each conditional rule matches
// at least one file, and it declares the checks the end-to-end suite runs.
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
			for _, list := range []struct {
				opt    *options.Option
				values []string
			}{{&options.DatabaseOption, p.Options.Database}, {&options.AuthOption, p.Options.Auth}, {&options.IntegrationsOption, p.Options.Integrations}} {
				for _, v := range list.values {
					if !slices.ContainsFunc(list.opt.Values, func(o options.Value) bool { return o.Name == v }) {
						t.Errorf("pack.yaml offers unknown %s %q", list.opt.Key, v)
					}
				}
			}
			if len(p.Options.Database) == 0 || len(p.Options.Auth) == 0 {
				t.Error("pack.yaml must offer at least one database and one auth mode")
			}
			var paths []string
			_ = fs.WalkDir(p.FS, ".", func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					paths = append(paths, path)
				}
				return err
			})
			for _, r := range p.Files {
				if r.When == "" {
					t.Errorf("rule for %s has no condition", r.Path)
				}
				matched := slices.ContainsFunc(paths, func(path string) bool {
					return path == r.Path || strings.HasSuffix(r.Path, "/") && strings.HasPrefix(path, r.Path)
				})
				if !matched {
					t.Errorf("rule for %s matches no file in files/", r.Path)
				}
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

func TestLoadFSRejectsBadManifests(t *testing.T) {
	tests := []struct {
		name     string
		manifest string
		errPart  string
	}{
		{"unknown key", "name: x\nbogus: 1\n", "field bogus not found"},
		{"name differs from folder", "name: y\n", `name "y" must match its folder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"x/pack.yaml": {Data: []byte(tt.manifest)}, "x/files/a": {Data: []byte("a")}}
			_, err := LoadFS(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errPart)
			}
		})
	}
	packs, err := LoadFS(fstest.MapFS{"notapack/readme.md": {Data: []byte("x")}, "x/pack.yaml": {Data: []byte("name: x\n")}, "x/files/a": {}})
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
