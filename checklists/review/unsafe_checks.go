package review

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/scaffoldtool/scaffold/checklists"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

var (
	tlsCheck = &Check{
		ID: "tls-verify-disabled", Rule: "SEC-14", Severity: checklists.High,
		Title: "TLS certificate verification turned off",
		Help: "Keep verify=True (the default) and, for a private CA, pass its bundle: verify=\"/path/ca.pem\"; " +
			"never use CERT_NONE or an unverified SSL context.",
	}
	randomCheck = &Check{
		ID: "insecure-random", Rule: "SEC-11", Severity: checklists.High,
		Title: "Tokens or codes made with the random module",
		Help: "Use the secrets module (secrets.token_urlsafe, secrets.token_hex, secrets.choice) for anything " +
			"an attacker must not guess.",
	}
	evalCheck = &Check{
		ID: "unsafe-eval", Rule: "SEC-12", Severity: checklists.High,
		Title: "Untrusted input reaching eval, a shell, a deserialiser, a template, markup or an HTML response, an XML parser, a file path, an outbound URL or a redirect",
		Help: "Keep input data, never code: parse with json or yaml.safe_load, run programs with argument lists, " +
			"render templates from files with autoescape, parse XML with defusedxml, and check paths, URLs and " +
			"redirect targets against what is allowed before using them.",
	}
)

func init() {
	tlsCheck.file = checkTLS
	randomCheck.file = checkRandom
	evalCheck.file = checkEval
}

// inputEvidence rates code run or data deserialised by where it comes
// from: request input is high; the function's arguments medium when the
// function is a view or a caller in this module passes request input to
// them, low when its callers are out of sight; anything else (the
// service's own files, settings, attributes) low, worth a look but not a
// failing finding.
func (t *pyTree) inputEvidence(arg int32) (Severity, string) {
	r := inputRatings[t.evidence(arg)]
	return r.sev, r.note
}

// shellEvidence rates a shell command built at run time: high from
// request input or from arguments a view or a caller in this module fills
// from the request; low from arguments whose callers are out of sight (no
// evidence that a client reaches them: a helper that runs what its callers
// pass) and from values the check cannot trace to a client (an attribute a
// setting or an administrator filled: a configured password command).
func (t *pyTree) shellEvidence(arg int32) (Severity, string) {
	r := shellRatings[t.evidence(arg)]
	return r.sev, r.note
}

// rating is a finding's severity and the note on where its value comes
// from, by source.
type rating struct {
	sev  Severity
	note string
}

var (
	inputRatings = [...]rating{
		noArg:           {checklists.Medium, ""},
		fromInput:       {checklists.High, ", from request input"},
		fromExposedArgs: {checklists.Medium, ", from the function's arguments, which a view or a caller in this module fills from the request"},
		fromArgs:        {checklists.Low, ", from the function's arguments; no view or caller in this module passes request input to them (check the callers elsewhere)"},
		untraced:        {checklists.Low, ", from a value this check cannot trace to a client (a file or setting of the service's own?)"},
	}
	shellRatings = [...]rating{
		noArg:           {checklists.High, ""},
		fromInput:       {checklists.High, ""},
		fromExposedArgs: {checklists.High, ", from the function's arguments, which a view or a caller in this module fills from the request"},
		fromArgs:        {checklists.Low, ", from the function's arguments; no view or caller in this module passes request input to them (check what the callers elsewhere pass)"},
		untraced:        {checklists.Low, ", from a value this check cannot trace to a client (a setting, an administrator's configuration?): check who can change it"},
	}
)

// source is where a value given to a dangerous call comes from, as far as
// the module shows.
type source int

const (
	noArg           source = iota
	fromInput              // request input
	fromExposedArgs        // arguments a view or a caller in the module fills from the request
	fromArgs               // arguments whose callers are out of sight
	untraced               // anything else: attributes, settings, files
)

func (t *pyTree) evidence(arg int32) source {
	switch {
	case arg < 0:
		return noArg
	case t.tainted(arg, 0):
		return fromInput
	}
	if ps := t.callerParams(arg, 0, nil); len(ps) > 0 {
		if t.argumentEvidence(arg, ps) {
			return fromExposedArgs
		}
		if t.callersPassOwnValues(t.enclosing(arg, "function_definition"), ps) {
			// Every call in sight passes a setting or the like.
			return untraced
		}
		return fromArgs
	}
	return untraced
}

// templateFromCallers reports whether a template's source is a function's
// argument passed whole (not formatted into other text), with no view or
// caller in the module filling it from the request: whose template it is
// is decided where the function is called, out of sight. Text formatted
// into template code stays high wherever it comes from, unless that text is
// itself named as a template (see joinedTemplate).
func (t *pyTree) templateFromCallers(src int32) bool {
	if src < 0 || t.tainted(src, 0) {
		return false
	}
	if v, ok := t.evalString(src, 0); ok && v.how != "" && !t.joinedTemplate(src) {
		return false
	}
	ps := t.callerParams(src, 0, nil)
	return len(ps) > 0 && !t.argumentEvidence(src, ps)
}

// forwardsOwnArgs reports whether a call passes on, whole, the *args of the
// function around it (def parse_template(*args, **kwargs): return
// env.from_string(*args, **kwargs)): a thin wrapper of the API, whose
// callers decide what it builds, as with an argument passed whole.
func (t *pyTree) forwardsOwnArgs(call int32) bool {
	fn := t.enclosing(call, "function_definition")
	if fn < 0 {
		return false
	}
	star := ""
	for _, p := range t.children(t.child(fn, "parameters")) {
		if t.kind(p) == "list_splat_pattern" {
			if cs := t.children(p); len(cs) == 1 && t.kind(cs[0]) == "identifier" {
				star = t.text(cs[0])
			}
		}
	}
	list := t.child(call, "arguments")
	if star == "" || list < 0 {
		return false
	}
	for _, a := range t.children(list) {
		if t.kind(a) == "list_splat" {
			cs := t.children(a)
			return len(cs) == 1 && t.kind(cs[0]) == "identifier" && t.text(cs[0]) == star
		}
	}
	return false
}

// joinedTemplate reports whether a template source is literal template
// code joined with + to one name that is named as a template (template,
// tmpl, page_template, template_str): "{% extends base %}\n" + template
// makes the caller's template extend a base, so the caller still writes
// the whole template. A value joined to template code ("Hello " + name,
// body + "{{ x }}") is what an injection looks like and stays out.
func (t *pyTree) joinedTemplate(src int32) bool {
	names := 0
	var walk func(i int32) bool
	walk = func(i int32) bool {
		if i = t.unparen(i); i < 0 {
			return false
		}
		switch t.kind(i) {
		case "string", "concatenated_string":
			v, ok := t.evalString(i, 0)
			return ok && v.how == ""
		case "identifier":
			names++
			return templateName.MatchString(t.text(i))
		case "binary_operator":
			op := t.child(i, "operator")
			return op >= 0 && t.text(op) == "+" && walk(t.child(i, "left")) && walk(t.child(i, "right"))
		}
		return false
	}
	top := t.unparen(src)
	return top >= 0 && t.kind(top) == "binary_operator" && walk(top) && names == 1
}

// templateName names a variable that holds a template's text.
var templateName = lazyre.New(`(?i)^(\w+_)?(template|tmpl|tpl)(_(str|string|text|source|src))?$`)

// packageResource reports whether an expression is text read from the
// package's own files (importlib.resources, pkgutil.get_data,
// pkg_resources), or a local name assigned from such: a template shipped
// with the code, as a loader would read it.
func (t *pyTree) packageResource(i int32) bool {
	if i < 0 {
		return false
	}
	if t.kind(i) == "identifier" {
		return t.assignedFrom(i, func(right int32) bool { return resourceRead.MatchString(t.text(right)) || t.packageResource(right) })
	}
	if t.kind(i) != "call" {
		return false
	}
	text := t.text(i)
	if resourceRead.MatchString(text) {
		return true
	}
	// files.joinpath("sdk.py.jinja").read_text(), files a local name
	// assigned from importlib.resources.files(...).
	for f := t.child(i, "function"); f >= 0 && t.kind(f) == "attribute"; {
		obj := t.child(f, "object")
		switch t.kind(obj) {
		case "identifier":
			return t.assignedFrom(obj, func(right int32) bool { return resourceRead.MatchString(t.text(right)) })
		case "call":
			f = t.child(obj, "function")
		default:
			return false
		}
	}
	return false
}

var resourceRead = lazyre.New(`\bresources\.(files|read_text|open_text)\(|\bpkgutil\.get_data\(|\bresource_(string|stream|filename)\(|\b(get|read|load|open)_(package_)?resources?(_\w+)?\(`)

// nonHTMLTemplates reports whether the function around call i (or, at the
// top level, the module) names templates that are not HTML: sdk.py.jinja,
// report.tex, query.sql.j2, and no .html ones.
func (t *pyTree) nonHTMLTemplates(i int32) bool {
	scope := t.enclosing(i, "function_definition")
	if scope < 0 {
		scope = 0
	}
	other, html := false, false
	end := t.end(scope)
	for n := scope; int(n) < len(t.nodes) && t.start(n) < end; n++ {
		if t.kind(n) != "string" {
			continue
		}
		v, _ := t.strLiteral(n)
		switch {
		case htmlTemplate.MatchString(v):
			html = true
		case otherTemplate.MatchString(v):
			other = true
		}
	}
	return other && !html
}

// selfEscapingTemplates returns how many HTML templates the templates
// folder beside a module holds when every {{ }} expression in them escapes
// itself ({{ name|e }}, {{ data|tojson|safe }}, {{ static_url('app.js') }}
// of literals only), and 0 when one does not or there are none: with
// autoescape off, those templates still place nothing unescaped. The folder
// is read from the disk: the project's file list may still be filling.
func selfEscapingTemplates(f *File) int {
	if f.full == "" {
		return 0
	}
	n := 0
	err := filepath.WalkDir(filepath.Join(filepath.Dir(f.full), "templates"), func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !htmlTemplate.MatchString(name) {
			return err
		}
		data, err := readSmall(name)
		if err != nil || data == nil {
			return fs.ErrInvalid
		}
		for _, m := range jinjaExpr.FindAllSubmatch(data, -1) {
			if !escapedExpr.Match(bytes.TrimSpace(m[1])) {
				return fs.ErrInvalid
			}
		}
		n++
		return nil
	})
	if err != nil {
		return 0
	}
	return n
}

var (
	// jinjaExpr is a {{ }} expression of a Jinja template.
	jinjaExpr = lazyre.New(`\{\{-?([\s\S]*?)-?\}\}`)
	// escapedExpr is an expression whose last filter escapes for HTML or
	// makes a number or JSON (tojson escapes <, > and &, so |safe after it
	// stays safe), or a call of string literals only (static_url('a.js')).
	escapedExpr = lazyre.New(`\|\s*(e|escape|forceescape|tojson|urlencode|int|float|length|count)\s*(\|\s*safe\s*)?$|^[\w.]+\((\s*(\w+\s*=\s*)?('[^'{}]*'|"[^"{}]*")\s*,?)*\)$`)
)

var (
	htmlTemplate  = lazyre.New(`(?i)\.(html?|xml|svg|xhtml)(\.(jinja2?|j2|tmpl|tpl))?$`)
	otherTemplate = lazyre.New(`(?i)\w\.(py|pyi|txt|tex|sql|md|rst|ya?ml|toml|sh|cfg|ini|json|js|ts|go|rs|conf|env)\.(jinja2?|j2|tmpl|tpl)$`)
)

// exemptViews reports Django views exempt from CSRF checks (@csrf_exempt
// on the function, or method_decorator(csrf_exempt) on the method or its
// class) that change what is stored while they show no authentication of
// their own: the browser's session cookie is then all any site needs to
// make them act. Setting a password or signing a user in is medium (an
// account taken over); other writes (save, delete, create, update) low, as
// the view may be open to anyone anyway. A view that reads a token, a
// signature or an Authorization header authenticates the request itself
// (webhooks, APIs) and is left alone.
func (t *pyTree) exemptViews(add func(int32, Severity, string, string)) {
	exempt := func(def int32) bool {
		d := t.nodes[def].parent
		return d >= 0 && t.kind(d) == "decorated_definition" && csrfExempt.MatchString(t.text(d)[:t.start(def)-t.start(d)])
	}
	t.each(func(fn int32) {
		// The finding goes on the decorator that exempts the view.
		at := fn
		if exempt(fn) {
			at = t.nodes[fn].parent
		} else {
			// A class decorated with method_decorator(csrf_exempt,
			// name="dispatch") exempts its handlers.
			cls := t.enclosing(fn, "class_definition")
			if cls < 0 || !exempt(cls) || !handlerName.MatchString(t.text(t.child(fn, "name"))) {
				return
			}
		}
		body := t.text(fn)
		if ownAuth.MatchString(body) {
			return
		}
		switch {
		case credentialChange.MatchString(body) || passwordView.MatchString(t.text(t.child(fn, "name"))):
			add(at, checklists.Medium, "csrf", "a view exempt from CSRF checks sets a password or signs a user in: any site the user visits can make it act with their session (CSRF)")
		case commandRun.MatchString(body):
			add(at, checklists.Medium, "csrf", "a view exempt from CSRF checks runs a command: any site the user visits can make it run with their session (CSRF)")
		case storeChange.MatchString(body):
			add(at, checklists.Low, "csrf", "a view exempt from CSRF checks changes stored data with no authentication of its own: if it acts for a signed-in user, any site can make it (CSRF)")
		}
	}, "function_definition")
}

