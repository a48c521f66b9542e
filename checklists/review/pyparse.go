package review

/*
#cgo CFLAGS: -I${SRCDIR}/treesitter
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>

// tree-sitter's own headers, internal ones included, of the version go.mod
// names (treesitter/README.md): the library itself is compiled and linked
// by github.com/tree-sitter/go-tree-sitter. TestTreeSitterHeaders checks
// that the copies match that version.
#include "tree.h"
#include "language.h"

typedef struct {
	uint16_t kind, field;
	uint32_t start, end;
	int32_t parent, first, next;
	uint8_t named;
} flat_node;

static void scaffold_plain_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }

static TSTree *scaffold_parse(TSParser *p, const char *src, uint32_t len, uint32_t *count) {
	TSTree *tree = ts_parser_parse_string(p, NULL, src, len);
	*count = ts_node_descendant_count(ts_tree_root_node(tree));
	return tree;
}

// scaffold_flatten_cursor copies the tree depth first into out (count
// nodes, as given by scaffold_parse) through tree-sitter's public cursor,
// linking parents, first children and siblings. It returns the number of
// nodes copied. It is the reference scaffold_flatten is checked against,
// and what it falls back to.
static uint32_t scaffold_flatten_cursor(TSTree *tree, flat_node *out, uint32_t count) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	int32_t stack[512];
	int32_t last[512];
	int depth = 0;
	uint32_t n = 0;
	for (;;) {
		if (n < count) {
			TSNode node = ts_tree_cursor_current_node(&c);
			flat_node *f = &out[n];
			f->kind = ts_node_symbol(node);
			f->field = ts_tree_cursor_current_field_id(&c);
			f->start = ts_node_start_byte(node);
			f->end = ts_node_end_byte(node);
			f->named = ts_node_is_named(node);
			f->first = -1;
			f->next = -1;
			f->parent = depth > 0 ? stack[depth - 1] : -1;
			if (depth > 0) {
				if (last[depth - 1] >= 0) out[last[depth - 1]].next = n; else out[stack[depth - 1]].first = n;
				last[depth - 1] = n;
			}
		}
		// Past the depth we can track, children are skipped: such nesting
		// is machine-made, not code a reviewer reads.
		if (depth < 511 && ts_tree_cursor_goto_first_child(&c)) {
			stack[depth] = n;
			last[depth] = -1;
			depth++;
			n++;
			continue;
		}
		n++;
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return n < count ? n : count;
			}
			depth--;
		}
	}
}

// The walk below reads tree-sitter's subtrees directly, as its cursor does,
// without the cursor's bookkeeping (each step of which rebuilds its place
// among the parent's children): the copy costs about a quarter of what
// the cursor's did. A step is one level between a visible node and its
// visible ancestor: the parent's production and the child's place in it,
// to look fields up as ts_tree_cursor_current_field_id does.
typedef struct { uint16_t production; uint32_t structural; bool extra; } walk_step;

// Deeper trees (nesting no person writes) are copied by the cursor, which
// keeps its stack on the heap: the walk recurses once a step, on the C
// stack of the thread, which musl makes 128 KiB.
enum { walk_max_steps = 512 };

typedef struct {
	const TSLanguage *lang;
	flat_node *out;
	uint32_t count, n;
	walk_step steps[walk_max_steps];
	int nsteps;
	bool overflow; // nesting deeper than steps holds: the cursor copies it
} walker;

// walk_children copies the visible nodes among parent's children (parent
// starts at byte pos) under the visible node at index up, descending
// through hidden children. base is the first step below up; depth counts
// visible levels, as the cursor's copy does.
static void walk_children(walker *w, Subtree parent, uint32_t pos, int32_t up, int32_t *last, int depth, int base) {
	uint32_t count = ts_subtree_child_count(parent);
	const Subtree *kids = ts_subtree_children(parent);
	const TSSymbol *aliases = ts_language_alias_sequence(w->lang, parent.ptr->production_id);
	uint32_t structural = 0;
	for (uint32_t i = 0; i < count && w->n < w->count; i++) {
		Subtree child = kids[i];
		if (i > 0) pos += ts_subtree_padding(child).bytes;
		bool extra = ts_subtree_extra(child);
		TSSymbol alias = !extra && aliases ? aliases[structural] : 0;
		bool visible = ts_subtree_visible(child) || alias;
		if (w->nsteps == walk_max_steps) {
			w->overflow = true;
			return;
		}
		w->steps[w->nsteps++] = (walk_step){parent.ptr->production_id, structural, extra};
		if (!extra) structural++;
		if (visible) {
			uint32_t at = w->n++;
			flat_node *f = &w->out[at];
			f->kind = ts_language_public_symbol(w->lang, alias ? alias : ts_subtree_symbol(child));
			f->named = alias ? ts_language_symbol_metadata(w->lang, alias).named : ts_subtree_named(child);
			f->field = 0;
			for (int k = w->nsteps - 1; k >= base && !f->field; k--) {
				walk_step *s = &w->steps[k];
				if (s->extra) break;
				const TSFieldMapEntry *m, *end;
				ts_language_field_map(w->lang, s->production, &m, &end);
				for (; m < end; m++) {
					if (!m->inherited && m->child_index == s->structural) {
						f->field = m->field_id;
						break;
					}
				}
			}
			f->start = pos;
			f->end = pos + ts_subtree_size(child).bytes;
			f->first = -1;
			f->next = -1;
			f->parent = up;
			if (*last >= 0) w->out[*last].next = at; else w->out[up].first = at;
			*last = at;
			if (depth < 511 && ts_subtree_visible_child_count(child) > 0) {
				int32_t child_last = -1;
				walk_children(w, child, pos, at, &child_last, depth + 1, w->nsteps);
			}
		} else if (ts_subtree_visible_child_count(child) > 0) {
			walk_children(w, child, pos, up, last, depth, base);
		}
		if (w->overflow) return;
		w->nsteps--;
		pos += ts_subtree_size(child).bytes;
	}
}

// scaffold_flatten copies the tree depth first into out (count nodes, as
// given by scaffold_parse), the same as scaffold_flatten_cursor would, then
// frees the tree. It returns the number of nodes copied. cursor forces the
// cursor's copy.
static uint32_t scaffold_flatten(TSTree *tree, flat_node *out, uint32_t count, bool cursor) {
	uint32_t n = 0;
	walker *w = cursor ? NULL : calloc(1, sizeof(walker));
	if (w) {
		TSNode root = ts_tree_root_node(tree);
		flat_node *f = &out[0];
		f->kind = ts_node_symbol(root);
		f->named = ts_node_is_named(root);
		f->field = 0;
		f->start = ts_node_start_byte(root);
		f->end = ts_node_end_byte(root);
		f->parent = f->first = f->next = -1;
		w->lang = tree->language;
		w->out = out;
		w->count = count;
		w->n = 1;
		int32_t last = -1;
		walk_children(w, tree->root, f->start, 0, &last, 1, 0);
		n = w->overflow ? 0 : w->n;
		free(w);
	}
	if (n == 0) n = scaffold_flatten_cursor(tree, out, count);
	ts_tree_delete(tree);
	return n;
}
*/
import "C"

