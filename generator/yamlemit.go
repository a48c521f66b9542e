package generator

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// encodeYAML writes a node tree the way yaml.v3's encoder does with an
// indent of 2, for the shapes OpenAPI fragments use: block mappings and
// sequences, flow collections, plain, single- and double-quoted scalars,
// and head comments on the top-level keys. It is the most expensive step
// of assembling openapi.yaml through yaml.v3 (two thirds of it), and a
// string builder does it in a fraction of the time. Anything else (block
// scalars, tags, anchors, other comments, a scalar it cannot prove plain
// or quoted text it would have to escape) makes it answer false, and the
// caller encodes with yaml.v3: the output is yaml.v3's either way
// (TestEncodeYAMLMatchesYAMLv3).
func encodeYAML(root *yaml.Node) ([]byte, bool) {
	out, why := fastYAML(root)
	return out, why == ""
}

// fastYAML is encodeYAML that says why it gave up.
func fastYAML(root *yaml.Node) ([]byte, string) {
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) != 1 || hasMeta(root) {
			return nil, "a document with comments or more than one node"
		}
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 || len(root.Content) == 0 || hasMeta(root) {
		return nil, "the root is not a plain block mapping"
	}
	e := &emitter{}
	e.buf.Grow(64 << 10)
	e.mapping(root, 0, true, true)
	if e.failed {
		return nil, e.why
	}
	return []byte(e.buf.String()), ""
}

type emitter struct {
	buf    strings.Builder
	failed bool
	why    string // what made it give up, for tests
}

func (e *emitter) fail(n *yaml.Node, why string) {
	if !e.failed {
		e.failed, e.why = true, fmt.Sprintf("line %d: %s", n.Line, why)
	}
}

// hasMeta reports what this emitter leaves to yaml.v3 on a node: comments,
// anchors, explicit tags.
func hasMeta(n *yaml.Node) bool {
	return n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" || n.Anchor != "" ||
		n.Style&yaml.TaggedStyle != 0
}

func (e *emitter) indent(n int) {
	for range n {
		e.buf.WriteByte(' ')
	}
}

// mapping writes a block mapping's entries at indent n; the first entry
// starts where the cursor is when inline (after "- " in a sequence). Head
// comments are written for the top-level keys only.
func (e *emitter) mapping(m *yaml.Node, n int, top, first bool) {
	for i := 0; i+1 < len(m.Content) && !e.failed; i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || hasMeta(v) || k.LineComment != "" || k.FootComment != "" || k.Anchor != "" ||
			k.Style&yaml.TaggedStyle != 0 || len(k.Value) > 128 {
			e.fail(k, "a key with metadata or a long key")
			return
		}
		if k.HeadComment != "" {
			if !top {
				e.fail(k, "a head comment below the top level")
				return
			}
			for line := range strings.SplitSeq(k.HeadComment, "\n") {
				if !strings.HasPrefix(line, "#") {
					e.fail(k, "a comment line without #")
					return
				}
				e.buf.WriteString(line)
				e.buf.WriteByte('\n')
			}
		}
		if !(first && i == 0) {
			e.indent(n)
		}
		e.scalar(k, false)
		e.buf.WriteByte(':')
		switch {
		case v.Kind == yaml.ScalarNode:
			e.buf.WriteByte(' ')
			e.scalar(v, false)
			e.buf.WriteByte('\n')
		case (v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) && (v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0):
			e.buf.WriteByte(' ')
			e.flow(v)
			e.buf.WriteByte('\n')
		case v.Kind == yaml.MappingNode:
			e.buf.WriteByte('\n')
			e.mapping(v, n+2, false, false)
		case v.Kind == yaml.SequenceNode:
			e.buf.WriteByte('\n')
			e.sequence(v, n+2)
		default:
			e.fail(v, "a node of another kind")
		}
	}
}

// sequence writes a block sequence's items at indent n.
func (e *emitter) sequence(s *yaml.Node, n int) {
	for _, item := range s.Content {
		if e.failed || hasMeta(item) {
			e.fail(item, "an item with metadata")
			return
		}
		e.indent(n)
		e.buf.WriteString("- ")
		switch {
		case item.Kind == yaml.ScalarNode:
			e.scalar(item, false)
			e.buf.WriteByte('\n')
		case (item.Kind == yaml.MappingNode || item.Kind == yaml.SequenceNode) && (item.Style&yaml.FlowStyle != 0 || len(item.Content) == 0):
			e.flow(item)
			e.buf.WriteByte('\n')
		case item.Kind == yaml.MappingNode:
			e.mapping(item, n+2, false, true)
		default:
			e.fail(item, "a sequence in a sequence")
		}
	}
}