var (
	csrfExempt       = lazyre.New(`@\s*(\w+\.)*(csrf_exempt\b|method_decorator\(\s*(\w+\.)*csrf_exempt\b)`)
	handlerName      = lazyre.New(`^(post|put|patch|delete|dispatch)$`)
	credentialChange = lazyre.New(`\.set_password\(|\bupdate_session_auth_hash\(|\b(auth_)?login\(\s*request\b`)
	// passwordView is a view named for changing or resetting a password
	// (change_password, chg_pwd_json, reset_passwd).
	passwordView = lazyre.New(`(?i)(^|_)(change|chg|set|reset|update|new)_?(pwd|password|passwd)(_|$)`)
	// commandRun runs a program through the OS.
	commandRun  = lazyre.New(`\bos\.(system|popen|exec\w*|spawn\w*)\(|\bsubprocess\.\w+\(`)
	storeChange = lazyre.New(`\.(save|delete|create|update|bulk_create|get_or_create|update_or_create)\(`)
	// ownAuth is a request authenticated by other means than the cookie.
	ownAuth = lazyre.New(`(?i)authori[sz]ation|signature|\bhmac\b|api_?key|token|secret|verify|signed|x-hub|webhook`)
)

// massAssigned reports whether call i sets an object's attributes from the
// keys of request input: obj.__dict__.update(data), or setattr(obj, key,
// value) in a loop over data's items, where data comes from the request.
func (t *pyTree) massAssigned(i int32) bool {
	name := t.callee(i)
	switch {
	case strings.HasSuffix(name, ".__dict__.update"):
		return t.tainted(t.arg(i, 0, ""), 0)
	case name == "setattr" || name == "builtins.setattr":
		key := t.arg(i, 1, "")
		if key < 0 || t.kind(key) != "identifier" {
			return false
		}
		loop := t.enclosing(i, "for_statement")
		if loop < 0 {
			return false
		}
		left, right := t.child(loop, "left"), t.child(loop, "right")
		if left < 0 || right < 0 || !slices.Contains(strings.FieldsFunc(t.text(left), func(r rune) bool { return r == ',' || r == ' ' || r == '(' || r == ')' }), t.text(key)) {
			return false
		}
		// Only the request's own keys: data a schema loaded or a form
		// cleaned has its fields chosen by the code, and a loop that asks
		// whether the key is allowed (if key in fields) picks them itself.
		return t.rawRequest(right) && !keyChecked.MatchString(t.text(loop))
	}
	return false
}

// rawRequest reports whether expression e is the request's own data as
// the client sent it (request.json, request.get_json(), request.form,
// request.POST, with .items() or .keys()), or a name the function
// assigned one of those to.
func (t *pyTree) rawRequest(e int32) bool {
	if rawRequestData.MatchString(t.text(e)) {
		return true
	}
	if e >= 0 && t.kind(e) == "call" && t.kind(t.child(e, "function")) == "attribute" {
		e = t.child(t.child(e, "function"), "object") // data.items()
	}
	if e < 0 || t.kind(e) != "identifier" {
		return false
	}
	fn := t.enclosing(e, "function_definition")
	found := false
	t.each(func(a int32) {
		if left, right := t.child(a, "left"), t.child(a, "right"); !found && left >= 0 && right >= 0 &&
			t.text(left) == t.text(e) && t.enclosing(a, "function_definition") == fn && rawRequestData.MatchString(t.text(right)) {
			found = true
		}
	}, "assignment")
	return found
}

var (
	rawRequestData = lazyre.New(`^request\.(json|form|args|values|data|POST|GET|get_json\(\s*\))(\.(items|keys)\(\))?$`)
	keyChecked     = lazyre.New(`\bif\s+(not\s+)?\w+\s+(not\s+)?in\b|hasattr\(|startswith\(`)
)

// pickledSessions reports a Django settings module that stores sessions
// with PickleSerializer (SESSION_SERIALIZER = "...PickleSerializer"): the
// session data is unpickled on every request, so whoever can write a
// session runs code on the server. With SESSION_ENGINE set to signed
// cookies the client holds that data, and the secret key is all that
// stands between a client and code execution: high; in a server-side
// store, medium. Django 5 removed the serializer for this reason. In
// development or test settings, or a throwaway project beside the real one
// (shuup_workbench/), it is low: no deployment serves them.
func (t *pyTree) pickledSessions(add func(int32, Severity, string, string), dev bool) {
	signedCookies, at := false, int32(-1)
	t.each(func(a int32) {
		left, right := t.child(a, "left"), t.child(a, "right")
		if left < 0 || right < 0 || t.enclosing(a, "function_definition") >= 0 {
			return
		}
		v, ok := t.evalString(right, 0)
		if !ok {
			return
		}
		switch lastPart(t.text(left)) {
		case "SESSION_ENGINE":
			signedCookies = signedCookies || strings.HasSuffix(v.text, "signed_cookies")
		case "SESSION_SERIALIZER":
			if strings.HasSuffix(v.text, "PickleSerializer") {
				at = a
			}
		}
	}, "assignment")
	if at < 0 {
		return
	}
	switch {
	case dev:
		add(at, checklists.Low, "deser", "sessions are unpickled (PickleSerializer) in development or test settings: check the deployed settings use the JSON serializer")
	case signedCookies:
		add(at, checklists.High, "deser", "sessions are kept in signed cookies and unpickled (PickleSerializer): anyone who learns the secret key runs code on the server")
	default:
		add(at, checklists.Medium, "deser", "sessions are unpickled (PickleSerializer): whoever can write to the session store runs code on the server; use the JSON serializer")
	}
}

// operatorCommand reports whether node i runs in an operator's command,
// started from a shell rather than by a client: a Django management
// command module, or a function registered as a click or typer command
// (@click.command(), @cli.command("babel-extract"), @app.cli.command()).
func (t *pyTree) operatorCommand(rel string, i int32) bool {
	if strings.Contains("/"+rel, "/management/commands/") {
		return true
	}
	// A chat bot's @bot.command is called by its users: only click and
	// typer (Flask's CLI is click) register an operator's commands.
	cli := false
	for _, q := range t.imports {
		head, _, _ := strings.Cut(q, ".")
		cli = cli || head == "click" || head == "typer" || strings.HasPrefix(q, "flask.cli")
	}
	if !cli && !bytes.Contains(t.src, []byte(".cli.command")) {
		return false
	}
	return t.inCLICommand(i, 0)
}

// inCLICommand reports whether node i runs inside a function registered as
// a click or typer command, or inside a helper of the module whose every
// call in the module is made from such a command (directly or through
// other such helpers): a helper that only the operator's command calls
// gets the operator's options, whatever its parameters are named.
func (t *pyTree) inCLICommand(i int32, depth int) bool {
	for fn := t.enclosing(i, "function_definition"); fn >= 0; fn = t.enclosing(fn, "function_definition") {
		d := t.nodes[fn].parent
		if d < 0 || t.kind(d) != "decorated_definition" {
			continue
		}
		for _, dec := range t.children(d) {
			if t.kind(dec) == "decorator" && cliCommand.MatchString(t.text(dec)) {
				return true
			}
		}
	}
	fn := t.enclosing(i, "function_definition")
	if fn < 0 || depth > 3 {
		return false
	}
	name := t.text(t.child(fn, "name"))
	calls := 0
	for _, c := range t.callsNamed()[name] {
		f := t.child(c, "function")
		if f < 0 || t.kind(f) != "identifier" && !strings.HasPrefix(t.text(f), "self.") && !strings.HasPrefix(t.text(f), "cls.") {
			continue // obj.name(...) is another object's method
		}
		if t.enclosing(c, "function_definition") == fn || !t.inCLICommand(c, depth+1) {
			return false
		}
		calls++
	}
	return calls > 0
}

// cliCommand is a decorator that registers a click or typer command.
var cliCommand = lazyre.New(`^@[\w.]*\.(command|group)\b`)

// tlsClients are the HTTP client libraries whose verify=False turns
// certificate checks off.
var tlsClients = map[string]bool{"requests": true, "httpx": true, "aiohttp": true, "urllib3": true, "urllib": true}

// checkTLS looks on the syntax tree, with imports resolved (import ssl as
// tls, from ssl import CERT_NONE), for HTTP client calls with verify=False,
// unverified SSL contexts, check_hostname = False and CERT_NONE given to a
// context or a pool.
func checkTLS(p *Project, f *File) []Finding {
	ssh := sshHostKeys(f)
	if f.py == nil || isTest(f.Path) || !f.py.codeHas("verify", "CERT_NONE", "_unverified", "check_hostname", "ssl") {
		return ssh
	}
	t := f.py.tree
	client := false
	for _, q := range t.imports {
		head, _, _ := strings.Cut(q, ".")
		client = client || tlsClients[head]
	}
	// A module that sends requests through its object's own client
	// (self.session.http.get(...), self.request(...)), as a plugin or an
	// extractor does, is a client module too: verify=False there is a
	// request's.
	client = client || frameworkRequest.Match(f.py.code)
	adapterContexts := bytes.Contains(f.py.code, []byte("ssl_context")) && t.adapterContexts()
	// The module matches host names itself: ssl.match_hostname (or its own
	// match_hostname) on the peer's certificate.
	hostMatchedByHand := bytes.Contains(f.py.code, []byte("match_hostname(")) && bytes.Contains(f.py.code, []byte("getpeercert("))
	var out []Finding
	add := func(i int32, msg string) {
		sev := checklists.High
		if t.optInInsecure(i) {
			// The operator turned verification off by a setting named
			// for it (PREFECT_API_TLS_INSECURE_SKIP_VERIFY).
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				msg+" (only when a setting asks for it: check it defaults to verifying and says so)", ""))
			return
		}
		if c := t.enclosing(i, "class_definition"); c >= 0 && noVerifyClass.MatchString(t.text(t.child(c, "name"))) {
			// NoVerificationEmailBackend, InsecureHTTPAdapter: a class
			// named for skipping verification is an opt-in its user
			// picks by that name, as a setting is.
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				msg+" (in a class named for skipping verification, chosen by name: check nothing picks it by default)", ""))
			return
		}
		if fn := t.enclosing(i, "function_definition"); fn >= 0 && noVerifyClass.MatchString(t.text(t.child(fn, "name"))) {
			// get_unverified_context(), make_insecure_session(): a
			// function named for it is called by that name, where the
			// caller chose to skip verification (if skip_verification:).
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				msg+" (in a function named for skipping verification, called by name: check its callers call it only on an opt-in)", ""))
			return
		}
		if msg == contextAcceptsAny && t.serverContext(i) {
			// ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
			// ctx.verify_mode = CERT_NONE: a server's context, where the
			// mode says whether clients must show a certificate and the
			// host name check has no host to check. Nothing it connects to
			// goes unverified.
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				msg+" (a server-side context: it asks clients for no certificate; check no client-certificate login is meant)", ""))
			return
		}
		if msg == contextAcceptsAny && adapterContexts {
			// ctx.verify_mode = CERT_NONE on a context for a requests
			// adapter (HTTPAdapter(ssl_context=ctx)): urllib3 sets the
			// verify mode, and checks the host name, from each request's
			// verify= (ironic's TLSHTTPAdapter).
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				msg+" (a context for a requests adapter, which takes verification from each request's verify=: check the requests pass verify)", ""))
			return
		}
		if t.healthProbeOnly(i) {
			// requests.get(base + "/health", verify=False).ok: a probe that
			// sends nothing and reads only whether the service answered.
			// A man in the middle can say up or down, and learns nothing.
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				msg+" (only for a health probe that sends nothing and reads only the status: check the URL is the service's own)", ""))
			return
		}
		if fn := t.enclosing(i, "function_definition"); fn >= 0 {
			body := t.src[t.start(fn):t.end(fn)]
			if peerCertRead.Match(body) && !peerTalk.Match(body) {
				// A probe that reads the peer's certificate to report on it
				// (expiry, issuer) trusts nothing the peer says.
				sev, msg = checklists.Low, msg+" (only to read the peer's certificate: check nothing else is sent or trusted)"
			}
		}
		out = append(out, tlsCheck.finding(f, t.line(i), sev, msg, ""))
	}
	certNone := func(i int32) bool {
		if i < 0 {
			return false
		}
		if t.kind(i) == "string" {
			v, _ := t.strLiteral(i)
			return v == "CERT_NONE"
		}
		return t.qualName(i) == "ssl.CERT_NONE"
	}
	t.each(func(i int32) {
		switch t.kind(i) {
		case "call":
			name := t.callee(i)
			_, kw := t.args(i)
			switch {
			case name == "ssl._create_unverified_context":
				if hostMatchedByHand && t.chainRequired(kw["cert_reqs"]) {
					// cert_reqs=CERT_REQUIRED (or CERT_REQUIRED unless the
					// operator's flag says otherwise) keeps the chain checked;
					// the module matches the host name itself.
					out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
						"an SSL context skips the built-in host name check but verifies the chain (cert_reqs), and the module matches the peer's host name itself: check every connection runs that match", ""))
					break
				}
				add(i, contextAcceptsAny)
			case client && !strings.HasSuffix(name, "jwt.decode") && t.kwText(i, "verify") == "False":
				if t.contextReadOnly(i) {
					// make_context(verify=False).get_ciphers(): a context
					// made to list its defaults, which never connects.
					out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
						"a context made with verification off is only read for its settings (get_ciphers()): check it is never used to connect", ""))
					break
				}
				add(i, "an HTTP client call turns certificate verification off")
			case client && !strings.HasSuffix(name, "jwt.decode") && kw["verify"] > 0 && t.falseByDefault(kw["verify"]):
				// verify=settings.ssl_verify or False: unset, the setting
				// leaves verification off.
				out = append(out, tlsCheck.finding(f, t.line(i), checklists.Medium,
					"an HTTP client call verifies certificates only when a setting turns it on (... or False): unset, it accepts any certificate", ""))
			case kw["cert_reqs"] > 0 && certNone(kw["cert_reqs"]): // a keyword value is never node 0, the module
				add(i, contextAcceptsAny)
			}
		case "assignment":
			left, right := t.child(i, "left"), t.child(i, "right")
			if left < 0 || right < 0 || t.kind(left) != "attribute" {
				return
			}
			switch t.text(t.child(left, "attribute")) {
			case "check_hostname":
				if t.text(right) != "False" {
					break
				}
				if fn := t.enclosing(i, "function_definition"); fn >= 0 {
					body := t.src[t.start(fn):t.end(fn)]
					if hostMatchedByHand && !bytes.Contains(body, []byte("CERT_NONE")) {
						// check_hostname = False to run the match after the
						// handshake (ssl.match_hostname on getpeercert(), a
						// wildcard rule of the provider's forgiven): the chain
						// is still verified, the name still matched.
						out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
							"an SSL context skips the built-in host name check, and the module matches the peer's host name itself after the handshake: check every connection runs that match", ""))
						break
					}
					if pinnedCA.Match(body) && !bytes.Contains(body, []byte("CERT_NONE")) {
						// The chain must still lead to the CA loaded here (a
						// node's own CA, reached by IP address).
						out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
							"an SSL context skips the host name check but verifies the chain against the CA it loads: check that CA signs only this peer", ""))
						break
					}
				}
				add(i, contextAcceptsAny)
			case "verify_mode":
				if certNone(right) {
					add(i, contextAcceptsAny)
				}
			case "verify":
				// session.verify = False: every request the session sends
				// then accepts any certificate.
				if client && t.text(right) == "False" && t.sessionObject(t.child(left, "object")) {
					add(i, "an HTTP session turns certificate verification off for every request it sends")
				}
			}
		}
	}, "call", "assignment")
	return append(dedupeLines(out), ssh...)
}

