package review

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// Client input, followed within one function: what a request object
// carries, the parameters of a route handler, and the local names assigned
// from either. It is deliberately local (no flow across functions or
// files): a finding needs the input and the sink in sight of each other, so
// that a reviewer can confirm it from the one function.

// requestInputs are the attributes of a request object (Flask, Django,
// Starlette/FastAPI) that hold what the client sent.
var requestInputs = map[string]bool{
	"args": true, "form": true, "values": true, "json": true, "data": true, "files": true, "FILES": true,
	"GET": true, "POST": true, "body": true, "headers": true, "cookies": true, "COOKIES": true, "META": true,
	"query_params": true, "path_params": true, "get_data": true, "get_json": true, "stream": true,
}

// requestURLParts are the parts of the URL the client asked for: text it
// wrote, followed into HTML and template sources (templateFlow, htmlFlow).
// In a redirect the service's own path is a local address (ownPaths).
var requestURLParts = map[string]bool{"url": true, "path": true, "full_path": true, "query_string": true, "base_url": true}

// handlerInputs are the attributes of a standard library request handler
// (http.server's BaseHTTPRequestHandler and its subclasses) that hold what
// the client sent: the request line's path with its query, the headers,
// and the body stream. In its do_GET/do_POST methods they are self.path...
var handlerInputs = map[string]bool{"path": true, "headers": true, "rfile": true, "requestline": true}

// httpHandlerBase names http.server's request handler classes.
var httpHandlerBase = lazyre.New(`\b(Base|Simple|CGI)HTTPRequestHandler\b`)

// inHTTPHandler reports whether n is inside a method of a class derived
// from one of http.server's request handlers.
func (t *pyTree) inHTTPHandler(n int32) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 {
		return false
	}
	cls := t.enclosing(fn, "class_definition")
	if cls < 0 || t.enclosing(fn, "function_definition", "class_definition") != cls {
		return false
	}
	sc := t.child(cls, "superclasses")
	return sc >= 0 && httpHandlerBase.MatchString(t.text(sc))
}

// sanitisers make a value safe for the sinks below, or change its type:
// the flow stops at them.
var sanitisers = map[string]bool{
	"secure_filename": true, "basename": true, "int": true, "float": true, "bool": true, "UUID": true,
	"uuid4": true, "quote": true, "quote_plus": true, "escape": true, "slugify": true, "len": true,
	"get_valid_filename": true, "safe_join": true, "url_for": true, "reverse": true,
	"conditional_escape": true, "strip_tags": true,
	// http.server's SimpleHTTPRequestHandler.translate_path drops ".."
	// and drive parts: the path stays under the served directory.
	"translate_path": true,
	// A row looked up by a client's id is stored data, not the client's text.
	"get_object_or_404": true, "get_list_or_404": true, "get_or_404": true, "first_or_404": true,
	// A digest is hex or bytes: it cannot carry ../ or a host.
	"hexdigest": true, "digest": true,
}

// rowLookup is a method that fetches a stored record by a key
// (Session.get_by_id(sid), User.find_by_email(e)): the client picked the
// record; the paths in it are the service's (a path sink's flow only).
// Celery's AsyncResult(task_id) is such a lookup too: the result is what
// the service's own task returned.
// ormRow are the queryset methods that return one stored row
// (SizeUpload.objects.get(task_id=...)): on the way to a file path its
// fields are names the service stored. Its text fields may still be what
// users wrote (a comment's body in mark_safe), so only paths cut there.
var ormRow = map[string]bool{"get": true, "first": true, "last": true, "latest": true, "earliest": true}

var rowLookup = lazyre.New(`^(get|find|fetch|load)_by_\w+$`)

// sqlQuoterName is a project's own quoting function for SQL text
// (datasette's escape_sqlite, escape_identifier, quote_column): what it
// returns is a quoted name or literal, not text that can end the
// statement.
var sqlQuoterName = lazyre.New(`^_?(escape|quote)_(sql\w*|ident\w*|name|column\w*|table\w*|literal\w*|string|value)$`)

// sanitiserCall reports whether a call cuts the flow: a sanitiser, a
// staticfiles finder (it only returns files inside the static
// directories), or a get_..._url helper or method (Django's class-based
// views compute the success or redirect URL there; a project's
// get_css_url builds one of its own), or an unsigning of a value the
// service signed.
func (t *pyTree) sanitiserCall(call int32) bool {
	name := t.callee(call)
	last := lastPart(name)
	return sanitisers[last] || strings.HasSuffix(name, "finders.find") || unsigns(name) ||
		t.pathFlow && (rowLookup.MatchString(last) || strings.Contains(name, ".objects.") && ormRow[last] || last == "AsyncResult" || t.keepsOnly(call)) ||
		t.sqlFlow && (sqlQuoters[last] || sqlQuoterName.MatchString(last)) ||
		strings.HasPrefix(last, "get_") && strings.HasSuffix(last, "_url")
}

// unsigns reports whether a call, by its resolved name, returns a value
// the service signed itself (django.core.signing.loads, a signer's
// unsign): it comes back only as the service wrote it.
func unsigns(name string) bool {
	last := lastPart(name)
	return name == "django.core.signing.loads" || last == "unsign" || last == "unsign_object"
}

// keptClass reports whether a pattern is a negated character class that
// keeps only letters, digits, "_", ".", "-" and spaces ([^A-Za-z0-9.],
// [^\w.-]): no "/" or "\\" survives it. A range must join two letters or
// two digits ("--9" would keep "/").
func keptClass(p string) bool {
	p = strings.TrimSuffix(p, "+")
	if !strings.HasPrefix(p, "[^") || !strings.HasSuffix(p, "]") || len(p) < 4 {
		return false
	}
	c := p[2 : len(p)-1]
	alnum := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' }
	same := func(a, b byte) bool {
		return a <= b && (a >= 'a' && b <= 'z' || a >= 'A' && b <= 'Z' || a >= '0' && b <= '9')
	}
	for i := 0; i < len(c); i++ {
		switch {
		case c[i] == '\\' && i+1 < len(c) && (c[i+1] == 'w' || c[i+1] == 'd'):
			i++
		case i+2 < len(c) && c[i+1] == '-':
			if !alnum(c[i]) || !alnum(c[i+2]) || !same(c[i], c[i+2]) {
				return false
			}
			i += 2
		case alnum(c[i]) || c[i] == '_' || c[i] == '.' || c[i] == '-' || c[i] == ' ':
		default:
			return false
		}
	}
	return true
}

// keepsOnly reports whether call is re.sub(CLASS, "", value) with such a
// class and an empty (or "_", "-") replacement: what comes out is a name
// without separators, which cannot leave its directory.
func (t *pyTree) keepsOnly(call int32) bool {
	if t.callee(call) != "re.sub" {
		return false
	}
	pat, repl := t.arg(call, 0, "pattern"), t.arg(call, 1, "repl")
	if pat < 0 || repl < 0 || t.kind(pat) != "string" || t.kind(repl) != "string" {
		return false
	}
	p, _ := t.strLiteral(pat)
	r, _ := t.strLiteral(repl)
	return keptClass(p) && (r == "" || r == "_" || r == "-")
}

// routeDecorators are the last parts of the decorators that make a function
// a route handler (Flask, FastAPI, Starlette, Litestar, aiohttp).
var routeDecorators = map[string]bool{"route": true, "get": true, "post": true, "put": true, "patch": true,
	"delete": true, "api_route": true, "websocket": true, "head": true, "options": true}

// typedSafe are parameter annotations whose values cannot carry a path, a
// URL or markup.
var typedSafe = lazyre.New(`^(int|float|bool|UUID|uuid\.UUID|date|datetime|Decimal)\b|Depends\(|Security\(`)

// textParam are the annotations of a route parameter filled with text from
// the request: str (optional or not) and FastAPI's Query, Path, Form,
// Header and Cookie. Other annotations (Request, a session, a service
// behind a dependency alias, a body model) are not followed: a dependency
// alias looks like any other class, and a false finding costs more trust
// than a missed one.
var textParam = lazyre.New(`^(str|Optional\[str\]|str\s*\|\s*None|Annotated\[\s*str\b.*)$|^(Query|Path|Form|Header|Cookie)\(`)

// renderCall is a function named for rendering a template to text:
// Django's render_to_string, a project's render_email_template.
var renderCall = lazyre.New(`^render_to_string$|^render_(\w+_)?template$`)

// djangoRender reports whether call renders a template in a Django module,
// whose engine escapes every value it places (autoescape is on unless a
// template turns it off): its text is the template's, with the input
// escaped, not the input as HTML.
func (t *pyTree) djangoRender(call int32) bool {
	return renderCall.MatchString(lastPart(t.callee(call))) && t.importsDjango()
}

// importsDjango reports whether the module imports anything of Django.
func (t *pyTree) importsDjango() bool {
	for _, v := range t.imports {
		if v == "django" || strings.HasPrefix(v, "django.") {
			return true
		}
	}
	return false
}

