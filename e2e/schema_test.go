package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// contractSchema holds a project's published openapi.yaml as JSON Schema
// (OpenAPI 3.1 schemas are JSON Schema 2020-12), so that the fuzzer can do
// what schema-driven fuzzers do: check every answer against the documented
// response schema, and send bodies the schema allows, which the server must
// then not refuse as invalid.
type contractSchema struct {
	doc      map[string]any
	compiled map[string]*jsonschema.Schema
	compiler *jsonschema.Compiler
	keys     map[string]string // "METHOD path status media" -> key in x-schemas
}

const schemaResource = "mem:///openapi.json"

func loadContractSchema(project string) (*contractSchema, error) {
	raw, err := os.ReadFile(filepath.Join(project, "openapi.yaml"))
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	// Every response and request schema goes under one key of its own, so
	// that it compiles by a plain JSON pointer while its $refs still find
	// #/components/schemas in the same document.
	schemas := map[string]any{}
	keys := map[string]string{}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for method, op := range ops {
			o, _ := op.(map[string]any)
			add := func(what string, content any) {
				media, _ := content.(map[string]any)
				for mt, m := range media {
					s, _ := m.(map[string]any)
					if sch, ok := s["schema"]; ok {
						k := fmt.Sprintf("s%d", len(schemas))
						schemas[k] = sch
						keys[strings.ToUpper(method)+" "+path+" "+what+" "+mt] = k
					}
				}
			}
			if rb, ok := o["requestBody"].(map[string]any); ok {
				add("request", rb["content"])
			}
			responses, _ := o["responses"].(map[string]any)
			for status, r := range responses {
				rm, _ := r.(map[string]any)
				add(status, rm["content"])
			}
		}
	}
	doc["x-schemas"] = schemas
	// Round-trip through JSON: the validator wants JSON's types, not YAML's.
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(schemaResource, inst); err != nil {
		return nil, err
	}
	var plain map[string]any
	_ = json.Unmarshal(js, &plain)
	return &contractSchema{doc: plain, compiled: map[string]*jsonschema.Schema{}, compiler: c, keys: keys}, nil
}

func (s *contractSchema) schema(key string) (*jsonschema.Schema, error) {
	if sch, ok := s.compiled[key]; ok {
		return sch, nil
	}
	sch, err := s.compiler.Compile(schemaResource + "#/x-schemas/" + key)
	if err != nil {
		return nil, err
	}
	s.compiled[key] = sch
	return sch, nil
}

// checkResponse validates an answer's body against the schema documented
// for its status (or its class, or default). It returns "" when they agree.
func (s *contractSchema) checkResponse(method, path string, status int, contentType string, body []byte) string {
	code := fmt.Sprint(status)
	media := strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0])
	var key string
	for _, st := range []string{code, code[:1] + "XX", "default"} {
		if k, ok := s.keys[method+" "+path+" "+st+" "+media]; ok {
			key = k
			break
		}
		// FastAPI documents problem bodies under application/json; the
		// server sends application/problem+json. Same schema, same body.
		if media == "application/problem+json" {
			if k, ok := s.keys[method+" "+path+" "+st+" application/json"]; ok {
				key = k
				break
			}
		}
	}
	if key == "" {
		return "" // no schema documented for this answer (e.g. 204)
	}
	if len(body) == 0 {
		return fmt.Sprintf("%d has an empty body, but a %s schema is documented", status, media)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Sprintf("%d body is not JSON: %v", status, err)
	}
	sch, err := s.schema(key)
	if err != nil {
		return fmt.Sprintf("the documented schema for %d does not compile: %v", status, err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Sprintf("%d body does not match the documented schema: %s", status, oneLine(err.Error()))
	}
	return ""
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// validBodies gives request bodies the documented schema accepts: the
// smallest and the largest values each constraint allows, null wherever
// null is documented, and a NUL character in strings whose schema does not
// forbid it. The server must accept each of them as well-formed.
func (s *contractSchema) validBodies(method, path string) []string {
	k, ok := s.keys[method+" "+path+" request application/json"]
	if !ok {
		return nil
	}
	root, _ := s.doc["x-schemas"].(map[string]any)[k].(map[string]any)
	root = s.resolve(root)
	props, _ := root["properties"].(map[string]any)
	if props == nil {
		return nil
	}
	required := map[string]bool{}
	if req, ok := root["required"].([]any); ok {
		for _, r := range req {
			required[fmt.Sprint(r)] = true
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)

	choices := map[string][]any{}
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		choices[n] = s.values(p, n)
	}
	var bodies []string
	emit := func(m map[string]any) {
		b, _ := json.Marshal(m)
		bodies = append(bodies, string(b))
	}
	// Each property takes each of its values once, the others their first.
	base := map[string]any{}
	for _, n := range names {
		if len(choices[n]) > 0 && required[n] {
			base[n] = choices[n][0]
		}
	}
	emit(base)
	for _, n := range names {
		for _, v := range choices[n] {
			m := map[string]any{}
			for k, bv := range base {
				m[k] = bv
			}
			m[n] = v
			emit(m)
		}
	}
	return bodies
}

func (s *contractSchema) resolve(sch map[string]any) map[string]any {
	for i := 0; i < 10; i++ {
		ref, ok := sch["$ref"].(string)
		if !ok {
			return sch
		}
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		comps, _ := s.doc["components"].(map[string]any)
		all, _ := comps["schemas"].(map[string]any)
		sch, _ = all[name].(map[string]any)
	}
	return sch
}

var fuzzSeq int

// values lists the values a property's schema accepts at its edges.
func (s *contractSchema) values(p map[string]any, name string) []any {
	p = s.resolve(p)
	if branches, ok := p["anyOf"].([]any); ok {
		var out []any
		for _, branch := range branches {
			b, _ := branch.(map[string]any)
			out = append(out, s.values(b, name)...)
		}
		return out
	}
	if enum, ok := p["enum"].([]any); ok && len(enum) > 0 {
		return enum[:1]
	}
	switch p["type"] {
	case "null":
		return []any{nil}
	case "boolean":
		return []any{true, false}
	case "integer":
		lo := 1.0
		if m, ok := p["minimum"].(float64); ok {
			lo = m
		}
		return []any{lo}
	case "number":
		return []any{1.5}
	case "array":
		return []any{[]any{}}
	case "string":
		fuzzSeq++
		if p["format"] == "email" {
			return []any{fmt.Sprintf("fuzz%d@example.com", fuzzSeq)}
		}
		if p["format"] == "e164" { // a phone number that exists in its numbering plan
			return []any{"+14155552671"}
		}
		lo, hi := 1, 40
		if m, ok := p["minLength"].(float64); ok {
			lo = int(m)
		}
		if m, ok := p["maxLength"].(float64); ok && int(m) <= 4096 {
			hi = int(m)
		}
		var pattern *regexp.Regexp
		if pat, ok := p["pattern"].(string); ok {
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil // a pattern Go cannot read: send nothing rather than guess
			}
			pattern = re
		}
		var out []any
		for _, v := range []string{fill("xq7Z", lo), fill("xq7Z", hi), "\x00" + fill("x", lo-1)} {
			if len([]rune(v)) < lo || len([]rune(v)) > hi || (pattern != nil && !pattern.MatchString(v)) {
				continue
			}
			out = append(out, v)
		}
		return out
	}
	return nil
}

// fill repeats unit to exactly n characters (at least one).
func fill(unit string, n int) string {
	if n < 1 {
		n = 1
	}
	r := []rune(strings.Repeat(unit, n/len([]rune(unit))+1))
	return string(r[:n])
}