const contextAcceptsAny = "an SSL context accepts any certificate"

// contextReadOnly reports whether what call i returns is only asked for
// its settings, in the same expression: ctx(verify=False).get_ciphers(),
// .get_ca_certs(), .cert_store_stats(). Nothing is sent through it.
func (t *pyTree) contextReadOnly(i int32) bool {
	a := t.nodes[i].parent
	if a < 0 || t.kind(a) != "attribute" || t.child(a, "object") != i {
		return false
	}
	c := t.nodes[a].parent
	if c < 0 || t.kind(c) != "call" || t.child(c, "function") != a {
		return false
	}
	switch t.text(t.child(a, "attribute")) {
	case "get_ciphers", "get_ca_certs", "cert_store_stats":
		return true
	}
	return false
}

// chainRequired reports whether a cert_reqs value keeps the certificate
// chain checked: ssl.CERT_REQUIRED, or CERT_REQUIRED unless a flag says
// otherwise (CERT_REQUIRED if check else CERT_NONE), directly or through a
// name the function binds only to such values.
func (t *pyTree) chainRequired(v int32) bool {
	if v <= 0 {
		return false
	}
	ok := func(r int32) bool {
		switch t.kind(r) {
		case "conditional_expression":
			c := t.children(r)
			return len(c) > 0 && strings.HasSuffix(t.text(c[0]), "CERT_REQUIRED")
		case "attribute", "identifier":
			return strings.HasSuffix(t.text(r), "CERT_REQUIRED")
		}
		return false
	}
	if ok(v) {
		return true
	}
	return t.kind(v) == "identifier" && t.assignedFrom(v, ok)
}

// serverContext reports whether assignment i (ctx.verify_mode = ...,
// ctx.check_hostname = ...) sets up a server's context: ctx is assigned, in
// the same function, only from ssl.create_default_context(Purpose.CLIENT_AUTH)
// or SSLContext(PROTOCOL_TLS_SERVER), the constructors for the side that
// accepts connections.
func (t *pyTree) serverContext(i int32) bool {
	if t.kind(i) != "assignment" {
		return false
	}
	left := t.child(i, "left")
	if left < 0 || t.kind(left) != "attribute" {
		return false
	}
	obj := t.child(left, "object")
	if obj < 0 || t.kind(obj) != "identifier" {
		return false
	}
	return t.assignedFrom(obj, func(right int32) bool {
		if t.kind(right) != "call" {
			return false
		}
		switch lastPart(t.callee(right)) {
		case "create_default_context":
			p := t.arg(right, 0, "purpose")
			return p >= 0 && strings.HasSuffix(t.text(p), "Purpose.CLIENT_AUTH")
		case "SSLContext":
			p := t.arg(right, 0, "protocol")
			return p >= 0 && strings.HasSuffix(t.text(p), "PROTOCOL_TLS_SERVER")
		}
		return false
	})
}

// sessionObject reports whether node o (the object of o.verify = False)
// is an HTTP session or client: its name says so (session, self.sesh,
// http_client), or the name is bound to a Session() or Client() call in
// the function around it or at module level. A settings object's verify
// (self.verify = False, later passed as verify=self.verify) is not one.
func (t *pyTree) sessionObject(o int32) bool {
	if o < 0 {
		return false
	}
	name := t.text(o)
	words := identWords(name)
	if len(words) > 0 {
		switch strings.TrimSuffix(words[len(words)-1], "s") {
		case "session", "sesh", "client":
			return true
		}
	}
	scope := t.enclosing(o, "function_definition")
	found := false
	t.each(func(i int32) {
		left, right := t.child(i, "left"), t.child(i, "right")
		if found || left < 0 || right < 0 || t.text(left) != name || t.kind(right) != "call" {
			return
		}
		if d := t.enclosing(i, "function_definition"); d != scope && d >= 0 {
			return
		}
		switch lastPart(t.callee(right)) {
		case "Session", "session", "Client", "AsyncClient":
			found = true
		}
	}, "assignment")
	return found
}

// healthProbeOnly reports whether node i, a request or an unverified
// context, serves only health probes: a HEAD, or a GET of a health route
// (/health, /healthz, /ping, /ok, /ready, /livez), that sends nothing (no body,
// parameters, headers, cookies or credentials) and reads only the answer's
// status (.ok, .status_code, .status, getcode()), directly or through the
// name it is kept in; for a context (ctx = _create_unverified_context()),
// every use of the name it is kept in is context=ctx on such a probe.
func (t *pyTree) healthProbeOnly(i int32) bool {
	if t.kind(i) == "call" && t.healthProbe(i) {
		return true
	}
	a := t.enclosing(i, "assignment")
	fn := t.enclosing(i, "function_definition")
	if a < 0 || t.enclosing(a, "function_definition") != fn {
		return false
	}
	left := t.child(a, "left")
	if left < 0 || t.kind(left) != "identifier" {
		return false
	}
	end := len(t.src)
	if fn >= 0 {
		end = t.end(fn)
	}
	return t.everyUseAfter(a, end, t.text(left), func(u int32) bool {
		kw := t.nodes[u].parent
		if kw < 0 || t.kind(kw) != "keyword_argument" {
			return false
		}
		if t.child(kw, "name") == u {
			// The keyword's own name: context=context is judged by its
			// value; context=other is no use of this name, so no probe.
			return t.text(t.child(kw, "value")) == t.text(u)
		}
		call := t.enclosing(kw, "call")
		return t.text(t.child(kw, "name")) == "context" && call >= 0 && t.healthProbe(call)
	})
}

// probeKeywords are the keyword arguments a probe may pass: none carries
// data to the peer.
var probeKeywords = map[string]bool{"verify": true, "timeout": true, "context": true, "allow_redirects": true, "follow_redirects": true}

// healthRoute is a URL ending in a health-check path.
var healthRoute = lazyre.New(`/(?:health|healthz|healthcheck|health-check|livez|readyz|ready|ping|ok)/?["']`)

// healthProbe reports whether call is a HEAD, or a GET of a health route,
// that sends nothing and whose answer is read only for its status.
func (t *pyTree) healthProbe(call int32) bool {
	method := lastPart(t.callee(call))
	switch method {
	case "get", "head", "urlopen":
	default:
		return false
	}
	pos, kw := t.args(call)
	// A HEAD answer has no body: whatever the URL, only the status and
	// headers come back, and the status is all a probe reads.
	if len(pos) != 1 || method != "head" && !healthRoute.MatchString(t.text(pos[0])) {
		return false
	}
	for k := range kw {
		if !probeKeywords[k] {
			return false
		}
	}
	if t.statusRead(call) {
		return true
	}
	// with urlopen(url, context=ctx) as response: response.status, or
	// response = requests.get(url, verify=False); response.ok
	name, scope := "", int32(-1)
	switch p := t.nodes[call].parent; {
	case p >= 0 && t.kind(p) == "as_pattern":
		if cs := t.children(p); len(cs) >= 2 && cs[0] == call {
			name, scope = t.text(cs[len(cs)-1]), t.enclosing(p, "with_statement")
		}
	case p >= 0 && t.kind(p) == "assignment" && t.child(p, "right") == call:
		if left := t.child(p, "left"); left >= 0 && t.kind(left) == "identifier" {
			name, scope = t.text(left), t.enclosing(p, "function_definition")
		}
	}
	if name == "" || scope < 0 {
		return false
	}
	return t.everyUseAfter(call, t.end(scope), name, t.statusRead)
}

// statusRead reports whether node v is read only for an HTTP status:
// v.ok, v.status_code, v.status, v.getcode().
func (t *pyTree) statusRead(v int32) bool {
	p := t.nodes[v].parent
	if p < 0 || t.kind(p) != "attribute" || t.child(p, "object") != v {
		return false
	}
	switch t.text(t.child(p, "attribute")) {
	case "ok", "status_code", "status":
		return true
	case "getcode":
		c := t.nodes[p].parent
		return c >= 0 && t.kind(c) == "call"
	}
	return false
}

// adapterContexts reports whether the module builds SSL contexts for a
// requests transport adapter: it defines a subclass of HTTPAdapter, or
// passes ssl_context= to an adapter it makes (TLSHTTPAdapter(ssl_context=ctx)).
func (t *pyTree) adapterContexts() bool {
	found := false
	t.each(func(i int32) {
		if found {
			return
		}
		switch t.kind(i) {
		case "class_definition":
			if sup := t.child(i, "superclasses"); sup >= 0 && strings.Contains(t.text(sup), "HTTPAdapter") {
				found = true
			}
		case "call":
			_, kw := t.args(i)
			found = kw["ssl_context"] > 0 && strings.HasSuffix(lastPart(t.callee(i)), "Adapter")
		}
	}, "class_definition", "call")
	return found
}

// falseByDefault reports whether expression i is "X or False": False
// whenever X is unset or empty.
func (t *pyTree) falseByDefault(i int32) bool {
	i = t.unparen(i)
	if i < 0 || t.kind(i) != "boolean_operator" {
		return false
	}
	op, right := t.child(i, "operator"), t.child(i, "right")
	return op >= 0 && t.text(op) == "or" && right >= 0 && t.text(right) == "False"
}

