package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// fuzzAPI sends malformed requests to every operation in the project's
// openapi.yaml: odd path parameters, broken and wrongly typed bodies, huge
// strings, unknown and out-of-range query parameters, with and without
// credentials. No answer may be a 5xx, every status must be one the contract
// documents for that operation, and every error must be a problem document.
// It returns how many requests were sent.
func fuzzAPI(t *testing.T, c *client, project string, auth []string) int {
	raw, err := os.ReadFile(filepath.Join(project, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `yaml:"name"`
				In   string `yaml:"in"`
			} `yaml:"parameters"`
			RequestBody *struct {
				Content map[string]struct {
					Schema map[string]any `yaml:"schema"`
				} `yaml:"content"`
			} `yaml:"requestBody"`
			Responses map[string]any `yaml:"responses"`
		} `yaml:"paths"`
		Components struct {
			Schemas map[string]map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	contract, err := loadContractSchema(project)
	if err != nil {
		t.Fatalf("openapi.yaml as JSON Schema: %v", err)
	}
	// Schema-valid bodies come from their own address: they include
	// registrations and logins, whose rate limits are per address.
	valid := c.from("127.0.0.17")
	huge := strings.Repeat("x", 100_000)
	pathValues := []string{"0", "-1", "abc", "99999999999999999999", strings.Repeat("9", 400), "%27%20OR%201%3D1--", "%00"}
	// Query strings stay under 8 KiB, the request-line limit of common proxies:
	// past that the HTTP server itself (the launchers' 64 KiB head) answers
	// before the application sees it.
	queries := []string{"zzz=1", "limit=-1", "limit=abc", "limit=100000", "offset=-5", "offset=1e309", "sort=;DROP%20TABLE%20items", "sort=" + strings.Repeat("a", 5000), "done=maybe", "q=" + strings.Repeat("%F0%9F%92%A9", 500),
		// List cursors are opaque: garbage, a well-formed but forged one, oversized, a NUL.
		"cursor=garbage", "cursor=WyJpZCIsMSwxXQ.AAAAAAAAAAAAAAAA", "cursor=" + strings.Repeat("A", 5000), "cursor=%00", "include_total=maybe"}
	param := regexp.MustCompile(`\{[^}]+\}`)
	sent := 0
	var failures []string
	paths := make([]string, 0, len(spec.Paths))
	for p := range spec.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var sendTo func(c *client, target string, body []byte, contentType string, headers []string, schemaValid bool)
	for _, path := range paths {
		for method, op := range spec.Paths[path] {
			method = strings.ToUpper(method)
			if method == "PARAMETERS" || method == "HEAD" || method == "OPTIONS" {
				continue
			}
			documented := map[string]bool{}
			for code := range op.Responses {
				documented[code] = true
			}
			check := func(target string, body []byte, contentType string, headers []string) {
				sendTo(c, target, body, contentType, headers, false)
			}
			sendTo = func(c *client, target string, body []byte, contentType string, headers []string, schemaValid bool) {
				sent++
				req, err := http.NewRequest(method, c.base+target, bytes.NewReader(body))
				if err != nil {
					return // not even a valid request line; nothing to send
				}
				if contentType != "" {
					req.Header.Set("Content-Type", contentType)
				}
				for i := 0; i+1 < len(headers); i += 2 {
					req.Header.Set(headers[i], headers[i+1])
				}
				res, err := c.http.Do(req)
				if err != nil {
					failures = append(failures, fmt.Sprintf("%s %s: %v", method, short(target), err))
					return
				}
				answer, _ := io.ReadAll(res.Body)
				res.Body.Close()
				code := fmt.Sprint(res.StatusCode)
				if msg := contract.checkResponse(method, path, res.StatusCode, res.Header.Get("Content-Type"), answer); msg != "" {
					failures = append(failures, fmt.Sprintf("%s %s (body %q): %s", method, short(target), short(string(body)), msg))
				}
				switch {
				case schemaValid && res.StatusCode == 422:
					failures = append(failures, fmt.Sprintf("%s %s: a body the published schema allows was refused as invalid (%q): %s", method, short(target), short(string(body)), short(string(answer))))
				case res.StatusCode >= 500:
					failures = append(failures, fmt.Sprintf("%s %s (body %q): %d", method, short(target), short(string(body)), res.StatusCode))
				case !documented[code] && !documented[code[:1]+"XX"] && !documented["default"]:
					failures = append(failures, fmt.Sprintf("%s %s (body %q): %d is not documented for this operation (documented: %v)", method, short(target), short(string(body)), res.StatusCode, keys(documented)))
				case res.StatusCode >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json"):
					failures = append(failures, fmt.Sprintf("%s %s: %d with Content-Type %q, not a problem", method, short(target), res.StatusCode, res.Header.Get("Content-Type")))
				}
			}
			for _, headers := range [][]string{nil, auth} {
				targets := []string{path}
				if param.MatchString(path) {
					targets = nil
					for _, v := range pathValues {
						targets = append(targets, param.ReplaceAllString(path, v))
					}
				}
				for _, target := range targets {
					concrete := param.ReplaceAllString(path, "1")
					if op.RequestBody == nil {
						check(target, nil, "", headers)
						if target == concrete || !param.MatchString(path) {
							for _, q := range queries {
								check(concrete+"?"+q, nil, "", headers)
							}
						}
						continue
					}
					for _, body := range badBodies(op.RequestBody.Content, spec.Components.Schemas, huge) {
						check(target, []byte(body), "application/json", headers)
					}
					check(target, []byte("title=x"), "application/x-www-form-urlencoded", headers)
				}
			}
			concrete := param.ReplaceAllString(path, "1")
			for _, body := range contract.validBodies(method, path) {
				sendTo(valid, concrete, []byte(body), "application/json", auth, true)
			}
		}
	}
	if len(failures) > 0 {
		if len(failures) > 25 {
			failures = append(failures[:25], fmt.Sprintf("... and %d more", len(failures)-25))
		}
		t.Errorf("malformed requests broke the contract (%d sent):\n%s", sent, strings.Join(failures, "\n"))
	}
	return sent
}

// badBodies gives broken JSON, wrong shapes, and for the operation's schema
// each property with a value of the wrong type or an oversized string.
func badBodies(content map[string]struct {
	Schema map[string]any `yaml:"schema"`
}, schemas map[string]map[string]any, huge string) []string {
	bodies := []string{"", "{", "null", "[]", "\"text\"", "{}", `{"unknown_field": 1}`, `{"a":` + strings.Repeat("[", 5000) + "}"}
	for _, media := range content {
		schema := media.Schema
		if ref, ok := schema["$ref"].(string); ok {
			schema = schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		}
		props, _ := schema["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			for _, v := range []string{"123", "true", "[1]", `{"a":1}`, "null", `"` + huge + `"`, `"\u0000"`, "1e309"} {
				bodies = append(bodies, fmt.Sprintf(`{%q: %s}`, n, v))
			}
		}
	}
	return bodies
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
