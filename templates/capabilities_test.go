package templates

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestTemplatesAskCapabilities enforces the pack format's rule: templates
// never compare an option's value to a string; they ask what the selected
// features provide (.Has "users"), or the text moves into a feature.
func TestTemplatesAskCapabilities(t *testing.T) {
	raw := regexp.MustCompile(`\b(eq|ne)\s+\.(Auth|Database|Integrations|Framework)\b|\.(Auth|Database|Framework)\s+"|(eq|ne)\s+"[^"]*"\s+\.(Auth|Database|Framework)\b`)
	packs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, fsys fs.FS) {
		_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			// feature.yaml too: contributed text can be a template (tpl).
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".tmpl") && !strings.HasSuffix(path, "/feature.yaml") {
				return err
			}
			data, _ := fs.ReadFile(fsys, path)
			for i, line := range strings.Split(string(data), "\n") {
				if raw.MatchString(line) {
					t.Errorf("%s/%s:%d compares an option value; ask a capability (.Has), use a contribution, or (shared sets) a block the pack overrides: %s", name, path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
	}
	for _, p := range packs {
		check(p.Name, p.FS)
	}
	// The shared layer too: a shared file that asks which framework it is in
	// would put every pack's difference back into one file.
	shared, err := fs.Sub(embedded, SharedDir)
	if err != nil {
		t.Fatal(err)
	}
	check(SharedDir, shared)
}