// tainted reports whether expression i carries client input: a request
// attribute, a route parameter, or a local name assigned from one earlier
// in the function. Calls to sanitisers cut the flow.
func (t *pyTree) tainted(i int32, depth int) bool {
	if i < 0 || depth > 6 {
		return false
	}
	end := t.end(i)
	for n := i; int(n) < len(t.nodes) && t.start(n) < end; n++ {
		if n != i && t.start(n) >= end {
			break
		}
		switch t.kind(n) {
		case "conditional_expression":
			// a if cond else b: the condition chooses, it is not the value.
			if cs := t.children(n); len(cs) == 3 {
				if t.tainted(cs[0], depth+1) || t.tainted(cs[2], depth+1) {
					return true
				}
				for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
					n++
				}
				continue
			}
		case "call":
			// On the way to a redirect, a query (Model.objects...get(code=c))
			// cuts too: the client chose the row, not the URL it gives.
			if t.sanitiserCall(n) || t.ownOpaqueCall(n) || t.urlFlow && (!urlCalls[lastPart(t.callee(n))] || strings.Contains(t.callee(n), ".objects.") || t.ormGet(n)) ||
				t.lookupCall(n, depth) || t.htmlFlow && t.fetchCall(n) || t.urlFlow && t.queryJoin(n, depth) || t.pathFlow && (t.ormRow(n) || contentMaker(lastPart(t.callee(n))) || t.guardedPathHelper(n)) {
				// Skip the call and everything inside it.
				stop := t.end(n)
				for int(n)+1 < len(t.nodes) && t.start(n+1) < stop {
					n++
				}
			}
		case "binary_operator":
			// settings.LOGIN_URL + "?next=" + request.path: what follows
			// the "?" is the query; the URL is what comes before it.
			if t.urlFlow && t.queryTail(n, depth) {
				for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
					n++
				}
			}
		case "subscript":
			// table[key]: the client's key picks an entry of the service's
			// own table, the value is the table's.
			if v := t.child(n, "value"); v >= 0 && !t.tainted(v, depth) {
				stop := t.end(n)
				for int(n)+1 < len(t.nodes) && t.start(n+1) < stop {
					n++
				}
			}
		case "generator_expression", "list_comprehension", "set_comprehension", "dictionary_comprehension":
			// [f(x) for i, x in enumerate(xs)]: the iterable reaches the
			// value only through the loop's names, and enumerate's index
			// is a number.
			if t.comprehensionTainted(n, depth) {
				return true
			}
			for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
				n++
			}
			continue
		case "attribute":
			if t.pathFlow && strings.HasSuffix(t.text(n), ".file.name") {
				// upload.file.name: the temporary file the server spooled
				// the upload to, not the name the client gave (filename).
				for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
					n++
				}
				continue
			}
			if t.pathFlow && t.text(t.child(n, "attribute")) == "name" && t.importsDjango() {
				// upload.name in Django: UploadedFile keeps only the base
				// name of the client's file name (os.path.basename, and
				// Django refuses "." and ".."), so it cannot leave a folder.
				for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
					n++
				}
				continue
			}
			obj, attr := t.child(n, "object"), t.child(n, "attribute")
			if attr >= 0 && (t.text(attr) == "media" || t.text(attr) == "_meta") {
				// form.media and model._meta: the script and style tags a
				// form or admin class declares, and a model class's
				// metadata (app_label, model_name), written in the code
				// whatever object, posted or not, they are read from.
				for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
					n++
				}
				continue
			}
			if obj >= 0 && attr >= 0 && t.kind(obj) == "identifier" && (requestInputs[t.text(attr)] || (t.htmlFlow || t.templateFlow) && requestURLParts[t.text(attr)]) {
				if t.text(obj) == "request" {
					return true
				}
			}
			if obj >= 0 && attr >= 0 && t.kind(obj) == "identifier" && t.text(obj) == "self" && handlerInputs[t.text(attr)] && t.inHTTPHandler(n) {
				return true
			}
		case "identifier":
			if p := t.nodes[n].parent; p >= 0 && t.kind(p) == "attribute" && t.child(p, "attribute") == n {
				continue // the attribute name in x.name, not a variable
			}
			if p := t.nodes[n].parent; p >= 0 && t.kind(p) == "keyword_argument" && t.child(p, "name") == n {
				continue // the keyword in f(name=value), not a variable
			}
			if v, ok := t.compVars[t.text(n)]; ok {
				if v {
					return true
				}
				continue
			}
			if (t.routeParam(n) && !t.pinnedBefore(n, t.sinkAt) || t.assignedTainted(n, depth)) && !t.excludedBefore(n) {
				return true
			}
		}
	}
	return false
}

// comprehensionTainted reports whether a comprehension's values carry
// client input: its body (and a dict comprehension's keys and values),
// with the names its for clauses bind tainted when what they iterate is.
func (t *pyTree) comprehensionTainted(n int32, depth int) bool {
	saved := t.compVars
	vars := maps.Clone(saved)
	if vars == nil {
		vars = map[string]bool{}
	}
	t.compVars = vars
	defer func() { t.compVars = saved }()
	body := t.comprehensionLoops(n, func(names map[string]bool, index string, iter int32) {
		in := t.tainted(iter, depth+1)
		for name := range names {
			vars[name] = in && name != index
		}
	})
	for _, b := range body {
		if t.tainted(b, depth+1) {
			return true
		}
	}
	return false
}

// inPlaceCut reports whether right, assigned to name, converts or quotes
// name's own value (page = int(page), to_path = shlex.quote(root +
// to_path), and on the way to a path ext = re.sub(r"[^A-Za-z0-9.]", "",
// ext)): from there on the name holds a number, quoted text or a name
// without separators, whatever it held before; so does unsigning it
// (name = signing.loads(name)).
func (t *pyTree) inPlaceCut(right int32, name string) bool {
	if right < 0 || t.kind(right) != "call" {
		return false
	}
	last := lastPart(t.callee(right))
	if !numberConversions[last] && !sqlQuoters[last] && !sqlQuoterName.MatchString(last) && !(t.pathFlow && t.keepsOnly(right)) &&
		!unsigns(t.callee(right)) {
		return false
	}
	args := t.child(right, "arguments")
	return args >= 0 && identIn(t.text(args), name)
}

// comprehensionLoops calls bind, in order, for each for clause of a
// comprehension with the names it binds, the name of enumerate's index
// among them (for i, x in enumerate(xs): "i", which counts and carries
// nothing) and the expression iterated (xs), and returns the rest: the
// body, and a dict comprehension's pair.
func (t *pyTree) comprehensionLoops(n int32, bind func(names map[string]bool, index string, iter int32)) (body []int32) {
	for _, c := range t.children(n) {
		switch t.kind(c) {
		case "for_in_clause":
			left, right := t.child(c, "left"), t.child(c, "right")
			if left < 0 || right < 0 {
				continue
			}
			index := ""
			if t.kind(right) == "call" && lastPart(t.callee(right)) == "enumerate" {
				if cs := t.children(left); len(cs) > 1 && t.kind(cs[0]) == "identifier" {
					index, right = t.text(cs[0]), t.arg(right, 0, "iterable")
				}
			}
			bind(targets(t, left), index, right)
		case "if_clause":
		default:
			body = append(body, c)
		}
	}
	return body
}

// ownOpaqueCall reports whether call n calls a function defined at this
// module's top level whose return values do not derive from its
// parameters (a lookup in the session or a table by the caller's id): the
// client picked an entry, what comes back is the service's.
// guardedPathHelper reports whether call n calls a function of this module
// (nested or not, by its bare name or as self.name) whose body keeps a
// path inside its directory: def _resolve(rel): (root / rel).resolve().
// relative_to(root) ... What it returns has passed that check.
func (t *pyTree) guardedPathHelper(n int32) bool {
	f := t.child(n, "function")
	if f < 0 {
		return false
	}
	name := t.text(f)
	if t.kind(f) == "attribute" && t.text(t.child(f, "object")) == "self" {
		name = t.text(t.child(f, "attribute"))
	} else if t.kind(f) != "identifier" {
		return false
	}
	if t.pathGuarded == nil {
		t.pathGuarded = map[string]bool{}
		t.each(func(d int32) {
			body := t.src[t.start(d):t.end(d)]
			if pathGuard.Match(body) && bytes.Contains(body, []byte("return")) {
				t.pathGuarded[t.text(t.child(d, "name"))] = true
			}
		}, "function_definition")
	}
	return t.pathGuarded[name]
}

func (t *pyTree) ownOpaqueCall(n int32) bool {
	f := t.child(n, "function")
	if f < 0 || t.kind(f) != "identifier" {
		return false
	}
	if t.passThrough == nil {
		t.passThrough = map[string]bool{}
		for _, st := range t.children(0) {
			def := st
			if t.kind(st) == "decorated_definition" {
				def = t.child(st, "definition")
			}
			if def < 0 || t.kind(def) != "function_definition" {
				continue
			}
			through := false
			end := t.end(def)
			for r := def; int(r) < len(t.nodes) && t.start(r) < end && !through; r++ {
				if t.kind(r) == "return_statement" && t.enclosing(r, "function_definition") == def {
					for _, v := range t.children(r) {
						through = through || len(t.callerParams(v, 0, nil)) > 0
					}
				}
			}
			// A generator is not judged: only plain returns are read.
			if bytes.Contains(t.src[t.start(def):end], []byte("yield")) {
				through = true
			}
			t.passThrough[t.text(t.child(def, "name"))] = through
		}
	}
	through, own := t.passThrough[t.text(f)]
	return own && !through
}