// optInInsecure reports whether node i runs only under an if whose
// condition names a setting that asks for no verification: insecure,
// skip_verify, no_verify, verify_ssl is false.
// noVerifyClass names a class or a function for not verifying certificates.
var noVerifyClass = lazyre.New(`(?i)no_?verif|insecure|unverified|skip_?verif|dont_?verif`)

func (t *pyTree) optInInsecure(i int32) bool {
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		c := t.child(b, "condition")
		if c < 0 || t.start(i) <= t.end(c) {
			continue
		}
		alt := t.child(b, "alternative")
		// if verify and ca_certs: ... elif not verify: <here>: the elif's
		// own test is the setting turned off.
		if e := t.enclosing(i, "elif_clause"); e >= 0 && t.nodes[e].parent == b {
			if ec := t.child(e, "condition"); ec >= 0 && t.start(i) > t.end(ec) && insecureSetting.MatchString(t.text(ec)) {
				return true
			}
		}
		if insecureSetting.MatchString(t.text(c)) {
			// In the if's own block, not its else.
			if alt < 0 || t.start(i) < t.start(alt) {
				return true
			}
		}
		// if sslmode == "verify-full": ... elif sslmode == "verify-ca": ...
		// else: <here>: a branch the operator's TLS mode picks, as libpq's
		// sslmode does (require encrypts without verifying).
		if t.modeChain(b) {
			return true
		}
		// if config["OIDC_VERIFY_TOKEN"]: ... else: <here>. A setting read,
		// not a check called (if verify_signature(token): ... else:).
		if alt >= 0 && t.start(i) >= t.start(alt) && verifySetting.MatchString(t.text(c)) && !insecureSetting.MatchString(t.text(c)) &&
			!strings.Contains(t.text(c), "(") {
			return true
		}
	}
	// if args.wopi_crt == "no": a certificate setting given a word for
	// off; if args.td: a command-line flag whose help says it disables the
	// certificate check. The operator typed it.
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		c, alt := t.child(b, "condition"), t.child(b, "alternative")
		if c < 0 || t.start(i) <= t.end(c) || alt >= 0 && t.start(i) >= t.start(alt) {
			continue
		}
		if certSettingOff.MatchString(t.text(c)) || envSwitchOff.MatchString(t.text(c)) || t.noVerifyFlag(t.text(c)) {
			return true
		}
	}
	// ctx = get_ssl_configuration(ssl_verify); if ctx is False: <here>, or
	// if ctx is not False: return ctx, then <here>: the branch a verify
	// setting's False value takes.
	if t.falseSettingBranch(i) {
		return true
	}
	// _insecure_transport = Transport(verify=False): a client kept under a
	// name that says so, for the callers whose setting asks for it.
	if a := t.enclosing(i, "assignment"); a >= 0 && t.enclosing(i, "function_definition") == t.enclosing(a, "function_definition") {
		if left := t.child(a, "left"); left >= 0 && insecureName.MatchString(t.text(left)) {
			return true
		}
	}
	return false
}

// falseSettingBranch reports whether node i runs only when a TLS setting
// is False: inside if NAME is False (== False), or after if NAME is not
// False: return ... in the same block, where NAME is named for TLS or
// verification (ssl_context, verify) or the function assigns it from such
// a call (shared = get_shared_realtime_ssl_context()).
func (t *pyTree) falseSettingBranch(i int32) bool {
	tlsSetting := func(c int32, re *lazyre.Regexp) bool {
		for _, m := range re.RE().FindAllStringSubmatch(t.text(c), -1) {
			if tlsName.MatchString(m[1]) {
				return true
			}
			// The name, assigned in this function from a TLS setting's call.
			found := false
			t.each(func(n int32) {
				if !found && t.kind(n) == "identifier" && t.text(n) == m[1] && t.start(n) >= t.start(c) && t.end(n) <= t.end(c) {
					found = t.assignedFrom(n, func(right int32) bool { return tlsName.MatchString(t.text(right)) })
				}
			}, "identifier")
			if found {
				return true
			}
		}
		return false
	}
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		c := t.child(b, "condition")
		if c < 0 || t.start(i) <= t.end(c) {
			continue
		}
		if alt := t.child(b, "alternative"); (alt < 0 || t.start(i) < t.start(alt)) && tlsSetting(c, isFalseTest) {
			return true
		}
	}
	// An earlier guard that leaves unless the setting is False (if ctx is
	// not False: return ctx), or leaves when it is set (if verify:
	// sys.exit(0)), in the node's block or a block around it in the same
	// function (the module's top level for a script).
	scope := t.enclosing(i, "function_definition")
	for stmt := i; ; {
		for p := t.nodes[stmt].parent; p >= 0 && t.kind(p) != "block" && t.kind(p) != "module"; p = t.nodes[p].parent {
			stmt = p
		}
		block := t.nodes[stmt].parent
		if block < 0 || t.enclosing(stmt, "function_definition") != scope {
			return false
		}
		for _, s := range t.children(block) {
			if t.start(s) >= t.start(stmt) {
				break
			}
			if t.kind(s) != "if_statement" || t.child(s, "alternative") >= 0 {
				continue
			}
			c, body := t.child(s, "condition"), t.child(s, "consequence")
			if c < 0 || body < 0 {
				continue
			}
			kids := t.children(body)
			if len(kids) > 0 && t.leaves(kids[len(kids)-1]) && (tlsSetting(c, notFalseTest) || t.setTLSTest(c)) {
				return true
			}
		}
		if t.kind(block) == "module" {
			return false
		}
		stmt = block
	}
}

// defaultsOn reports whether expression v is True, or a setting read whose
// default is true: get("verify", True), getenv("VERIFY", "1").
func (t *pyTree) defaultsOn(v int32) bool {
	if t.text(v) == "True" {
		return true
	}
	if t.kind(v) != "call" {
		return false
	}
	switch lastPart(t.callee(v)) {
	case "get", "getenv", "getboolean", "get_bool", "getbool":
		d := t.arg(v, 1, "default")
		if d < 0 {
			d = t.arg(v, 1, "fallback")
		}
		if d < 0 {
			return false
		}
		switch strings.Trim(strings.ToLower(t.text(d)), `"'`) {
		case "true", "1", "yes", "on":
			return true
		}
	}
	return false
}

// leaves reports whether statement s ends the function or the program:
// return, raise, sys.exit(), exit(), os._exit().
func (t *pyTree) leaves(s int32) bool {
	switch t.kind(s) {
	case "return_statement", "raise_statement":
		return true
	case "expression_statement":
		if c := t.children(s); len(c) == 1 && t.kind(c[0]) == "call" {
			switch t.callee(c[0]) {
			case "sys.exit", "exit", "quit", "os._exit":
				return true
			}
		}
	}
	return false
}

// setTLSTest reports whether condition c holds whenever a name for TLS
// verification is set, and the name defaults to set: verify, or verify or
// not address, where verify = settings.get("verify_ca", True).
func (t *pyTree) setTLSTest(c int32) bool {
	if c = t.unparen(c); c < 0 {
		return false
	}
	switch t.kind(c) {
	case "identifier":
		// verify = info.get("verify_ca", True): set unless the operator
		// turns it off. A setting that defaults to off (get(..., False))
		// makes the code after the guard the default path.
		if !tlsName.MatchString(t.text(c)) {
			return false
		}
		if t.enclosing(c, "function_definition") >= 0 {
			return t.assignedFrom(c, t.defaultsOn)
		}
		return t.moduleAssignedFrom(t.text(c), t.defaultsOn)
	case "boolean_operator":
		if op := t.child(c, "operator"); op >= 0 && t.text(op) == "or" {
			return t.setTLSTest(t.child(c, "left")) || t.setTLSTest(t.child(c, "right"))
		}
	}
	return false
}

var (
	// isFalseTest and notFalseTest find NAME is False and NAME is not False
	// in a condition.
	isFalseTest  = lazyre.New(`([A-Za-z_][\w.]*)\s+(?:is|==)\s+False\b`)
	notFalseTest = lazyre.New(`([A-Za-z_][\w.]*)\s+(?:is\s+not|!=)\s+False\b`)
	// tlsName names TLS or certificate verification.
	tlsName = lazyre.New(`(?i)ssl|tls|verif|cert`)
)

// modeChain reports whether an if statement's tests (its own and its
// elifs') compare a TLS or verification mode setting with a value
// (sslmode == "verify-full", self.ssl_verify_mode == Mode.REQUIRED).
func (t *pyTree) modeChain(ifs int32) bool {
	tests := []int32{t.child(ifs, "condition")}
	for _, b := range t.children(ifs) {
		if t.kind(b) == "elif_clause" {
			tests = append(tests, t.child(b, "condition"))
		}
	}
	for _, c := range tests {
		if c >= 0 && t.kind(c) == "comparison_operator" && tlsMode.MatchString(t.text(c)) {
			return true
		}
	}
	return false
}

// tlsMode is a comparison of a TLS mode setting with one of its values.
var tlsMode = lazyre.New(`(?i)^[\w.\[\]'"]*(ssl|tls|verify)_?\w*mode[\w\]'"]*\s*(==|!=|in)\s`)

// certSettingOff is a condition that compares a certificate or
// verification setting with a word for off (args.ca_cert == "no").
var certSettingOff = lazyre.New(`(?i)^[\w.\[\]'"]*(cert|crt|verif|ssl|tls)[\w.\[\]'"]*\s*==\s*["'](no|none|off|false|disabled?|insecure)["']$`)

// envSwitchOff is a test of a process-environment variable named for
// verification, TLS or certificates against a word for off:
// os.getenv("PYTHONHTTPSVERIFY", "1") == "0", os.environ["SSL_VERIFY"] ==
// "false". Whoever starts the process set it; unset, the branch is not taken.
var envSwitchOff = lazyre.New(`(?i)^(os\.)?(getenv\(|environ\.get\(|environ\[)\s*["']\w*(verif|ssl|tls|cert)\w*["']\s*(,\s*["'][^"']*["']\s*)?[)\]](\.(lower|strip)\(\))*\s*==\s*["'](0|no|none|off|false|disabled?)["']$`)

// noVerifyHelp is the help text of a command-line option that turns the
// certificate check off.
var noVerifyHelp = lazyre.New(`(?i)\b(disable|skip|ignore|don'?t|do not|no)\b[\w\s]{0,20}\b(cert|certificate|ssl|tls)\b[\w\s]{0,12}\b(check|verif\w*|validat\w*)`)

// flagAttr is a condition that reads one attribute as it is (args.td).
var flagAttr = lazyre.New(`^\w+(?:\.\w+)*\.(\w+)$`)

// noVerifyFlag reports whether a condition reads, as it is, the value of a
// command-line option this file declares (parser.add_argument("-td",
// action="store_true", help="disable certificate check")) whose help says
// it turns the certificate check off.
func (t *pyTree) noVerifyFlag(cond string) bool {
	m := flagAttr.FindStringSubmatch(strings.TrimSpace(cond))
	if m == nil || !strings.Contains(t.text(0), "add_argument") {
		return false
	}
	found := false
	t.each(func(i int32) {
		if found || lastPart(t.callee(i)) != "add_argument" {
			return
		}
		pos, kw := t.args(i)
		if kw["help"] <= 0 {
			return
		}
		if help, _ := t.strLiteral(kw["help"]); !noVerifyHelp.MatchString(help) {
			return
		}
		// argparse's dest: dest=, else the first long option, else the
		// first short one.
		dest := ""
		if kw["dest"] > 0 {
			dest, _ = t.strLiteral(kw["dest"])
		} else {
			for _, a := range pos {
				opt, _ := t.strLiteral(a)
				if dest == "" || strings.HasPrefix(opt, "--") && !strings.HasPrefix(dest, "--") {
					dest = opt
				}
			}
		}
		dest = strings.ReplaceAll(strings.TrimLeft(dest, "-"), "-", "_")
		found = dest != "" && dest == m[1]
	}, "call")
	return found
}

// verifySetting is a condition that reads a verification setting as it
// is (not negated): if settings.VERIFY_SSL, if cfg["OIDC_VERIFY_TOKEN"].
var verifySetting = lazyre.New(`(?i)^[\w.\[\]'"]*(verif|validat)[\w.\[\]'"]*$`)

// insecureName is a variable named for turning verification off.
var insecureName = lazyre.New(`(?i)(^|_)(insecure|unverified|no_?verify|skip_?verify|noverify)(_|$)`)

// insecureSetting is a condition that reads a setting named for turning
// verification off (SKIP_TLS_VERIFY; TRUSTED_JWT_DECODE, where the operator
// states that a proxy in front verified the token), or a verification
// setting negated, in either word order (not verify_ssl, not
// VALIDATE_CERTS).
var insecureSetting = lazyre.New(`(?i)insecure|trust(ed)?_\w*(decode|jwt|token)|skip_?(tls_?|ssl_?)?verif|no_?(tls_?|ssl_?)?verif|disable_?(tls_?|ssl_?)?verif|not\s+[\w.]*(verify|verif\w*|(tls|ssl|cert)_?validat\w*|validat\w*(cert|ssl|tls)\w*)\b`)