import (
	"slices"
	"sync"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// pyParser parses Python; one per goroutine, closed after use.
type pyParser struct{ p *C.TSParser }

// grammar holds the Python language's name tables, built on first use so
// that commands that never parse Python do not pay for them. It also
// points tree-sitter at the C allocator: the Go bindings route every
// allocation through a Go callback that only calls C.malloc, which costs
// more than parsing.
var grammar = sync.OnceValue(func() (g struct {
	kinds, fields []string
	ids           map[string][]uint16 // kind name -> its ids (aliases share a name)
	errorID       uint16
}) {
	C.scaffold_plain_allocator()
	lang := sitter.NewLanguage(python.Language())
	g.ids = map[string][]uint16{}
	for id := range uint16(lang.NodeKindCount()) {
		name := lang.NodeKindForId(id)
		g.kinds = append(g.kinds, name)
		g.ids[name] = append(g.ids[name], id)
	}
	for id := range uint16(lang.FieldCount() + 1) {
		g.fields = append(g.fields, lang.FieldNameForId(id))
	}
	// An ERROR node (code tree-sitter could not parse: a syntax error,
	// nesting past its limits) has the symbol 65535, outside the table;
	// parse gives such nodes the id after the last.
	g.errorID = uint16(len(g.kinds))
	g.kinds = append(g.kinds, "ERROR")
	g.ids["ERROR"] = append(g.ids["ERROR"], g.errorID)
	return g
})

// cursorOnly tells parse to copy trees through tree-sitter's cursor: set
// when the direct walk, tried once on a sample that has aliases, fields
// under hidden nodes, comments and a syntax error, copies it differently
// (a tree-sitter whose internals moved from the headers this package was
// built with). TestFlattenMatchesCursor compares the two on every fixture.
var cursorOnly = sync.OnceValue(func() bool {
	p := newPyParser()
	defer p.Close()
	fast, slow := p.parseWith(flattenSample, false), p.parseWith(flattenSample, true)
	return !slices.Equal(fast, slow)
})

var flattenSample = []byte(`import os  # a comment
from a.b import (c as d,
    e)

@app.route("/x/<int:n>", methods=["POST"])
async def handler(n: int, *args, key: str = "v", **kw) -> dict[str, int]:
    """Doc."""
    q = ("SELECT * FROM t "  # the table
         "WHERE id = %s" % n)
    match n:
        case [1, *rest] if rest:
            pass
        case {"k": v}:
            print(f"{v!r:>{n}}")
    return {k: lambda x=1: x for k in kw if k not in (None,)}

class C(Base, metaclass=M):
    x: int = 1
    def f(self): return self.x[1:2, ...] ** -1
def broken(:
    pass
`)

func newPyParser() *pyParser {
	grammar()
	p := C.ts_parser_new()
	if !C.ts_parser_set_language(p, (*C.TSLanguage)(python.Language())) {
		panic("review: the Python grammar does not match the tree-sitter library")
	}
	return &pyParser{p}
}

// Close frees the parser.
func (p *pyParser) Close() { C.ts_parser_delete(p.p) }

// flatNode mirrors the C flat_node.
type flatNode struct {
	kind, field         uint16
	start, end          uint32
	parent, first, next int32
	named               uint8
}

// parse returns the nodes of src's syntax tree in document order.
func (p *pyParser) parse(src []byte) []flatNode { return p.parseWith(src, cursorOnly()) }

// parseWith is parse, copying the tree through tree-sitter's cursor when
// cursor is set.
func (p *pyParser) parseWith(src []byte, cursor bool) []flatNode {
	var count C.uint32_t
	var ptr *C.char
	if len(src) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&src[0]))
	}
	tree := C.scaffold_parse(p.p, ptr, C.uint32_t(len(src)), &count)
	nodes := make([]flatNode, int(count))
	if count > 0 {
		n := C.scaffold_flatten(tree, (*C.flat_node)(unsafe.Pointer(&nodes[0])), count, C.bool(cursor))
		nodes = nodes[:n]
		g := grammar()
		for i := range nodes {
			if nodes[i].kind >= g.errorID {
				nodes[i].kind = g.errorID
			}
			if int(nodes[i].field) >= len(g.fields) {
				nodes[i].field = 0
			}
		}
	} else {
		C.ts_tree_delete(tree)
	}
	return nodes
}