// routeParam reports whether identifier n names a parameter of its
// function that a route fills from the request: a route handler's
// parameter (not typed as a number or a dependency), or a Django view's
// parameter after request.
func (t *pyTree) routeParam(n int32) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 {
		return false
	}
	params := t.child(fn, "parameters")
	if params < 0 {
		return false
	}
	name := t.text(n)
	ps := t.children(params)
	for k, p := range ps {
		pname, typ := p, int32(-1)
		switch t.kind(p) {
		case "typed_parameter":
			cs := t.children(p)
			if len(cs) == 0 {
				continue
			}
			pname, typ = cs[0], t.child(p, "type")
		case "default_parameter", "typed_default_parameter":
			pname, typ = t.child(p, "name"), t.child(p, "type")
			if v := t.child(p, "value"); v >= 0 && typedSafe.MatchString(t.text(v)) {
				continue
			}
		}
		if pname < 0 || t.text(pname) != name {
			continue
		}
		if k == 0 && (name == "self" || name == "cls") || name == "request" || name == "req" {
			// A method's object, or the request object itself (Pyramid
			// and Starlette views take it untyped): what the client sent
			// is in its attributes (request.args...), read above.
			return false
		}
		if typ >= 0 && typedSafe.MatchString(t.text(typ)) {
			return false
		}
		if t.resolverArgument(fn, ps, k) {
			return typ < 0 || textParam.MatchString(t.text(typ))
		}
		if t.isRouteHandler(fn) {
			if typ < 0 {
				// Flask fills untyped parameters from the URL; FastAPI
				// ones from the query, or Query(...) and friends.
				if v := t.child(p, "value"); v >= 0 && t.kind(p) == "default_parameter" && !textParam.MatchString(t.text(v)) && t.kind(v) != "string" && t.kind(v) != "none" {
					return false
				}
				return true
			}
			return textParam.MatchString(t.text(typ))
		}
		// A Django view: request first, URL parameters after it.
		// Outside a views or api module (views.py, views/, api.py,
		// viewsets.py...), a function that takes request is a helper whose
		// other parameters come from its caller.
		// A parameter annotated with a class (translation: Translation) was
		// made by a path converter from the URL's text: it is an object
		// the project built, not the text.
		if typ >= 0 && !textParam.MatchString(t.text(typ)) {
			return false
		}
		if t.viewDefaultsOff && (t.kind(p) == "default_parameter" || t.kind(p) == "typed_default_parameter") {
			return false
		}
		return k > 0 && len(ps) > 0 && t.text(ps[0]) == "request" && isViewModule(t.path)
	}
	return false
}

func (t *pyTree) isRouteHandler(fn int32) bool {
	return len(t.routeDecoratorCalls(fn)) > 0
}

// routeDecoratorCalls returns the route decorators' calls on fn
// (@app.route("/x"), @router.get("/x", response_class=...)).
func (t *pyTree) routeDecoratorCalls(fn int32) []int32 {
	def := t.nodes[fn].parent
	if def < 0 || t.kind(def) != "decorated_definition" {
		return nil
	}
	var out []int32
	for c := t.nodes[def].first; c >= 0; c = t.nodes[c].next {
		if t.kind(c) != "decorator" {
			continue
		}
		for d := t.nodes[c].first; d >= 0; d = t.nodes[d].next {
			if t.kind(d) == "call" && routeDecorators[lastPart(t.callee(d))] {
				out = append(out, d)
			}
		}
	}
	return out
}

// refererOnly is a redirect target read from the Referer header alone
// (parenthesised, or with a parameter replaced away, too). Header names
// are case-insensitive: Starlette's headers.get("referer") and
// headers["Referer"] read the same header as Django's HTTP_REFERER.
var refererOnly = lazyre.New(`^\(?request\.(META\.get\(\s*["']HTTP_REFERER["']|META\[\s*["']HTTP_REFERER["']\]|headers(\.get\(|\[)\s*["'](?i:referer)["']|referrer\b)[^+%]*$`)

// refererValue reports whether a redirect target is the Referer header:
// the expression itself, or a local name each assignment of which is the
// Referer or a value with no client input (return_url =
// request.META["HTTP_REFERER"]; else: the index page), one at least the
// Referer.
func (t *pyTree) refererValue(arg int32) bool {
	if arg < 0 {
		return false
	}
	if refererOnly.MatchString(t.text(arg)) {
		return true
	}
	if t.kind(arg) != "identifier" {
		return false
	}
	referer := false
	ok := t.assignedFrom(arg, func(v int32) bool {
		if refererOnly.MatchString(t.text(v)) {
			referer = true
			return true
		}
		return !t.tainted(v, 0)
	})
	return ok && referer
}

// ormGet reports whether call n is a queryset's get: .get(id=...) with
// keyword arguments, which a dict's get never takes.
func (t *pyTree) ormGet(n int32) bool {
	if lastPart(t.callee(n)) != "get" || strings.HasPrefix(t.callee(n), "request.") {
		return false
	}
	pos, kw := t.args(n)
	return len(pos) == 0 && len(kw) > 0
}

// ormRow reports whether call n fetches rows through an ORM
// (User.query.filter(...).first(), Model.objects.get(...),
// session.execute(select(...)).scalar_one(), get_object_or_404(...)): on
// the way to a file path, the client chose the row, and the path is the
// row's stored value, not the client's text.
func (t *pyTree) ormRow(n int32) bool {
	callee := t.callee(n)
	if strings.HasPrefix(callee, "request.") {
		return false
	}
	// Files.get_file_by_id(id), UserTable.find_user_by_email(email): a
	// lookup by key through a table or repository class of the project's
	// data layer, the same row fetch under the project's own name.
	if parts := strings.Split(callee, "."); len(parts) >= 2 {
		if recv := parts[len(parts)-2]; recv != "" && unicode.IsUpper(rune(recv[0])) && repoLookup.MatchString(parts[len(parts)-1]) {
			return true
		}
	}
	switch lastPart(callee) {
	case "get_object_or_404", "get_list_or_404":
		return true
	case "first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none", "get", "all", "first_or_404", "get_or_404", "one_or_404":
		return strings.Contains(callee, ".query.") || strings.Contains(callee, ".objects.") || strings.HasPrefix(callee, "session.") ||
			strings.Contains(callee, ".filter(") || strings.Contains(callee, ".filter_by(") || strings.Contains(t.text(n), ".filter(") || strings.Contains(t.text(n), ".filter_by(")
	case "select", "where", "join", "order_by", "limit", "distinct":
		// for track in Track.select().join(Artist).where(...): a Peewee
		// query yields the model's rows when iterated.
		return peeweeQuery.MatchString(callee)
	}
	return false
}

// repoLookup is a data layer's lookup by key: get_file_by_id, find_by_email.
// peeweeQuery is a query chain that starts at a model class's select().
var peeweeQuery = lazyre.New(`(^|\.)[A-Z]\w*\.select(\(\)(\.\w+\(\))*\.\w+)?$`)

var repoLookup = lazyre.New(`^(get|find|fetch|load)_(\w+_)?by_\w+$`)

// queryAppend reports whether an expression starts with a literal "?" or
// "&": what it adds to a URL is its query.
func (t *pyTree) queryAppend(i int32) bool {
	for t.kind(i) == "binary_operator" {
		i = t.child(i, "left")
	}
	if t.kind(i) != "string" {
		return false
	}
	v, _ := t.strLiteral(i)
	return strings.HasPrefix(v, "?") || strings.HasPrefix(v, "&")
}

// queryTail reports whether a + chain has a literal holding "?" before
// any operand that carries input: the input is in the URL's query.
func (t *pyTree) queryTail(n int32, depth int) bool {
	if !strings.Contains(t.text(n), "?") {
		return false
	}
	var ops []int32
	var flatten func(i int32)
	flatten = func(i int32) {
		if t.kind(i) == "binary_operator" && t.text(t.child(i, "operator")) == "+" {
			flatten(t.child(i, "left"))
			flatten(t.child(i, "right"))
			return
		}
		ops = append(ops, i)
	}
	flatten(n)
	for _, o := range ops {
		if t.kind(o) == "string" {
			if v, _ := t.strLiteral(o); strings.Contains(v, "?") {
				return true
			}
		}
		if t.tainted(o, depth+1) {
			return false
		}
	}
	return false
}

// queryJoin reports whether call n joins a URL and its query with "?"
// ("?".join([canonical, request.META["QUERY_STRING"]])), the URL itself
// free of client input: the client's part is the query.
func (t *pyTree) queryJoin(n int32, depth int) bool {
	fn := t.child(n, "function")
	if fn < 0 || t.kind(fn) != "attribute" || t.text(t.child(fn, "attribute")) != "join" {
		return false
	}
	obj := t.child(fn, "object")
	if obj < 0 || t.kind(obj) != "string" {
		return false
	}
	if sep, _ := t.strLiteral(obj); !strings.Contains(sep, "?") {
		return false
	}
	parts := t.arg(n, 0, "")
	if parts < 0 || t.kind(parts) != "list" && t.kind(parts) != "tuple" {
		return false
	}
	items := t.children(parts)
	return len(items) > 0 && !t.tainted(items[0], depth+1)
}

// lookupCall reports whether call n is a lookup in a table of the
// service's own by a client's key (watches.get(uuid), and
// responses.pop(uid), which also removes the entry): the client picks an
// entry, the value is the table's. request.args.get(...) is not one: its
// table is the request.
func (t *pyTree) lookupCall(n int32, depth int) bool {
	return t.tableLookup(n, func(a int32) bool { return t.tainted(a, depth+1) })
}

// tableLookup reports whether call n looks an entry up by its key (get,
// pop) in a table that is neither the request nor an imported module
// (requests.get(url) is a fetch), where carries says of neither the table
// nor a fallback (table.get(key, request.GET["next"])) that it brings the
// value in question.
func (t *pyTree) tableLookup(n int32, carries func(int32) bool) bool {
	f := t.child(n, "function")
	if f < 0 || t.kind(f) != "attribute" || !tableLookups[t.text(t.child(f, "attribute"))] {
		return false
	}
	obj := t.child(f, "object")
	if obj < 0 || strings.Contains(t.text(obj), "request") {
		return false
	}
	head, _, _ := strings.Cut(t.text(obj), ".")
	if _, imported := t.imports[head]; imported || carries(obj) {
		return false
	}
	pos, kw := t.args(n)
	for k, a := range pos {
		if k > 0 && carries(a) {
			return false
		}
	}
	for _, a := range kw {
		if carries(a) {
			return false
		}
	}
	return true
}

