package review

/*
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>

// The few declarations of tree_sitter/api.h this file needs; the library
// itself is compiled and linked by github.com/tree-sitter/go-tree-sitter.
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct TSLanguage TSLanguage;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);
uint32_t ts_node_descendant_count(TSNode self);
uint16_t ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
	void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

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

// scaffold_flatten copies the tree depth first into out (count nodes, as
// given by scaffold_parse), linking parents, first children and siblings,
// then frees the tree. It returns the number of nodes copied.
static uint32_t scaffold_flatten(TSTree *tree, flat_node *out, uint32_t count) {
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
				ts_tree_delete(tree);
				return n < count ? n : count;
			}
			depth--;
		}
	}
}
*/
import "C"

import (
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
func (p *pyParser) parse(src []byte) []flatNode {
	var count C.uint32_t
	var ptr *C.char
	if len(src) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&src[0]))
	}
	tree := C.scaffold_parse(p.p, ptr, C.uint32_t(len(src)), &count)
	nodes := make([]flatNode, int(count))
	if count > 0 {
		n := C.scaffold_flatten(tree, (*C.flat_node)(unsafe.Pointer(&nodes[0])), count)
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
