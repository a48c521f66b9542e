package review

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"
)

// pyTree is a Python file parsed by tree-sitter's Python grammar and copied
// into Go memory: the C tree is freed as soon as the file is parsed, so
// checks walk plain slices and nothing needs closing.
type pyTree struct {
	src   []byte
	nodes []flatNode // in document order; nodes[0] is the module
	lines []int      // offsets of line starts
	// imports maps a local name to what it stands for: "pyjwt" -> "jwt"
	// for import jwt as pyjwt, "decode" -> "jwt.decode" for from jwt
	// import decode.
	imports map[string]string
	// kinds and fields are the grammar's name tables; callees caches the
	// resolved name of each call, which several checks ask for.
	kinds, fields []string
	callees       map[int32]string
	// assignsTo lists, for each name, the assignments (plain and
	// augmented) whose target is that bare name, in document order: built
	// on the first evalName, so that resolving a name reads its own
	// assignments rather than the whole module again (quadratic on a
	// module of thousands of lines).
	assignsTo map[string][]int32
	// dicts caches what the secret check asks of a dict literal (see
	// dictFactsOf): asked once per entry, read once per dict.
	dicts map[int32]*dictFacts
	// path is the file's, for the few questions that depend on where the
	// code lives (see helperModule).
	path string
	// urlFlow: tainted is following input to a redirect, through string
	// operations only (set and cleared around that one question).
	urlFlow bool
	// pathFlow: tainted is following input to a file path, where a stored
	// record's fields are names the service chose.
	pathFlow bool
	// htmlFlow: tainted is following input into HTML sent back, where
	// what a lookup returns (get_notebook_data(path)) is stored content,
	// not the client's text echoed.
	htmlFlow bool
	// templateFlow: tainted is following input into a template's source,
	// where the URL the client asked for (request.url, request.path) is
	// text it wrote, as it is in HTML sent back.
	templateFlow bool
	// sinkAt is the offset of the sink tainted is asked about (0: none):
	// a route value pinned to literals before it carries nothing there.
	sinkAt int
	// sqlFlow: tainted is following input into SQL text, where a call
	// that quotes an identifier or a literal (escape_sqlite, quote_name)
	// leaves a name or a quoted value.
	// viewDefaultsOff: a Django view's parameters with a default are
	// not counted as client input (to tell whether a finding rests on
	// them alone; see viewKwargs).
	viewDefaultsOff bool
	sqlFlow         bool
	// compVars are the names bound by the comprehensions tainted is
	// inside, and whether each carries client input.
	compVars map[string]bool
	// compParams: the same for callerParams, each name with the
	// parameters its iterable carries.
	compParams map[string]map[string]bool
	// localDepth bounds localPath's walk back through assignments
	// (x = x + "a" repeated would otherwise branch at every step).
	localDepth int
	// calls indexes the module's calls by the last part of their name
	// (callsNamed), for following a function's arguments to its callers.
	calls map[string][]int32
	// exposed caches argumentExposed's answer per function parameter.
	exposed map[fnParam]bool
	// assigned caches assignedTainted's answers: without it, a name
	// reassigned many times is followed through every earlier assignment
	// again for each one (60 reassignments took seconds).
	assigned map[taintKey]bool
	// passThrough caches, per function defined at the module's top level,
	// whether what it returns derives from its parameters (see
	// ownOpaqueCall); nil until asked.
	passThrough map[string]bool
	// pathGuarded caches, per function defined anywhere in the module,
	// whether its body keeps a path inside a directory (see
	// guardedPathHelper).
	pathGuarded map[string]bool
}

type taintKey struct {
	use               int32
	depth             int
	viewDefaultsOff   bool
	urlFlow, pathFlow bool
	sqlFlow           bool
	sinkAt            int
	htmlFlow          bool
	templateFlow      bool
}

// kind returns the grammar name of node i ("call", "string", "+").
func (t *pyTree) kind(i int32) string { return t.kinds[t.nodes[i].kind] }

// field returns the name of the field node i fills in its parent, or "".
func (t *pyTree) field(i int32) string { return t.fields[t.nodes[i].field] }

func (t *pyTree) named(i int32) bool { return t.nodes[i].named != 0 }

func (t *pyTree) start(i int32) int { return int(t.nodes[i].start) }

func (t *pyTree) end(i int32) int { return int(t.nodes[i].end) }

// parsePyTree parses src with parser (one per goroutine: parsers are not
// safe for concurrent use).
func parsePyTree(parser *pyParser, src []byte) *pyTree {
	g := grammar()
	t := &pyTree{src: src, lines: lineStarts(src), imports: map[string]string{}, nodes: parser.parse(src),
		kinds: g.kinds, fields: g.fields, callees: map[int32]string{}}
	t.collectImports()
	return t
}