// tableLookups are the methods that return a table's entry by its key.
var tableLookups = map[string]bool{"get": true, "pop": true}

// assignedTainted reports whether the local name n was assigned, earlier
// in its function, from tainted input (for name in tainted: counts too).
func (t *pyTree) assignedTainted(n int32, depth int) bool {
	key := taintKey{n, depth, t.viewDefaultsOff, t.urlFlow, t.pathFlow, t.sqlFlow, t.sinkAt, t.htmlFlow, t.templateFlow}
	if v, ok := t.assigned[key]; ok {
		return v
	}
	// The names of a comprehension the use is inside mean nothing where
	// the name was assigned.
	saved := t.compVars
	t.compVars = nil
	v := t.assignedTaintedUncached(n, depth)
	t.compVars = saved
	if t.assigned == nil {
		t.assigned = map[taintKey]bool{}
	}
	t.assigned[key] = v
	return v
}

func (t *pyTree) assignedTaintedUncached(n int32, depth int) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 {
		return false
	}
	name, before := t.text(n), t.start(n)
	found := false
	end := t.end(fn)
	for a := fn; int(a) < len(t.nodes) && t.start(a) < end; a++ {
		if t.start(a) >= before {
			break
		}
		var left, right int32 = -1, -1
		switch t.kind(a) {
		case "assignment", "augmented_assignment":
			left, right = t.child(a, "left"), t.child(a, "right")
		case "for_statement":
			left, right = t.child(a, "left"), t.child(a, "right")
		}
		if left < 0 || right < 0 || t.enclosing(a, "function_definition") != fn {
			continue
		}
		// An assignment the use is part of (url = url + x) binds the name
		// after the use reads it; a loop binds it for its whole body.
		if t.kind(a) != "for_statement" && t.end(a) > before {
			continue
		}
		if t.urlFlow && t.kind(a) == "augmented_assignment" && t.queryAppend(right) {
			continue // url += "?" + query: the host and path stay the URL's
		}
		if !targets(t, left)[name] {
			continue
		}
		if t.inPlaceCut(right, name) {
			// page = int(page): from here on the name holds a number,
			// whatever it held before (the conversion raises otherwise).
			found = false
			continue
		}
		if !found && t.tainted(right, depth+1) {
			found = true
		}
	}
	return found
}

// targets lists the names an assignment target binds: x, (a, b), a.b is none.
func targets(t *pyTree, left int32) map[string]bool {
	out := map[string]bool{}
	switch t.kind(left) {
	case "identifier":
		out[t.text(left)] = true
	case "pattern_list", "tuple_pattern", "list_pattern", "tuple", "list":
		for _, c := range t.children(left) {
			if t.kind(c) == "identifier" {
				out[t.text(c)] = true
			}
		}
	}
	return out
}

// Guards in the same function that show the value was checked for the sink.
var (
	// pathGuard: a check that keeps a path inside its directory, the
	// standard library's or a project's own (validate_path_is_safe), a
	// test that turns away ".." segments (if ".." in path.split("/")), or
	// an absolute path tested against its base (full =
	// os.path.abspath(...); if full.startswith(base)). A startswith of a
	// literal with no slash in it (content.startswith("<!DOCTYPE html>"))
	// tests some other text, not a directory.
	pathGuard = lazyre.New(`abspath[\s\S]*\.startswith\((\s*["'][^"']*[/\\]|\s*[^\s"'])|["']\.\.["']\s+in\b|realpath|\.resolve\(|is_relative_to|commonpath|safe_join|secure_filename|basename|normpath|validate_\w*path|(is_)?safe_\w*path\w*\(|(\b|_)(in|within|inside|under)_\w*(dir|directory|root|folder)\w*\(`)
	// redirectGuard: a host allow-list check (Django's, or a project's own
	// is_safe_redirect_url, validate_local_redirect, safe_for_redirect),
	// or a signature check that shows the service made the URL itself
	// (signing's unsign), or Django's resolve(), which raises for a path
	// the site's URLconf does not route.
	redirectGuard = lazyre.New(`(?:^|[^.\w])resolve\(|url_has_allowed_host_and_scheme|is_safe_\w*url|\bsafe_\w*(url|redirect)\w*\(|netloc|ALLOWED_REDIRECT|allowed_hosts|startswith\(\s*["']/|\.unsign(_object)?\(|\b(validate|check|verify|is_valid|is_allowed|is_local)_\w*(redirect|url)\w*\(`)
	// urlGuard: a host allow-list, a parse of the host, or a check named
	// for the URL's trust (is_trusted_sns_subscribe_url(url),
	// safe_webhook_host(url)); a check of its form (is_valid_url) lets any
	// host through. An HMAC or signature check (hmac.new, new_hmac,
	// compare_digest, signing's unsign) shows the URL is one the service
	// signed itself (an image proxy's links in its own pages).
	urlGuard = lazyre.New(`(?i)allow(ed)?_?(hosts?|list|domains?|urls?)|netloc|\.hostname\b|ipaddress|is_private|\b_*(is_)?(trusted|safe|permitted|allowed)_\w*(url|host|domain|endpoint)\w*\(|\b\w*hmac\w*\(|compare_digest\(|\.unsign(_object)?\(`)
)

// pathSinks open, send or delete the file their first argument names.
var pathSinks = map[string]bool{
	"open": true, "builtins.open": true, "io.open": true, "codecs.open": true, "os.open": true,
	"os.remove": true, "os.unlink": true, "shutil.rmtree": true, "flask.send_file": true,
	"fastapi.responses.FileResponse": true, "starlette.responses.FileResponse": true,
	"aiofiles.open": true,
}

// dirSinks list the directory their first argument names: a client that
// picks it reads the names of any directory the service can read.
var dirSinks = map[string]bool{
	"os.listdir": true, "os.scandir": true, "os.walk": true, "glob.glob": true, "glob.iglob": true,
}

// urlSinks fetch the URL their first argument (or url=) gives.
var urlSinks = map[string]bool{
	"requests.get": true, "requests.post": true, "requests.put": true, "requests.patch": true,
	"requests.delete": true, "requests.head": true, "requests.options": true,
	"httpx.get": true, "httpx.post": true, "httpx.put": true, "httpx.patch": true, "httpx.delete": true,
	"httpx.head": true, "urllib.request.urlopen": true, "urllib.request.Request": true,
}

// redirectSinks send the client to the URL their first argument gives.
var redirectSinks = map[string]bool{
	"flask.redirect": true, "django.shortcuts.redirect": true, "django.http.HttpResponseRedirect": true,
	"django.http.HttpResponsePermanentRedirect": true, "fastapi.responses.RedirectResponse": true,
	"starlette.responses.RedirectResponse": true,
}

// fixedHost reports whether a URL expression starts with a literal scheme
// and host (f"https://api.example.com/{id}"): input then only reaches the
// path.
func (t *pyTree) fixedHost(i int32) bool {
	v, ok := t.evalString(i, 0)
	if !ok {
		return false
	}
	rest, ok := strings.CutPrefix(v.text, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(v.text, "http://")
	}
	if !ok {
		return false
	}
	host, _, found := strings.Cut(rest, "/")
	return found && host != "" && !strings.ContainsAny(host, "?{}")
}

// ownBase reports whether a URL expression starts with a value the client
// does not choose (a name or attribute that is neither request input nor
// a parameter of the function: BASE_URL imported from the project's
// settings, self.api_url) followed at once by a literal path
// (f"{API_URL}/strategies/{slug}", API_URL + "/items/" + key): scheme and
// host are the service's, and input only reaches the path after them.
func (t *pyTree) ownBase(i int32) bool {
	i = t.unparen(i)
	if i < 0 {
		return false
	}
	var base int32 = -1
	path := ""
	switch t.kind(i) {
	case "string":
		c := t.nodes[i].first
		for c >= 0 && t.kind(c) == "string_start" {
			c = t.nodes[c].next
		}
		if c < 0 || t.kind(c) != "interpolation" {
			return false
		}
		if cs := t.children(c); len(cs) > 0 {
			base = cs[0]
		}
		if next := t.nodes[c].next; next >= 0 && t.kind(next) == "string_content" {
			path = t.text(next)
		}
	case "binary_operator":
		left := i
		for left >= 0 && t.kind(left) == "binary_operator" {
			if op := t.child(left, "operator"); op < 0 || t.text(op) != "+" {
				return false
			}
			if l := t.unparen(t.child(left, "left")); l >= 0 && t.kind(l) != "binary_operator" {
				base = l
				if r := t.unparen(t.child(left, "right")); r >= 0 && t.kind(r) == "string" {
					path, _ = t.strLiteral(r)
				}
				break
			}
			left = t.unparen(t.child(left, "left"))
		}
	}
	if base < 0 || t.kind(base) != "identifier" && t.kind(base) != "attribute" ||
		!strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return false
	}
	return !t.tainted(base, 0) && len(t.callerParams(base, 0, nil)) == 0
}

// localPath reports whether a redirect target starts with a literal path
// on this site ("/orders/" + id), not another host.
// queryOnlyTainted reports whether client input reaches f-string i only
// after its literal "?": f"{url}?{request.GET.urlencode()}" keeps the
// scheme, host and path of url, which the client does not choose.
func (t *pyTree) queryOnlyTainted(i int32) bool {
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		switch t.kind(c) {
		case "string_content":
			if strings.Contains(t.text(c), "?") {
				return true
			}
		case "interpolation":
			if t.tainted(c, 0) {
				return false
			}
		}
	}
	return false
}

