package generator

import (
	"bytes"
	"fmt"
	"path"
	"sync"

	"text/template"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/internal/yamlnode"
	"github.com/scaffoldtool/scaffold/templates"
)

// The OpenAPI document of a project is assembled here, not written as one
// template: the pack's base fragment (openapi.yaml.tmpl at the pack's root)
// and each selected feature's fragment (features/NAME/openapi.yaml.tmpl)
// are rendered like any template, then merged in feature order. Mappings
// merge key by key (a fragment's new keys come after the existing ones);
// anything else (a list, a scalar) in a later fragment replaces the earlier
// value. The result is deterministic, and the generated project's own test
// proves it equals the spec its application serves.

// FragmentName is the file name of OpenAPI fragments in a pack.
const FragmentName = "openapi.yaml" + TemplateSuffix

// mergeYAML merges fragment into base (both mapping nodes or documents).
func mergeYAML(base, fragment *yaml.Node) *yaml.Node {
	if base.Kind == yaml.DocumentNode {
		base = base.Content[0]
	}
	if fragment.Kind == yaml.DocumentNode {
		fragment = fragment.Content[0]
	}
	if base.Kind != yaml.MappingNode || fragment.Kind != yaml.MappingNode {
		return fragment
	}
	for i := 0; i+1 < len(fragment.Content); i += 2 {
		key, value := fragment.Content[i], fragment.Content[i+1]
		found := false
		for j := 0; j+1 < len(base.Content); j += 2 {
			if base.Content[j].Value == key.Value {
				base.Content[j+1] = mergeYAML(base.Content[j+1], value)
				found = true
				break
			}
		}
		if !found {
			base.Content = append(base.Content, key, value)
		}
	}
	return base
}

// OpenAPIFile is where the assembled document goes in the project.
const OpenAPIFile = "openapi.yaml"

// openAPI renders the base fragment and the selected features' fragments
// and merges them; it returns nil when the pack has no base fragment. With
// contract set, the fragments are the shared HTTP contract's
// (_shared/contract/openapi.yaml.tmpl and _shared/contract/features/NAME.yaml.tmpl),
// so every pack that serves the contract publishes the same document.
func openAPI(set *template.Template, data Data, contract bool) ([]byte, error) {
	doc, err := assembleOpenAPI(set, data, contract)
	if doc == nil || err != nil {
		return nil, err
	}
	if out, ok := encodeYAML(doc); ok {
		return out, nil
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// assembleOpenAPI renders and merges the fragments into one document.
func assembleOpenAPI(set *template.Template, data Data, contract bool) (*yaml.Node, error) {
	names := []string{FragmentName}
	for _, f := range data.Features {
		names = append(names, path.Join("features", f, FragmentName))
	}
	if contract {
		dir := path.Join(templates.SharedDir, templates.ContractDir)
		names = []string{path.Join(dir, FragmentName)}
		for _, f := range data.Features {
			names = append(names, path.Join(dir, "features", f+".yaml"+TemplateSuffix))
		}
	}
	if set.Lookup(names[0]) == nil {
		return nil, nil
	}
	var doc *yaml.Node
	for _, name := range names {
		if set.Lookup(name) == nil {
			continue // a feature that adds nothing to the API
		}
		var text bytes.Buffer
		if err := set.ExecuteTemplate(&text, name, data); err != nil {
			return nil, err
		}
		var n yaml.Node
		if err := yaml.Unmarshal(text.Bytes(), &n); err != nil {
			return nil, fmt.Errorf("%s: not valid YAML after rendering: %w", name, err)
		}
		if len(n.Content) == 0 {
			continue
		}
		if doc == nil {
			doc = n.Content[0]
			continue
		}
		doc = mergeYAML(doc, &n)
	}
	if doc == nil {
		return nil, nil
	}
	if contract {
		documentBusy(doc)
	}
	return doc, nil
}

// livePath is the one operation of the contract that never reaches the
// database.
const livePath = "/health/live"

// documentBusy adds the contract's 503 to every operation but liveness:
// each may find the database busy (no pooled connection within the pool
// timeout, a lock the database gave up on) and then answers 503 with
// Retry-After, a problem like every error. Written here once so that no
// fragment can forget it; FastAPI's served spec adds the same
// (errors.document_problems).
func documentBusy(doc *yaml.Node) {
	if doc.Kind == yaml.DocumentNode {
		doc = doc.Content[0]
	}
	paths := yamlnode.Value(doc, "paths")
	if paths == nil {
		return
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		if paths.Content[i].Value == livePath {
			continue
		}
		item := paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			responses := yamlnode.Value(item.Content[j+1], "responses")
			if responses == nil || yamlnode.Value(responses, "503") != nil {
				continue
			}
			responses.Content = append(responses.Content, busyNodes()...)
		}
	}
}

// busyNodes is the 503 response's key and value, parsed once; each
// operation gets its own copy, as a document must not share nodes.
func busyNodes() []*yaml.Node {
	return []*yaml.Node{cloneNode(busyParsed()[0]), cloneNode(busyParsed()[1])}
}

var busyParsed = sync.OnceValue(func() []*yaml.Node {
	var busy yaml.Node
	if err := yaml.Unmarshal([]byte(busyResponse), &busy); err != nil {
		panic(err)
	}
	return busy.Content[0].Content
})

func cloneNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = cloneNode(child)
	}
	return &c
}

const busyResponse = `'503':
  description: Service Unavailable
  content:
    application/problem+json:
      schema:
        $ref: '#/components/schemas/Problem'
`
