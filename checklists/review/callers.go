package review

import (
	"strings"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// A value a function received as an argument is only as dangerous as what
// its callers pass. Within the module, that is in sight: a route handler's
// or a view's arguments are the request's, and a call in the same module
// shows what it passes. A function whose callers are all elsewhere (a
// driver's method, a helper the project's own code calls with validated
// names) has no evidence of client input here, so its findings are low:
// still reported, for a reviewer to follow the callers, but not failing.

// viewBases are the base classes whose get/post/... methods are views:
// Django's View and its generic views, DRF's APIView and viewsets, Flask's
// MethodView, Flask-RESTful's Resource, Tornado's RequestHandler.
var viewBases = lazyre.New(`View\b|ViewSet\b|Resource\b|Handler\b|Endpoint\b`)

var httpMethods = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true,
	"head": true, "options": true, "list": true, "create": true, "retrieve": true, "update": true,
	"partial_update": true, "destroy": true}

// routeRegistrations take a view function as an argument: Flask's
// add_url_rule, Starlette's and FastAPI's add_route/add_api_route, Django's
// path/re_path/url.
var routeRegistrations = map[string]bool{"add_url_rule": true, "add_route": true, "add_api_route": true,
	"add_websocket_route": true, "path": true, "re_path": true, "url": true}

// paramNames lists a function's parameters by name, in order (self
// included; splats as "*args"/"**kw").
func (t *pyTree) paramNames(fn int32) []string {
	var out []string
	for _, p := range t.children(t.child(fn, "parameters")) {
		name := p
		switch t.kind(p) {
		case "identifier":
		case "list_splat_pattern", "dictionary_splat_pattern":
			out = append(out, t.text(p))
			continue
		default:
			name = t.child(p, "name")
			if name < 0 {
				if cs := t.children(p); len(cs) > 0 && t.kind(cs[0]) == "identifier" {
					name = cs[0]
				}
			}
		}
		if name >= 0 {
			out = append(out, t.text(name))
		} else {
			out = append(out, "")
		}
	}
	return out
}

// funcName returns a function definition's name.
func (t *pyTree) funcName(fn int32) string {
	if n := t.child(fn, "name"); n >= 0 {
		return t.text(n)
	}
	return ""
}

// isView reports whether the arguments of function fn come from a request:
// a route handler, a function registered as one in this module, a Django
// view (request first, in a views or api module), or a get/post/...
// method of a class-based view.
func (t *pyTree) isView(fn int32) bool {
	if t.isRouteHandler(fn) {
		return true
	}
	ps := t.paramNames(fn)
	method := len(ps) > 0 && (ps[0] == "self" || ps[0] == "cls")
	if method {
		ps = ps[1:]
	}
	// Outside a views or api module a function taking request is a helper
	// whose other parameters come from its caller (open-webui's plugin
	// loaders are called from such helpers): the same rule as routeParam.
	if len(ps) > 0 && ps[0] == "request" && isViewModule(t.path) {
		return true
	}
	name := t.funcName(fn)
	if method && httpMethods[name] {
		if cls := t.enclosing(fn, "class_definition"); cls >= 0 {
			if bases := t.child(cls, "superclasses"); bases >= 0 && viewBases.MatchString(t.text(bases)) {
				return true
			}
		}
	}
	for _, call := range t.callsNamed()[""] {
		if name == "" {
			break
		}
		for _, a := range t.children(t.child(call, "arguments")) {
			if v := a; t.kind(a) == "keyword_argument" {
				a = t.child(v, "value")
			}
			if a >= 0 && t.kind(a) == "identifier" && t.text(a) == name && !t.localName(t.enclosing(call, "function_definition"), name) {
				return true
			}
		}
	}
	return false
}

// localName reports whether name is a parameter of function fn or is
// bound in its body (an assignment or a for loop): there it is not the
// module's function of that name (bottle's route() makes a local route =
// Route(...) and registers it with self.add_route(route)).
func (t *pyTree) localName(fn int32, name string) bool {
	if fn < 0 {
		return false
	}
	for _, p := range t.paramNames(fn) {
		if strings.TrimLeft(p, "*") == name {
			return true
		}
	}
	for a := fn; int(a) < len(t.nodes) && t.start(a) < t.end(fn); a++ {
		var left int32 = -1
		switch t.kind(a) {
		case "assignment", "augmented_assignment", "for_statement":
			left = t.child(a, "left")
		}
		if left < 0 || t.enclosing(a, "function_definition") != fn {
			continue
		}
		if t.kind(left) == "identifier" && t.text(left) == name ||
			(t.kind(left) == "pattern_list" || t.kind(left) == "tuple_pattern") && identIn(t.text(left), name) {
			return true
		}
	}
	return false
}

