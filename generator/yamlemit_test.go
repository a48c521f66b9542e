package generator

import (
	"bytes"
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// TestEncodeYAMLMatchesYAMLv3 assembles the OpenAPI document of every pack
// for every database, auth mode and rbac choice, with no integration, each
// one alone and all of them, and checks that the fast encoder takes every
// one of them and writes exactly what yaml.v3 writes.
func TestEncodeYAMLMatchesYAMLv3(t *testing.T) {
	packs, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog := templates.Catalog(packs)
	docs := 0
	for _, pack := range packs {
		integrations := [][]string{nil}
		var all []string
		for _, v := range pack.Options["integrations"].Values {
			integrations = append(integrations, []string{v.Name})
			all = append(all, v.Name)
		}
		integrations = append(integrations, all)
		for _, db := range pack.Options["database"].Values {
			for _, auth := range pack.Options["auth"].Values {
				for _, rbac := range []bool{false, true} {
					for _, ints := range integrations {
						a := options.Normalize(options.Answers{Name: "fast-yaml", Description: "Checks the encoder.",
							Framework: pack.Name, Database: db.Name, Auth: auth.Name, RBAC: rbac, Integrations: ints})
						if catalog.Validate(a) != nil {
							continue
						}
						data, err := NewData(pack, a, "1")
						if err != nil {
							t.Fatal(err)
						}
						plan, err := Plan(pack, data)
						if err != nil {
							t.Fatal(err)
						}
						set, err := templateSet(pack, plan, data.Features)
						if err != nil {
							t.Fatal(err)
						}
						doc, err := assembleOpenAPI(set, data, pack.Contract)
						if err != nil || doc == nil {
							t.Fatalf("%s %v: %v", pack.Name, data.Features, err)
						}
						fast, why := fastYAML(doc)
						if why != "" {
							t.Fatalf("%s %v: the fast encoder refused the document: %s", pack.Name, data.Features, why)
						}
						var want bytes.Buffer
						enc := yaml.NewEncoder(&want)
						enc.SetIndent(2)
						if err := enc.Encode(doc); err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(fast, want.Bytes()) {
							t.Fatalf("%s %v: the fast encoder differs from yaml.v3:\n%s", pack.Name, data.Features, firstDiff(fast, want.Bytes()))
						}
						docs++
					}
				}
			}
		}
	}
	if docs < 50 {
		t.Errorf("only %d documents compared", docs)
	}
	t.Logf("%d documents identical", docs)
}

// TestEncodeYAMLRefusesWhatItCannotWrite: block scalars, comments below
// the top level, anchors and text that needs escaping go to yaml.v3.
func TestEncodeYAMLRefusesWhatItCannotWrite(t *testing.T) {
	for _, src := range []string{
		"a: |\n  text\n",
		"a:\n  # note\n  b: 1\n",
		"a: &x 1\nb: *x\n",
		"a: \"say \\\"hi\\\"\"\n",
		"a: 'caf\u00e9'\n",
		"a: !!str 3\n",
		"a: yes\n",
		"a: 1 # trailing\n",
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(src), &n); err != nil {
			t.Fatal(err)
		}
		if out, ok := encodeYAML(&n); ok {
			t.Errorf("%q: took it and wrote %q", src, out)
		}
	}
	var n yaml.Node
	src := "# head\nopenapi: 3.1.0\npaths:\n  /x/{id}:\n    get:\n      tags:\n        - a\n      security: [{\"B\": []}]\n      x: '200'\n      w: []\n      z:\n        - name: q\n          in: query\n"
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	if out, why := fastYAML(&n); string(out) != src {
		t.Errorf("got %q (%s); want the input back", out, why)
	}
}

func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d:\n  fast    %s\n  yaml.v3 %s", i+1, la[i], lb[i])
		}
	}
	return "lengths differ"
}