// flow writes a collection in flow style: {a: 1, b: [x, y]}.
func (e *emitter) flow(c *yaml.Node) {
	open, close := byte('['), byte(']')
	if c.Kind == yaml.MappingNode {
		open, close = '{', '}'
	}
	e.buf.WriteByte(open)
	for i, child := range c.Content {
		if hasMeta(child) {
			e.fail(child, "metadata in a flow collection")
			return
		}
		if i > 0 {
			if c.Kind == yaml.MappingNode && i%2 == 1 {
				e.buf.WriteString(": ")
			} else {
				e.buf.WriteString(", ")
			}
		}
		switch child.Kind {
		case yaml.ScalarNode:
			e.scalar(child, true)
		case yaml.MappingNode, yaml.SequenceNode:
			e.flow(child)
		default:
			e.fail(child, "a node of another kind in a flow collection")
			return
		}
	}
	e.buf.WriteByte(close)
}

// scalar writes a scalar in the style it was parsed with, when that style
// can hold it as it is; otherwise the emitter gives up.
func (e *emitter) scalar(s *yaml.Node, inFlow bool) {
	v := s.Value
	switch {
	case s.Style&yaml.DoubleQuotedStyle != 0:
		if !printableASCII(v) || strings.ContainsAny(v, `"\`) {
			e.fail(s, "double-quoted text that needs escaping")
			return
		}
		e.buf.WriteByte('"')
		e.buf.WriteString(v)
		e.buf.WriteByte('"')
	case s.Style&yaml.SingleQuotedStyle != 0:
		if !printableASCII(v) || v != "" && (v[0] == ' ' || v[len(v)-1] == ' ') {
			e.fail(s, "single-quoted text that is not printable ASCII or has surrounding space")
			return
		}
		e.buf.WriteByte('\'')
		e.buf.WriteString(strings.ReplaceAll(v, "'", "''"))
		e.buf.WriteByte('\'')
	case s.Style == 0 && plainSafe(v, inFlow) && plainTag(s):
		e.buf.WriteString(v)
	default:
		e.fail(s, fmt.Sprintf("%q (%s) may not be plain", s.Value, s.ShortTag()))
	}
}

// plainTag reports whether a plain scalar reads back as the type it has,
// so that the encoder would not quote it. The nodes come from parsing, where
// a plain scalar's tag is what its text resolves to; words older YAML read
// as booleans are left to yaml.v3 all the same.
func plainTag(s *yaml.Node) bool {
	switch s.ShortTag() {
	case "!!str":
		switch strings.ToLower(s.Value) {
		case "yes", "no", "on", "off", "y", "n":
			return false
		}
		return true
	case "!!int", "!!float", "!!bool", "!!null":
		return true
	}
	return false
}

// plainSafe reports whether v can be written plain as it is, by the rules
// yaml.v3's emitter applies (libyaml's analyze_scalar): printable ASCII,
// no surrounding space, no document marker, no indicator where one would
// be read as such (a leading "#" or "[", ": ", " #"; in flow context also
// ",?[]{}" and any ":").
func plainSafe(v string, inFlow bool) bool {
	if v == "" || !printableASCII(v) || v[0] == ' ' || v[len(v)-1] == ' ' ||
		strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...") {
		return false
	}
	blankAfter := func(i int) bool { return i+1 >= len(v) || v[i+1] == ' ' }
	switch c := v[0]; {
	case strings.IndexByte("#,[]{}&*!|>'\"%@`", c) >= 0:
		return false
	case c == '?' || c == ':':
		if inFlow || blankAfter(0) {
			return false
		}
	case c == '-':
		if blankAfter(0) {
			return false
		}
	}
	for i := 1; i < len(v); i++ {
		switch v[i] {
		case ',', '?', '[', ']', '{', '}':
			if inFlow {
				return false
			}
		case ':':
			if inFlow || blankAfter(i) {
				return false
			}
		case '#':
			if v[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

func printableASCII(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return false
		}
	}
	return true
}