// text returns the source of node i.
// nodeAt returns the first node of the given kind that starts at byte
// offset off, or -1. Nodes are stored in document order.
func (t *pyTree) nodeAt(off int, kind string) int32 {
	lo, hi := 0, len(t.nodes)
	for lo < hi {
		mid := (lo + hi) / 2
		if t.start(int32(mid)) < off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for i := int32(lo); int(i) < len(t.nodes) && t.start(i) == off; i++ {
		if t.kind(i) == kind {
			return i
		}
	}
	return -1
}

func (t *pyTree) text(i int32) string { return string(t.src[t.start(i):t.end(i)]) }

// line returns the 1-based line node i starts on.
func (t *pyTree) line(i int32) int { return t.lineOf(t.start(i)) }

func (t *pyTree) lineOf(off int) int {
	return sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off })
}

// child returns the child of i in the named field, or -1.
func (t *pyTree) child(i int32, field string) int32 {
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		if t.field(c) == field {
			return c
		}
	}
	return -1
}

// children returns the named children of i.
func (t *pyTree) children(i int32) []int32 {
	var out []int32
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		if t.named(c) && t.kind(c) != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// each calls fn for every node of the given kinds, in document order.
func (t *pyTree) each(fn func(i int32), kinds ...string) {
	want := kindSet(kinds)
	for i := range t.nodes {
		if want[t.nodes[i].kind] {
			fn(int32(i))
		}
	}
}

// kindSets caches, by the kinds asked for, which node kinds each visits:
// every file asks for the same few sets, a dozen times each.
var kindSets sync.Map // string -> []bool

func kindSet(kinds []string) []bool {
	key := strings.Join(kinds, "\x00")
	if w, ok := kindSets.Load(key); ok {
		return w.([]bool)
	}
	g := grammar()
	want := make([]bool, len(g.kinds))
	for _, k := range kinds {
		for _, id := range g.ids[k] {
			want[id] = true
		}
	}
	kindSets.Store(key, want)
	return want
}

// enclosing returns the nearest ancestor of i of one of the kinds, or -1.
func (t *pyTree) enclosing(i int32, kinds ...string) int32 {
	for p := t.nodes[i].parent; p >= 0; p = t.nodes[p].parent {
		for _, k := range kinds {
			if t.kind(p) == k {
				return p
			}
		}
	}
	return -1
}

// collectImports records what each imported name stands for, anywhere in
// the file (imports inside functions count too).
func (t *pyTree) collectImports() {
	for i := range t.nodes {
		n := int32(i)
		switch t.kind(n) {
		case "import_statement":
			for _, c := range t.children(n) {
				switch t.kind(c) {
				case "dotted_name":
					name := t.text(c)
					head, _, _ := strings.Cut(name, ".")
					t.imports[head] = head
				case "aliased_import":
					t.imports[t.text(t.child(c, "alias"))] = t.text(t.child(c, "name"))
				}
			}
		case "import_from_statement":
			mod := t.child(n, "module_name")
			if mod < 0 {
				continue
			}
			from := strings.TrimLeft(t.text(mod), ".")
			for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
				if t.field(c) != "name" {
					continue
				}
				switch t.kind(c) {
				case "dotted_name":
					t.imports[t.text(c)] = from + "." + t.text(c)
				case "aliased_import":
					t.imports[t.text(t.child(c, "alias"))] = from + "." + t.text(t.child(c, "name"))
				}
			}
		}
	}
}

// qualName is the dotted name an expression stands for, with imports
// resolved: pyjwt.decode -> jwt.decode, decode -> jwt.decode. Names that
// were not imported stay as written; anything that is not a name or an
// attribute chain gives "".
func (t *pyTree) qualName(i int32) string {
	switch t.kind(i) {
	case "identifier":
		name := t.text(i)
		if q, ok := t.imports[name]; ok {
			return q
		}
		return name
	case "attribute":
		obj := t.qualName(t.child(i, "object"))
		attr := t.child(i, "attribute")
		if attr < 0 {
			return ""
		}
		if obj == "" {
			obj = "?"
		}
		return obj + "." + t.text(attr)
	case "call":
		// app.config.from_object(...).x and similar: keep the tail.
		if f := t.qualName(t.child(i, "function")); f != "" {
			return f + "()"
		}
	}
	return ""
}

// callee returns the resolved name of a call's function.
func (t *pyTree) callee(call int32) string {
	if name, ok := t.callees[call]; ok {
		return name
	}
	name := ""
	if f := t.child(call, "function"); f >= 0 {
		name = t.qualName(f)
	}
	t.callees[call] = name
	return name
}