func (t *pyTree) localPath(i int32) bool {
	// reverse("name") + "?" + query: the path, hence the host, is the
	// service's own whatever the query holds.
	first := i
	for first >= 0 {
		switch t.kind(first) {
		case "binary_operator":
			first = t.child(first, "left")
			continue
		case "parenthesized_expression":
			if cs := t.children(first); len(cs) == 1 {
				first = cs[0]
				continue
			}
		}
		break
	}
	if t.localExpr(first) {
		return true
	}
	switch t.kind(first) {
	case "string":
		// f"{reverse(...)}{query}": the first part fixes the path.
		if t.queryOnlyTainted(first) {
			return true
		}
		for c := t.nodes[first].first; c >= 0; c = t.nodes[c].next {
			if k := t.kind(c); k == "interpolation" {
				cs := t.children(c)
				return len(cs) > 0 && t.localExpr(cs[0])
			} else if k == "string_content" {
				break
			}
		}
	case "call":
		// "{}?{}".format(reverse(...), query), and "{0}{1}" or
		// "{url}#{tab}" with reverse(...) in the field that comes first.
		if f := t.child(first, "function"); f >= 0 && t.kind(f) == "attribute" && t.text(t.child(f, "attribute")) == "format" {
			if obj := t.child(f, "object"); obj >= 0 && t.kind(obj) == "string" {
				v, _ := t.strLiteral(obj)
				if m := leadingField.FindStringSubmatch(v); m != nil {
					var arg int32
					if n, err := strconv.Atoi(m[1]); m[1] == "" || err == nil {
						arg = t.arg(first, n, "")
					} else {
						arg = t.arg(first, -1, m[1])
					}
					if arg >= 0 && t.localExpr(arg) {
						return true
					}
				}
			}
		}
	}
	if t.modelObject(i) {
		return true
	}
	v, ok := t.evalString(i, 0)
	return ok && strings.HasPrefix(v.text, "/") && !strings.HasPrefix(v.text, "//") && !strings.HasPrefix(v.text, "/?")
}

// leadingField matches a format string that starts with a replacement
// field: {}, {0} or {name} (its conversion or spec aside).
var leadingField = lazyre.New(`^\{(\d*|[A-Za-z_]\w*)(?:[!:][^}]*)?\}`)

// urlCalls keep a string a string: the calls client input is followed
// through on its way to a redirect.
var urlCalls = map[string]bool{"get": true, "getlist": true, "str": true, "unquote": true, "unquote_plus": true,
	"strip": true, "lstrip": true, "rstrip": true, "lower": true, "upper": true, "replace": true, "format": true,
	"join": true, "urljoin": true, "urlunparse": true, "urlunsplit": true, "decode": true, "b64decode": true,
	"urlsafe_b64decode": true, "get_json": true, "get_data": true, "to_dict": true}

// localExpr reports whether an expression is a path the service builds
// from a route's name: reverse(...), or a local name assigned from one.
func (t *pyTree) localExpr(i int32) bool {
	if i < 0 {
		return false
	}
	if t.ownPath(i) {
		return true
	}
	switch t.kind(i) {
	case "call":
		return localURLBuilders[lastPart(t.callee(i))]
	case "identifier":
		if t.localDepth >= 3 {
			return false
		}
		t.localDepth++
		defer func() { t.localDepth-- }()
		return t.assignedFrom(i, func(right int32) bool {
			return t.kind(right) == "call" && localURLBuilders[lastPart(t.callee(right))] || t.localPath(right)
		})
	}
	return false
}

// ownPaths are the request's attributes that hold the path this service's
// router matched to the view (or the mount point it runs under), not a
// URL the client passes along: request.path, request.script_root.
var ownPaths = map[string]bool{"path": true, "path_info": true, "script_root": true, "full_path": true,
	"get_full_path": true, "script_name": true}

// ownPath reports whether an expression is the current request's own path,
// or that path rewritten by string methods (request.path.replace(a, b)).
func (t *pyTree) ownPath(i int32) bool {
	for i >= 0 && t.kind(i) == "call" {
		f := t.child(i, "function")
		if f < 0 || t.kind(f) != "attribute" {
			return false
		}
		attr := t.text(t.child(f, "attribute"))
		if attr == "get_full_path" {
			i = f
			break
		}
		if !urlCalls[attr] || attr == "get" || attr == "getlist" || attr == "get_json" || attr == "get_data" {
			return false
		}
		i = t.child(f, "object")
	}
	if i < 0 || t.kind(i) != "attribute" {
		return false
	}
	obj := t.child(i, "object")
	return obj >= 0 && t.text(obj) == "request" && ownPaths[t.text(t.child(i, "attribute"))]
}

// assignedFrom reports whether local name n was assigned, earlier in its
// function, from a value that ok accepts (and from nothing else).
func (t *pyTree) assignedFrom(n int32, ok func(right int32) bool) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 {
		return false
	}
	return t.assignmentsAgree(fn, t.start(n), t.text(n), func(a int32) bool {
		return t.end(a) <= t.start(n) && t.enclosing(a, "function_definition") == fn
	}, ok)
}

// assignmentsAgree reports whether every assignment of name among the
// nodes from first up to (not including) the offset before, that inScope
// accepts, has a right side that ok accepts, and there is at least one.
func (t *pyTree) assignmentsAgree(first int32, before int, name string, inScope func(a int32) bool, ok func(right int32) bool) bool {
	seen := false
	for a := first; int(a) < len(t.nodes) && t.start(a) < before; a++ {
		if t.kind(a) != "assignment" || !inScope(a) {
			continue
		}
		left, right := t.child(a, "left"), t.child(a, "right")
		if left < 0 || right < 0 || !targets(t, left)[name] {
			continue
		}
		if !ok(right) {
			return false
		}
		seen = true
	}
	return seen
}

// modelMakers are the calls that return model objects: Django's
// redirect(obj) sends the client to obj.get_absolute_url(), a path of the
// service's own.
var modelMakers = map[string]bool{"save": true, "create": true, "get_object_or_404": true, "get_or_create": true,
	"filter": true, "first": true, "last": true, "all": true}

// modelObject reports whether a redirect target is a model object rather
// than a URL: form.instance, or a name assigned from form.save(),
// Model.objects.create(...), get_object_or_404(...), a queryset's item.
func (t *pyTree) modelObject(i int32) bool {
	switch t.kind(i) {
	case "attribute":
		attr := t.text(t.child(i, "attribute"))
		return attr == "instance" || attr == "object"
	case "subscript":
		return t.modelObject(t.child(i, "value"))
	case "identifier":
		// A name the function saves (chosen.save()) is a model row, even
		// when it came in as an argument.
		if fn := t.enclosing(i, "function_definition"); fn >= 0 &&
			bytes.Contains(t.src[t.start(fn):t.end(fn)], []byte(t.text(i)+".save(")) {
			return true
		}
		return t.assignedFrom(i, func(right int32) bool {
			if t.kind(right) != "call" {
				return t.kind(right) == "attribute" && t.modelObject(right)
			}
			name := t.callee(right)
			return !strings.HasPrefix(name, "request.") && (modelMakers[lastPart(name)] || strings.Contains(name, ".objects.") ||
				t.ormGet(right))
		})
	}
	return false
}

// containedPath reports whether the path a sink is given was passed
// through a helper inside a try that catches PermissionError
// (path = within_storage(path) ... except PermissionError): the helper
// refuses paths outside the directory it keeps them in.
func (t *pyTree) containedPath(arg int32) bool {
	fn := t.enclosing(arg, "function_definition")
	if arg < 0 || fn < 0 || t.kind(arg) != "identifier" || !bytes.Contains(t.src[t.start(fn):t.end(fn)], []byte("PermissionError")) {
		return false
	}
	name := t.text(arg)
	for n := fn; int(n) < len(t.nodes) && t.start(n) < t.start(arg); n++ {
		if t.kind(n) != "try_statement" {
			continue
		}
		catches, body := false, t.child(n, "body")
		for _, c := range t.children(n) {
			if t.kind(c) == "except_clause" && strings.Contains(t.text(c)[:strings.IndexByte(t.text(c)+":", ':')], "PermissionError") {
				catches = true
			}
		}
		if !catches || body < 0 {
			continue
		}
		for a := body; int(a) < len(t.nodes) && t.start(a) < t.end(body); a++ {
			if t.kind(a) != "assignment" {
				continue
			}
			left, right := t.child(a, "left"), t.child(a, "right")
			if left >= 0 && right >= 0 && t.text(left) == name && t.kind(right) == "call" && identIn(t.text(t.child(right, "arguments")), name) {
				return true
			}
		}
	}
	return false
}

// allowListed reports whether node i runs only where an enclosing if has
// checked the input it is built from against a collection (if file_path
// in root_static_files: ...): only names the service listed get through.
func (t *pyTree) allowListed(i int32) bool {
	if i < 0 {
		return false
	}
	uses := t.text(i)
	if t.kind(i) == "identifier" {
		t.assignedFrom(i, func(right int32) bool { uses += " " + t.text(right); return true })
	}
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		c, body := t.child(b, "condition"), t.child(b, "consequence")
		if c < 0 || body < 0 || t.start(i) < t.start(body) || t.end(i) > t.end(body) {
			continue
		}
		for n := c; int(n) < len(t.nodes) && t.start(n) < t.end(c); n++ {
			if t.kind(n) != "comparison_operator" || strings.Contains(t.text(n), " not in ") || !strings.Contains(t.text(n), " in ") {
				continue
			}
			// The collection is the service's own, not the request's.
			if ops := t.children(n); len(ops) > 1 && t.kind(ops[0]) == "identifier" && identIn(uses, t.text(ops[0])) &&
				!t.tainted(ops[len(ops)-1], 0) {
				return true
			}
		}
	}
	return false
}