var (
	// pinnedCA is a context given its own CA to trust.
	pinnedCA = lazyre.New(`\.load_verify_locations\(|\bcafile\s*=|\bcadata\s*=`)
	// peerCertRead is a function reading the certificate a peer presents.
	peerCertRead = lazyre.New(`\.(getpeercert|get_peer_certificate|get_peer_cert_chain)\(`)
	// peerTalk is a function that also sends or reads data over the
	// connection, or makes a request, where verification matters.
	peerTalk = lazyre.New(`\.(send|sendall|write|recv|read|request|urlopen|get|post|put|login|bind|search)\(`)
)

// randomFuncs are the random module's functions that make values.
var randomFuncs = map[string]bool{"random": true, "randint": true, "randrange": true, "choice": true, "choices": true,
	"sample": true, "getrandbits": true, "shuffle": true, "uniform": true, "randbytes": true}

// decodesInput reports whether the function holding call i decodes the
// request's text (unquote, parse_qs, parse_qsl) or reads its body (rfile),
// where CR and LF can come from.
// A function that strips or tests for CR and LF itself (roundup's
// url = re.sub("[\r\n]", "", url)) has guarded the value.
func (t *pyTree) decodesInput(i int32) bool {
	fn := t.enclosing(i, "function_definition")
	return fn >= 0 && decodedInput.MatchString(t.text(fn)) && !crlfGuard.MatchString(t.text(fn))
}

var (
	decodedInput = lazyre.New(`\b(unquote(_plus|_to_bytes)?|parse_qsl?)\(|\.rfile\b`)
	crlfGuard    = lazyre.New(`(re\.sub|\.replace|\.translate|\.strip|\bin\b|re\.search|re\.match)[^\n]*\\[rn]`)
)

// builtQuery reports whether a query argument is text built at run time
// (%, +, format, an f-string) from request input.
func (t *pyTree) builtQuery(arg int32) bool {
	if arg < 0 {
		return false
	}
	v := arg
	if t.kind(v) == "identifier" {
		// q = "//user[@id='%s']" % uid; tree.xpath(q)
		if !t.assignedFrom(v, t.builtText) {
			return false
		}
	} else if !t.builtText(v) {
		return false
	}
	return t.tainted(arg, 0)
}

// percentConv is a %-conversion of a format string (%s, %d, %-5.2f).
var percentConv = lazyre.New(`%[-+ #0-9.]*[a-zA-Z]`)

// builtText is a string made by formatting: x % y, a + b, s.format(...),
// an f-string with fields.
func (t *pyTree) builtText(v int32) bool {
	switch t.kind(v) {
	case "binary_operator":
		// ".//shelf[%d]" % n: a number has no quote to close.
		if l := t.child(v, "left"); l >= 0 && t.kind(l) == "string" && strings.Contains(t.text(v), "%") {
			convs := percentConv.FindAllString(t.text(l), -1)
			numeric := len(convs) > 0
			for _, c := range convs {
				numeric = numeric && strings.ContainsAny(c[len(c)-1:], "dif")
			}
			return !numeric
		}
		return true
	case "call":
		return lastPart(t.callee(v)) == "format"
	case "string":
		_, interpolated := t.strLiteral(v)
		return interpolated
	}
	return false
}

// secretSlot is a text's field that a session id or token fills:
// "SESSIONID=%s", "token={}", "Set-Cookie: sid=%s".
var secretSlot = lazyre.New(`(?i)\b\w*(session|sessid|sid|token|csrf|nonce)\w*=(%s|\{)`)

// drawInSecretSlot reports whether the statement that holds draw i formats
// it into a text whose field names a session id or a token (DSVW's
// "SESSIONID=%s" % "".join(random.sample(...))): the draw is that secret,
// whatever the variable holding the whole text is called.
func (t *pyTree) drawInSecretSlot(i int32) bool {
	st := t.enclosing(i, "expression_statement", "return_statement")
	if st < 0 {
		return false
	}
	found := false
	for n := st; int(n) < len(t.nodes) && t.start(n) < t.end(st); n++ {
		if t.kind(n) == "string" && secretSlot.MatchString(t.text(n)) {
			found = true
			break
		}
	}
	return found
}

// checkRandom flags the random module (import random as rnd, from random
// import choice) where its result names a secret: the assignment target, or
// the function that makes it, says token, code, salt...
func checkRandom(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !f.py.codeHas("random") {
		return nil
	}
	t := f.py.tree
	var out []Finding
	rebound := -1 // whether the module binds random to SystemRandom(), asked once
	t.each(func(i int32) {
		name := t.callee(i)
		mod, fn, _ := strings.Cut(name, ".")
		if mod != "random" || !randomFuncs[fn] {
			return
		}
		// A draw compared with a threshold (random.random() < rate) is a
		// sampling decision, whatever the function is called.
		if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "comparison_operator" {
			return
		}
		target := ""
		if a := t.enclosing(i, "assignment"); a >= 0 {
			target = t.text(t.child(a, "left"))
			if key, ok := t.sessionKey(t.child(a, "left")); ok {
				// request.session["restore_status"] = random.random(): the
				// session is the store, the key names the value.
				target = key
			}
		} else if fn == "shuffle" && t.arg(i, 0, "x") >= 0 {
			target = t.text(t.arg(i, 0, "x")) // shuffled in place
		}
		def := ""
		if d := t.enclosing(i, "function_definition"); d >= 0 {
			def = t.text(t.child(d, "name"))
		}
		if words := identWords(target); len(words) > 0 && sizeWords[words[len(words)-1]] {
			// length = random.choice(range(10, 16)): the draw sizes the
			// token (token_length too); the draws that fill it are judged
			// on their own.
			return
		}
		// The function's name speaks for the value it returns (def
		// make_reset_code(): return random.randint(...)), not for every
		// draw inside it (to_code's random vendor id).
		if !namesSecret(target) && !(namesSecret(def) && t.drawReturned(i, target)) && !t.drawInSecretSlot(i) {
			return
		}
		if rebound < 0 {
			rebound = 0
			if t.boundToSystemRandom(mod) {
				rebound = 1
			}
		}
		if rebound == 1 {
			// random = SystemRandom() at module level: random.choice draws
			// from the OS's generator.
			return
		}
		if fn == "shuffle" {
			if d := t.enclosing(i, "function_definition"); d >= 0 && systemRandom.Match(t.src[t.start(d):t.end(d)]) {
				// The items were drawn with secrets; the shuffle only
				// orders them.
				out = append(out, randomCheck.finding(f, t.line(i), checklists.Low,
					"random.shuffle orders values drawn with secrets: use secrets.SystemRandom().shuffle so the order is not guessable either", ""))
				return
			}
		}
		// The salt's name is the target's, or the function's that returns
		// the draw (def salt(length=2): return "".join(random.choice(...))).
		saltName := target
		if !namesSecret(target) {
			saltName = def
		}
		if words := identWords(saltName); len(words) > 0 && strings.TrimSuffix(words[len(words)-1], "s") == "salt" {
			// A salt must differ per hash; that it can be guessed costs
			// little (it is stored beside the hash).
			out = append(out, randomCheck.finding(f, t.line(i), checklists.Low,
				fmt.Sprintf("random.%s makes a salt: salts must be unique rather than secret, but secrets.token_hex costs nothing more", fn), ""))
			return
		}
		if t.jtiOnly(i, target) {
			// A JWT's id claim must be unique, not secret: the token is
			// signed, and guessing its id forges nothing.
			out = append(out, randomCheck.finding(f, t.line(i), checklists.Low,
				fmt.Sprintf("random.%s makes a JWT id (jti): it must be unique rather than secret, but uuid.uuid4 or secrets cost nothing more", fn), ""))
			return
		}
		if def != "" && t.drawReturned(i, target) && t.oauthNonceOnly(def) {
			// def nonce(size): return "".join(random.choice(...)), called
			// only as ("oauth_nonce", nonce(16)): OAuth 1.0a wants a nonce
			// unique per timestamp against replay; the request is signed,
			// and guessing the nonce forges nothing.
			out = append(out, randomCheck.finding(f, t.line(i), checklists.Low,
				fmt.Sprintf("random.%s makes an OAuth 1.0a nonce: it must be unique rather than secret (the request is signed), but secrets costs nothing more", fn), ""))
			return
		}
		if isDevSettings(f.Path) {
			// Development or load-test settings (a dummy runner's account
			// passwords): the value guards a local server, not a service.
			out = append(out, randomCheck.finding(f, t.line(i), checklists.Low,
				fmt.Sprintf("random.%s makes a secret in development or load-test settings: use secrets anyway, in case the settings are copied", fn), ""))
			return
		}
		out = append(out, randomCheck.finding(f, t.line(i), checklists.High,
			fmt.Sprintf("random.%s makes a value that must not be guessable", fn), ""))
	}, "call")
	return out
}

// sizeWords end a name that holds how long or how many, not a value.
var sizeWords = map[string]bool{"length": true, "len": true, "size": true, "count": true, "n": true, "num": true}

// jtiOnly reports whether a draw bound to a plain name goes, in the same
// function, only into a JWT claim set's id: {"jti": token_id} or
// jti=token_id, and nowhere else.
func (t *pyTree) jtiOnly(call int32, target string) bool {
	fn := t.enclosing(call, "function_definition")
	if fn < 0 || !identifierOnly.MatchString(target) {
		return false
	}
	a := t.enclosing(call, "assignment")
	if a < 0 {
		return false
	}
	rest := string(t.src[t.end(a):t.end(fn)])
	uses := regexp.MustCompile(`\b`+target+`\b`).FindAllStringIndex(rest, -1)
	claims := regexp.MustCompile(`(["']jti["']\s*:\s*|\bjti\s*=\s*)`+target+`\b`).FindAllStringIndex(rest, -1)
	return len(claims) > 0 && len(claims) == len(uses)
}

var identifierOnly = lazyre.New(`^[A-Za-z_]\w*$`)

// oauthNonceOnly reports whether every call of the module's function name
// (nonce(16), self.nonce()) is the value of an OAuth 1.0a oauth_nonce
// parameter: ("oauth_nonce", nonce(16)), {"oauth_nonce": nonce()} or
// oauth_nonce=nonce(), and there is one.
func (t *pyTree) oauthNonceOnly(name string) bool {
	if !identifierOnly.MatchString(name) {
		return false
	}
	src := string(t.src)
	calls := 0
	for _, m := range regexp.MustCompile(`(\bdef\s+)?\b`+name+`\(`).FindAllStringSubmatchIndex(src, -1) {
		if m[2] < 0 {
			calls++
		}
	}
	params := regexp.MustCompile(`\boauth_nonce["']?\s*[,:=]\s*(self\.|cls\.)?`+name+`\(`).FindAllStringIndex(src, -1)
	return calls > 0 && len(params) == calls
}

// boundToSystemRandom reports whether the module binds name itself to a
// SystemRandom instance outside any function or class (random =
// SystemRandom(), often in a try whose except falls back to the module
// where the OS has no urandom): every random.choice(...) of the module then
// draws from the OS's generator, as secrets does.
func (t *pyTree) boundToSystemRandom(name string) bool {
	found := false
	t.each(func(i int32) {
		left, right := t.child(i, "left"), t.child(i, "right")
		if found || left < 0 || right < 0 || t.kind(left) != "identifier" || t.text(left) != name ||
			t.kind(right) != "call" || lastPart(t.callee(right)) != "SystemRandom" {
			return
		}
		found = t.enclosing(i, "function_definition", "class_definition") < 0
	}, "assignment")
	return found
}

// sessionKey returns the literal key of a store into a session
// (request.session["key"], session["key"], self.request.session["key"]):
// the session is where the value is kept, so the key names the value.
func (t *pyTree) sessionKey(left int32) (string, bool) {
	if left < 0 || t.kind(left) != "subscript" {
		return "", false
	}
	if lastPart(t.text(t.child(left, "value"))) != "session" {
		return "", false
	}
	k := t.child(left, "subscript")
	if k < 0 || t.kind(k) != "string" {
		return "", false
	}
	key, interpolated := t.strLiteral(k)
	return key, !interpolated && key != ""
}

// drawReturned reports whether the value a random call makes is what its
// function returns: the call is in a return statement, or the name it is
// assigned to is returned.
func (t *pyTree) drawReturned(call int32, target string) bool {
	fn := t.enclosing(call, "function_definition")
	if fn < 0 {
		return false
	}
	if r := t.enclosing(call, "return_statement"); r >= 0 && t.enclosing(r, "function_definition") == fn {
		return true
	}
	if target == "" || !identChars.MatchString(target) {
		return false
	}
	for r := fn; int(r) < len(t.nodes) && t.start(r) < t.end(fn); r++ {
		if t.kind(r) == "return_statement" && t.enclosing(r, "function_definition") == fn && identIn(t.text(r), target) {
			return true
		}
	}
	return false
}