// unparen returns expression i without the parentheses around it, or -1
// when they hold more than one expression (a tuple, a generator).
func (t *pyTree) unparen(i int32) int32 {
	for i >= 0 && t.kind(i) == "parenthesized_expression" {
		cs := t.children(i)
		if len(cs) != 1 {
			return -1
		}
		i = cs[0]
	}
	return i
}

// lastPart returns what follows the last dot of a dotted name.
func lastPart(name string) string { return name[strings.LastIndexByte(name, '.')+1:] }

// args returns a call's positional arguments and its keyword arguments.
func (t *pyTree) args(call int32) (pos []int32, kw map[string]int32) {
	kw = map[string]int32{}
	list := t.child(call, "arguments")
	if list < 0 {
		return nil, kw
	}
	for _, a := range t.children(list) {
		switch t.kind(a) {
		case "keyword_argument":
			if name := t.child(a, "name"); name >= 0 {
				kw[t.text(name)] = t.child(a, "value")
			}
		case "list_splat", "dictionary_splat":
		default:
			pos = append(pos, a)
		}
	}
	return pos, kw
}

// arg returns the positional argument at index or the keyword argument
// name, or -1.
func (t *pyTree) arg(call int32, index int, name string) int32 {
	pos, kw := t.args(call)
	if v, ok := kw[name]; ok && name != "" {
		return v
	}
	if index >= 0 && index < len(pos) {
		return pos[index]
	}
	return -1
}

// kwText returns the source of a call's keyword argument, or "" when the
// call does not pass it.
func (t *pyTree) kwText(call int32, name string) string {
	if _, kw := t.args(call); kw[name] > 0 {
		return t.text(kw[name])
	}
	return ""
}

// strLiteral returns the value of a plain string node and whether it is an
// f-string with interpolations.
func (t *pyTree) strLiteral(i int32) (value string, interpolated bool) {
	var b strings.Builder
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		switch t.kind(c) {
		case "string_content":
			// Escape sequences are children of string_content; keep
			// them as written, as the old scanner did.
			b.WriteString(t.text(c))
		case "interpolation":
			interpolated = true
			b.WriteString("{?}")
		}
	}
	return b.String(), interpolated
}

// strVal is what a string expression comes to: the text of its literal
// parts (dynamic parts become "?"), how values get into it ("" when it is
// made of literals only) and the line of its first literal.
type strVal struct {
	text string
	how  string
	line int
}