// taintedAt reports whether arg carries client input to the sink call:
// tainted, and still so when route values pinned before the sink are let
// go (the second question is asked only of a finding, so the answers
// cached for the first are shared by every sink).
func (t *pyTree) taintedAt(arg, sink int32) bool {
	if !t.tainted(arg, 0) {
		return false
	}
	t.sinkAt = t.start(sink)
	defer func() { t.sinkAt = 0 }()
	return t.tainted(arg, 0)
}

// pinnedBefore reports whether route parameter n, by the sink at offset
// sink, can only hold one of a few literals: an if/elif chain before the
// sink (or around it) compares it with == to a literal in every test and
// leaves in its else (if format == "json": ... elif format == "csv": ...
// else: abort(404)). The chain is the allow-list.
func (t *pyTree) pinnedBefore(n int32, sink int) bool {
	fn := t.enclosing(n, "function_definition")
	if sink == 0 || fn < 0 {
		return false
	}
	name := t.text(n)
	isPin := func(c int32) bool {
		if c < 0 || t.kind(c) != "comparison_operator" {
			return false
		}
		ops := t.children(c)
		if len(ops) != 2 || !strings.Contains(t.text(c), "==") {
			return false
		}
		return t.kind(ops[0]) == "identifier" && t.text(ops[0]) == name && t.kind(ops[1]) == "string" ||
			t.kind(ops[1]) == "identifier" && t.text(ops[1]) == name && t.kind(ops[0]) == "string"
	}
	for s := fn; int(s) < len(t.nodes) && t.start(s) < sink; s++ {
		if t.kind(s) != "if_statement" || t.enclosing(s, "function_definition") != fn || !isPin(t.child(s, "condition")) {
			continue
		}
		pinned, other := false, false
		for _, c := range t.children(s) {
			switch t.kind(c) {
			case "elif_clause":
				// An elif that tests something else lets other values on.
				other = other || !isPin(t.child(c, "condition"))
			case "else_clause":
				body := t.child(c, "body")
				pinned = !other && body >= 0 && leaves.MatchString(t.text(body)) && (sink < t.start(c) || sink >= t.end(c))
			}
		}
		if pinned {
			return true
		}
	}
	return false
}

// lookedUpFirst reports whether every name in a path that carries client
// input was first used as the key of a lookup whose miss ends the
// function (data = db.get_format(book_id, fmt.upper()); if not data:
// return ...): past that point the value is one the service has stored,
// an allow-list kept in the database.
func (t *pyTree) lookedUpFirst(arg int32) bool {
	fn := t.enclosing(arg, "function_definition")
	if arg < 0 || fn < 0 {
		return false
	}
	t.pathFlow = true
	defer func() { t.pathFlow = false }()
	return t.lookedUpIn(arg, fn, t.start(arg), 0)
}

// lookedUpIn is lookedUpFirst for the names node v uses, before offset
// before: a name the function made from them (dir = base / workflow_id)
// counts as looked up when every value it is given is.
func (t *pyTree) lookedUpIn(v, fn int32, before, depth int) bool {
	seen := 0
	for n := v; int(n) < len(t.nodes) && t.start(n) < t.end(v); n++ {
		if t.kind(n) != "identifier" {
			continue
		}
		if p := t.nodes[n].parent; p >= 0 && (t.kind(p) == "attribute" && t.child(p, "attribute") == n ||
			t.kind(p) == "keyword_argument" && t.child(p, "name") == n) {
			continue
		}
		// Below the sink's own argument, a name is judged by where it comes
		// from, not by the taint search: a parameter or a loop's variable
		// must be looked up itself, a name the function assigns must be
		// made from looked-up names; module names (Path, datetime) are no
		// input.
		if depth == 0 && !t.tainted(n, 0) || depth > 0 && !t.tainted(n, 0) && !t.localInput(n, fn) && !t.assignedIn(n, fn) {
			continue
		}
		if !t.lookupGuards(fn, t.text(n), before, depth > 0) && (depth >= 3 || !t.assignedFrom(n, func(right int32) bool {
			return t.lookedUpIn(right, fn, before, depth+1)
		})) {
			return false
		}
		seen++
	}
	return seen > 0
}

// lookupGuards reports whether function fn, before byte offset before,
// assigns a call's result that takes name as an argument (or is name, the
// record found; not when strict) and then leaves when that result is empty
// (if not data: return / abort / raise).
func (t *pyTree) lookupGuards(fn int32, name string, before int, strict bool) bool {
	for a := fn; int(a) < len(t.nodes) && t.start(a) < before; a++ {
		if t.kind(a) != "assignment" || t.enclosing(a, "function_definition") != fn {
			continue
		}
		left, right := t.child(a, "left"), t.child(a, "right")
		// image = await images_repo.get_image(name): the awaited call.
		if right >= 0 && t.kind(right) == "await" {
			if cs := t.children(right); len(cs) == 1 {
				right = cs[0]
			}
		}
		// (A query chain in brackets, db.query(M).filter(M.id == name).first(),
		// takes the name in an inner call's arguments.)
		if right >= 0 {
			right = t.unparen(right)
		}
		if left < 0 || right < 0 || t.kind(left) != "identifier" || t.kind(right) != "call" ||
			t.child(right, "arguments") < 0 || !t.argsMention(right, name) && t.text(left) != name {
			continue
		}
		// For a name the sink's path is made from, only a lookup that takes
		// it counts: name = name.lstrip("/") then "if not name" tests that
		// something is left, not that a record exists.
		if strict && (t.text(left) == name || !t.argsMention(right, name)) {
			continue
		}
		stmt := t.nodes[a].parent
		if stmt < 0 {
			continue
		}
		// The test may follow a comment (# not loaded: 404), or the try
		// the lookup is the last statement of (try: image = ... except
		// MultipleResultsFound: raise ...; if not image: raise ...).
		next := t.nextStatement(stmt)
		if next < 0 {
			if blk := t.nodes[stmt].parent; blk >= 0 && t.kind(blk) == "block" {
				if try := t.nodes[blk].parent; try >= 0 && t.kind(try) == "try_statement" && t.child(try, "body") == blk {
					next = t.nextStatement(try)
				}
			}
		}
		if next < 0 || t.kind(next) != "if_statement" || t.start(next) >= before {
			continue
		}
		cond, body := t.child(next, "condition"), t.child(next, "consequence")
		if cond < 0 || body < 0 {
			continue
		}
		if !t.missTest(cond, t.text(left)) {
			continue
		}
		if leaves.MatchString(t.text(body)) {
			return true
		}
	}
	return false
}

// nextStatement is the statement after stmt in its block, past comments;
// -1 at the block's end.
func (t *pyTree) nextStatement(stmt int32) int32 {
	next := t.nodes[stmt].next
	for next >= 0 && (!t.named(next) || t.kind(next) == "comment") {
		next = t.nodes[next].next
	}
	return next
}

// missTest reports whether condition cond is true when the record name
// holds nothing: not name, name is None, or an "or" with such a test on
// either side (if ext is None or not ext.has_js_module: abort(404)). An
// "and" is not one: its other side may let the miss through.
func (t *pyTree) missTest(cond int32, name string) bool {
	return t.eitherSide(cond, func(c int32) bool {
		text := strings.Join(strings.Fields(t.text(c)), " ")
		return text == "not "+name || text == name+" is None"
	})
}

// eitherSide reports whether test holds for condition cond, parentheses
// removed, or for either side of an "or" in it.
func (t *pyTree) eitherSide(cond int32, test func(int32) bool) bool {
	if cond = t.unparen(cond); cond < 0 {
		return false
	}
	if op := t.child(cond, "operator"); t.kind(cond) == "boolean_operator" && op >= 0 && t.text(op) == "or" {
		return t.eitherSide(t.child(cond, "left"), test) || t.eitherSide(t.child(cond, "right"), test)
	}
	return test(cond)
}

// excludedBefore reports whether identifier n is used after a guard
// clause of its function has left for every value outside a collection of
// the service's own (if item not in FORMS: return HttpResponseBadRequest()),
// and is not assigned again in between: from there on it holds one of the
// service's own keys, not the client's text.
func (t *pyTree) excludedBefore(n int32) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 {
		return false
	}
	name := t.text(n)
	guard := -1
	for a := fn; int(a) < len(t.nodes) && t.start(a) < t.start(n); a++ {
		switch {
		case t.end(a) > t.start(n) || t.enclosing(a, "function_definition") != fn:
		case t.kind(a) == "if_statement" && (t.notInTest(t.child(a, "condition"), name) || t.formTest(t.child(a, "condition"), name)) &&
			t.child(a, "consequence") >= 0 && leaves.MatchString(t.text(t.child(a, "consequence"))) && t.encloses(t.nodes[a].parent, n):
			// Only a guard in a block around the use: one inside another
			// branch (if method == "POST": if x not in C: return) leaves
			// the other paths unchecked.
			guard = t.end(a)
		case guard >= 0 && t.start(a) > guard && t.kind(a) == "assignment" && t.child(a, "left") >= 0 && targets(t, t.child(a, "left"))[name]:
			guard = -1 // assigned again after the guard
		}
	}
	return guard >= 0
}

// encloses reports whether node outer spans node inner.
func (t *pyTree) encloses(outer, inner int32) bool {
	return outer >= 0 && t.start(outer) <= t.start(inner) && t.end(inner) <= t.end(outer)
}

// notInTest reports whether condition cond is true for every value of name
// outside a collection the client did not make (name not in ALLOWED), alone
// or on either side of an "or".
func (t *pyTree) notInTest(cond int32, name string) bool {
	return t.eitherSide(cond, func(c int32) bool {
		if t.kind(c) != "comparison_operator" || !strings.Contains(t.text(c), " not in ") {
			return false
		}
		ops := t.children(c)
		return len(ops) == 2 && t.kind(ops[0]) == "identifier" && t.text(ops[0]) == name && !t.tainted(ops[1], 0)
	})
}