// callsNamed indexes the module's calls by the last part of what they
// call; key "" holds the route registrations. Built on first use.
func (t *pyTree) callsNamed() map[string][]int32 {
	if t.calls != nil {
		return t.calls
	}
	t.calls = map[string][]int32{}
	t.each(func(i int32) {
		last := lastPart(t.callee(i))
		t.calls[last] = append(t.calls[last], i)
		if routeRegistrations[last] {
			t.calls[""] = append(t.calls[""], i)
		}
	}, "call")
	return t.calls
}

// importedCallee reports whether a call's function is another module's:
// subprocess.run(...) or an imported run(...) is not this module's run.
func (t *pyTree) importedCallee(f int32) bool {
	head := t.text(f)
	if t.kind(f) == "attribute" {
		head = t.text(t.child(f, "object"))
	}
	head, _, _ = strings.Cut(head, ".")
	_, imported := t.imports[head]
	return imported
}

// fnParam names a parameter of a function definition.
type fnParam struct {
	fn    int32
	param string
}

// argumentExposed reports whether the parameters ps of function fn can
// carry client input as far as this module shows: fn is a view, or a call
// of fn in this module passes request input into one of them, or a
// parameter of its own caller that is exposed in turn, through any chain
// of calls. Answers are kept per parameter, so each is worked out once per
// file; a cycle (recursion) counts as no evidence.
func (t *pyTree) argumentExposed(fn int32, ps map[string]bool) bool {
	for p := range ps {
		if t.paramExposed(fn, p) {
			return true
		}
	}
	return false
}

func (t *pyTree) paramExposed(fn int32, param string) bool {
	if fn < 0 {
		return false
	}
	key := fnParam{fn, param}
	if known, ok := t.exposed[key]; ok {
		return known
	}
	if t.exposed == nil {
		t.exposed = map[fnParam]bool{}
	}
	t.exposed[key] = false // in progress: a cycle shows nothing
	v := t.isView(fn) || t.callersPass(fn, param)
	t.exposed[key] = v
	return v
}

// callersPass reports whether a call of fn in this module passes request
// input, or an exposed parameter of the calling function, into param.
func (t *pyTree) callersPass(fn int32, param string) bool {
	found := false
	t.passedTo(fn, param, func(call, value int32) bool {
		if value < 0 {
			return true
		}
		if t.tainted(value, 0) {
			found = true
			return false
		}
		caller := t.enclosing(call, "function_definition")
		for up := range t.callerParams(value, 0, nil) {
			if t.paramExposed(caller, up) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// callersPassOwnValues reports whether fn is called in this module and
// every such call passes, into each of the parameters ps, a value of the
// service's own: neither request input nor the calling function's
// arguments (self.get_restart_command(), a setting). The values the
// module shows are configuration; a caller elsewhere is out of sight.
func (t *pyTree) callersPassOwnValues(fn int32, ps map[string]bool) bool {
	if fn < 0 {
		return false
	}
	calls := 0
	for p := range ps {
		own := true
		t.passedTo(fn, p, func(call, value int32) bool {
			calls++
			own = value >= 0 && !t.tainted(value, 0) && len(t.callerParams(value, 0, nil)) == 0
			return own
		})
		if !own {
			return false
		}
	}
	return calls > 0
}

// passedTo calls visit for each value a call of fn in this module passes
// into param (once with -1 for a call that passes none), until visit
// returns false.
func (t *pyTree) passedTo(fn int32, param string, visit func(call, value int32) bool) {
	params := t.paramNames(fn)
	method := len(params) > 0 && (params[0] == "self" || params[0] == "cls")
	for _, call := range t.callsNamed()[t.funcName(fn)] {
		f := t.child(call, "function")
		if f < 0 || t.importedCallee(f) {
			continue
		}
		// obj.name(a) fills the parameter after self; name(a) the first.
		skip := 0
		if method && t.kind(f) == "attribute" {
			skip = 1
		}
		k, passed := 0, false
		for _, a := range t.children(t.child(call, "arguments")) {
			value, fills := a, ""
			switch t.kind(a) {
			case "keyword_argument":
				fills, value = t.text(t.child(a, "name")), t.child(a, "value")
			case "list_splat", "dictionary_splat":
				// *args, **kwargs: any parameter may be filled.
				fills = param
			default:
				if k+skip < len(params) {
					fills = params[k+skip]
				}
				k++
			}
			if value >= 0 && (fills == param || strings.HasPrefix(fills, "*")) {
				passed = true
				if !visit(call, value) {
					return
				}
			}
		}
		if !passed && !visit(call, -1) {
			return
		}
	}
}

// argumentEvidence reports whether the parameters ps of the function
// enclosing node i can carry client input as far as this module shows.
func (t *pyTree) argumentEvidence(i int32, ps map[string]bool) bool {
	return t.argumentExposed(t.enclosing(i, "function_definition"), ps)
}