// secretWords name values that must not be guessable, as whole words of an
// identifier: encode_multipart or unicode_table are not codes.
// measureWord is the last word of a name that holds a time, a size or a
// position rather than the thing named before it.
var measureWord = map[string]bool{"time": true, "times": true, "date": true, "timestamp": true, "delay": true,
	"duration": true, "offset": true, "count": true, "interval": true, "timeout": true, "jitter": true,
	"hours": true, "minutes": true, "seconds": true, "days": true, "index": true, "order": true, "color": true,
	"rate": true, "ratio": true, "weight": true, "probability": true}

var secretWords = map[string]bool{"token": true, "secret": true, "password": true, "passwd": true, "otp": true,
	"nonce": true, "salt": true, "apikey": true, "session": true, "sessionid": true, "reset": true,
	"verification": true, "code": true, "pin": true, "csrf": true, "key": false,
	"passphrase": true}

// passwordEnd are short words for a password, read as one only as the
// name's last word: generate_random_pass, new_pwd, but not pass_count.
var passwordEnd = map[string]bool{"pass": true, "pwd": true, "pw": true}

// ordinalWord before "pass" names a pass of an algorithm (first_pass,
// second_pass, final_pass), not a password.
var ordinalWord = map[string]bool{"first": true, "second": true, "third": true, "last": true, "final": true,
	"next": true, "one": true, "two": true, "single": true, "multi": true}

// namesSecret reports whether an identifier (snake_case or camelCase, a
// plural or "api_key" included) has a word of secretWords.
func namesSecret(name string) bool {
	words := identWords(name)
	// session_time, token_expiry_delay: a time or an amount about the
	// secret, not the secret.
	if len(words) > 1 && measureWord[words[len(words)-1]] {
		return false
	}
	if len(words) > 1 && passwordEnd[words[len(words)-1]] && !ordinalWord[words[len(words)-2]] {
		return true
	}
	for i, w := range words {
		w = strings.TrimSuffix(w, "s")
		if secretWords[w] || w == "api" && i+1 < len(words) && strings.HasPrefix(words[i+1], "key") {
			return true
		}
	}
	return false
}

// identWords splits an identifier or a dotted target into lower-case
// words at underscores, dots, digits and camelCase humps.
func identWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(runes[i-1]) || i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// systemRandom is a draw from the operating system's generator.
var systemRandom = lazyre.New(`\bsecrets\.(choice|token_\w+|randbelow|randbits)\(|SystemRandom\(`)

// deserialisers are the calls that can build arbitrary objects (and so run
// code) from the data they read, by resolved name.
var deserialisers = map[string]bool{
	"pickle.load": true, "pickle.loads": true, "pickle.Unpickler": true, "_pickle.load": true, "_pickle.loads": true,
	"cPickle.load": true, "cPickle.loads": true, "dill.load": true, "dill.loads": true, "cloudpickle.load": true,
	"cloudpickle.loads": true, "marshal.load": true, "marshal.loads": true, "shelve.open": true,
	"pandas.read_pickle": true, "joblib.load": true, "jsonpickle.decode": true, "yaml.unsafe_load": true,
	"yaml.unsafe_load_all": true, "yaml.full_load": true, "yaml.full_load_all": true,
}

// xmlParsers are the standard library's XML entry points: expat expands
// entities (billion laughs) and, in older releases, fetches external ones.
var xmlParsers = map[string]bool{
	"xml.etree.ElementTree.parse": true, "xml.etree.ElementTree.fromstring": true, "xml.etree.ElementTree.XML": true,
	"xml.etree.ElementTree.iterparse": true, "xml.etree.ElementTree.XMLParser": true,
	"xml.etree.cElementTree.parse": true, "xml.etree.cElementTree.fromstring": true,
	"xml.dom.minidom.parse": true, "xml.dom.minidom.parseString": true, "xml.dom.pulldom.parse": true,
	"xml.dom.pulldom.parseString": true, "xml.sax.parse": true, "xml.sax.parseString": true,
	"xml.sax.make_parser": true, "xml.dom.expatbuilder.parse": true,
}

// lxmlParsers resolve entities, local files included, unless given a parser
// made with resolve_entities=False.
var lxmlParsers = map[string]bool{
	"lxml.etree.parse": true, "lxml.etree.fromstring": true, "lxml.etree.XML": true, "lxml.etree.iterparse": true,
}

// evalKinds give each kind of unsafe-eval finding its own fix, and its own
// reason where the rule's (eval, pickle, a shell) does not cover it.
var evalKinds = map[string]struct {
	fix, why string
	cwe      int
}{
	"code":  {fix: "Parse the data (json, ast.literal_eval) instead of running it; never eval or exec text that input reaches.", cwe: 94},
	"deser": {fix: "Read data from outside with json or yaml.safe_load; never unpickle, unmarshal or yaml.load it.", cwe: 502},
	"shell": {fix: "Run the program with an argument list (subprocess.run([...]), no shell=True); never build a command line from input.", cwe: 78},
	"template": {fix: "Render templates from files and pass input as variables; never build template source from input.", cwe: 1336,
		why: "Input that becomes template source runs as template code on the server (server-side template injection)."},
	"xss": {fix: "Let templates escape (autoescape on, values passed as variables); html.escape what you assemble by hand; never mark built strings safe.", cwe: 79,
		why: "Input placed in HTML without escaping runs as script in the victim's browser (XSS)."},
	"xxe": {fix: "Parse XML with defusedxml, or lxml with resolve_entities=False and no_network=True.", cwe: 611,
		why: "XML entities read local files, reach internal hosts or exhaust memory when a parser expands them (XXE)."},
	"path": {fix: "Keep client file names out of paths: secure_filename, then check the resolved path stays in its directory (Path.is_relative_to), or send_from_directory.", cwe: 22,
		why: "A file name from the client with ../ in it reads or overwrites any file the service can reach (path traversal)."},
	"ssrf": {fix: "Fetch only hosts on an allow-list (parse the URL and compare its host), or take an id from the client and map it to a URL on the server.", cwe: 918,
		why: "A URL the client chooses makes the service call internal hosts and the cloud metadata endpoint for the attacker (SSRF)."},
	"redirect": {fix: "Redirect only to local paths or allow-listed hosts (url_has_allowed_host_and_scheme), and to a default page otherwise.", cwe: 601,
		why: "A redirect target taken from the request sends users from your domain to a page of the attacker's (open redirect)."},
	"redos": {fix: "Write the pattern so each character can match one way only (no repeated group that ends in what it repeats), bound the input's length first, or use the re2 engine.", cwe: 1333,
		why: "A pattern whose repeated group can split a string many ways makes the regex engine try them all on a long near-match: one request holds a worker for minutes (ReDoS)."},
	"mass-assign": {fix: "Copy only the fields the client may set, named one by one (or through a schema that lists them); never update an object's attributes from a request's keys.", cwe: 915,
		why: "Attributes set from whatever keys a request holds let a client set fields it must not (is_admin, owner, balance): mass assignment."},
	"xpath": {fix: "Pass values as XPath variables (tree.xpath(\"//user[name=$n]\", n=value)); never format them into the query.", cwe: 643,
		why: "A value formatted into an XPath query can close its quotes and add conditions that read any node (XPath injection)."},
	"header": {fix: "Refuse or strip CR and LF in values written to headers, or build them from a fixed list (a charset from a set of names).", cwe: 113,
		why: "CR LF in a header value lets the client add headers or a whole response body (HTTP response splitting)."},
	"csrf": {fix: "Drop @csrf_exempt and send the CSRF token with the form or the fetch; exempt only views that authenticate each request themselves (a signature, a token in a header).", cwe: 352,
		why: "A view exempt from CSRF checks acts on the signed-in user's cookie for any site that posts to it (cross-site request forgery)."},
}

// jinjaEnvironments make a Jinja environment, or take its options:
// aiohttp_jinja2.setup and Starlette's Jinja2Templates pass autoescape on
// to the environment they build.
var jinjaEnvironments = map[string]bool{
	"jinja2.Environment": true, "jinja2.Template": true, "jinja2.sandbox.SandboxedEnvironment": true,
	"aiohttp_jinja2.setup": true, "starlette.templating.Jinja2Templates": true, "fastapi.templating.Jinja2Templates": true,
}

// markupSinks mark a string as safe HTML, so templates no longer escape it.
var markupSinks = map[string]bool{
	"django.utils.safestring.mark_safe": true, "django.utils.safestring.SafeString": true,
	"django.utils.html.mark_safe": true, "flask.Markup": true, "markupsafe.Markup": true, "jinja2.Markup": true,
}

// builtAtRunTime reports whether a string argument is assembled from parts
// not all literal (concatenation, %, .format, f-string), or is client
// input: Markup(CONSTANT) and mark_safe(render_to_string(...)) are not.
func (t *pyTree) builtAtRunTime(i int32) bool {
	if i < 0 {
		return false
	}
	if v, ok := t.evalString(i, 0); ok {
		return v.how != ""
	}
	return t.tainted(i, 0)
}

// otherFromString reports whether a from_string call is another class's
// constructor (Cursor.from_string(text) parses a cursor), not a Jinja
// environment's: its object is a class name that is none of Jinja's.
func otherFromString(callee string) bool {
	if strings.HasPrefix(callee, "jinja2.") {
		return false
	}
	obj := lastPart(strings.TrimSuffix(callee, ".from_string"))
	return className.MatchString(obj) && !strings.HasSuffix(obj, "Environment") && obj != "Template"
}

// className is a CamelCase class name (Cursor), not a constant (ENV).
var className = lazyre.New(`^_?[A-Z][a-z0-9]+\w*$`)

// safeLoaderClass reports whether name is a class defined in this module
// on a safe loader (class RamlLoader(yaml.SafeLoader)): it builds only
// what SafeLoader does, plus the constructors the module adds.
func (t *pyTree) safeLoaderClass(name string) bool {
	found := false
	t.each(func(c int32) {
		if !found && t.text(t.child(c, "name")) == name {
			if bases := t.child(c, "superclasses"); bases >= 0 && safeLoader.MatchString(t.text(bases)) {
				found = true
			}
		}
	}, "class_definition")
	return found
}

// safeLoaderSplat reports whether a yaml.load call gets its Loader from a
// **dict that the function fills with a safe loader (defaults =
// {"Loader": SafeLoader}; yaml.load(**defaults)).
func (t *pyTree) safeLoaderSplat(call int32) bool {
	fn := t.enclosing(call, "function_definition")
	if fn < 0 {
		return false
	}
	for _, a := range t.children(t.child(call, "arguments")) {
		if t.kind(a) == "dictionary_splat" && safeLoaderEntry.Match(t.src[t.start(fn):t.start(call)]) {
			return true
		}
	}
	return false
}

var safeLoaderEntry = lazyre.New(`["']Loader["']\s*:\s*[\w.]*(SafeLoader|CSafeLoader|BaseLoader)\b|\bLoader\s*=\s*[\w.]*(SafeLoader|CSafeLoader|BaseLoader)\b`)

var safeLoader = lazyre.New(`SafeLoader|CSafeLoader|BaseLoader`)

// fixed reports whether an expression is a string made of literals only
// (eval("1 + 1"), os.system("clear"), a template constant): no input can
// change it.
func (t *pyTree) fixed(i int32) bool {
	if i < 0 {
		return false
	}
	// An imported UPPER_CASE name is another module's constant (from
	// .prompts import SYSTEM_TEMPLATE): text written in the code.
	if t.kind(i) == "identifier" && constName.MatchString(t.text(i)) && t.imports[t.text(i)] != "" {
		return true
	}
	// "git describe --match 'v*'".format(*version): no placeholder, so
	// the arguments change nothing.
	if t.kind(i) == "call" {
		if f := t.child(i, "function"); f >= 0 && t.kind(f) == "attribute" && t.text(t.child(f, "attribute")) == "format" {
			if obj := t.child(f, "object"); t.kind(obj) == "string" {
				if s, interp := t.strLiteral(obj); !interp && !strings.Contains(s, "{") {
					return true
				}
			}
		}
	}
	v, ok := t.evalString(i, 0)
	return ok && v.how == ""
}

// constName is a constant's name by Python's convention.
var constName = lazyre.New(`^_?[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^_?[A-Z]{2,}[0-9]*$`)