// contentMaker reports whether a function by this name returns a
// document's content made from its arguments (export_vulns_to_csv,
// render_report, serialize_rows), not a path: on the way to a file path,
// what the client put in those rows stays in the document.
func contentMaker(name string) bool {
	return contentMakerName.MatchString(name) && !pathWords.MatchString(name)
}

var (
	contentMakerName = lazyre.New(`^(export|render|serialize|serialise|dump)(_\w+)?$|^\w+_(to|as)_(csv|json|xlsx?|xml|pdf|zip|html|yaml|bytes|buffer)$`)
	pathWords        = lazyre.New(`path|dir|file|name|location|url|dest|target`)
)

// formTest reports whether condition cond is true for every value of name
// that fails a check of its form: not is_md5(name), not
// valid_slug(name), not re.fullmatch(PATTERN, name), not
// PATTERN.match(name) with the pattern anchored at its end, not
// name.isdigit(), alone or on either side of an "or". Past a guard that
// leaves on it, the value is 32 hex digits or a slug, not free text that
// can carry ../ or a host.
func (t *pyTree) formTest(cond int32, name string) bool {
	return t.eitherSide(cond, func(c int32) bool {
		var call int32 = -1
		switch t.kind(c) {
		case "not_operator":
			call = t.child(c, "argument")
		case "comparison_operator":
			// re.match(PATTERN, name) is None
			if ops := t.children(c); len(ops) == 2 && strings.Contains(t.text(c), " is ") && !strings.Contains(t.text(c), " not ") && t.text(ops[1]) == "None" {
				call = ops[0]
			}
		}
		if call = t.unparen(call); call < 0 || t.kind(call) != "call" {
			return false
		}
		pos, _ := t.args(call)
		isName := func(i int32) bool { return i >= 0 && t.kind(i) == "identifier" && t.text(i) == name }
		callee := t.callee(call)
		method := lastPart(callee)
		fun := t.child(call, "function")
		receiver := int32(-1)
		if fun >= 0 && t.kind(fun) == "attribute" {
			receiver = t.child(fun, "object")
		}
		switch {
		case formMethods[method] && len(pos) == 0 && isName(receiver):
			return true
		case (callee == "re.match" || callee == "re.fullmatch") && len(pos) >= 2 && isName(pos[1]):
			return method == "fullmatch" || t.anchoredPattern(pos[0])
		case (method == "match" || method == "fullmatch") && receiver >= 0 && len(pos) == 1 && isName(pos[0]):
			return method == "fullmatch" || t.anchoredPattern(receiver)
		case receiver < 0 && len(pos) == 1 && isName(pos[0]) && formCheck.MatchString(method) && !notFormCheck.MatchString(method):
			return true
		}
		return false
	})
}

var (
	// formMethods are str methods that pass only digits, letters or an
	// identifier: no dot, no slash.
	formMethods = map[string]bool{"isdigit": true, "isdecimal": true, "isnumeric": true, "isalnum": true, "isalpha": true, "isidentifier": true}
	// formCheck names a function that checks a value's form (is_md5,
	// is_valid_uuid, valid_slug, validate_hash); notFormCheck leaves out
	// the ones that ask about something else: whether a file exists, who
	// the caller is, a state; or that check a URL's or a host's form
	// (is_valid_url), which any host and any path pass.
	formCheck    = lazyre.New(`^(is_|valid|validate)\w+$`)
	notFormCheck = lazyre.New(`exist|file|dir|path|auth|admin|perm|owner|member|staff|superuser|enabled|active|ready|running|available|empty|none|null|logged|locked|expired|deleted|open|set$|(^|_)(url|uri|host|hostname|domain)s?(_|$)`)
)