// evalString follows a string expression: literals, adjacent literals,
// f-strings, + concatenation, % and .format, parentheses, and local names
// assigned earlier in the same function (or module), += included. ok is
// false when the expression is not a string at all.
func (t *pyTree) evalString(i int32, depth int) (v strVal, ok bool) {
	if i < 0 || depth > 8 {
		return strVal{}, false
	}
	switch t.kind(i) {
	case "string":
		text, interp := t.strLiteral(i)
		v = strVal{text: text, line: t.line(i)}
		if interp {
			v.how = "an f-string"
		}
		return v, true
	case "concatenated_string":
		first := true
		for _, c := range t.children(i) {
			cv, ok := t.evalString(c, depth+1)
			if !ok {
				continue
			}
			v.text += cv.text
			if first {
				v.line, first = cv.line, false
			}
			if v.how == "" {
				v.how = cv.how
			}
		}
		return v, !first
	case "parenthesized_expression":
		if cs := t.children(i); len(cs) == 1 {
			return t.evalString(cs[0], depth+1)
		}
	case "binary_operator":
		op := t.child(i, "operator")
		left, right := t.child(i, "left"), t.child(i, "right")
		if op < 0 {
			return strVal{}, false
		}
		switch t.text(op) {
		case "+":
			lv, lok := t.evalString(left, depth+1)
			rv, rok := t.evalString(right, depth+1)
			if !lok && !rok {
				return strVal{}, false
			}
			v = strVal{text: lv.text + rv.text, line: lv.line}
			if !lok {
				v.text, v.line = "?"+rv.text, rv.line
			}
			if !rok {
				v.text += "?"
			}
			v.how = firstNonEmpty(lv.how, rv.how)
			if !lok || !rok {
				v.how = "string concatenation"
			}
			return v, true
		case "%":
			lv, lok := t.evalString(left, depth+1)
			if !lok {
				return strVal{}, false
			}
			lv.how = firstNonEmpty(lv.how, "the % operator")
			return lv, true
		}
	case "call":
		f := t.child(i, "function")
		if f >= 0 && t.kind(f) == "attribute" && t.text(t.child(f, "attribute")) == "format" {
			if sv, ok := t.evalString(t.child(f, "object"), depth+1); ok {
				sv.how = firstNonEmpty(sv.how, ".format()")
				return sv, true
			}
		}
	case "identifier":
		return t.evalName(i, depth)
	}
	return strVal{}, false
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// evalName follows a local name to the string assigned to it before use,
// in the same function, applying later += steps; a name the function does
// not assign is looked up among the module's assignments (a constant).
func (t *pyTree) evalName(use int32, depth int) (strVal, bool) {
	name := t.text(use)
	scope := t.enclosing(use, "function_definition", "lambda")
	if scope < 0 {
		return t.evalNameIn(name, 0, t.start(use), depth)
	}
	if v, ok := t.evalNameIn(name, scope, t.start(use), depth); ok {
		return v, true
	}
	return t.evalNameIn(name, 0, len(t.src), depth)
}

// evalNameIn is evalName within one scope (a function, or 0 for the
// module), over the assignments that start before offset before.
func (t *pyTree) evalNameIn(name string, scope int32, before, depth int) (strVal, bool) {
	// The assignments to the name that end before the use (not the one the
	// use is part of); only the last plain one and the += after it count.
	if t.assignsTo == nil {
		t.assignsTo = map[string][]int32{}
		t.each(func(j int32) {
			if left := t.child(j, "left"); left >= 0 && t.kind(left) == "identifier" {
				name := t.text(left)
				t.assignsTo[name] = append(t.assignsTo[name], j)
			}
		}, "assignment", "augmented_assignment")
	}
	// The candidates are a run of the name's assignments in document
	// order: after the scope's node, starting before the use and inside
	// the scope. Read back from the use to the last plain assignment, so
	// that a name assigned thousands of times is not read from its first
	// assignment at every use.
	all := t.assignsTo[name]
	lo := sort.Search(len(all), func(k int) bool { return all[k] > scope })
	hi := lo + sort.Search(len(all)-lo, func(k int) bool {
		j := all[lo+k]
		return t.start(j) >= before || t.start(j) >= t.end(scope)
	})
	var assigns []int32
	for k := hi - 1; k >= lo; k-- {
		j := all[k]
		if t.end(j) > before {
			continue
		}
		if s := t.enclosing(j, "function_definition", "lambda"); s != scope && !(scope == 0 && s < 0) {
			continue
		}
		assigns = append(assigns, j)
		if t.kind(j) == "assignment" {
			break
		}
	}
	slices.Reverse(assigns)
	var v strVal
	found := false
	for _, j := range assigns {
		kind := t.kind(j)
		right := t.child(int32(j), "right")
		rv, ok := t.evalString(right, depth+1)
		if kind == "assignment" {
			v, found = rv, ok
			continue
		}
		if !found {
			continue
		}
		if op := t.child(int32(j), "operator"); op < 0 || t.text(op) != "+=" {
			continue
		}
		if !ok {
			v.text += "?"
			v.how = "string concatenation"
		} else {
			v.text += rv.text
			v.how = firstNonEmpty(v.how, rv.how)
		}
	}
	return v, found
}

// maskedCode returns src with comments blanked and the contents of string
// literals replaced by x (same length, newlines kept), plus the literals,
// for the checks that still match text patterns: they can then never match
// inside a string or a comment.
func (t *pyTree) maskedCode() ([]byte, []strLit) {
	code := bytes.Clone(t.src)
	var lits []strLit
	for i, n := range t.nodes {
		switch t.kinds[n.kind] {
		case "comment":
			for j := n.start; j < n.end; j++ {
				code[j] = ' '
			}
		case "string":
			value, _ := t.strLiteral(int32(i))
			fstring := false
			bodyStart, bodyEnd := int(n.start), int(n.end)
			for c := n.first; c >= 0; c = t.nodes[c].next {
				switch t.kind(c) {
				case "string_start":
					bodyStart = t.end(c)
					fstring = bytes.ContainsAny(t.src[t.start(c):t.end(c)], "fF")
				case "string_end":
					bodyEnd = t.start(c)
				}
			}
			// The value of an f-string keeps its fields as written, as
			// the patterns over literals expect.
			if fstring {
				value = string(t.src[bodyStart:bodyEnd])
			}
			for j := bodyStart; j < bodyEnd; j++ {
				if code[j] != '\n' {
					code[j] = 'x'
				}
			}
			lits = append(lits, strLit{start: int(n.start), end: int(n.end), value: value, fstring: fstring, line: t.line(int32(i))})
		}
	}
	return code, lits
}