// parserTakesInput reports whether a parser made by call p
// (parser = etree.XMLParser(...)) is given, in the same function, to an
// lxml parse whose data is request input, or is built inline in such a
// parse (etree.fromstring(body, etree.XMLParser())).
func (t *pyTree) parserTakesInput(p int32) bool {
	fn := t.enclosing(p, "function_definition")
	name := ""
	if a := t.nodes[p].parent; a >= 0 && t.kind(a) == "assignment" && t.child(a, "right") == p {
		name = t.text(t.child(a, "left"))
	}
	found := false
	t.each(func(c int32) {
		if found || !lxmlParsers[t.callee(c)] || t.enclosing(c, "function_definition") != fn {
			return
		}
		arg := t.arg(c, 1, "parser")
		if arg < 0 || arg != p && (name == "" || t.text(arg) != name) {
			return
		}
		found = t.tainted(t.arg(c, 0, ""), 0)
	}, "call")
	return found
}

// parserReadsFiles reports whether a parser made by call p and assigned to
// a name is given, in the same function, only to etree.parse of a path
// that carries no request input (etree.parse(rules_path, parser)), at
// least once: the parser reads files on the service's disk, not bytes
// received from a client or fetched from another service.
func (t *pyTree) parserReadsFiles(p int32) bool {
	fn := t.enclosing(p, "function_definition")
	a := t.nodes[p].parent
	if fn < 0 || a < 0 || t.kind(a) != "assignment" || t.child(a, "right") != p {
		return false
	}
	name := t.text(t.child(a, "left"))
	uses, files := 0, 0
	t.each(func(c int32) {
		if t.enclosing(c, "function_definition") != fn || t.start(c) < t.end(p) {
			return
		}
		for _, arg := range t.children(t.child(c, "arguments")) {
			if v := t.child(arg, "value"); t.kind(arg) == "keyword_argument" && v >= 0 {
				arg = v
			}
			if t.kind(arg) != "identifier" || t.text(arg) != name {
				continue
			}
			uses++
			if src := t.arg(c, 0, "source"); t.callee(c) == "lxml.etree.parse" && t.arg(c, 1, "parser") == arg &&
				(t.kind(src) == "identifier" || t.kind(src) == "call" && lastPart(t.callee(src)) == "join") && !t.tainted(src, 0) {
				files++
			}
		}
	}, "call")
	return uses > 0 && uses == files
}

// commandArg returns the command a shell=True call is given: its first
// positional argument or args=, or else what a list splat passes on
// (run(*command, shell=True) in a wrapper hands over its own *command), so
// the words are judged by where they come from, as a named list would be.
func (t *pyTree) commandArg(call int32) int32 {
	if a := t.arg(call, 0, "args"); a >= 0 {
		return a
	}
	if list := t.child(call, "arguments"); list >= 0 {
		for _, a := range t.children(list) {
			if t.kind(a) == "list_splat" {
				for _, c := range t.children(a) {
					if t.kind(c) != "*" {
						return c
					}
				}
			}
		}
	}
	return -1
}

// makoFileTemplate reports whether a Mako Template call is given no text,
// only a file (Template(filename=path) or uri=): the template is a file on
// the service's disk, read as a loader reads it, not text built at run time.
func (t *pyTree) makoFileTemplate(call int32) bool {
	pos, kw := t.args(call)
	_, text := kw["text"]
	_, file := kw["filename"]
	_, uri := kw["uri"]
	return len(pos) == 0 && !text && (file || uri)
}

// checkEval looks at calls on the syntax tree, by the resolved name of what
// is called: eval and exec of code built at run time, deserialisers that
// run code (pickle, marshal, shelve, yaml without a safe loader,
// pandas.read_pickle), commands through a shell, templates built from
// input (server-side template injection), Jinja with autoescape off, and
// XML parsers open to entity attacks. Each takes its input as untrusted
// unless it is a literal.
func checkEval(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) {
		return nil
	}
	t := f.py.tree
	jinja := f.py.codeHas("jinja2", "mako")
	sandboxed := f.py.codeHas("SandboxedEnvironment", "ImmutableSandboxedEnvironment")
	var out []Finding
	add := func(i int32, sev Severity, kind, msg string) {
		k := evalKinds[kind]
		fd := evalCheck.finding(f, t.line(i), sev, msg, k.fix)
		if k.why != "" {
			fd.Why = k.why
		}
		fd.Ref = fmt.Sprintf("%s, CWE-%d", evalCheck.Rule, k.cwe)
		out = append(out, fd)
	}
	t.each(func(i int32) {
		name := t.callee(i)
		last := lastPart(name)
		kw := func(name string) string { return t.kwText(i, name) }
		switch {
		case (name == "eval" || name == "exec" || name == "builtins.eval" || name == "builtins.exec") &&
			!t.fixed(t.arg(i, 0, "")):
			sev, from := t.inputEvidence(t.arg(i, 0, ""))
			add(i, sev, "code", fmt.Sprintf("%s() runs code built at run time%s", last, from))
		case deserialisers[name]:
			sev, from := t.inputEvidence(t.arg(i, 0, ""))
			add(i, sev, "deser", fmt.Sprintf("%s deserialises data that can run code%s", name, from))
		case name == "numpy.load" && kw("allow_pickle") == "True":
			sev, from := t.inputEvidence(t.arg(i, 0, "file"))
			add(i, sev, "deser", "numpy.load with allow_pickle=True unpickles data that can run code"+from)
		case (name == "yaml.load" || name == "yaml.load_all") && !t.builtDecoder(i):
			// yaml = ruamel.yaml.YAML(typ="safe"): a local object, not
			// PyYAML's module function.
			loader := t.arg(i, 1, "Loader")
			if (loader < 0 || !safeLoader.MatchString(t.text(loader)) && !t.safeLoaderClass(t.text(loader))) && !t.safeLoaderSplat(i) {
				// Rated by where the text comes from, as the other
				// deserialisers are: a site's own config file read by a
				// helper (mkdocs's yaml_load(source)) is low.
				sev, from := t.inputEvidence(t.arg(i, 0, "stream"))
				add(i, sev, "deser", "yaml is loaded with a loader that can build arbitrary objects"+from)
			}
		case (last == "xpath" || name == "etree.XPath" || name == "lxml.etree.XPath") && t.builtQuery(t.arg(i, 0, "_path")):
			// tree.xpath(".//user[name/text()='%s']" % name): quotes in
			// the input end the literal and rewrite the query.
			add(i, checklists.High, "xpath", "an XPath query is built from request input: a quote in it rewrites the query (XPath injection); pass the value as an XPath variable (tree.xpath(\"//user[name=$n]\", n=value))")
		case name == "self.send_header" && t.inHTTPHandler(i) && t.tainted(t.arg(i, 1, "value"), 0) && t.decodesInput(i):
			// http.server writes the value as given: a CR LF in it starts
			// a new header or the body. The raw path and the headers
			// cannot hold one; a %0D%0A decoded from the query, or the
			// body, can.
			add(i, checklists.Medium, "header", "a response header's value comes from request input and http.server writes it as given: CR LF in it adds headers or a body (header injection)")
		case last == "exec_command" && t.tainted(t.arg(i, 0, "command"), 0):
			// paramiko's SSHClient.exec_command: the remote shell runs it.
			add(i, checklists.High, "shell", "a command built from request input runs on a remote host over SSH (exec_command goes through the remote shell)")
		case (name == "os.system" || name == "os.popen") && !t.fixed(t.arg(i, 0, "")):
			if t.operatorCommand(f.Path, i) && !t.tainted(t.arg(i, 0, ""), 0) {
				add(i, checklists.Low, "shell", fmt.Sprintf("%s runs a command through a shell in an operator's command: check no file or setting it reads comes from users", name))
				break
			}
			sev, from := t.shellEvidence(t.arg(i, 0, ""))
			add(i, sev, "shell", fmt.Sprintf("%s runs a command through a shell%s", name, from))
		case kw("shell") == "True" && !t.fixed(t.commandArg(i)):
			if t.operatorCommand(f.Path, i) && !t.tainted(t.commandArg(i), 0) {
				// A management or CLI command runs with the operator's own
				// input; no client reaches it.
				add(i, checklists.Low, "shell", "a command runs through a shell (shell=True) in an operator's command: check no file or setting it reads comes from users")
				break
			}
			sev, from := t.shellEvidence(t.commandArg(i))
			add(i, sev, "shell", "a command runs through a shell (shell=True)"+from)
		case last == "render_template_string" && !t.fixed(t.arg(i, 0, "source")):
			t.templateFlow = true
			untracedSource := t.evidence(t.arg(i, 0, "source")) == untraced
			t.templateFlow = false
			if t.templateFromCallers(t.arg(i, 0, "source")) {
				add(i, checklists.Low, "template", "render_template_string renders a template the function was given, and no view or caller in this module passes request input to it: check the callers elsewhere")
				break
			}
			if untracedSource {
				add(i, checklists.Low, "template", "render_template_string renders run-time text that this check cannot trace to a client (the service's own code or settings?): check no user-written text reaches it")
				break
			}
			add(i, checklists.High, "template", "render_template_string renders a template built at run time: input in it runs as template code")
		case (name == "jinja2.Template" || name == "mako.template.Template" && !t.makoFileTemplate(i) || jinja && last == "from_string" && !otherFromString(name)) &&
			!t.fixed(t.arg(i, 0, "source")) && !t.packageResource(t.arg(i, 0, "source")):
			// A sandboxed environment is the documented way to render
			// templates users write: it keeps them from Python's internals.
			if sandboxed {
				add(i, checklists.Low, "template", "a template is built from run-time text, in Jinja's sandbox: check the sandbox is the environment used here")
				break
			}
			if t.templateFromCallers(t.arg(i, 0, "source")) || t.arg(i, 0, "source") < 0 && t.forwardsOwnArgs(i) {
				add(i, checklists.Low, "template", "a template is built from text the function was given, and no view or caller in this module passes request input to it: check the callers elsewhere (templates users write belong in Jinja's sandbox)")
				break
			}
			t.templateFlow = true
			untracedSource := t.evidence(t.arg(i, 0, "source")) == untraced
			t.templateFlow = false
			if untracedSource {
				// Literals and what the service's own objects return (a
				// plugin form's extra_form_content()): code, not input.
				add(i, checklists.Low, "template", "a template is built from run-time text that this check cannot trace to a client (the service's own code or settings?): check no user-written text reaches it")
				break
			}
			add(i, checklists.High, "template", "a template is built from run-time text: input in it runs as template code")
		case jinjaEnvironments[name] && kw("autoescape") == "False":
			// Delimiters of its own (\VAR{...} for LaTeX) say the templates
			// are not HTML, where escaping for HTML would be wrong.
			if kw("variable_start_string") != "" || kw("block_start_string") != "" {
				add(i, checklists.Low, "xss", "Jinja autoescape is off, with delimiters of its own: fine for non-HTML templates (LaTeX, text); never render HTML with it")
				break
			}
			if t.nonHTMLTemplates(i) {
				add(i, checklists.Low, "xss", "Jinja autoescape is off where the templates named are not HTML (source code, text): fine for them; never render HTML with it")
				break
			}
			if n := selfEscapingTemplates(f); n > 0 {
				add(i, checklists.Low, "xss", fmt.Sprintf("Jinja autoescape is off, but every expression of the %d HTML templates in the module's templates folder escapes itself (|e, |tojson): keep it so in every new template, or turn autoescape on", n))
				break
			}
			add(i, checklists.High, "xss", "Jinja autoescape is off: values rendered into HTML can carry scripts (XSS)")
		case lxmlParsers[name] && t.arg(i, 1, "parser") < 0 && !t.fixed(t.arg(i, 0, "")):
			// lxml 5.0 (2023) stopped resolving external entities by
			// default, and libxml2 caps entity amplification: the default
			// parser is a risk on old installs. Request input reaching it
			// is medium; data the check cannot trace to a client is low.
			if t.tainted(t.arg(i, 0, ""), 0) {
				add(i, checklists.Medium, "xxe", "lxml parses request input with its default parser, which resolved external entities before lxml 5.0 (XXE): pass a parser with resolve_entities=False")
			} else {
				add(i, checklists.Low, "xxe", "lxml parses XML with its default parser, which resolved external entities before lxml 5.0: on lxml 5+ this is safe; a parser with resolve_entities=False says so")
			}
		case name == "lxml.etree.XMLParser" && kw("resolve_entities") == "":
			// Left unset, resolve_entities is lxml's default: since 5.0
			// only internal entities, before it external ones too. The
			// parser is then the default parser with options (blank text
			// removed, comments kept), judged as that one is: by whether
			// request input reaches a parse that uses it.
			if t.parserTakesInput(i) {
				add(i, checklists.Medium, "xxe", "an lxml parser with the default entity setting parses request input; lxml before 5.0 resolves external entities there (XXE): pass resolve_entities=False")
			} else if t.parserReadsFiles(i) {
				// Files named by a path (rule files the package ships,
				// a folder the operator configures) are the service's
				// own data, whatever the lxml version: not raised.
				add(i, checklists.Low, "xxe", "an lxml parser with the default entity setting reads only files named by a path (the service's own or its operator's); lxml before 5.0 resolves external entities in them: resolve_entities=False says so")
				break
			} else {
				add(i, checklists.Low, "xxe", "an lxml parser with the default entity setting, which resolved external entities before lxml 5.0: on lxml 5+ this is safe; resolve_entities=False says so")
			}
			out[len(out)-1].lxmlDefaultEntities = true
		case name == "lxml.etree.XMLParser" && kw("resolve_entities") != "False":
			add(i, checklists.High, "xxe", "an lxml parser resolves entities (XXE); pass resolve_entities=False")
		case xmlParsers[name] && !t.fixed(t.arg(i, 0, "source")):
			// The standard library fetches no external entities, and expat
			// 2.4.1+ (every supported Python) caps entity expansion: what is
			// left is defence in depth.
			add(i, checklists.Low, "xxe", fmt.Sprintf("%s parses XML from outside; defusedxml refuses entity declarations outright", name))
		case markupSinks[name] && (t.builtAtRunTime(t.arg(i, 0, "")) || t.joined(t.arg(i, 0, ""))) && !t.htmlSafe(t.arg(i, 0, ""), 0) && !t.backToText(i):
			// High when request input reaches it; otherwise the parts are
			// values this check cannot follow (a model's field, a helper's
			// result): worth a look, not a failing finding.
			// Followed as into HTML sent back: what a lookup returns
			// (history.get_configuration() of a row the client's id
			// picked) is stored content, not the client's text.
			t.htmlFlow = true
			fromRequest := t.tainted(t.arg(i, 0, ""), 0)
			t.htmlFlow = false
			if fromRequest {
				add(i, checklists.High, "xss", fmt.Sprintf("%s marks text built from request input as safe HTML: it is not escaped (XSS)", last))
			} else {
				add(i, checklists.Low, "xss", fmt.Sprintf("%s marks text built at run time as safe HTML: check that every value in it is escaped (format_html, escape)", last))
			}
		default:
			if kind, msg, sev, ok := t.inputSink(i); ok {
				add(i, sev, kind, msg)
				if sev > checklists.Low {
					out[len(out)-1].viewKwargs = t.restsOnViewDefaults(i)
				}
			}
		}
	}, "call")
	if f.py.codeHas("globals", "locals", "vars", "import_module", "__import__") {
		t.each(func(i int32) {
			if _, ok := t.pickedByName(i); ok {
				add(i, checklists.High, "code", "the code to run is picked by a name from the request (a function of the module, or a module): any of them runs")
			}
		}, "call", "subscript")
	}
	if f.py.codeHas("csrf_exempt") {
		t.exemptViews(add)
	}
	if f.py.codeHas("__dict__", "setattr") {
		t.each(func(i int32) {
			if t.massAssigned(i) {
				add(i, checklists.Medium, "mass-assign", "an object's attributes are set from the keys of request input: the client can set any field, an admin flag or an owner too (mass assignment)")
			}
		}, "call")
	}
	if f.py.codeHas("re.") {
		t.each(func(i int32) {
			if subject, ok := t.ambiguousMatch(i); ok && t.tainted(subject, 0) {
				add(i, checklists.Medium, "redos", "request input is matched against a pattern with a repeated group that can split the text many ways: a long near-match makes the engine backtrack for minutes (ReDoS)")
			}
		}, "call")
	}
	if f.dataHas("PickleSerializer") {
		t.pickledSessions(add, isDevSettings(f.Path))
	}
	if f.py.codeHas("tarfile") {
		t.each(func(i int32) {
			open, ok := t.tarExtraction(i)
			if !ok {
				return
			}
			pos, kw := t.args(open)
			from := false
			for _, a := range append(pos, slices.Collect(maps.Values(kw))...) {
				from = from || t.tainted(a, 0)
			}
			if from {
				add(i, checklists.High, "path", "a tar archive from the request is extracted without a filter: a member named ../ or a link writes anywhere the service can (path traversal); pass filter=\"data\"")
				return
			}
			add(i, checklists.Low, "path", "a tar archive is extracted without a filter (members named ../ or links leave the directory before Python 3.14): check where the archive comes from, or pass filter=\"data\"")
		}, "call")
	}
	if hasAny(f.py.src, "<") {
		flask := f.py.codeHas("flask")
		t.each(func(i int32) {
			if t.reflectedHTML(i, flask) {
				add(i, checklists.High, "xss", "HTML is built from client input without escaping and sent back (reflected XSS)")
			}
		}, "call", "return_statement")
	}
	return mergeLines(out)
}

