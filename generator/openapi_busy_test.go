package generator

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
	"gopkg.in/yaml.v3"
)

// TestContractDocumentsBusy: in every variant's openapi.yaml (the golden
// trees), each operation but /health/live documents the 503 a busy
// database gives, as a problem; /health/live never does.
func TestContractDocumentsBusy(t *testing.T) {
	goldens, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "*.txtar"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no golden trees: %v", err)
	}
	for _, golden := range goldens {
		archive, err := txtar.ParseFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range archive.Files {
			if filepath.Base(f.Name) != OpenAPIFile || filepath.Dir(f.Name) != "." {
				continue
			}
			var doc struct {
				Paths map[string]map[string]struct {
					Responses map[string]struct {
						Content map[string]any `yaml:"content"`
					} `yaml:"responses"`
				} `yaml:"paths"`
			}
			if err := yaml.Unmarshal(f.Data, &doc); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			for path, item := range doc.Paths {
				for method, op := range item {
					busy, ok := op.Responses["503"]
					switch {
					case path == livePath && ok:
						t.Errorf("%s: %s %s documents 503 but does no I/O", filepath.Base(golden), method, path)
					case path != livePath && !ok:
						t.Errorf("%s: %s %s lacks the busy-database 503", filepath.Base(golden), method, path)
					case ok && busy.Content["application/problem+json"] == nil:
						t.Errorf("%s: %s %s: 503 is not a problem", filepath.Base(golden), method, path)
					}
				}
			}
		}
	}
}