// anchoredPattern reports whether regular expression p, a literal, a
// name assigned one, or re.compile of one, must match to the end of the
// text ($ or \Z last). A module constant the file imports (MD5_REGEX) is
// taken as written to be one: a pattern kept as a named constant for
// checks is a format.
func (t *pyTree) anchoredPattern(p int32) bool {
	if p >= 0 && t.kind(p) == "call" && (t.callee(p) == "re.compile") {
		p = t.arg(p, 0, "pattern")
	}
	if p < 0 {
		return false
	}
	anchored := func(v string) bool { return strings.HasSuffix(v, "$") || strings.HasSuffix(v, `\Z`) }
	if v, ok := t.evalString(p, 0); ok {
		return anchored(v.text)
	}
	if t.kind(p) != "identifier" {
		return false
	}
	name := t.text(p)
	for a := int32(0); int(a) < len(t.nodes); a++ {
		if t.kind(a) != "assignment" || t.enclosing(a, "function_definition") >= 0 {
			continue
		}
		if left := t.child(a, "left"); left >= 0 && t.text(left) == name {
			right := t.child(a, "right")
			if right >= 0 && t.kind(right) == "call" && t.callee(right) == "re.compile" {
				right = t.arg(right, 0, "pattern")
			}
			v, ok := t.evalString(right, 0)
			return ok && anchored(v.text)
		}
	}
	return strings.ToUpper(name) == name && strings.ContainsAny(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

// leaves is a block that ends the function: a return, a raise, abort().
var leaves = lazyre.New(`^\s*(return\b|raise\b|abort\()|\n\s*(return\b|raise\b|abort\()`)

// fileObject reports whether what a path sink is given is a file object
// made in memory (send_file(BytesIO(data))): bytes to send, no path.
func (t *pyTree) fileObject(i int32) bool {
	isBuffer := func(v int32) bool {
		if v < 0 || t.kind(v) != "call" {
			return false
		}
		switch lastPart(t.callee(v)) {
		case "BytesIO", "StringIO", "SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile":
			return true
		}
		return false
	}
	if isBuffer(i) {
		return true
	}
	return i >= 0 && t.kind(i) == "identifier" && t.assignedFrom(i, isBuffer)
}

// localURLBuilders build a path on the service itself from a route's name.
var localURLBuilders = map[string]bool{"reverse": true, "reverse_lazy": true, "url_for": true, "resolve_url": true}

// inputSink reports what client input reaches in call i, if anything: a
// file path, an outbound URL or a redirect (its kind in evalKinds), with
// its severity.
func (t *pyTree) inputSink(call int32) (kind, msg string, sev Severity, ok bool) {
	name := t.callee(call)
	fn := t.enclosing(call, "function_definition")
	guarded := func(re *lazyre.Regexp) bool { return fn >= 0 && re.MatchString(t.text(fn)) }
	switch {
	case pathSinks[name]:
		arg := t.arg(call, 0, "path")
		if name == "open" || name == "builtins.open" || name == "io.open" {
			arg = t.arg(call, 0, "file")
		}
		t.pathFlow = true
		tainted := t.taintedAt(arg, call)
		t.pathFlow = false
		if tainted && !guarded(pathGuard) && !t.fileObject(arg) && !t.containedPath(arg) && !t.allowListed(arg) && !t.lookedUpFirst(arg) {
			if t.resolvedElsewhere(arg) {
				return "path", "a file path comes from another object's path method, given client input: check that method keeps the path under its base directory", checklists.Low, true
			}
			return "path", "a file path is built from client input: ../ reaches any file the service can read (path traversal)", checklists.High, true
		}
	case dirSinks[name]:
		arg := t.arg(call, 0, "path")
		if name == "os.walk" {
			arg = t.arg(call, 0, "top")
		} else if strings.HasPrefix(name, "glob.") {
			arg = t.arg(call, 0, "pathname")
		}
		t.pathFlow = true
		tainted := t.taintedAt(arg, call)
		t.pathFlow = false
		if tainted && !guarded(pathGuard) && !t.containedPath(arg) && !t.allowListed(arg) && !t.lookedUpFirst(arg) {
			return "path", "a directory named by client input is listed: ../ lists any directory the service can read (path traversal)", checklists.Medium, true
		}
	case urlSinks[name]:
		arg := t.arg(call, 0, "url")
		// urlopen(Request(url, data, headers)): the body and the headers
		// may carry input; the URL alone picks the host.
		if arg >= 0 && t.kind(arg) == "call" && lastPart(t.callee(arg)) == "Request" {
			arg = t.arg(arg, 0, "url")
		}
		// req = Request(url, headers=...); urlopen(req): the same, through
		// the name; the Request's own line is judged as a sink of its own.
		if urls := t.requestURLs(arg); urls != nil {
			for _, u := range urls {
				if t.taintedAt(u, call) && !t.fixedHost(u) && !t.ownBase(u) && !guarded(urlGuard) {
					return "ssrf", "the service fetches a URL the client chose: internal hosts and cloud metadata are in reach (SSRF)", checklists.High, true
				}
			}
			return "", "", 0, false
		}
		if t.taintedAt(arg, call) && !t.fixedHost(arg) && !t.ownBase(arg) && !guarded(urlGuard) {
			return "ssrf", "the service fetches a URL the client chose: internal hosts and cloud metadata are in reach (SSRF)", checklists.High, true
		}
		// urlopen opens whatever scheme it is given (file:, ftp:): a
		// helper that fetches the URL its callers pass, callers out of
		// sight, is where a client's URL would reach local files and
		// internal hosts (a profile picture fetched by URL).
		if name == "urllib.request.urlopen" && !t.fixedHost(arg) && !t.ownBase(arg) && !guarded(urlGuard) && t.evidence(arg) == fromArgs {
			return "ssrf", "urlopen fetches a URL from the function's arguments, and no view or caller in this module passes request input to them: it opens file: and ftp: URLs too; check the scheme, and what the callers elsewhere pass", checklists.Low, true
		}
	case redirectSinks[name]:
		arg := t.arg(call, 0, "url")
		if name == "django.shortcuts.redirect" {
			arg = t.arg(call, 0, "to")
		}
		// A redirect target is a URL string: input is followed through
		// string operations only, not into what other functions make of
		// it (translation.add_unit(request, ...) returns a model object).
		t.urlFlow = true
		tainted := t.taintedAt(arg, call)
		t.urlFlow = false
		if tainted && !t.localPath(arg) && !t.fixedHost(arg) && !guarded(redirectGuard) {
			if t.envBase(arg) {
				// os.environ["SEARCH_URL"] + query: the operator's setting
				// comes first, the client's text after it.
				return "redirect", "the client is redirected to an operator's setting (the environment) with request input after it: check the setting ends in a path, so the input cannot reach the host", checklists.Low, true
			}
			if t.refererValue(arg) {
				// Back to the page the browser came from: an attacker's
				// page can only send the victim back to itself.
				return "redirect", "the client is sent back to its Referer: check no link of this site can carry another one", checklists.Low, true
			}
			return "redirect", "the client is redirected to a URL from the request (open redirect)", checklists.Medium, true
		}
	}
	return "", "", 0, false
}

// envRead reports whether expression i reads the process environment
// (os.environ["X"], os.environ.get("X", d), os.getenv("X")), and whether
// its default is an empty string or None (the value may then be empty).
func (t *pyTree) envRead(i int32) (read, mayBeEmpty bool) {
	switch t.kind(i) {
	case "subscript":
		return t.qualName(t.child(i, "value")) == "os.environ", false
	case "call":
		switch t.callee(i) {
		case "os.environ.get", "os.getenv":
			d := t.arg(i, 1, "default")
			if d < 0 {
				// os.getenv("X") + text fails on None: never empty.
				return true, false
			}
			v, ok := t.evalString(d, 0)
			return true, t.kind(d) == "none" || ok && v.text == ""
		}
	}
	return false, false
}

// envBase reports whether a URL expression starts with a value of the
// process environment and goes on with a + (os.environ.get("BASE", "") +
// query): the operator chose the start, the client only the tail. A
// setting that may be empty counts only under a test of its name (if
// base: ...), where it is not.
func (t *pyTree) envBase(i int32) bool {
	i = t.unparen(i)
	if i < 0 || t.kind(i) != "binary_operator" {
		return false
	}
	first := i
	for first >= 0 && t.kind(first) == "binary_operator" {
		if op := t.child(first, "operator"); op < 0 || t.text(op) != "+" {
			return false
		}
		first = t.unparen(t.child(first, "left"))
	}
	if first < 0 {
		return false
	}
	if read, empty := t.envRead(first); read {
		return !empty
	}
	if t.kind(first) != "identifier" {
		return false
	}
	mayBeEmpty := false
	if !t.assignedFrom(first, func(r int32) bool {
		read, empty := t.envRead(r)
		mayBeEmpty = mayBeEmpty || empty
		return read
	}) {
		return false
	}
	if !mayBeEmpty {
		return true
	}
	name := t.text(first)
	for p := t.nodes[i].parent; p >= 0; p = t.nodes[p].parent {
		if k := t.kind(p); k == "if_statement" {
			c, body := t.unparen(t.child(p, "condition")), t.child(p, "consequence")
			if c >= 0 && t.text(c) == name && body >= 0 && t.start(i) >= t.start(body) && t.end(i) <= t.end(body) {
				return true
			}
		} else if k == "function_definition" {
			break
		}
	}
	return false
}

// requestURLs returns the URL arguments of the Request objects a local
// name holds, when every assignment of it in the function makes one (req =
// urllib.request.Request(url, headers=...)); nil otherwise.
func (t *pyTree) requestURLs(arg int32) []int32 {
	if arg < 0 || t.kind(arg) != "identifier" {
		return nil
	}
	var urls []int32
	if !t.assignedFrom(arg, func(r int32) bool {
		if t.kind(r) != "call" || lastPart(t.callee(r)) != "Request" {
			return false
		}
		urls = append(urls, t.arg(r, 0, "url"))
		return true
	}) {
		return nil
	}
	return urls
}

// htmlResponses send their first argument as an HTML body.
var htmlResponses = map[string]bool{
	"django.http.HttpResponse": true, "fastapi.responses.HTMLResponse": true,
	"starlette.responses.HTMLResponse": true, "flask.make_response": true, "flask.Response": true,
}

var htmlTag = lazyre.New(`<[a-zA-Z][a-zA-Z0-9]*[\s>/]`)

// reflectedHTML reports HTML assembled at run time from client input and
// sent as a response body: the arguments of HTML responses, and what a
// Flask view returns (Flask sends a returned string as text/html; FastAPI
// encodes one as JSON, so a FastAPI return counts only through
// HTMLResponse).
func (t *pyTree) reflectedHTML(i int32, flask bool) bool {
	var body int32 = -1
	switch t.kind(i) {
	case "call":
		if htmlResponses[t.callee(i)] {
			body = t.arg(i, 0, "content")
		}
	case "return_statement":
		if fn := t.enclosing(i, "function_definition"); fn >= 0 && (flask && t.isRouteHandler(fn) || t.htmlRoute(fn)) {
			if cs := t.children(i); len(cs) == 1 {
				body = cs[0]
				// return body, status
				if k := t.kind(body); k == "expression_list" || k == "tuple" {
					if parts := t.children(body); len(parts) > 0 {
						body = parts[0]
					}
				}
			}
		}
	}
	if body < 0 {
		return false
	}
	v, ok := t.evalString(body, 0)
	if !ok || v.how == "" || !htmlTag.MatchString(v.text) {
		return false
	}
	t.htmlFlow = true
	defer func() { t.htmlFlow = false }()
	return t.tainted(body, 0)
}

// htmlRoute reports whether fn is a FastAPI or Starlette route declared to
// answer in HTML (@app.get("/x", response_class=HTMLResponse)): the string
// it returns is sent as the page, not encoded as JSON.
func (t *pyTree) htmlRoute(fn int32) bool {
	for _, d := range t.routeDecoratorCalls(fn) {
		if v := t.arg(d, -1, "response_class"); v >= 0 && strings.HasSuffix(t.text(v), "HTMLResponse") {
			return true
		}
	}
	return false
}

// fetchName is a method that fetches stored content by a key.
var fetchName = lazyre.New(`^(get|load|read|fetch|find|lookup)_\w+$`)

// fetchCall reports whether call n is another object's method that
// fetches stored content (context.get_notebook_data(location, path)) or
// counts over it, not the request's own (request.get_data()).
func (t *pyTree) fetchCall(n int32) bool {
	fn := t.child(n, "function")
	if fn < 0 || t.kind(fn) != "attribute" {
		return false
	}
	name := t.callee(n)
	if strings.Contains(name, "request") {
		return false
	}
	// qs.aggregate(amount=Sum("value")), qs.count(): numbers the database
	// computes over stored rows, whichever rows the client's filter chose.
	return fetchName.MatchString(lastPart(name)) || countName[lastPart(name)]
}

// countName is a query method that returns numbers computed over rows.
var countName = map[string]bool{"aggregate": true, "count": true}

// pathMethod is a method that resolves a path for a key
// (get_captured_local_path, log_path, get_path, a storage's path or
// abspath: default_storage.abspath(name)); pathlib's joinpath and
// os.path's realpath only join or normalise.
var pathMethod = lazyre.New(`(?i)^(\w+_path|get_path|path|abspath)$`)

// resolvedElsewhere reports whether path argument arg is what another
// object's path method returns (manager.get_captured_local_path(key)),
// directly or through a local name every assignment of which is such a
// call: that object decides where the path may lead, out of sight.
func (t *pyTree) resolvedElsewhere(arg int32) bool {
	isMethod := func(v int32) bool {
		if v < 0 || t.kind(v) != "call" {
			return false
		}
		fn := t.child(v, "function")
		name := t.callee(v)
		head, _, _ := strings.Cut(name, ".")
		return fn >= 0 && t.kind(fn) == "attribute" && pathMethod.MatchString(lastPart(name)) &&
			head != "os" && head != "pathlib" && head != "posixpath" && head != "ntpath" && head != "request"
	}
	return isMethod(arg) || arg >= 0 && t.kind(arg) == "identifier" && t.assignedFrom(arg, isMethod)
}

// argsMention reports whether name is used in the arguments of call c or
// of a call its callee chains on (query(M).filter(M.id == name).first()).
func (t *pyTree) argsMention(c int32, name string) bool {
	for c >= 0 && t.kind(c) == "call" {
		if args := t.child(c, "arguments"); args >= 0 && identIn(t.text(args), name) {
			return true
		}
		f := t.child(c, "function")
		if f < 0 || t.kind(f) != "attribute" {
			return false
		}
		c = t.unparen(t.child(f, "object"))
	}
	return false
}

// localInput reports whether identifier n names a parameter of function fn
// or the variable of a for loop in it.
func (t *pyTree) localInput(n, fn int32) bool {
	name := t.text(n)
	if slices.Contains(t.paramNames(fn), name) {
		return true
	}
	found := false
	t.each(func(f int32) {
		if !found && t.start(f) >= t.start(fn) && t.end(f) <= t.end(fn) {
			if left := t.child(f, "left"); left >= 0 && targets(t, left)[name] {
				found = true
			}
		}
	}, "for_statement")
	return found
}

// assignedIn reports whether function fn assigns identifier n's name.
func (t *pyTree) assignedIn(n, fn int32) bool {
	name := t.text(n)
	for a := fn; int(a) < len(t.nodes) && t.start(a) < t.end(fn); a++ {
		if t.kind(a) == "assignment" {
			if left := t.child(a, "left"); left >= 0 && targets(t, left)[name] {
				return true
			}
		}
	}
	return false
}