// mergeLines keeps one finding per line, as dedupeLines does, but a second
// finding of another weakness (another CWE) at the same severity on that
// line is told in the first's message: DSVW's open(path) if ... else
// urlopen(path) is both a path traversal and an SSRF.
func mergeLines(fs []Finding) []Finding {
	at := map[int]int{}
	var out []Finding
	for _, f := range fs {
		k, ok := at[f.Line]
		if !ok {
			at[f.Line] = len(out)
			out = append(out, f)
			continue
		}
		if kept := &out[k]; kept.Severity == f.Severity && kept.Ref != f.Ref && !strings.Contains(kept.Message, f.Message) {
			kept.Message += "; and " + f.Message
			kept.Ref += ", " + strings.TrimPrefix(f.Ref, kept.Rule+", ")
		}
	}
	return out
}

// joined reports whether i is a str.join call: text assembled at run time.
func (t *pyTree) joined(i int32) bool {
	if i < 0 || t.kind(i) != "call" {
		return false
	}
	fn := t.child(i, "function")
	return fn >= 0 && t.kind(fn) == "attribute" && t.text(t.child(fn, "attribute")) == "join"
}

// htmlEscapers return text that is safe to put in HTML: they escape what
// they are given (format_html escapes its arguments), or produce no markup
// from outside (translations are the project's own text; numbers; templates
// that autoescape).
var htmlEscapers = map[string]bool{
	"escape": true, "conditional_escape": true, "format_html": true, "format_html_join": true,
	"json_script": true, "escapejs": true, "urlencode": true, "quote": true, "quote_plus": true,
	"render_to_string": true, "render_template": true,
	"gettext": true, "gettext_lazy": true, "pgettext": true, "pgettext_lazy": true, "ngettext": true,
	"ngettext_lazy": true, "npgettext": true, "npgettext_lazy": true, "_": true, "gettext_noop": true,
	"int": true, "float": true, "len": true, "ord": true,
}

// htmlSafe reports whether expression i yields text with nothing from
// outside left unescaped: literals and escapers' results, and strings
// assembled from those only (f-strings, +, %, .format, join of a list of
// them), following local names to what they were assigned. Anything else,
// an attribute or a parameter, is taken as unescaped.
func (t *pyTree) htmlSafe(i int32, depth int) bool {
	if i < 0 || depth > 8 {
		return false
	}
	all := func(nodes []int32) bool {
		for _, n := range nodes {
			if !t.htmlSafe(n, depth+1) {
				return false
			}
		}
		return true
	}
	switch t.kind(i) {
	case "integer", "float", "true", "false", "none":
		return true
	case "string":
		for _, c := range t.children(i) {
			if t.kind(c) == "interpolation" && !t.htmlSafe(t.child(c, "expression"), depth+1) {
				return false
			}
		}
		return true
	case "concatenated_string", "parenthesized_expression", "tuple", "list", "expression_list":
		return all(t.children(i))
	case "list_comprehension", "generator_expression":
		return t.htmlSafe(t.child(i, "body"), depth+1)
	case "conditional_expression":
		// a if cond else b: both branches (the condition is not output)
		cs := t.children(i)
		return len(cs) == 3 && t.htmlSafe(cs[0], depth+1) && t.htmlSafe(cs[2], depth+1)
	case "dictionary":
		for _, pair := range t.children(i) {
			if t.kind(pair) != "pair" || !t.htmlSafe(t.child(pair, "value"), depth+1) {
				return false
			}
		}
		return true
	case "binary_operator":
		op := t.child(i, "operator")
		if op < 0 || (t.text(op) != "+" && t.text(op) != "%") {
			return false
		}
		return t.htmlSafe(t.child(i, "left"), depth+1) && t.htmlSafe(t.child(i, "right"), depth+1)
	case "call":
		if htmlEscapers[lastPart(t.callee(i))] || t.djangoRender(i) {
			return true
		}
		fn := t.child(i, "function")
		if fn < 0 || t.kind(fn) != "attribute" {
			return false
		}
		args := t.child(i, "arguments")
		switch t.text(t.child(fn, "attribute")) {
		case "format":
			if !t.htmlSafe(t.child(fn, "object"), depth+1) || args < 0 {
				return false
			}
			for _, a := range t.children(args) {
				if t.kind(a) == "keyword_argument" {
					a = t.child(a, "value")
				}
				if !t.htmlSafe(a, depth+1) {
					return false
				}
			}
			return true
		case "join":
			return t.htmlSafe(t.child(fn, "object"), depth+1) && args >= 0 && all(t.children(args))
		}
	case "identifier":
		return t.assignedSafe(i, depth)
	}
	return false
}

// assignedSafe reports whether every value the function (or the module)
// gives name use before it, appends included, is htmlSafe.
func (t *pyTree) assignedSafe(use int32, depth int) bool {
	return t.assignedAll(use, func(v int32) bool { return t.htmlSafe(v, depth+1) })
}

// assignedAll reports whether the function (or the module) gives name use
// a value before it, and ok accepts every one: assignments, += steps, and
// name.append(x) or name.extend(x) on a list being built. An assignment
// the use is part of (x = "%s" % x) gives the earlier value, not its own.
func (t *pyTree) assignedAll(use int32, ok func(value int32) bool) bool {
	name := t.text(use)
	scope := t.enclosing(use, "function_definition", "lambda")
	if scope < 0 {
		scope = 0
	}
	found := false
	for j := scope + 1; j < int32(len(t.nodes)) && t.start(j) < t.start(use) && t.start(j) < t.end(scope); j++ {
		var value int32 = -1
		switch t.kind(j) {
		case "assignment", "augmented_assignment":
			if left := t.child(j, "left"); left >= 0 && t.kind(left) == "identifier" && t.text(left) == name && t.end(j) <= t.start(use) {
				value = t.child(j, "right")
			}
		case "call":
			// name.append(x) / name.extend(x) on a list being built
			if fn := t.child(j, "function"); fn >= 0 && t.kind(fn) == "attribute" {
				obj := t.child(fn, "object")
				if m := t.text(t.child(fn, "attribute")); obj >= 0 && t.kind(obj) == "identifier" && t.text(obj) == name &&
					(m == "append" || m == "extend") {
					value = t.child(j, "arguments")
				}
			}
		}
		if value < 0 {
			continue
		}
		if s := t.enclosing(j, "function_definition", "lambda"); s != scope && !(scope == 0 && s < 0) {
			continue // a nested function's own variable
		}
		if t.kind(value) == "argument_list" {
			for _, a := range t.children(value) {
				if !ok(a) {
					return false
				}
			}
		} else if !ok(value) {
			return false
		}
		found = true
	}
	return found
}

// backToText reports whether a Markup(...) call is at once turned back
// into plain text (Markup(s).unescape(), .striptags()): the result is a
// str that templates escape, nothing is marked safe.
func (t *pyTree) backToText(call int32) bool {
	a := t.nodes[call].parent
	if a < 0 || t.kind(a) != "attribute" || t.child(a, "object") != call {
		return false
	}
	m := t.text(t.child(a, "attribute"))
	c := t.nodes[a].parent
	return (m == "unescape" || m == "striptags") && c >= 0 && t.kind(c) == "call"
}

// restsOnViewDefaults returns the names of the Django view's parameters
// with a default (def archive(request, noticeid=None, next_page=None))
// when the client input that call i's sink reaches comes only through
// them; nil otherwise. Such a parameter is the client's only where a URL
// pattern captures a group of its name; otherwise the URLconf's kwargs
// ({"next_page": "/"}) or the code that calls the view fill it. Whether
// a pattern does is known once every urls module is read
// (lowerViewKwargs).
func (t *pyTree) restsOnViewDefaults(call int32) []string {
	fn := t.enclosing(call, "function_definition")
	params := t.child(fn, "parameters")
	if fn < 0 || params < 0 || !isViewModule(t.path) || t.isRouteHandler(fn) {
		return nil
	}
	ps := t.children(params)
	if len(ps) == 0 || t.text(ps[0]) != "request" {
		return nil
	}
	var names []string
	for _, p := range ps[1:] {
		if k := t.kind(p); k == "default_parameter" || k == "typed_default_parameter" {
			names = append(names, t.text(t.child(p, "name")))
		}
	}
	if len(names) == 0 {
		return nil
	}
	t.viewDefaultsOff = true
	_, _, sev, ok := t.inputSink(call)
	t.viewDefaultsOff = false
	if ok && sev > checklists.Low {
		return nil
	}
	return names
}
