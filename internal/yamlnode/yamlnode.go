// Package yamlnode reads yaml.v3 node trees, for the code that must keep a
// document's order and layout (the generator's OpenAPI assembly, review's
// OpenAPI checks).
package yamlnode

import "gopkg.in/yaml.v3"

// Value returns the value of key in mapping node m, or nil when m is not a
// mapping or has no such key.
func Value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
