package review

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/scaffoldtool/scaffold/checklists"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// requestModel is an object named for a request, an update or a payload
// (user_update, safe_user_update, create_request, payload): what the
// client sends or the service passes on, not the stored account.
var requestModel = lazyre.New(`(?i)(^|[._])(update|updates|request|req|payload|body|create|patch|schema|dto|input|params)$`)

// accountField is a field of a model of people or accounts.
var accountField = lazyre.New(`(?m)^\s*(user_?name|username|email|login|user|account)\s*[:=]`)

// credentialObject is an object whose password is another system's
// credential, kept to connect with (manager.password, conn.password,
// server.password, self.smtp.password): it must be given back, so it is
// kept as it is or encrypted, never hashed. The parsed command-line
// options (args.password) carry what the operator typed, to a client or
// to the code that hashes it.
var credentialObject = lazyre.New(`(?i)(^|[._])(manager|mgr|conn|connection|server|client|engine|smtp|mail|ldap|proxy|tunnel|ssh|ftp|redis|broker|database|db|datasource|credential)s?$|^(args|options|opts|namespace|parsed_args|cli_args|cmd_args)$`)

// credentialHolder matches the names of models that keep the credentials
// of other systems: a service (a directory or Kerberos service a back end
// joins, SecurityService) is one. A name that is also a person's
// (ServiceAccount, ServerAdmin) keeps its column reported: see personName.
var credentialHolder = lazyre.New(`(?i)(storage|connection|database|datasource|tunnel|server|smtp|mail|integration|remote|proxy|ssh|ftp|ldap|redis|broker|backend|service)`)

var (
	debugCheck = &Check{
		ID: "debug-enabled", Rule: "SEC-04", Severity: checklists.High,
		Title: "Debug mode or auto-reload switched on unconditionally",
		Help: "Derive debug and reload from settings that default to off (e.g. debug = settings.environment == " +
			"\"development\"), and keep --reload out of images and production commands.",
	}
	sqlCheck = &Check{
		ID: "sql-string-building", Rule: "SEC-03", Severity: checklists.Critical,
		Title: "SQL built from strings",
		Help: "Use bind parameters (text(\"... WHERE id = :id\"), cursor.execute(sql, params)) or ORM " +
			"expressions; never put values into SQL text with f-strings, % or .format.",
	}
	hashCheck = &Check{
		ID: "weak-password-hash", Rule: "AUTH-01", Severity: checklists.Critical,
		Title: "Passwords hashed with a general-purpose hash or stored in plain text",
		Help: "Hash passwords with Argon2id (argon2-cffi or pwdlib), bcrypt or scrypt, store only the hash " +
			"(a column named password_hash), and rehash on login when parameters change.",
	}
	jwtCheck = &Check{
		ID: "jwt-unsafe-decode", Rule: "AUTH-05", Severity: checklists.Critical,
		Title: "JWT decoded without pinned algorithms or with verification off",
		Help: "Call jwt.decode(token, key, algorithms=[\"HS256\"], audience=..., issuer=...) with an explicit " +
			"list, never disable verify_signature or verify_exp, and never issue tokens with alg none.",
	}
	corsCheck = &Check{
		ID: "cors-wildcard-credentials", Rule: "SEC-05", Severity: checklists.High,
		Title: "CORS allows any origin together with credentials",
		Help: "Read the allowed origins from an allow-list in the environment; never combine * (or a " +
			"catch-all regex) with allow_credentials=True.",
	}
)

func init() {
	debugCheck.file = checkDebug
	sqlCheck.file = checkSQL
	hashCheck.file = checkHash
	jwtCheck.file = checkJWT
	corsCheck.file = checkCORS
	corsCheck.project = checkCORSSettings
}

// matches runs re over the masked code of a Python file and returns the
// offsets of each match and its groups. Only the lines that contain one of
// the needles (lower case, searched case-insensitively) are matched: a
// substring search is far cheaper than a regexp over a large file. Every
// match of re must contain a needle and fit on one line.
func matches(f *File, re *lazyre.Regexp, needles ...string) [][]int {
	return f.py.lineMatches(f.py.code, re, needles)
}

// srcMatches is matches over the original text, for patterns that look
// inside literals; it keeps the matches that start in code (not inside a
// string or a comment). The needles are still searched in the code.
func srcMatches(f *File, re *lazyre.Regexp, needles ...string) [][]int {
	var out [][]int
	for _, m := range f.py.lineMatches(f.py.src, re, needles) {
		if f.py.code[m[0]] == f.py.src[m[0]] {
			out = append(out, m)
		}
	}
	return out
}

var (
	flaskEnvOn    = lazyre.New(`(?im)^\s*(FLASK_DEBUG\s*=\s*(1|true|yes|on)|FLASK_ENV\s*=\s*development)\s*$`)
	dockerReload  = lazyre.New(`(?i)^\s*(CMD|ENTRYPOINT|RUN)\b.*(--reload\b|--debug\b|\bflask\b.*\brun\b.*--debug)`)
	dockerDebug   = lazyre.New(`(?i)^\s*ENV\s+.*\b(DEBUG|FLASK_DEBUG|DJANGO_DEBUG)[= ]\s*["']?(1|true|yes|on)\b`)
	composeReload = lazyre.New(`(?i)(--reload\b|\b(DEBUG|FLASK_DEBUG|DJANGO_DEBUG)\s*[:=]\s*["']?(1|true|yes|on)\b)`)
)

// serverRunners start a server or its reloader; appMakers make the
// application object, which takes debug too.
var (
	serverRunners = map[string]bool{"run": true, "run_simple": true, "Config": true, "serve": true, "run_app": true,
		"run_server": true, "runserver": true}
	appMakers = map[string]bool{"Flask": true, "FastAPI": true, "Starlette": true, "Quart": true, "Sanic": true,
		"Litestar": true, "Application": true}
)

// underDebugBranch reports whether node i runs only in the block of an if
// whose condition asks for debug or development mode (if
// in_debug_mode(): app = FastAPI(debug=True)).
func (t *pyTree) underDebugBranch(i int32) bool {
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		c, body := t.child(b, "condition"), t.child(b, "consequence")
		if c >= 0 && body >= 0 && t.start(i) >= t.start(body) && t.end(i) <= t.end(body) &&
			debugCondition.MatchString(t.text(c)) && !strings.HasPrefix(strings.TrimSpace(t.text(c)), "not ") {
			return true
		}
	}
	return false
}

// switchedOffInBranch reports whether an if statement around node i sets
// the same target (left) to False in one of its branches: the assignment of
// True is one side of a switch on the condition.
func (t *pyTree) switchedOffInBranch(i, left int32) bool {
	target := strings.Join(strings.Fields(t.text(left)), "")
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		for _, line := range strings.Split(t.text(b), "\n") {
			l := strings.Join(strings.Fields(line), "")
			if l == target+"=False" {
				return true
			}
		}
	}
	return false
}

// inDevelopmentFunction reports whether node i runs in a function whose
// name says development (serve_develop_command, run_dev_server,
// debug_server).
func (t *pyTree) inDevelopmentFunction(i int32) bool {
	for fn := t.enclosing(i, "function_definition"); fn >= 0; fn = t.enclosing(fn, "function_definition") {
		if developmentName.MatchString(t.text(t.child(fn, "name"))) {
			return true
		}
	}
	return false
}

var developmentName = lazyre.New(`(?i)(^|_)(dev|devel|develop|development|debug)(_|$)`)

var debugCondition = lazyre.New(`(?i)debug|(^|[^a-z])dev(el(opment)?)?([^a-z]|$)`)

// serverCall reports whether keyword argument kw is given to a call that
// runs a server (uvicorn.run, app.run, run_simple) or, for debug, makes
// the application: get_job(path, reload=True) reloads a job's code, not
// the server.
func (t *pyTree) serverCall(kw int32, debug bool) bool {
	args := t.nodes[kw].parent
	if args < 0 || t.kind(args) != "argument_list" {
		return false
	}
	call := t.nodes[args].parent
	if call < 0 || t.kind(call) != "call" {
		return false
	}
	last := lastPart(t.callee(call))
	return serverRunners[last] || debug && appMakers[last]
}

// overriddenLater reports whether a module, after node i, imports every
// name of a local or production settings module over its own (from
// settings_local import *, from .local import *): the settings a
// deployment writes win.
func (t *pyTree) overriddenLater(i int32) bool {
	for n := i; int(n) < len(t.nodes); n++ {
		if t.kind(n) == "import_from_statement" && t.start(n) > t.end(i) && strings.HasSuffix(strings.TrimSpace(t.text(n)), "*") {
			if m := t.child(n, "module_name"); m >= 0 && localSettings.MatchString(lastPart(strings.TrimLeft(t.text(m), "."))) {
				return true
			}
		}
	}
	return false
}

// ownDebugSwitch reports whether a module-level DEBUG is the module's own
// flag rather than a framework setting: the module's functions read it
// (if DEBUG: in a method picks a code path), its name is not a settings
// or config module's, and it sets none of the settings a Django or Flask
// settings module holds. Such a DEBUG turns on no debugger and sends no
// traceback to a client (django-fobi's DRF integration).
func (t *pyTree) ownDebugSwitch(rel string) bool {
	stem := strings.ToLower(strings.TrimSuffix(path.Base(rel), ".py"))
	if strings.Contains(stem, "setting") || strings.Contains(stem, "conf") {
		return false
	}
	readInside, setting := false, false
	t.each(func(i int32) {
		switch t.kind(i) {
		case "identifier":
			if t.text(i) == "DEBUG" && t.enclosing(i, "function_definition") >= 0 && t.field(i) != "left" {
				readInside = true
			}
		case "assignment":
			if t.topLevel(i) && frameworkSetting[t.targetName(t.child(i, "left"))] {
				setting = true
			}
		}
	}, "identifier", "assignment")
	return readInside && !setting
}

// sameKindCopy reports whether right is the attribute attr of another
// object whose name ends with the same word as obj's (translated_restriction
// and original_restriction, new_user and old_user): a stored field copied
// between two records of one kind. form.password or data.password, whose
// names share no word with the target's, are not.
func sameKindCopy(obj, attr string, t *pyTree, right int32) bool {
	if t.kind(right) != "attribute" || t.text(t.child(right, "attribute")) != attr {
		return false
	}
	src := t.text(t.child(right, "object"))
	if src == obj || strings.ContainsAny(src+obj, ".()[]") {
		return false
	}
	last := func(s string) string { return s[strings.LastIndex(s, "_")+1:] }
	a, b := last(obj), last(src)
	return a == b && !requestModel.MatchString(src)
}

// frameworkSetting names settings only a Django or Flask settings module
// sets.
var frameworkSetting = map[string]bool{"SECRET_KEY": true, "INSTALLED_APPS": true, "ALLOWED_HOSTS": true,
	"DATABASES": true, "MIDDLEWARE": true, "ROOT_URLCONF": true, "TEMPLATES": true, "SQLALCHEMY_DATABASE_URI": true,
	"SESSION_COOKIE_SECURE": true, "TESTING": true, "SERVER_NAME": true}

// localSettings names a settings module a deployment writes or chooses.
var localSettings = lazyre.New(`(?i)^(settings_)?(local|production|prod|site|deploy|custom)(_settings)?$`)

// pythonDebug finds debug switched on in code, on the syntax tree: DEBUG =
// True at module level (not under an if), debug=True, reload=True and
// use_reloader=True arguments, app.config["DEBUG"] = True and app.debug =
// True, a debug field defaulting to True, and DEBUG read from the
// environment with an "on" fallback.
func pythonDebug(f *File) []Finding {
	t := f.py.tree
	var out []Finding
	add := func(i int32, sev Severity, msg string) {
		out = append(out, debugCheck.finding(f, t.line(i), sev, msg, ""))
	}
	on := func(i int32) bool {
		if i < 0 {
			return false
		}
		if t.kind(i) == "string" {
			v, _ := t.strLiteral(i)
			v = strings.ToLower(v)
			return v == "1" || v == "true" || v == "yes" || v == "on"
		}
		return t.text(i) == "True"
	}
	t.each(func(i int32) {
		switch t.kind(i) {
		case "assignment":
			left, right := t.child(i, "left"), t.child(i, "right")
			if left < 0 || right < 0 {
				return
			}
			if t.kind(right) == "call" && lastPart(t.callee(right)) == "Field" {
				right = t.arg(right, 0, "default")
			}
			if right < 0 || t.text(right) != "True" {
				return
			}
			switch target := t.targetName(left); {
			case t.kind(left) == "identifier" && target == "DEBUG" && t.topLevel(i):
				if t.overriddenLater(i) {
					add(i, checklists.Low, "DEBUG is set to True in base settings that import local settings over them at the end: check the deployed ones set it False")
					return
				}
				if t.ownDebugSwitch(f.Path) {
					add(i, checklists.Low, "DEBUG is set to True at module level, but it is this module's own switch (its functions read it) in a module that sets no framework setting: check what it turns on")
					return
				}
				fd := debugCheck.finding(f, t.line(i), checklists.High, "DEBUG is set to True at module level, in every environment", "")
				fd.moduleDebug = true
				out = append(out, fd)
			case t.kind(left) == "identifier" && strings.EqualFold(target, "debug") && t.child(i, "type") >= 0:
				add(i, checklists.High, "the debug setting defaults to True")
			case t.kind(left) == "subscript" && (target == "DEBUG" || target == "FLASK_DEBUG"),
				t.kind(left) == "attribute" && target == "debug":
				// if debug: app.debug = True follows the operator's --debug
				// flag or a debug setting, as debug=True there does.
				switch {
				case t.underDebugBranch(i):
				case t.switchedOffInBranch(i, left):
					// if arguments == "true": self.debug = True / elif
					// arguments == "false": self.debug = False: a switch the
					// user turns, not debug in every environment.
				case t.kind(left) == "attribute" && parsedOptions.MatchString(lastPart(t.text(t.child(left, "object")))):
					// namespace.debug = True in an argparse Action: the
					// operator's own --debug flag, parsed.
				case t.kind(left) == "attribute" && t.servedWithoutDebugger(t.child(left, "object")):
					add(i, checklists.Low, "debug mode is switched on in code, but the module serves the app with a server that runs no debugger or reloader: check nothing else runs it with app.run()")
				default:
					add(i, checklists.High, "debug mode is switched on in code, in every environment")
				}
			}
		case "keyword_argument":
			name := t.text(t.child(i, "name"))
			if (name == "debug" || name == "reload" || name == "use_reloader") && t.text(t.child(i, "value")) == "True" &&
				t.serverCall(i, name == "debug") && !t.underDebugBranch(i) {
				if name == "reload" && t.operatorCommand(f.Path, i) {
					// pygeoapi serve: a click command that runs the
					// development server with a reloader, which watches
					// files and exposes nothing (a debugger there stays high).
					add(i, checklists.Low, "reload=True is passed in an operator's command: fine for a development server, check production runs another command")
					break
				}
				if name != "debug" && t.inDevelopmentFunction(i) {
					// mapproxy-util serve-develop: a function named for
					// development runs the development server; its reloader
					// watches files and exposes nothing (a debugger there
					// stays high).
					add(i, checklists.Low, name+"=True is passed in a function named for development: fine for a development server, check production runs another command")
					break
				}
				if name != "debug" && t.inMainBlock(i) {
					// python -m app.main: the module's own development
					// entry. A reloader watches files and exposes nothing;
					// a debugger there stays high.
					add(i, checklists.Low, name+"=True is passed in the module's __main__ block: fine for a development entry, check production runs another command")
					break
				}
				add(i, checklists.High, name+"=True is passed unconditionally")
			}
		case "call":
			switch lastPart(t.callee(i)) {
			case "getenv", "get", "env", "bool":
				name := t.arg(i, 0, "")
				if name < 0 || t.kind(name) != "string" {
					return
				}
				if v, _ := t.strLiteral(name); debugVar.MatchString(v) && on(t.arg(i, 1, "default")) {
					fd := debugCheck.finding(f, t.line(i), checklists.Medium, "DEBUG falls back to on when the variable is not set", "")
					// DEBUG = env.bool("DEBUG", True) in base settings: a
					// production module beside them may set it False.
					if a := t.nodes[i].parent; a >= 0 && t.kind(a) == "assignment" && t.child(a, "left") >= 0 && t.targetName(t.child(a, "left")) == "DEBUG" && t.topLevel(a) {
						fd.moduleDebug = true
					}
					out = append(out, fd)
				}
			}
		}
	}, "assignment", "keyword_argument", "call")
	return out
}

var debugVar = lazyre.New(`^(\w+_)?DEBUG$`)

// parsedOptions names the object parsed command-line options are kept
// in.
var parsedOptions = lazyre.New(`^(args|options|opts|namespace|parsed_args|cli_args|cmd_args)$`)

// plainServers are WSGI servers that serve an application as it is: no
// interactive debugger, no reloader, whatever the app's debug flag says
// (Werkzeug's run_simple, behind app.run(), is the one that reads it).
var plainServers = map[string]bool{"gevent.pywsgi.WSGIServer": true, "waitress.serve": true,
	"cheroot.wsgi.Server": true, "cheroot.wsgi.WSGIServer": true, "wsgiref.simple_server.make_server": true,
	"bjoern.run": true, "meinheld.server.run": true}

// servedWithoutDebugger reports whether the module hands the app (the
// object whose debug attribute is set: app, self.app) to a plain server
// and never to Werkzeug's: app.debug = True then only propagates
// exceptions to the server's log.
func (t *pyTree) servedWithoutDebugger(obj int32) bool {
	if obj < 0 {
		return false
	}
	app := lastPart(t.text(obj))
	plain, werkzeug := false, false
	t.each(func(i int32) {
		name := t.callee(i)
		switch last := lastPart(name); {
		case plainServers[name]:
			plain = true
		case last == "run_simple" || last == "DebuggedApplication",
			last == "run" && strings.Contains(name, ".") && lastPart(strings.TrimSuffix(name, ".run")) == app:
			werkzeug = true
		}
	}, "call")
	return plain && !werkzeug
}

// topLevel reports whether a statement runs unconditionally when the module
// loads: directly in the module, not under an if, a function or a class.
func (t *pyTree) topLevel(i int32) bool {
	p := t.nodes[i].parent
	if p >= 0 && t.kind(p) == "expression_statement" {
		p = t.nodes[p].parent
	}
	return p >= 0 && t.kind(p) == "module"
}

func checkDebug(p *Project, f *File) []Finding {
	base := path.Base(f.Path)
	var out []Finding
	switch {
	case f.py != nil:
		if isTest(f.Path) || isDevSettings(f.Path) || !f.py.lowerHas("debug", "reload") {
			return nil
		}
		out = append(out, pythonDebug(f)...)
	case base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(base, ".Dockerfile") ||
		base == "Procfile":
		for i, line := range strings.Split(string(f.Data), "\n") {
			if dockerReload.MatchString(line) || base == "Procfile" && strings.Contains(line, "--reload") {
				out = append(out, debugCheck.finding(f, i+1, checklists.High,
					"the production command runs with auto-reload or debug on", ""))
			} else if dockerDebug.MatchString(line) {
				out = append(out, debugCheck.finding(f, i+1, checklists.High,
					"the image sets DEBUG on", ""))
			}
		}
	case base == ".flaskenv":
		for _, m := range flaskEnvOn.FindAllIndex(f.Data, -1) {
			out = append(out, debugCheck.finding(f, lineIndex(lineStarts(f.Data), m[0]), checklists.Medium,
				".flaskenv is committed and turns on Flask's debug mode for everyone who runs the app", ""))
		}
	case strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose."):
		for i, line := range strings.Split(string(f.Data), "\n") {
			if composeReload.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "#") {
				out = append(out, debugCheck.finding(f, i+1, checklists.Low,
					"the compose file runs the service with reload or debug on (fine for local development only)", ""))
			}
		}
	}
	return dedupeLines(out)
}

var (
	sqlStrong = lazyre.New(`\b(SELECT\s[\s\S]*?\sFROM\b|INSERT\s+INTO\b|UPDATE\s+\S+\s+SET\b|DELETE\s+FROM\b|WHERE\s+\S+\s*(=|<|>|LIKE|IN\b)|ORDER\s+BY\b|DROP\s+TABLE\b|ALTER\s+TABLE\b|TRUNCATE\s+)`)
	sqlWeak   = lazyre.New(`(?i)\b(select\s[\s\S]*?\sfrom\b|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b|where\s+\S+\s*(=|<|>|like|in\b)|order\s+by\b)`)
	sqlSink   = lazyre.New(`(?i)(\b(execute|executemany|executescript|exec_driver_sql|text|raw|RawSQL|extra|read_sql|read_sql_query|from_statement)\s*\(\s*|\b\w*(sql|query|stmt|statement)\w*\s*(:\s*\w+\s*)?=\s*\(?\s*)$`)
	fieldRef  = lazyre.New(`\{[^{}]*\}`)
)

// interpolation says how values get into a literal: an f-string with
// fields, the % operator, .format() or concatenation; "" when they do not.
func interpolation(py *pySource, lit strLit) string {
	if lit.fstring && strings.Contains(lit.value, "{") &&
		fieldRef.MatchString(strings.ReplaceAll(strings.ReplaceAll(lit.value, "{{", ""), "}}", "")) {
		return "an f-string"
	}
	i := lit.end
	for i < len(py.code) && (py.code[i] == ' ' || py.code[i] == '\t') {
		i++
	}
	if i < len(py.code) {
		rest := py.code[i:min(len(py.code), i+8)]
		switch {
		case rest[0] == '%' && len(rest) > 1 && rest[1] != '=':
			return "the % operator"
		case bytes.HasPrefix(rest, []byte(".format")):
			return ".format()"
		case rest[0] == '+' && len(rest) > 1 && rest[1] != '=':
			return "string concatenation"
		}
	}
	j := lit.start - 1
	for j >= 0 && (py.code[j] == ' ' || py.code[j] == '\t') {
		j--
	}
	if j > 0 && py.code[j] == '+' && (isIdent(py.code[j-1]) || py.code[j-1] == ')' || py.code[j-1] == ']' || py.code[j-1] == ' ') {
		return "string concatenation"
	}
	return ""
}

// sqlSinks are the calls that run or wrap SQL text, by the last part of
// their resolved name; the first argument (or the keyword) is the SQL.
var sqlSinks = map[string]string{
	"execute": "sql", "executemany": "sql", "executescript": "sql_script", "exec_driver_sql": "statement",
	"text": "text", "raw": "raw_query", "RawSQL": "sql", "extra": "where", "read_sql": "sql",
	"read_sql_query": "sql", "from_statement": "statement", "mogrify": "query",
}

// sqlOnly are the sinks whose argument is an SQL fragment by definition,
// text that need not read as a whole statement ("SELECT %s" % column):
// Django's RawSQL and QuerySet.extra. Elsewhere (exec_driver_sql(f"BEGIN
// {mode}")) the text must read as a query.
var sqlOnly = map[string]bool{"RawSQL": true, "extra": true}

// sqlClauses are the query builder calls whose arguments are clauses of a
// statement (SQLAlchemy's filter, where, having, order_by, and_, or_...):
// text() given to one of them is an SQL fragment by definition
// (filter(text(f"title like '%{term}%'"))), whatever it reads like.
var sqlClauses = map[string]bool{
	"filter": true, "where": true, "having": true, "order_by": true, "group_by": true,
	"and_": true, "or_": true, "not_": true,
}

// clauseText reports whether call i, a text() call, is given straight to
// a query builder's clause method (sqlClauses).
func (t *pyTree) clauseText(i int32) bool {
	list := t.nodes[i].parent
	if list < 0 || t.kind(list) != "argument_list" {
		return false
	}
	outer := t.nodes[list].parent
	return outer >= 0 && t.kind(outer) == "call" && sqlClauses[lastPart(t.callee(outer))]
}

// checkSQL follows the SQL argument of every call that runs SQL back to the
// string it was built from, within the function: f-strings, %, .format and
// concatenation, across lines and through local names. SQL text in
// capitals built the same way is reported even when the call that runs it
// is out of sight (passed to a helper, returned).
func checkSQL(p *Project, f *File) []Finding {
	if f.py == nil {
		return nil
	}
	t := f.py.tree
	var out []Finding
	// Migrations build DDL from table and column names the operator runs,
	// never from a request: worth a look, not a critical.
	sev, note := checklists.Critical, ""
	if inMigration(f.Path) {
		sev, note = checklists.Low, " (in a migration, which no request reaches)"
	}
	// How bad depends on where the values come from: request input is
	// injectable as it stands; a caller's arguments are when a caller
	// passes input; other values (attributes, settings, helpers' results)
	// are usually identifiers, worth a look.
	report := func(v strVal, node int32) {
		s, msg := sev, "SQL is built with "+v.how+"; values in the text make it injectable"
		switch {
		case sev < checklists.Critical:
		case t.numbersOnly(node, 0):
			// "... WHERE event_id=%d" % event.id, f"... LIMIT {int(n)}":
			// a number cannot carry SQL, whoever chose it.
			s, msg = checklists.Low, "SQL is built with "+v.how+" from numbers only (%d, int(...)) and literal SQL: a number cannot carry SQL; bind it as a parameter all the same"
		case t.sqlTainted(node):
			msg = "SQL is built with " + v.how + " from request input: it is injectable"
		case t.fromCaller(node, 0) && identifiersOnly(v.text):
			// Table and schema names cannot be bound as parameters; whether
			// a caller can put input there is out of this function's sight.
			s, msg = checklists.Low, "SQL is built with "+v.how+" from the function's arguments, only as table or schema names: quote them (sql.Identifier, quote_name) and check no caller passes input"
		case t.bindsValues(node, v):
			// Values go as bind parameters ($1, :name, %s in the text, or a
			// parameter list beside it): what is interpolated is the query's
			// structure, clause fragments with their own placeholders and
			// fixed names, built by the code.
			s, msg = checklists.Low, "SQL text is assembled with "+v.how+" while its values go as bind parameters: check every interpolated part is a placeholder fragment or a fixed name, never a value"
		case t.argumentEvidence(node, t.callerParams(node, 0, nil)):
			// The function is a view, or a caller in this module passes
			// request input: the module shows the injection.
			s, msg = checklists.High, "SQL is built with "+v.how+" from the function's arguments, which a view or a caller in this module fills from the request: injectable"
		case t.fromCaller(node, 0):
			// Its callers are elsewhere: worth following, not a failure.
			s, msg = checklists.Low, "SQL is built with "+v.how+" from the function's arguments, and no view or caller in this module passes request input to them: bind values as parameters, and check the callers elsewhere"
		default:
			s, msg = checklists.Low, "SQL is built with "+v.how+" from values this check cannot trace (often table or column names): bind values as parameters, quote identifiers"
		}
		out = append(out, sqlCheck.finding(f, v.line, s, msg+note, ""))
	}
	t.each(func(i int32) {
		if t.kind(i) == "call" {
			last := lastPart(t.callee(i))
			if kw, ok := sqlSinks[last]; ok {
				sql := t.arg(i, 0, kw)
				// .extra(where=[...], select={...}) takes lists and dicts of
				// SQL fragments: each one counts.
				parts := []int32{sql}
				if sql >= 0 && (t.kind(sql) == "list" || t.kind(sql) == "tuple") {
					parts = t.children(sql)
				}
				for _, part := range parts {
					// A fragment given to a call that only takes SQL is SQL
					// whatever its text ("SELECT %s" % column); elsewhere
					// (execute, text) the text must read as SQL.
					if v, ok := t.evalString(part, 0); ok && v.how != "" &&
						(sqlOnly[last] || last == "text" && t.clauseText(i) || sqlStrong.MatchString(v.text) || sqlWeak.MatchString(v.text)) {
						report(v, part)
						return
					}
				}
			}
		}
		// A string expression of its own, not part of a larger one.
		if p := t.nodes[i].parent; p >= 0 {
			switch t.kind(p) {
			case "binary_operator", "concatenated_string", "parenthesized_expression":
				return
			}
		}
		if v, ok := t.evalString(i, 6); ok && v.how != "" && sqlStrong.MatchString(v.text) {
			report(v, i)
		}
	}, "call", "string", "binary_operator", "concatenated_string")
	return dedupeLines(out)
}

var (
	// sqlPlaceholder is a bind parameter written in SQL text: $1 (or $
	// before a computed index), :name (not a ::cast), and %s or %(name)s
	// where the text is not itself %-formatted.
	sqlDollar = lazyre.New(`\$(\d+|\{\?\})`)
	sqlNamed  = lazyre.New(`(^|[^:\w]):[A-Za-z_]\w*`)
	sqlPyfmt  = lazyre.New(`%(\([A-Za-z_]\w*\))?s`)
	// paramsName names a collection of bind parameters.
	paramsName = lazyre.New(`(?i)(^|_)(params|parameters|args|values|bind|binds|bindings)$`)
)

// bindsValues reports whether SQL text built at node passes its values as
// bind parameters: the text has placeholders of its own ($1, ${n}, :name,
// %s in an f-string), or the call that runs it (directly, or through the
// local name it is assigned to) is given a parameter list after it
// (execute(sql, params), query_raw(db, sql, *params), params=...). A
// request value put into the text itself is reported before this is asked.
func (t *pyTree) bindsValues(node int32, v strVal) bool {
	text := sqlHoleMarks.ReplaceAllString(v.text, "")
	if sqlDollar.MatchString(v.text) || sqlNamed.MatchString(text) || v.how != "the % operator" && sqlPyfmt.MatchString(v.text) {
		return true
	}
	// The expression itself, or the name it is assigned to.
	use := []int32{node}
	if a := t.nodes[node].parent; a >= 0 && t.kind(a) == "assignment" && t.child(a, "right") == node {
		if left := t.child(a, "left"); left >= 0 && t.kind(left) == "identifier" {
			name, fn := t.text(left), t.enclosing(node, "function_definition")
			end := len(t.src)
			if fn >= 0 {
				end = t.end(fn)
			}
			t.each(func(c int32) {
				if t.start(c) > t.end(a) && t.end(c) <= end && t.text(c) == name {
					use = append(use, c)
				}
			}, "identifier")
		}
	}
	for _, u := range use {
		list := t.nodes[u].parent
		if list < 0 || t.kind(list) != "argument_list" {
			continue
		}
		after := false
		for _, a := range t.children(list) {
			switch {
			case a == u:
				after = true
			case t.kind(a) == "list_splat":
				return true
			case t.kind(a) == "keyword_argument":
				if name := t.child(a, "name"); name >= 0 && paramsName.MatchString(t.text(name)) {
					return true
				}
			case after && t.kind(a) != "string":
				return true
			}
		}
	}
	return false
}

// sqlHoleMarks are the marks evalString leaves for interpolated parts.
var sqlHoleMarks = lazyre.New(`\{\?\}`)

// sqlTainted reports whether request input reaches SQL text at node, other
// than through a call that quotes it for SQL.
func (t *pyTree) sqlTainted(node int32) bool {
	t.sqlFlow = true
	defer func() { t.sqlFlow = false }()
	return t.tainted(node, 0)
}

var (
	// sqlHole is a place in evaluated SQL text where a value goes in: an
	// f-string's {?}, a .format field, a %-operator field, an unknown
	// operand of +.
	sqlHole = lazyre.New(`\{[^{}]*\}|%(\([^)]*\))?[sdr]|\?`)
	// sqlNameBefore is what stands before a table or schema name.
	sqlNameBefore = lazyre.New("(?i)(\\b(from|into|table|update|join|exists|truncate)\\s+[\"`\\[]?|[\"`]?\\.[\"`]?)$")
)

// identifiersOnly reports whether every value in SQL text stands where a
// table or schema name goes (FROM {table}, INSERT INTO {schema}.{table}),
// never where a value does.
func identifiersOnly(sql string) bool {
	holes := sqlHole.FindAllStringIndex(sql, -1)
	if len(holes) == 0 {
		return false
	}
	for _, h := range holes {
		if !sqlNameBefore.MatchString(sql[:h[0]]) {
			return false
		}
	}
	return true
}

// sqlFormatSpec is a %-format field of SQL text (%% aside); sqlNumSpec is
// one that only takes a number (%d, %i, %05.2f, %(id)d).
var (
	sqlFormatSpec = lazyre.New(`%(\([^)]*\))?[-+ #0]*\d*(\.\d+)?[a-zA-Z%]`)
	sqlNumSpec    = lazyre.New(`^%(\([^)]*\))?[-+ #0]*\d*(\.\d+)?[diufeEgGxXo]$`)
	// fmtNumSpec is a str.format or f-string field spec for a number: {:d}, {:05d}, {x:.2f}.
	fmtNumSpec = lazyre.New(`^:?[^{}]*[dfeEgGxXob%n]$`)
)

// numbersOnly reports whether every value that SQL text at node takes in
// is a number (a %d field, a {:d} spec, int(...), len(...), a numeric
// literal) or SQL text built the same way from literals (a local where
// clause of literals, then "%s AND user_id = %d" % (where, uid)),
// following local names through all their earlier assignments.
func (t *pyTree) numbersOnly(i int32, depth int) bool {
	if i < 0 || depth > 8 {
		return false
	}
	switch t.kind(i) {
	case "string":
		for _, c := range t.children(i) {
			if t.kind(c) != "interpolation" {
				continue
			}
			spec := t.child(c, "format_specifier")
			e := t.child(c, "expression")
			if !(spec >= 0 && fmtNumSpec.MatchString(t.text(spec))) && !t.numericValue(e, depth+1) && !t.numbersOnly(e, depth+1) {
				return false
			}
		}
		return true
	case "concatenated_string", "parenthesized_expression":
		for _, c := range t.children(i) {
			if !t.numbersOnly(c, depth+1) {
				return false
			}
		}
		return true
	case "binary_operator":
		left, right, op := t.child(i, "left"), t.child(i, "right"), t.child(i, "operator")
		if op < 0 {
			return false
		}
		switch t.text(op) {
		case "+":
			side := func(n int32) bool { return t.numbersOnly(n, depth+1) || t.strOfNumber(n, depth+1) }
			return side(left) && side(right)
		case "%":
			lv, ok := t.evalString(left, depth+1)
			if !ok || !t.numbersOnly(left, depth+1) {
				return false
			}
			var specs []string
			for _, m := range sqlFormatSpec.FindAllString(lv.text, -1) {
				if m != "%%" {
					specs = append(specs, m)
				}
			}
			values := []int32{right}
			if k := t.kind(right); k == "tuple" || k == "parenthesized_expression" {
				values = t.children(right)
			}
			if len(values) != len(specs) {
				// A mapping (%(id)d) or a value list built elsewhere: only
				// number fields are safe whatever they are given.
				for _, sp := range specs {
					if !sqlNumSpec.MatchString(sp) {
						return false
					}
				}
				return len(specs) > 0
			}
			for k, sp := range specs {
				if !sqlNumSpec.MatchString(sp) && !t.numericValue(values[k], depth+1) && !t.numbersOnly(values[k], depth+1) {
					return false
				}
			}
			return true
		}
	case "call":
		f := t.child(i, "function")
		if f < 0 || t.kind(f) != "attribute" || t.text(t.child(f, "attribute")) != "format" {
			return false
		}
		if !t.numbersOnly(t.child(f, "object"), depth+1) {
			return false
		}
		if sv, ok := t.evalString(t.child(f, "object"), depth+1); ok {
			fields := fieldRef.FindAllString(strings.ReplaceAll(strings.ReplaceAll(sv.text, "{{", ""), "}}", ""), -1)
			numeric := len(fields) > 0
			for _, fl := range fields {
				_, spec, found := strings.Cut(strings.Trim(fl, "{}"), ":")
				numeric = numeric && found && fmtNumSpec.MatchString(spec)
			}
			if numeric {
				return true
			}
		}
		pos, kw := t.args(i)
		for _, a := range append(pos, slices.Collect(maps.Values(kw))...) {
			if !t.numericValue(a, depth+1) && !t.numbersOnly(a, depth+1) {
				return false
			}
		}
		return !t.splatArgs(i)
	case "identifier":
		// Every earlier value of a local name (where = "WHERE ..."; where
		// += " AND id = %d" % uid; str(len(ids))).
		return t.assignedAll(i, func(v int32) bool { return t.numbersOnly(v, depth+1) || t.strOfNumber(v, depth+1) })
	}
	return false
}

// numericValue reports whether an expression is a number: a numeric
// literal, or int(), float(), len(), abs() or round() of anything.
func (t *pyTree) numericValue(n int32, depth int) bool {
	if n < 0 || depth > 8 {
		return false
	}
	switch t.kind(n) {
	case "integer", "float":
		return true
	case "parenthesized_expression":
		cs := t.children(n)
		return len(cs) == 1 && t.numericValue(cs[0], depth+1)
	case "call":
		switch t.callee(n) {
		case "int", "float", "len", "abs", "round":
			return true
		}
	case "identifier":
		return t.numberRouteParam(n)
	}
	return false
}

// numberRule is a Flask or Werkzeug rule's number converter: <int:id>,
// <float:x>, <int(signed=True):n>.
var numberRule = lazyre.New(`<(?:int|float)(?:\([^)]*\))?:(\w+)>`)

// numberRouteParam reports whether identifier n is a parameter of its
// route handler, never reassigned there, that the route makes a number:
// the rule converts it (@bp.route("/delete/<int:tag_id>")) or it is
// annotated int or float.
func (t *pyTree) numberRouteParam(n int32) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 || !t.isRouteHandler(fn) || t.assignedFrom(n, func(int32) bool { return true }) {
		return false
	}
	name := t.text(n)
	isParam := false
	for _, p := range t.children(t.child(fn, "parameters")) {
		switch t.kind(p) {
		case "identifier":
			isParam = isParam || t.text(p) == name
		case "typed_parameter", "typed_default_parameter":
			pn := t.child(p, "name")
			if pn < 0 {
				if cs := t.children(p); len(cs) > 0 {
					pn = cs[0]
				}
			}
			if pn >= 0 && t.text(pn) == name {
				if typ := t.child(p, "type"); typ >= 0 && (t.text(typ) == "int" || t.text(typ) == "float") {
					return true
				}
				isParam = true
			}
		}
	}
	if !isParam {
		return false
	}
	for c := t.nodes[t.nodes[fn].parent].first; c >= 0; c = t.nodes[c].next {
		if t.kind(c) != "decorator" {
			continue
		}
		for d := t.nodes[c].first; d >= 0; d = t.nodes[d].next {
			if t.kind(d) != "call" || !routeDecorators[lastPart(t.callee(d))] {
				continue
			}
			if v, ok := t.evalString(t.arg(d, 0, "rule"), 0); ok {
				for _, m := range numberRule.RE().FindAllStringSubmatch(v.text, -1) {
					if m[1] == name {
						return true
					}
				}
			}
		}
	}
	return false
}

// strOfNumber reports whether an expression is a number's text:
// str(int(x)), str(len(rows)).
func (t *pyTree) strOfNumber(n int32, depth int) bool {
	if n < 0 || t.kind(n) != "call" || t.callee(n) != "str" {
		return false
	}
	pos, _ := t.args(n)
	return len(pos) == 1 && t.numericValue(pos[0], depth+1)
}

// splatArgs reports whether a call passes *args or **kwargs.
func (t *pyTree) splatArgs(call int32) bool {
	list := t.child(call, "arguments")
	if list < 0 {
		return false
	}
	for _, a := range t.children(list) {
		if k := t.kind(a); k == "list_splat" || k == "dictionary_splat" {
			return true
		}
	}
	return false
}

var (
	passwordWord = lazyre.New(`(?i)\b(password|passwd|pwd|pw|passphrase|raw_password|plain_password|new_password|user_password)\b`)
	hashingDef   = lazyre.New(`(?i)def\s+(hash|encrypt|encode|digest|make|set|store|create|check|verify)_?(user_)?(pass(word|wd)?|pw|pwd)\s*\(`)
	// cryptSchemeName is a function that implements a crypt scheme.
	cryptSchemeName = lazyre.New(`(?i)^_*(md5|sha\d*|apr1|des|bsdi)_?crypt$`)
	// verifyOnly and hashesNew: a function that uses a CryptContext to
	// verify, and one that also hashes with it.
	verifyOnly = lazyre.New(`\.verify\(`)
	hashesNew  = lazyre.New(`\.(hash|encrypt|verify_and_update|needs_update)\(`)
	weakScheme = lazyre.New(`(?i)["'](md5_crypt|hex_md5|hex_sha1|hex_sha256|ldap_md5|ldap_sha1|plaintext|des_crypt|unix_disabled)["']`)
	hashWord   = lazyre.New(`(?i)hash|make_password|encrypt|argon|bcrypt|scrypt|pbkdf2|crypt|digest|_dig\b|None\b|settings|config|environ|getenv|secret`)
	// passwordFromDigest is a password attribute or keyword given a
	// digest (user.password = pw_hash, Admin(password=pw_dig)), also
	// through calls that wrap it (user.password =
	// str(generate_password_hash(pw))): the project's password column
	// holds hashes.
	// storedPasswordArg is a hash call's argument list holding only an
	// account's stored password: (user.password.encode()).
	storedPasswordArg = lazyre.New(`^\(\s*(?i:\w*(user|account|member|person|profile|customer|admin|staff)\w*)\.password(\.encode\([^()]*\))?\s*\)$`)
	// passwordDecrypt is a stored password decrypted for use:
	// crypt.decrypt(row["password"]), fernet.decrypt(conn.password).
	passwordDecrypt = lazyre.New(`(?i)decrypt\w*\(\s*[\w.]*(\[\s*["']\w*passw|\.\w*passw)`)
	// personName is an object or model named for a person's account,
	// whose password wants a hash whatever else the project stores.
	personName         = lazyre.New(`(?i)user|account|member|person|people|profile|customer|admin|staff|employee|owner|author|login|player|student|patient|client`)
	passwordFromDigest = lazyre.New(`\bpassword\s*=\s*([\w.]*\(\s*)*[\w.]*(?i:hash|digest|_dig\b|crypt)`)
)

// sqlQuoters quote a value for SQL text: as an identifier (psycopg's
// sql.Identifier, Django's quote_name, a project's identifier()) or as a
// literal (quote_literal, literal_string).
var sqlQuoters = map[string]bool{"identifier": true, "Identifier": true, "quote_ident": true, "quote_identifier": true,
	"quote_name": true, "escape_identifier": true, "quote_literal": true, "literal_string": true, "Literal": true,
	"quote": true}

// ormCompiled reports whether an expression is SQL the ORM compiled with
// its values kept apart as parameters (sql, params =
// qs.query.sql_with_params(); compiler.as_sql()): its text is safe to
// embed, and the parameters travel separately.
func (t *pyTree) ormCompiled(i int32) bool {
	if i = t.unparen(i); i < 0 || t.kind(i) != "call" {
		return false
	}
	last := lastPart(t.callee(i))
	return last == "sql_with_params" || last == "as_sql"
}

// ownTableLookup reports whether call n looks an entry up by its key
// (get, pop) in a table that carries no parameter of the function, with no
// fallback from the parameters: what comes back is the table's.
func (t *pyTree) ownTableLookup(n int32, depth int) bool {
	return t.tableLookup(n, func(a int32) bool { return len(t.callerParams(a, depth+1, nil)) > 0 })
}

// fromCaller reports whether expression i carries a value the enclosing
// function's caller passed in: a parameter other than self and cls and not
// typed as a number, directly or through the function's own assignments.
func (t *pyTree) fromCaller(i int32, depth int) bool {
	return len(t.callerParams(i, depth, nil)) > 0
}

// callerParams adds to out, and returns, the names of the parameters whose
// values expression i carries, the flow fromCaller follows.
func (t *pyTree) callerParams(i int32, depth int, out map[string]bool) map[string]bool {
	if i < 0 || depth > 4 {
		return out
	}
	fn := t.enclosing(i, "function_definition")
	if fn < 0 {
		return out
	}
	params := map[string]bool{}
	for _, p := range t.children(t.child(fn, "parameters")) {
		name := p
		if t.kind(p) != "identifier" {
			name = t.child(p, "name")
			if name < 0 {
				if cs := t.children(p); len(cs) > 0 && t.kind(cs[0]) == "identifier" {
					name = cs[0]
				}
			}
		}
		if name < 0 || t.kind(name) != "identifier" {
			continue
		}
		if typ := t.child(p, "type"); typ >= 0 && numericType.MatchString(t.text(typ)) || numericParam.MatchString(t.text(name)) {
			continue
		}
		if n := t.text(name); n != "self" && n != "cls" {
			params[n] = true
		}
	}
	end := t.end(i)
	for n := i; int(n) < len(t.nodes) && t.start(n) < end; n++ {
		if t.kind(n) == "call" && (sqlQuoters[lastPart(t.callee(n))] || sqlQuoterName.MatchString(lastPart(t.callee(n))) || t.ownOpaqueCall(n)) {
			// identifier(name), quote_ident(name): quoted for SQL, what
			// the caller passed stays a name or a literal; a function of
			// the module that returns nothing of its arguments. Skip the
			// call.
			for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
				n++
			}
			continue
		}
		if t.kind(n) == "call" && numberConversions[lastPart(t.callee(n))] {
			// int(page): a number cannot carry SQL or a command.
			for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
				n++
			}
			continue
		}
		if k := t.kind(n); k == "generator_expression" || k == "list_comprehension" || k == "set_comprehension" || k == "dictionary_comprehension" {
			// The iterable reaches the values only through the loop's
			// names (escape_sqlite(c) for c in columns).
			out = t.comprehensionParams(n, depth, out)
			for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
				n++
			}
			continue
		}
		if t.kind(n) == "call" && t.ownTableLookup(n, depth) {
			// self.responses.pop(uid), cache.get(key): the caller's key picks
			// an entry, as table[key] below; the value is the table's.
			for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
				n++
			}
			continue
		}
		if t.kind(n) == "subscript" {
			// table[key]: the caller's key picks an entry of a table the
			// function holds; the value is the table's.
			if v := t.child(n, "value"); v >= 0 && len(t.callerParams(v, depth+1, nil)) == 0 {
				for stop := t.end(n); int(n)+1 < len(t.nodes) && t.start(n+1) < stop; {
					n++
				}
				continue
			}
		}
		if t.kind(n) != "identifier" {
			continue
		}
		if p := t.nodes[n].parent; p >= 0 && t.kind(p) == "attribute" && t.child(p, "attribute") == n {
			continue // x.name: the attribute, not a variable
		}
		if p := t.nodes[n].parent; p >= 0 && t.kind(p) == "keyword_argument" && t.child(p, "name") == n {
			continue // f(name=value): the keyword, not a variable
		}
		// model._meta.db_table, Model.__tablename__: a table's name from
		// the model's own metadata, not a value.
		if top := t.attributeChain(n); top != n && tableMeta.MatchString(t.text(top)) {
			continue
		}
		name := t.text(n)
		if from, ok := t.compParams[name]; ok {
			for p := range from {
				if out == nil {
					out = map[string]bool{}
				}
				out[p] = true
			}
			continue
		}
		if params[name] {
			if out == nil {
				out = map[string]bool{}
			}
			out[name] = true
			continue
		}
		// A local: follow what the function assigned to it before; an
		// in-place conversion or quoting (page = int(page), p =
		// shlex.quote(p)) leaves none.
		var local map[string]bool
		for a := fn; int(a) < len(t.nodes) && t.start(a) < t.start(n); a++ {
			if k := t.kind(a); (k == "assignment" || k == "augmented_assignment") && t.enclosing(a, "function_definition") == fn {
				right := t.child(a, "right")
				if left := t.child(a, "left"); left >= 0 && targets(t, left)[name] && !t.ormCompiled(right) {
					if t.inPlaceCut(right, name) {
						local = nil
						continue
					}
					saved := t.compParams
					t.compParams = nil // a comprehension's names mean nothing there
					local = t.callerParams(right, depth+1, local)
					t.compParams = saved
				}
			}
		}
		for p := range local {
			if out == nil {
				out = map[string]bool{}
			}
			out[p] = true
		}
	}
	return out
}

// numberConversions turn a value into a number, which carries no text.
var numberConversions = map[string]bool{"int": true, "float": true, "bool": true, "len": true, "Decimal": true}

// comprehensionParams adds to out the parameters whose values a
// comprehension's values carry: those its body uses, with the names its
// for clauses bind standing for the parameters of what they iterate
// (enumerate's index for none).
func (t *pyTree) comprehensionParams(n int32, depth int, out map[string]bool) map[string]bool {
	saved := t.compParams
	vars := maps.Clone(saved)
	if vars == nil {
		vars = map[string]map[string]bool{}
	}
	t.compParams = vars
	defer func() { t.compParams = saved }()
	body := t.comprehensionLoops(n, func(names map[string]bool, index string, iter int32) {
		from := t.callerParams(iter, depth+1, nil)
		for name := range names {
			if name == index {
				vars[name] = nil
			} else {
				vars[name] = from
			}
		}
	})
	for _, b := range body {
		out = t.callerParams(b, depth+1, out)
	}
	return out
}

var tableMeta = lazyre.New(`(\._meta\b|\.db_table$|\.__tablename__$|\.__table__\b|\.table_name$)`)

// attributeChain returns the outermost attribute expression whose object
// chain starts at identifier n (n itself when n is not an object).
func (t *pyTree) attributeChain(n int32) int32 {
	top := n
	for p := t.nodes[top].parent; p >= 0 && t.kind(p) == "attribute" && t.child(p, "object") == top; p = t.nodes[top].parent {
		top = p
	}
	return top
}

// numericParam names a parameter that holds a number by its name alone
// (dhparam(length), resize(width, height)): it cannot carry a command,
// a path or SQL.
var numericParam = lazyre.New(`^(length|size|bits|nbits|key_size|count|num|port|timeout|retries|width|height|days|hours|minutes|seconds|depth)$`)

var numericType = lazyre.New(`^(int|float|bool|UUID|uuid\.UUID|Decimal|date|datetime)$`)

// sentToService reports whether a digest made by call i goes straight
// into a request's parameters, in a module that talks to other services:
// a keyword argument of a call that is not a class's (api_request(
// password=md5(pw)), not User(password=...)) or a dict entry (post =
// {"md5Pass": md5(pw)}), or a local name every later use of which is one
// of those (sha512 = md5(...); params = {"sha512": sha512}). An assignment
// to an attribute or a subscript stays a stored digest.
func (t *pyTree) sentToService(i int32) bool {
	if !t.httpClient() {
		return false
	}
	n := i
	for p := t.nodes[n].parent; p >= 0 && (t.kind(p) == "attribute" || t.kind(p) == "call" && t.child(p, "function") == n || t.kind(p) == "conditional_expression"); p = t.nodes[n].parent {
		n = p // md5(pw).hexdigest(); None if pw is None else sha256(pw).hexdigest()
	}
	if t.sentValue(n) {
		return true
	}
	a := t.nodes[n].parent
	fn := t.enclosing(n, "function_definition")
	if a < 0 || t.kind(a) != "assignment" || t.child(a, "right") != n || fn < 0 {
		return false
	}
	left := t.child(a, "left")
	return left >= 0 && t.kind(left) == "identifier" && t.everyUseAfter(a, t.end(fn), t.text(left), t.sentValue)
}

// sentValue reports whether expression n is a request parameter: a dict
// entry's value, or a keyword argument of a call that is not a class's.
func (t *pyTree) sentValue(n int32) bool {
	p := t.nodes[n].parent
	switch {
	case p >= 0 && t.kind(p) == "pair" && t.child(p, "value") == n:
		return true
	case p >= 0 && t.kind(p) == "keyword_argument" && t.child(p, "value") == n:
		call := t.enclosing(p, "call")
		last := lastPart(t.callee(call))
		return call >= 0 && last != "" && !unicode.IsUpper(rune(last[0]))
	}
	return false
}

// httpClient reports whether the module sends HTTP requests: it imports a
// client library, or a module under a client's name (from flexget.utils
// import requests: the project's wrapper), or calls a loader (pyload's
// self.load, api_request).
func (t *pyTree) httpClient() bool {
	for local, q := range t.imports {
		head, _, _ := strings.Cut(q, ".")
		if head == "requests" || head == "httpx" || head == "aiohttp" || head == "pycurl" || strings.HasPrefix(q, "urllib.request") ||
			local == "requests" || local == "httpx" {
			return true
		}
	}
	// A framework's own client counts as well: self.request_api(...),
	// self.request_json(...), self.session.http.get(...), as an
	// extractor or a plugin sends its requests.
	return bytes.Contains(t.src, []byte("self.load(")) || bytes.Contains(t.src, []byte("api_request(")) || frameworkRequest.Match(t.src)
}

// frameworkRequest is a call of a request method on the object's own
// client: self.request(, self.request_api(, self.request_json(,
// self.session.http.get(, self.http.post(.
var frameworkRequest = lazyre.New(`\bself\.(request(_\w+)?|(\w+\.)?http\.(get|post|put|head|request))\(`)

// legacyName names a function that keeps an old scheme for stored data
// (create_legacy_password_hash, check_old_hash).
var legacyName = lazyre.New(`(?i)(^|_)(legacy|old|deprecated|compat)(_|$)`)

// schemePrefix is the scheme marker a stored hash begins with: {SHA},
// {SSHA}, $1$, md5$, sha1$.
var schemePrefix = lazyre.New(`^(\{[A-Za-z0-9-]+\}|\$[A-Za-z0-9]+\$|[A-Za-z0-9]+\$)$`)

// schemeBranch reports whether node i runs only in a branch picked by a
// stored hash's scheme prefix (if hashed.startswith("{SHA}"): ...): the
// code verifies an entry written in that scheme, by whoever wrote the
// store (an Apache htpasswd file), and hashes nothing new.
func (t *pyTree) schemeBranch(i int32) bool {
	for p := t.enclosing(i, "if_statement", "elif_clause", "function_definition"); p >= 0 && t.kind(p) != "function_definition"; p = t.enclosing(p, "if_statement", "elif_clause", "function_definition") {
		cond, body := t.child(p, "condition"), t.child(p, "consequence")
		if cond < 0 || body < 0 || t.start(i) < t.start(body) || t.start(i) >= t.end(body) {
			continue
		}
		for n := cond; int(n) < len(t.nodes) && t.start(n) < t.end(cond); n++ {
			if t.hashTypeTest(n) && t.requiredBy(n, cond) {
				return true
			}
			if t.kind(n) != "call" || lastPart(t.callee(n)) != "startswith" || !t.requiredBy(n, cond) {
				continue
			}
			for m := n; int(m) < len(t.nodes) && t.start(m) < t.end(n); m++ {
				if t.kind(m) == "string" {
					if v, interp := t.strLiteral(m); !interp && schemePrefix.MatchString(v) {
						return true
					}
				}
			}
		}
	}
	return false
}

// hashTypeTest reports whether n compares a stored hash's scheme field with
// a literal (if hash_type == "sha1", elif user.hashfn == "md5"): the branch
// verifies entries stored under that scheme.
func (t *pyTree) hashTypeTest(n int32) bool {
	if t.kind(n) != "comparison_operator" || !strings.Contains(t.text(n), "==") {
		return false
	}
	var named, literal bool
	for _, c := range t.children(n) {
		switch t.kind(c) {
		case "identifier", "attribute":
			named = named || hashTypeName.MatchString(lastPart(t.text(c)))
		case "string":
			literal = true
		}
	}
	return named && literal
}

// hashTypeName names the field that records which scheme a stored hash
// was made with.
var hashTypeName = lazyre.New(`(?i)^(pw_?|password_?|pass_?)?hash_?(type|fn|func|function|alg|algo|algorithm|scheme|method|kind)$|^(hashfn|hasher_name)$`)

// requiredBy reports whether condition cond holds only when its part n
// does: n is cond, or a side of an "and" (in parentheses or not); under a
// "not" or an "or" it is not.
func (t *pyTree) requiredBy(n, cond int32) bool {
	for ; n != cond; n = t.nodes[n].parent {
		p := t.nodes[n].parent
		if p < 0 {
			return false
		}
		switch t.kind(p) {
		case "parenthesized_expression":
		case "boolean_operator":
			if op := t.child(p, "operator"); op < 0 || t.text(op) != "and" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// plainPasswordModels are the frameworks whose account models keep the
// hash in a plain field, set by a method (Django's set_password, Flask-
// AppBuilder's security manager): assigning their password stores it as
// given.
var plainPasswordModels = map[string]bool{"django": true, "flask_appbuilder": true}

// importedAccountModel reports whether the account classes function fn
// names (User, static.User, models.Account) all come from a distribution
// this tree does not hold, absolutely imported from a top-level package
// absent here, none from a framework of plainPasswordModels: the model,
// and any password property that hashes, are out of sight.
func (t *pyTree) importedAccountModel(p *Project, fn int32) bool {
	found, external := false, true
	end := t.end(fn)
	for n := fn; int(n) < len(t.nodes) && t.start(n) < end && external; n++ {
		k := t.kind(n)
		if k != "identifier" && k != "attribute" {
			continue
		}
		if par := t.nodes[n].parent; par >= 0 && t.kind(par) == "attribute" && t.child(par, "object") == n {
			continue // judged as part of the longer name
		}
		q := t.qualName(n)
		last := lastPart(q)
		if q == t.text(n) || last == "" || !unicode.IsUpper(rune(last[0])) || !personName.MatchString(last) {
			continue
		}
		head, _, _ := strings.Cut(t.text(n), ".")
		top, _, _ := strings.Cut(q, ".")
		found = true
		external = !t.relativeImport(head) && !plainPasswordModels[top] && !p.holdsPackage(top)
	}
	return found && external
}

// plainModel is a database model class's bases (db.Model, Base, models.Model).
var plainModel = lazyre.New(`\b(db\.Model|Model|Base|DeclarativeBase|SQLModel|Document)\b`)

// hashesInClass is a model that hashes or checks its password itself.
var hashesInClass = lazyre.New(`(?i)hash|bcrypt|scrypt|argon|pbkdf|crypt\(|set_password|\.setter`)

// plainPasswordModelCall reports a call that gives a password straight from
// the request (request.form["password"], or a name assigned one without a
// call between) to a database model class defined in this module that does
// not hash it itself: User(username=..., password=request.form["password"])
// stores it as typed, User.query.filter_by(password=pw) looks it up by
// value, so it was stored as typed.
func (t *pyTree) plainPasswordModelCall(i int32, name string) bool {
	head, _, _ := strings.Cut(name, ".")
	last := lastPart(name)
	if last != head && last != "filter_by" || head == "" || !unicode.IsUpper(rune(head[0])) {
		return false
	}
	_, kw := t.args(i)
	var pw int32 = -1
	for k, v := range kw {
		if passwordFields[k] {
			pw = v
		}
	}
	if pw < 0 || !t.rawRequestValue(pw) {
		return false
	}
	cls := int32(-1)
	t.each(func(c int32) {
		if t.text(t.child(c, "name")) == head {
			cls = c
		}
	}, "class_definition")
	if cls < 0 {
		return false
	}
	sc := t.child(cls, "superclasses")
	return sc >= 0 && plainModel.MatchString(t.text(sc)) && !hashesInClass.MatchString(t.text(cls))
}

// rawRequestValue is request input as sent: request.form["password"],
// request.json.get("password"), or a local name every assignment of which
// is one of those.
func (t *pyTree) rawRequestValue(v int32) bool {
	raw := func(r int32) bool {
		txt := t.text(r)
		return strings.HasPrefix(txt, "request.") && !strings.Contains(strings.TrimPrefix(txt, "request."), "(") ||
			rawRequestGet.MatchString(txt)
	}
	if t.kind(v) == "identifier" {
		return t.assignedFrom(v, raw)
	}
	return raw(v)
}

// rawRequestGet reads one field of the request: request.form.get("x"),
// request.POST.get("x", "").
var rawRequestGet = lazyre.New(`^request\.\w+\.get\(\s*["'][^"']*["']\s*(,\s*["'][^"']*["']\s*)?\)$`)

// relativeImport reports whether a local name is bound by a relative
// import (from .models import User): the project's own module.
func (t *pyTree) relativeImport(name string) bool {
	rel := false
	t.each(func(n int32) {
		mod := t.child(n, "module_name")
		if rel || mod < 0 || !strings.HasPrefix(t.text(mod), ".") {
			return
		}
		for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
			if t.field(c) != "name" {
				continue
			}
			bound := t.text(c)
			if t.kind(c) == "aliased_import" {
				bound = t.text(t.child(c, "alias"))
			}
			rel = rel || bound == name
		}
	}, "import_from_statement")
	return rel
}

// passwordSetter is a password property that hashes what is assigned:
// @password.setter, password = PasswordProperty("password_hash"),
// password = synonym(..., descriptor=...), or a computed field whose writes
// go through a method of the model (Tryton's password = fields.Function(
// fields.Char("Password"), getter=..., setter="set_password")); a computed
// field without a setter cannot be written, so it stays out.
var passwordSetter = lazyre.New(`@password\.setter|\bpassword\s*=\s*[\w.]*(Property|property|synonym)\w*\(|\bpassword\s*=\s*(?:\w+\.)*Function\((?:[^()]|\([^()]*\))*\bsetter\s*=`)

// passwordHook is an ORM hook that hashes the password on its way to
// storage, which makes a plain assignment safe as a setter does:
// @validates("password"), or a before_insert or before_update listener
// named for hashing (listen(User, "before_update", hash_password)). It is
// matched on the source, string literals included.
var passwordHook = lazyre.New(`@validates\(\s*["']password["']|\blisten\(\s*[\w.]+\s*,\s*["']before_(insert|update)["']\s*,\s*\w*(hash|encrypt)\w*\s*\)|listens_for\(\s*[\w.]+\s*,\s*["']before_(insert|update)["']\s*\)\s*(\n\s*@.*)*\n\s*def\s+\w*(hash|encrypt)`)

// rehashInPlace is an object's password attribute assigned a hash of
// itself (instance.password = hash_password(instance.password)).
var rehashInPlace = lazyre.New(`\b(\w+)\.password\s*=\s*[\w.]*(?:hash|encrypt|make_password)\w*\(\s*(\w+)\.password\s*\)`)

// rehashedOnSave reports whether a source registers a pre-save signal
// (Django's, Tortoise's or Peewee's pre_save) and hashes an object's
// password in place: a plain password = ... on that model is hashed by the
// handler on its way to storage, as by a before_insert listener. A
// pre_save handler that does something else does not count, nor does the
// hash of another object's password.
func rehashedOnSave(code []byte) bool {
	if !bytes.Contains(code, []byte("pre_save")) {
		return false
	}
	for _, m := range rehashInPlace.RE().FindAllSubmatch(code, -1) {
		if bytes.Equal(m[1], m[2]) {
			return true
		}
	}
	return false
}

// hashedAfter reports whether the function that assigns obj.password at
// statement i goes on to call a hashing method of the same object
// (user.hash_password(), user.set_password(user.password)).
func (t *pyTree) hashedAfter(i int32, obj string) bool {
	fn := t.enclosing(i, "function_definition")
	if fn < 0 || obj == "" {
		return false
	}
	found := false
	t.each(func(c int32) {
		if found || t.start(c) < t.end(i) || t.end(c) > t.end(fn) {
			return
		}
		callee := t.callee(c)
		found = strings.TrimSuffix(callee, "."+lastPart(callee)) == obj && ownHashMethod.MatchString(lastPart(callee))
	}, "call")
	return found
}

// slowHashCall is a call of a password hash built to be slow: bcrypt,
// scrypt, Argon2, PBKDF2.
var slowHashCall = lazyre.New(`\bbcrypt\.(hashpw|checkpw|kdf)\(|\bscrypt\(|\bpbkdf2_hmac\(|\bargon2\b|PasswordHasher\(\)\.(hash|verify)\(|\bhash_secret(_raw)?\(`)

var ownHashMethod = lazyre.New(`(?i)hash|encrypt|set_password`)

var weakHashes = map[string]bool{"md5": true, "sha1": true, "sha224": true, "sha256": true, "sha384": true,
	"sha512": true, "blake2b": true, "blake2s": true, "new": true}

// underTestBranch reports whether node i sits in an if whose condition
// speaks of tests or debugging (if "test" in sys.argv: ..., if TESTING:):
// a fast hasher there speeds up a test run, as Django's documentation
// suggests.
func (t *pyTree) underTestBranch(i int32) bool {
	for b := t.enclosing(i, "if_statement"); b >= 0; b = t.enclosing(b, "if_statement") {
		if testCondition.MatchString(t.text(t.child(b, "condition"))) {
			return true
		}
	}
	return false
}

var testCondition = lazyre.New(`(?i)test|debug`)

// persists is a call that stores an object: Django's save and create,
// SQLAlchemy's session add, flush and commit, a repository's insert or
// update.
var persists = lazyre.New(`\.(save|add|add_all|merge|flush|commit|create|insert|insert_one|update|update_one|put|bulk_create|bulk_update)\(`)

// weakDjangoHashers are Django's hashers built on a fast hash or on crypt(3).
var weakDjangoHashers = map[string]bool{"MD5PasswordHasher": true, "UnsaltedMD5PasswordHasher": true,
	"SHA1PasswordHasher": true, "UnsaltedSHA1PasswordHasher": true, "CryptPasswordHasher": true}

// passwordFields are model fields that, named so, hold the password itself.
var passwordFields = map[string]bool{"password": true, "passwd": true, "pwd": true, "plain_password": true,
	"password_plain": true, "raw_password": true}

// checkHash works on the syntax tree with imports resolved (from hashlib
// import sha1): a fast hash over a password, passlib with a weak scheme, a
// password attribute set from an unhashed value, a model column named
// password.
func checkHash(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !f.py.lowerHas("md5", "sha", "blake", "crypt", "passw", "pwd") {
		return nil
	}
	t := f.py.tree
	model := f.py.codeHas("__tablename__", "models.Model", "table=True", "DeclarativeBase", "declarative_base", "Mapped[")
	var out []Finding
	t.each(func(i int32) {
		switch t.kind(i) {
		case "call":
			name := t.callee(i)
			mod, algo, _ := strings.Cut(name, ".")
			switch {
			// hashlib.sha1(pw).hexdigest() is one hash: the outer call's
			// callee (sha1().hexdigest) is not a hash function.
			case mod == "hashlib" && !strings.ContainsAny(algo, "(.") && (weakHashes[algo] || strings.HasPrefix(algo, "sha3_")):
				fn := ""
				if d := t.enclosing(i, "function_definition"); d >= 0 {
					fn = "def " + t.text(t.child(d, "name")) + "("
				}
				args := t.child(i, "arguments")
				if args < 0 || !passwordWord.MatchString(t.text(args)) && !hashingDef.MatchString(fn) {
					return
				}
				if algo == "new" {
					algo = "hashlib.new"
				}
				if t.lookupKeyOnly(i) {
					// A digest kept as a dict key for the request (a cache of
					// checks already made) is never stored or sent.
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("a password is hashed with %s, a fast general-purpose hash, used only as a lookup key in memory: check it is never stored or logged", algo), ""))
					return
				}
				if t.digestUses(i, slicedUse) {
					// sha1[:5] goes to a range API (Have I Been Pwned's
					// k-anonymity), sha1[5:] is looked up in its answer: a
					// stored hash is kept whole, never in slices.
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("a password is hashed with %s, a fast general-purpose hash, used only in slices (a range query such as Have I Been Pwned's): check it is never stored", algo), ""))
					return
				}
				if t.sentToService(i) {
					// post = {"md5Pass": md5(pw)}: another service's login
					// asks for this digest; nothing is stored here.
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("a password is hashed with %s, a fast general-purpose hash, and sent in a request's parameters: check it is the other service's login protocol and is not stored", algo), ""))
					return
				}
				if d := t.enclosing(i, "function_definition"); d >= 0 && legacyName.MatchString(t.text(t.child(d, "name"))) {
					// create_legacy_password_hash: the old scheme, kept to
					// recognise stored hashes and move them to the new one.
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("a password is hashed with %s, a fast general-purpose hash, in a function named for the legacy scheme: check it only verifies old hashes and that a match rehashes the password with a slow one", algo), ""))
					return
				}
				if d := t.enclosing(i, "function_definition"); d >= 0 && cryptSchemeName.MatchString(t.text(t.child(d, "name"))) {
					// def md5crypt(password, salt, magic): the digests are
					// the rounds of a crypt scheme, judged where the scheme
					// is chosen (an htpasswd entry's $apr1$ prefix).
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("%s is a round of the crypt scheme this function implements: check the scheme only verifies old entries and new hashes get a slow one", algo), ""))
					return
				}
				if t.schemeBranch(i) {
					// if hashed.startswith("{SHA}"): an entry of the old
					// scheme, found in the store and verified as it is.
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("a password is hashed with %s, a fast general-purpose hash, in the branch a stored hash's scheme (its prefix or type field) picks: check it only verifies entries of that scheme and that new ones get a slow hash", algo), ""))
					return
				}
				if d := t.enclosing(i, "function_definition"); d >= 0 && slowHashCall.Match(t.src[t.start(d):t.end(d)]) {
					// pw = sha256(pw).digest() when it is longer than bcrypt
					// takes, then bcrypt.hashpw(pw, salt): a pre-hash, the
					// stored hash is the slow one.
					out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
						fmt.Sprintf("a password is hashed with %s before a slow hash in the same function (a pre-hash): check the slow hash is what is stored", algo), ""))
					return
				}
				fd := hashCheck.finding(f, t.line(i), checklists.Critical,
					fmt.Sprintf("a password is hashed with %s, a fast general-purpose hash", algo), "")
				// md5(user.password.encode()): the account's stored value,
				// judged with the project's facts (lowerStoredDigests).
				fd.storedDigest = storedPasswordArg.MatchString(t.text(args))
				if d := t.enclosing(i, "function_definition"); d >= 0 {
					fd.digestHelper = t.text(t.child(d, "name"))
				}
				out = append(out, fd)
			case t.plainPasswordModelCall(i, name):
				out = append(out, hashCheck.finding(f, t.line(i), checklists.High,
					"a password from the request goes to a model of this module as it was typed (stored or looked up by value, no hash in sight)", ""))
			case lastPart(name) == "execute" || lastPart(name) == "executemany":
				if pw, ok := t.plainPasswordInSQL(i); ok {
					if src := t.evidence(pw); src == fromInput || src == fromExposedArgs {
						out = append(out, hashCheck.finding(f, t.line(i), checklists.High,
							"a password from the request is written into the database as it was typed (no hash in sight)", ""))
					} else {
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password is written into the database as the function was given it: check every caller hashes it first", ""))
					}
				}
			case lastPart(name) == "CryptContext":
				if loc := weakScheme.FindStringIndex(t.text(i)); loc != nil {
					if d := t.enclosing(i, "function_definition"); d >= 0 && verifyOnly.MatchString(t.text(d)) && !hashesNew.MatchString(t.text(d)) {
						// ctx = CryptContext([... "des_crypt"]); ctx.verify(...):
						// old entries (an htpasswd file) are checked, nothing
						// new is hashed with the weak scheme.
						out = append(out, hashCheck.finding(f, t.lineOf(t.start(i)+loc[0]), checklists.Low,
							"passlib is configured with a weak scheme, used here only to verify existing hashes: check new ones get a strong scheme", ""))
						break
					}
					if t.strongDefaultScheme(i) && !bytes.Contains(f.py.code, []byte(".handler(")) {
						// CryptContext(["bcrypt", ..., "des_crypt"]): the first
						// scheme hashes every new password, as Django's first
						// PASSWORD_HASHERS entry does; the weak ones only verify
						// entries made elsewhere (an htpasswd file), unless the
						// module picks one by name (ctx.handler("md5_crypt")).
						out = append(out, hashCheck.finding(f, t.lineOf(t.start(i)+loc[0]), checklists.Low,
							"passlib lists a weak scheme, but its default (the first scheme) is a slow hash, so new hashes use that: check the weak entries are upgraded (deprecated=\"auto\")", ""))
						break
					}
					out = append(out, hashCheck.finding(f, t.lineOf(t.start(i)+loc[0]), checklists.Critical,
						"passlib is configured with a weak or plain-text scheme", ""))
				}
			}
		case "assignment":
			left, right := t.child(i, "left"), t.child(i, "right")
			if left < 0 {
				return
			}
			// Django hashes new passwords with the first entry of
			// PASSWORD_HASHERS; the others only verify old hashes.
			if t.text(left) == "PASSWORD_HASHERS" && right >= 0 && !isDevSettings(f.Path) && !t.underTestBranch(i) {
				if hs := t.children(right); len(hs) > 0 && t.kind(hs[0]) == "string" {
					if h, _ := t.strLiteral(hs[0]); weakDjangoHashers[lastPart(h)] {
						out = append(out, hashCheck.finding(f, t.line(hs[0]), checklists.Critical,
							fmt.Sprintf("Django hashes passwords with %s, a fast general-purpose hash", lastPart(h)), ""))
					}
				}
				return
			}
			// user.password = payload.password; self.password and
			// cls.password hold service credentials (SMTP, databases).
			if t.kind(left) == "attribute" && right >= 0 {
				obj, attr := t.text(t.child(left, "object")), t.text(t.child(left, "attribute"))
				// An empty string is no password at all (an account that
				// signs in elsewhere, LDAP or a guest), not one in clear.
				empty := t.kind(right) == "string" && strings.Trim(t.text(right), `"'`) == ""
				if (attr == "password" || attr == "passwd" || attr == "pwd") && obj != "self" && obj != "cls" && !empty &&
					!hashWord.MatchString(t.text(right)) && !credentialObject.MatchString(obj) && !t.urlPassword(right) && !fieldDeclaration(t, right) &&
					!(t.kind(right) == "identifier" && t.assignedFrom(right, func(v int32) bool { return hashWord.MatchString(t.text(v)) })) {
					if o := t.child(left, "object"); t.kind(o) == "identifier" && t.bodyModelParam(o) {
						// The route's request body (data: CreateUser), on its
						// way to the function that makes the account.
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute of the request's body model is set: check the function that stores it hashes it", ""))
						return
					}
					if sameKindCopy(obj, attr, t, right) {
						// copy.password = original.password: the same field
						// of another object of the same kind, copied as it is
						// stored (a translated page's view restriction).
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute is copied from the same field of another object of its kind: check that object holds what the store holds", ""))
						return
					}
					if requestModel.MatchString(obj) {
						// user_update.password = ...: a request or update
						// model on its way to the code that stores it.
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute of a request or update model is set: check the function that stores it hashes it", ""))
						return
					}
					if t.hashedInSiblingBranch(i) {
						// if raw: user.set_password(raw) ... else:
						// user.password = value: the branch takes a value
						// that is already a hash.
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute is set as it is in a branch beside ones that hash: check this value is already a hash", ""))
						return
					}
					if o := t.child(left, "object"); t.hashedAfter(i, t.text(o)) {
						// user.password = raw; user.hash_password(): the object
						// hashes its own field before anything stores it.
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute is set from an unhashed value, then the object's own hashing method is called: check it runs before every save", ""))
						return
					}
					if inMigration(f.Path) {
						// A migration (a downgrade restoring an old placeholder)
						// runs once, by the operator, on rows that exist.
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute is set from an unhashed value in a migration: check what it writes to existing rows", ""))
						return
					}
					if d := t.enclosing(i, "function_definition"); d >= 0 && !persists.MatchString(t.text(d)) {
						// Nothing in the function stores the object: a parsed
						// URL's or options' password, a client that sends it
						// on. A password in clear is a finding where it is
						// saved (obj.save(), session.add, commit).
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute is set from an unhashed value, but nothing in the function stores the object: check it is not saved elsewhere", ""))
						return
					}
					if d := t.enclosing(i, "function_definition"); d >= 0 && t.importedAccountModel(p, d) {
						// user.password = new where User comes from another
						// distribution: whether its password property hashes
						// on assignment is out of this tree's sight.
						out = append(out, hashCheck.finding(f, t.line(i), checklists.Low,
							"a password attribute is set from an unhashed value on an account model imported from another distribution: check its password property hashes on assignment", ""))
						return
					}
					fd := hashCheck.finding(f, t.line(i), checklists.High, "a password attribute is set from an unhashed value", "")
					fd.hashedBySetter = true
					fd.serviceCredential = !personName.MatchString(obj)
					out = append(out, fd)
				}
				return
			}
			// A model column: password = Column(...), password: Mapped[str].
			if !model || t.kind(left) != "identifier" || !passwordFields[t.text(left)] {
				return
			}
			c := t.enclosing(i, "class_definition", "function_definition")
			if c < 0 || t.kind(c) != "class_definition" {
				return
			}
			// pwd is also the working directory a command ran in (an
			// archived command's cmd, pwd, output): a password only in a
			// model of people (a user name or an e-mail beside it).
			if t.text(left) == "pwd" && !accountField.MatchString(t.text(c)) {
				return
			}
			// A service credential (a database's, a storage's, an SSH
			// tunnel's) must be read back, so it is stored encrypted, not
			// hashed; only people's passwords want a hash.
			if n := t.child(c, "name"); n >= 0 && credentialHolder.MatchString(t.text(n)) && !personName.MatchString(t.text(n)) ||
				right >= 0 && strings.Contains(strings.ToLower(t.text(right)), "encrypt") {
				return
			}
			// Django's own convention: `password` is a CharField holding the
			// hasher's output (AbstractBaseUser, make_password).
			if right >= 0 && t.kind(right) == "call" && lastPart(t.callee(right)) == "CharField" &&
				f.py.codeHas("make_password", "check_password", "set_password", "AbstractBaseUser") {
				return
			}
			// The model hashes its own attribute (def hash_password(self):
			// self.password = bcrypt.generate_password_hash(self.password)):
			// the column holds what that method wrote.
			if selfHashed(t.text(c), t.text(left)) {
				return
			}
			column := false
			if typ := t.child(i, "type"); typ >= 0 && strings.HasPrefix(t.text(typ), "Mapped[") {
				column = true
			}
			if right >= 0 && t.kind(right) == "call" {
				switch lastPart(t.callee(right)) {
				case "Column", "mapped_column", "CharField", "TextField", "String":
					column = true
				}
			}
			if column {
				fd := hashCheck.finding(f, t.line(i), checklists.High,
					"a model column named password stores the password itself; store a hash in password_hash", "")
				fd.passwordColumn = true
				fd.serviceCredential = !personName.MatchString(t.text(t.child(c, "name")))
				out = append(out, fd)
			}
		}
	}, "call", "assignment")
	return out
}

// strongSchemes are passlib schemes made for passwords: slow by design.
var strongSchemes = map[string]bool{"bcrypt": true, "bcrypt_sha256": true, "argon2": true, "scrypt": true,
	"pbkdf2_sha256": true, "pbkdf2_sha512": true, "sha256_crypt": true, "sha512_crypt": true}

// strongDefaultScheme reports whether a CryptContext call's default scheme,
// the first of its list (or default=), is one of strongSchemes.
func (t *pyTree) strongDefaultScheme(call int32) bool {
	if d := t.arg(call, -1, "default"); d >= 0 {
		v, _ := t.strLiteral(d)
		return t.kind(d) == "string" && strongSchemes[v]
	}
	list := t.arg(call, 0, "schemes")
	if list < 0 || t.kind(list) != "list" && t.kind(list) != "tuple" {
		return false
	}
	cs := t.children(list)
	if len(cs) == 0 || t.kind(cs[0]) != "string" {
		return false
	}
	v, _ := t.strLiteral(cs[0])
	return strongSchemes[v]
}

// selfHashed reports whether a class body assigns a hash to its own field
// (self.password = ...hash...(...)), directly or through a local name
// bound to one (password = hasher.hash_password(password); ...;
// self.password = password).
func selfHashed(class, field string) bool {
	re := regexp.MustCompile(`(?m)\bself\.` + regexp.QuoteMeta(field) + `\s*=\s*([^\n]*(?i:hash|bcrypt|argon2|scrypt|pbkdf2)\w*\s*\(|(\w+)\s*$)`)
	for _, m := range re.FindAllStringSubmatch(class, -1) {
		if m[2] == "" {
			return true
		}
		bound := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(m[2]) + `\s*=\s*[^\n]*(?i:hash|bcrypt|argon2|scrypt|pbkdf2)\w*\s*\(`)
		if bound.MatchString(class) {
			return true
		}
	}
	return false
}

// hashedInSiblingBranch reports whether assignment i sits in one branch
// of an if whose other branches hash a password (set_password,
// make_password, a hash call): the code tells values apart, and this
// branch keeps one that needs no hashing.
func (t *pyTree) hashedInSiblingBranch(i int32) bool {
	b := t.enclosing(i, "if_statement")
	if b < 0 {
		return false
	}
	for _, c := range t.children(b) {
		k := t.kind(c)
		if k != "block" && k != "elif_clause" && k != "else_clause" || t.start(i) >= t.start(c) && t.end(i) <= t.end(c) {
			continue
		}
		if siblingHash.MatchString(t.text(c)) {
			return true
		}
	}
	return false
}

var siblingHash = lazyre.New(`\b(set_password|make_password|hash_password|generate_password_hash)\(|\.hash\(`)

// lookupKeyOnly reports whether the value of call i (or of its
// .hexdigest()) is assigned to a local name that the function then uses
// only as a dict key: d[name], name in d, d.get(name), d.pop(name).
func (t *pyTree) lookupKeyOnly(i int32) bool {
	return t.digestUses(i, func(t *pyTree, n, p int32) bool {
		switch {
		case p >= 0 && t.kind(p) == "subscript" && t.child(p, "subscript") == n:
		case p >= 0 && t.kind(p) == "comparison_operator" && t.children(p)[0] == n && strings.Contains(t.text(p), " in "):
		case p >= 0 && t.kind(p) == "argument_list" && dictLookup(t, t.nodes[p].parent):
		default:
			return false
		}
		return true
	})
}

// slicedUse accepts a use of a name that takes a slice of it (sha1[:5]).
func slicedUse(t *pyTree, n, p int32) bool {
	if p < 0 || t.kind(p) != "subscript" || t.child(p, "value") != n {
		return false
	}
	s := t.child(p, "subscript")
	return s >= 0 && t.kind(s) == "slice"
}

// digestUses reports whether the value of call i (with its attribute
// calls: .hexdigest()) is assigned to a local name that the function uses
// at least once, and only in ways ok accepts (n the use, p its parent).
func (t *pyTree) digestUses(i int32, ok func(t *pyTree, n, p int32) bool) bool {
	v := i
	for p := t.nodes[v].parent; p >= 0 && (t.kind(p) == "attribute" || t.kind(p) == "call"); p = t.nodes[v].parent {
		v = p
	}
	a := t.nodes[v].parent
	if a < 0 || t.kind(a) != "assignment" || t.child(a, "right") != v {
		return false
	}
	left, fn := t.child(a, "left"), t.enclosing(a, "function_definition")
	if left < 0 || t.kind(left) != "identifier" || fn < 0 {
		return false
	}
	name, uses := t.text(left), 0
	for n := a + 1; int(n) < len(t.nodes) && t.start(n) < t.end(fn); n++ {
		if t.start(n) < t.end(a) || t.kind(n) != "identifier" || t.text(n) != name {
			continue
		}
		if !ok(t, n, t.nodes[n].parent) {
			return false
		}
		uses++
	}
	return uses > 0
}

// dictLookup reports whether call c is a dict's get, pop or setdefault.
func dictLookup(t *pyTree, c int32) bool {
	if c < 0 || t.kind(c) != "call" {
		return false
	}
	switch lastPart(t.callee(c)) {
	case "get", "pop", "setdefault":
		return true
	}
	return false
}

var (
	jwtDecode      = lazyre.New(`\bjwt\s*\.\s*decode\s*\(`)
	algorithmsArg  = lazyre.New(`\balgorithms\s*=`)
	algorithmsNone = lazyre.New(`(?i)\balgorithms\s*=\s*(None\b|\[[^\]]*["']none["'])`)
	verifyOff      = lazyre.New(`["']verify_signature["']\s*:\s*False|\bverify(_signature)?\s*=\s*False`)
	expOff         = lazyre.New(`["']verify_(exp|aud|iss)["']\s*:\s*False`)
	algNone        = lazyre.New(`(?i)\balgorithm\s*=\s*(["']none["']|None\b)`)
	algFromToken   = lazyre.New(`\balgorithms?\s*=\s*\[?[^,)]*get_unverified_header`)
)

// inMigration reports whether a path is in a migrations or alembic
// directory: code the operator runs once on the database, no request
// reaches it.
func inMigration(rel string) bool {
	dirs := strings.Split(path.Dir(rel), "/")
	return slices.Contains(dirs, "migrations") || slices.Contains(dirs, "alembic")
}

// fieldDeclaration reports whether v declares a form or model field
// (fcls.password = PasswordField(...)): a field, not a value.
func fieldDeclaration(t *pyTree, v int32) bool {
	return t.kind(v) == "call" && strings.HasSuffix(lastPart(t.callee(v)), "Field")
}

// urlPassword reports whether v is the password part of a parsed URL:
// urlsplit(url).password, or parts.password where every value of parts
// is a parse of a URL (urlsplit, urlparse, make_url) or a value named
// url. It is a connection's credential, copied, not a user's password.
func (t *pyTree) urlPassword(v int32) bool {
	if t.kind(v) != "attribute" || t.text(t.child(v, "attribute")) != "password" {
		return false
	}
	isURL := func(x int32) bool {
		switch t.kind(x) {
		case "call":
			return urlWord.MatchString(lastPart(t.callee(x)))
		case "identifier", "attribute":
			return urlWord.MatchString(lastPart(t.text(x)))
		}
		return false
	}
	obj := t.child(v, "object")
	return isURL(obj) || t.kind(obj) == "identifier" && t.assignedFrom(obj, isURL)
}

// urlWord names a URL or what parses one: url, db_uri, urlsplit, make_url.
var urlWord = lazyre.New(`(?i)(^|_)(url|uri)$|^(url|uri)|url$`)

// issuesTokens reports whether the module signs tokens itself: a call of
// a JWT library's encode.
func (t *pyTree) issuesTokens() bool {
	found := false
	t.each(func(i int32) {
		name := t.callee(i)
		found = found || lastPart(name) == "encode" && strings.HasSuffix(strings.TrimSuffix(name, ".encode"), "jwt")
	}, "call")
	return found
}

// checkJWT looks at every call of a JWT library's decode and encode, by the
// resolved name: import jwt as pyjwt, from jwt import decode and from jose
// import jwt all count.
func checkJWT(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !f.py.codeHas("jwt") {
		return nil
	}
	py, t := f.py, f.py.tree
	var out []Finding
	t.each(func(i int32) {
		name := t.callee(i)
		if !strings.HasSuffix(strings.TrimSuffix(name, "."+lastPart(name)), "jwt") {
			return
		}
		start, end := t.start(i), t.end(i)
		code, src := string(py.code[start:end]), string(py.src[start:end])
		line := t.line(i)
		switch lastPart(name) {
		case "decode":
			// Options splatted from a module constant
			// (**config.get("DECODE_PARAMS", DECODE_PARAMS)) are read as if
			// written in the call: what they turn off and the algorithms
			// they name.
			if c := t.splatConstants(i); c != "" {
				src += " " + c
			}
			switch {
			case (verifyOff.MatchString(src) || t.verifyOffByName(i)) && t.optInInsecure(i):
				// Verification off only where a setting asks for it
				// (if config["VERIFY_TOKEN"]: ... else: ...).
				out = append(out, jwtCheck.finding(f, line, checklists.Low,
					"jwt.decode skips signature verification when a setting turns it off: check the setting defaults to verifying and says so", ""))
			case algFromToken.MatchString(src) || t.algorithmsFromHeader(i) || t.algorithmsFromInput(i):
				out = append(out, jwtCheck.finding(f, line, checklists.Critical,
					"jwt.decode takes its algorithm from the token's own header", ""))
			case verifyOff.MatchString(src) || t.verifyOffByName(i):
				if t.validatedLater(i) {
					// A peek (at the issuer, to pick the key set) before the
					// same token is validated.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads the token without verifying it, before the function validates it: check nothing is trusted before that", ""))
					break
				}
				if t.checkedBefore(i) {
					// The provider accepted this exact token first (its
					// userinfo or introspection endpoint): the claims read
					// now come from a token the issuer vouched for.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads a token without verifying it after the function had the provider check the same token (userinfo, introspection): check a failed check stops the function", ""))
					break
				}
				if t.ownToken(i) {
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads a token the service just obtained from its own credential without verifying it: check its claims only name the service's own identity", ""))
					break
				}
				if t.heldIDToken(i) {
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads an ID token the service holds without verifying it: allowed for one received from the provider's token endpoint over TLS (OpenID Connect Core 3.1.3.7); check it never comes from the client", ""))
					break
				}
				if t.readsOnlyExpiry(i) {
					// A client reading when its own token runs out, to
					// fetch a new one in time: nothing is granted on it.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads a token without verifying it, only for its expiry: check nothing else is taken from it", ""))
					break
				}
				if t.onlyLogged(i) {
					// logger.exception("bad token: %r", jwt.decode(tok, options=...)):
					// the claims of a token that failed go to the log, nothing
					// is granted on them.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads a token without verifying it only to log its claims: check the token is refused and the log is not trusted", ""))
					break
				}
				if fn := t.enclosing(i, "function_definition"); fn >= 0 && unverifiedName.MatchString(t.text(t.child(fn, "name"))) {
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode reads a token without verifying it, in a function named for unverified reads: check what its callers trust", ""))
					break
				}
				out = append(out, jwtCheck.finding(f, line, checklists.Critical,
					"jwt.decode is called with signature verification turned off", ""))
			case algorithmsNone.MatchString(src):
				out = append(out, jwtCheck.finding(f, line, checklists.Critical,
					"jwt.decode accepts the none algorithm", ""))
			// An object's decode (self.jwt = JsonWebToken(["RS256"])) was
			// given its algorithms when it was built.
			// Authlib's jwt is such an object (JsonWebToken(JWS_ALGORITHMS));
			// PyJWT and python-jose take algorithms as the third argument.
			case !algorithmsArg.MatchString(code) && !strings.HasPrefix(name, "self.") && !strings.HasPrefix(name, "cls.") &&
				!strings.HasPrefix(name, "authlib.") && !strings.HasPrefix(name, "joserfc.") && !t.positionalAlgorithms(i) && !t.builtDecoder(i) && !t.splatAlgorithms(i) &&
				!(splatAlgEntry.MatchString(t.splatConstants(i)) && !algorithmsNoneEntry.MatchString(t.splatConstants(i))):
				fd := jwtCheck.finding(f, line, checklists.High, "jwt.decode is called without an explicit algorithms list", "")
				fd.pyjwtNoAlgorithms = name == "jwt.decode"
				out = append(out, fd)
			}
			// With the signature unchecked no claim in the token can be
			// trusted: the finding on verification (above, at whatever
			// severity its evidence gives) is the one to judge, and a second
			// one on the claims it also leaves unchecked says nothing more.
			sigOff := verifyOff.MatchString(src) || t.verifyOffByName(i)
			if ms := expOff.RE().FindAllStringSubmatch(src, -1); ms != nil && !sigOff {
				claim := ms[0][1]
				for _, m := range ms {
					if m[1] == "exp" {
						claim = "exp"
					}
				}
				if claim == "exp" && (requiresExp.MatchString(src) || t.resultUnused(i)) {
					// "require": ["exp"] with verify_exp off: the claim must be
					// there and the code compares it with its own clock; a
					// decode whose result nobody reads only tests the signature.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode leaves the exp check to the code (the claim is required, or no claim is read): check the expiry is compared", ""))
					break
				}
				if claim != "exp" && t.issuesTokens() {
					// The module signs the tokens it reads (jwt.encode with
					// its own key): no other issuer or audience shares the
					// key, so there is nothing for iss or aud to tell apart.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						fmt.Sprintf("jwt.decode skips the %s claim check on tokens this module issues: check no other issuer shares the key", claim), ""))
					break
				}
				if (claim == "exp" || claim == "aud") && t.claimCheckedAfter(i, claim) {
					// options={"verify_aud": False} and then
					// _validate_token_audience(payload, ...), or a caller that
					// compares payload.exp with the clock: the check is done
					// by the code, on the claims the signature vouched for.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						fmt.Sprintf("jwt.decode leaves the %s check to the code, which checks it on the decoded claims (here or in the caller): check every path does", claim), ""))
					break
				}
				if claim == "exp" && t.inExpiredHandler(i) {
					// The token was refused for its age a moment ago: the
					// handler reads its claims (to log or say when it ran
					// out), it does not accept it.
					out = append(out, jwtCheck.finding(f, line, checklists.Low,
						"jwt.decode skips the exp check in the handler of an expired token: check the handler grants nothing on the claims", ""))
					break
				}
				out = append(out, jwtCheck.finding(f, line, checklists.High,
					fmt.Sprintf("jwt.decode skips the %s claim check", claim), ""))
			}
		case "encode":
			// An unsigned token is forged only where it is accepted: the
			// decode side (algorithms with "none") is critical. Issuing
			// one is what some providers ask for (PayPal's auth assertion).
			if algNone.MatchString(src) {
				out = append(out, jwtCheck.finding(f, line, checklists.Low,
					"tokens are issued with alg none (unsigned): only for a receiver that expects unsigned assertions, never for tokens this service accepts", ""))
			}
		}
	}, "call")
	return out
}

var (
	// unverifiedName is a function named for reading a token unverified
	// (get_unverified_claims, insecure_decode): its name
	// tells every caller what it returns.
	unverifiedName = lazyre.New(`(?i)unverified|insecure`)
	// requiresExp is an options' "require" list that names exp.
	requiresExp = lazyre.New(`["']require["']\s*:\s*[\[(][^\])]*["']exp["']`)
	// idTokenName names an OpenID Connect ID token.
	idTokenName = lazyre.New(`(?i)(^|_)id_?token$`)
)

// expiredError is an exception class a JWT library raises for a token past
// its exp (PyJWT's ExpiredSignatureError, Authlib's ExpiredTokenError).
var expiredError = lazyre.New(`\bExpired\w*Error\b`)

// inExpiredHandler reports whether a call sits in an except clause, within
// its function, that catches a library's expired-token error: the token it
// reads was already refused for its age.
func (t *pyTree) inExpiredHandler(call int32) bool {
	c := t.enclosing(call, "except_clause", "function_definition", "lambda")
	if c < 0 || t.kind(c) != "except_clause" {
		return false
	}
	text := t.text(c)
	if k := strings.IndexByte(text, ':'); k >= 0 {
		text = text[:k]
	}
	return expiredError.MatchString(text)
}

// ownToken reports whether the token a decode call reads was just
// obtained by the service itself from a credential API, in this function:
// token = get_arm_token(credential=...), cred.get_token(scope).token,
// app.acquire_token_silent(...)["access_token"]. Its claims (the object id,
// the tenant) name the service's own identity; nothing the client sent is
// checked with it.
func (t *pyTree) ownToken(call int32) bool {
	pos, _ := t.args(call)
	if len(pos) == 0 || t.kind(pos[0]) != "identifier" || t.tainted(pos[0], 0) {
		return false
	}
	var fromCredential func(v int32) bool
	fromCredential = func(v int32) bool {
		switch t.kind(v) {
		case "call":
			return tokenGetter.MatchString(lastPart(t.callee(v)))
		case "attribute":
			return fromCredential(t.child(v, "object"))
		case "subscript":
			return fromCredential(t.child(v, "value"))
		}
		return false
	}
	return t.assignedFrom(pos[0], fromCredential)
}

// tokenGetter names a credential API's call that returns a token the
// caller holds: get_token, get_access_token, get_arm_token,
// acquire_token_silent, fetch_token.
var tokenGetter = lazyre.New(`(?i)^(get|acquire|fetch|request)_(\w+_)?token(_\w+)?$`)

// splatConstants returns the source of the module constants a decode call
// takes its options from through a ** argument: named in it
// (**DECODE_PARAMS, **config.get("KEY", DECODE_PARAMS)) or in what the
// splatted local name was assigned earlier in the function. A setting
// named by a key may override them; the constant is what ships.
func (t *pyTree) splatConstants(call int32) string {
	var exprs []int32
	fn := t.enclosing(call, "function_definition")
	for _, a := range t.children(t.child(call, "arguments")) {
		if t.kind(a) != "dictionary_splat" {
			continue
		}
		exprs = append(exprs, a)
		for _, c := range t.children(a) {
			if t.kind(c) == "identifier" && fn >= 0 {
				t.assignedFrom(c, func(right int32) bool {
					exprs = append(exprs, right)
					return false
				})
			}
		}
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, e := range exprs {
		t.identifiersIn(e, func(n int32) {
			name := t.text(n)
			if seen[name] || strings.ToUpper(name) != name || strings.ToLower(name) == name {
				return
			}
			seen[name] = true
			t.moduleAssignedFrom(name, func(right int32) bool {
				b.WriteString(t.text(right))
				b.WriteByte(' ')
				return true
			})
		})
	}
	return strings.TrimSpace(b.String())
}

// identifiersIn calls fn for every identifier under node i.
func (t *pyTree) identifiersIn(i int32, fn func(n int32)) {
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		if t.kind(c) == "identifier" {
			fn(c)
		}
		t.identifiersIn(c, fn)
	}
}

// heldIDToken reports whether the token a decode call reads is an ID token
// the service holds rather than one the client sent: an attribute or a
// mapping entry called id_token (self._id_token, tokens["id_token"],
// session.token.get("id_token")), or a local name assigned from one, that
// carries no request input in this function. A parameter named id_token
// is not enough: its callers are out of sight. OpenID Connect lets a
// client that got the ID token from the provider's token endpoint over
// TLS use it without checking the signature.
func (t *pyTree) heldIDToken(call int32) bool {
	pos, _ := t.args(call)
	if len(pos) == 0 {
		return false
	}
	tok := pos[0]
	var isID func(v int32) bool
	isID = func(v int32) bool {
		switch t.kind(v) {
		case "attribute":
			return idTokenName.MatchString(lastPart(t.text(v)))
		case "identifier":
			return t.assignedFrom(v, isID)
		case "subscript":
			if k := t.child(v, "subscript"); k >= 0 {
				lit, _ := t.strLiteral(k)
				return t.kind(k) == "string" && idTokenName.MatchString(lit)
			}
		case "call":
			if lastPart(t.callee(v)) == "get" {
				if a := t.arg(v, 0, ""); a >= 0 && t.kind(a) == "string" {
					lit, _ := t.strLiteral(a)
					return idTokenName.MatchString(lit)
				}
			}
		}
		return false
	}
	return isID(tok) && !t.tainted(tok, 0)
}

// expiryClaims are the claims that only say when a token is valid.
var expiryClaims = map[string]bool{"exp": true, "iat": true, "nbf": true}

// readsOnlyExpiry reports whether the claims a decode call returns are read
// only for when the token is valid: decode(...)["exp"], or a local name
// assigned the claims whose every later use in the function is ["exp"],
// .get("exp") (or iat, nbf), one use at least.
func (t *pyTree) readsOnlyExpiry(call int32) bool {
	if t.expiryRead(call) {
		return true
	}
	a := t.nodes[call].parent
	if a < 0 || t.kind(a) != "assignment" || t.child(a, "right") != call {
		return false
	}
	left := t.child(a, "left")
	fn := t.enclosing(call, "function_definition")
	if left < 0 || t.kind(left) != "identifier" || fn < 0 {
		return false
	}
	return t.everyUseAfter(call, t.end(fn), t.text(left), t.expiryRead)
}

// everyUseAfter reports whether every use of name after node from, up to
// offset end, passes ok, with one use at least. The name bound by a with's
// "as" is not a use.
func (t *pyTree) everyUseAfter(from int32, end int, name string, ok func(use int32) bool) bool {
	uses := 0
	for u := from; int(u) < len(t.nodes) && t.start(u) < end; u++ {
		if t.start(u) < t.end(from) || t.kind(u) != "identifier" || t.text(u) != name {
			continue
		}
		if p := t.nodes[u].parent; p >= 0 && t.kind(p) == "as_pattern_target" {
			continue
		}
		if !ok(u) {
			return false
		}
		uses++
	}
	return uses > 0
}

// expiryRead reports whether node v is read only for an expiry claim:
// v["exp"] or v.get("exp", ...).
func (t *pyTree) expiryRead(v int32) bool {
	p := t.nodes[v].parent
	if p < 0 {
		return false
	}
	claim := func(k int32) bool {
		if k < 0 || t.kind(k) != "string" {
			return false
		}
		key, interpolated := t.strLiteral(k)
		return !interpolated && expiryClaims[key]
	}
	switch t.kind(p) {
	case "subscript":
		return t.child(p, "value") == v && claim(t.child(p, "subscript"))
	case "attribute":
		call := t.nodes[p].parent
		if t.child(p, "object") != v || t.text(t.child(p, "attribute")) != "get" || call < 0 || t.kind(call) != "call" {
			return false
		}
		return claim(t.arg(call, 0, ""))
	}
	return false
}

// resultUnused reports whether a call is a statement of its own: what it
// returns is dropped (jwt.decode(...) to test the signature only).
func (t *pyTree) resultUnused(call int32) bool {
	p := t.nodes[call].parent
	return p >= 0 && t.kind(p) == "expression_statement"
}

// builtDecoder reports whether a decode or load call's object is a local
// name the function made from a class (jwt = JsonWebToken([alg]);
// jwt.decode(...), yaml = ruamel.yaml.YAML(typ="safe"); yaml.load(...)):
// such an object was configured when it was built, and a local named jwt
// or yaml is not PyJWT's or PyYAML's module.
func (t *pyTree) builtDecoder(call int32) bool {
	f := t.child(call, "function")
	if f < 0 || t.kind(f) != "attribute" {
		return false
	}
	obj := t.child(f, "object")
	if obj < 0 || t.kind(obj) != "identifier" {
		return false
	}
	built := func(v int32) bool {
		// YAML(typ="unsafe") asks for the dangerous loader by name.
		last := lastPart(t.callee(v))
		return t.kind(v) == "call" && last != "" && unicode.IsUpper(rune(last[0])) && !strings.Contains(t.text(v), "unsafe")
	}
	if t.assignedFrom(obj, built) {
		return true
	}
	// yaml = YAML() at module level (or in a module-level try), used in
	// the module's functions that do not assign the name themselves.
	if fn := t.enclosing(obj, "function_definition"); fn >= 0 && t.assignsName(fn, t.text(obj)) {
		return false
	}
	return t.moduleAssignedFrom(t.text(obj), built)
}

// assignsName reports whether function fn assigns name itself.
func (t *pyTree) assignsName(fn int32, name string) bool {
	for a := fn; int(a) < len(t.nodes) && t.start(a) < t.end(fn); a++ {
		if t.kind(a) == "assignment" && t.child(a, "left") >= 0 && targets(t, t.child(a, "left"))[name] {
			return true
		}
	}
	return false
}

// moduleAssignedFrom reports whether every assignment of name outside a
// function (in the module or its module-level blocks) has a right side
// that ok accepts, and there is at least one.
func (t *pyTree) moduleAssignedFrom(name string, ok func(right int32) bool) bool {
	return t.assignmentsAgree(0, math.MaxInt, name, func(a int32) bool {
		return t.enclosing(a, "function_definition") < 0 && t.enclosing(a, "class_definition") < 0
	}, ok)
}

// bodyModelParam reports whether identifier n is a route handler's
// parameter typed with a class (data: CreateUser): FastAPI fills it from
// the request body, so it is the payload, not a stored row.
func (t *pyTree) bodyModelParam(n int32) bool {
	fn := t.enclosing(n, "function_definition")
	if fn < 0 || !t.isRouteHandler(fn) {
		return false
	}
	params := t.child(fn, "parameters")
	if params < 0 {
		return false
	}
	for _, p := range t.children(params) {
		if t.kind(p) != "typed_parameter" {
			continue
		}
		cs := t.children(p)
		typ := t.child(p, "type")
		if len(cs) > 0 && typ >= 0 && t.text(cs[0]) == t.text(n) {
			return modelType.MatchString(t.text(typ))
		}
	}
	return false
}

// modelType is a class name used as a type, not a request or a session.
var modelType = lazyre.New(`^[A-Z]\w*$`)

// positionalAlgorithms reports whether a decode call gives its algorithms
// as the third positional argument: jwt.decode(token, key, ["HS256"]).
func (t *pyTree) positionalAlgorithms(call int32) bool {
	pos, _ := t.args(call)
	if len(pos) < 3 {
		return false
	}
	switch t.kind(pos[2]) {
	case "list", "tuple", "identifier", "attribute":
		return true
	}
	return false
}

// splatAlgorithms reports whether a decode call takes its algorithms from a
// **name whose dict the same function builds with an "algorithms" entry
// that does not admit none (config = {"algorithms": [ALG], "issuer": ...};
// jwt.decode(token, key, **config)), as a keyword argument would give them.
func (t *pyTree) splatAlgorithms(call int32) bool {
	fn := t.enclosing(call, "function_definition")
	if fn < 0 {
		return false
	}
	names := map[string]bool{}
	for _, a := range t.children(t.child(call, "arguments")) {
		if t.kind(a) == "dictionary_splat" {
			names[strings.TrimSpace(strings.TrimPrefix(t.text(a), "**"))] = true
		}
	}
	if len(names) == 0 {
		return false
	}
	found := false
	t.each(func(a int32) {
		left, right := t.child(a, "left"), t.child(a, "right")
		if found || left < 0 || right < 0 || !names[t.text(left)] || t.enclosing(a, "function_definition") != fn ||
			t.start(a) > t.start(call) {
			return
		}
		if src := t.text(right); splatAlgEntry.MatchString(src) && !algorithmsNoneEntry.MatchString(src) {
			found = true
		}
	}, "assignment")
	return found
}

var (
	splatAlgEntry       = lazyre.New(`^(\{[^}]*["']algorithms["']\s*:|dict\((.|\n)*\balgorithms\s*=)`)
	algorithmsNoneEntry = lazyre.New(`(?i)["']?algorithms["']?\s*[:=]\s*(None\b|\[[^\]]*["']none["'])`)
)

// validatedLater reports whether the function that decodes a token without
// verifying it goes on to pass the same token to a call that validates or
// verifies it (self._validate_jwt(id_token, jwks)), or decodes it again
// with the signature checked (a peek at the issuer to pick the realm's key,
// then jwt.decode(token, key, algorithms=[...])). An unverified decode that
// is returned never reaches the later decode: that one is another path.
func (t *pyTree) validatedLater(call int32) bool {
	pos, _ := t.args(call)
	fn := t.enclosing(call, "function_definition")
	if len(pos) == 0 || t.kind(pos[0]) != "identifier" || fn < 0 {
		return false
	}
	token, found := t.text(pos[0]), false
	returned := t.enclosing(call, "return_statement") > fn
	t.each(func(c int32) {
		if found || t.start(c) <= t.end(call) || t.end(c) > t.end(fn) {
			return
		}
		if name := t.callee(c); lastPart(name) == "decode" && strings.HasSuffix(strings.TrimSuffix(name, ".decode"), "jwt") {
			// A second decode of the same token that leaves verification on.
			if args, _ := t.args(c); !returned && len(args) > 1 && t.kind(args[0]) == "identifier" && t.text(args[0]) == token &&
				!verifyOff.MatchString(t.text(c)) && !t.verifyOffByName(c) {
				found = true
			}
			return
		}
		if !validateCall.MatchString(lastPart(t.callee(c))) {
			return
		}
		args, _ := t.args(c)
		for _, a := range args {
			if t.kind(a) == "identifier" && t.text(a) == token {
				found = true
			}
		}
	}, "call")
	return found
}

// checkedBefore reports whether, before a decode that skips verification,
// the same function gave the same token (the same name or attribute, as
// such or inside a value it built from it: token_data = {"access_token":
// form_data.token}) to a call that has the issuer check it: userinfo,
// introspection, or a call named for validating or verifying.
func (t *pyTree) checkedBefore(call int32) bool {
	pos, _ := t.args(call)
	fn := t.enclosing(call, "function_definition")
	if len(pos) == 0 || fn < 0 {
		return false
	}
	if k := t.kind(pos[0]); k != "identifier" && k != "attribute" {
		return false
	}
	token := t.text(pos[0])
	carriers := map[string]bool{token: true}
	found := false
	for n := fn; int(n) < len(t.nodes) && t.start(n) < t.start(call) && !found; n++ {
		switch t.kind(n) {
		case "assignment":
			// token_data = {"access_token": form_data.token, ...}
			left, right := t.child(n, "left"), t.child(n, "right")
			if left >= 0 && right >= 0 && t.kind(left) == "identifier" && t.mentions(right, carriers) {
				carriers[t.text(left)] = true
			}
		case "call":
			// A check tested in a condition (if verify_token(token): ...)
			// may have failed on the way here; one whose answer the
			// function goes on with (or raises from) has passed.
			// (A call that wraps the decode, validate(jwt.decode(...)),
			// checks its result, not the token: it must end before.)
			if last := lastPart(t.callee(n)); t.end(n) <= t.start(call) && checkerCall.MatchString(last) && !unverifiedName.MatchString(last) &&
				t.mentions(t.child(n, "arguments"), carriers) && !t.inCondition(n, fn) {
				found = true
			}
		}
	}
	return found
}

// inCondition reports whether node n sits in the condition of an if, elif
// or while, or of a conditional expression, within fn.
func (t *pyTree) inCondition(n, fn int32) bool {
	for c := n; c >= 0 && c != fn; c = t.nodes[c].parent {
		if t.field(c) == "condition" {
			return true
		}
	}
	return false
}

// mentions reports whether the subtree at n holds an identifier or an
// attribute chain whose text is one of names.
func (t *pyTree) mentions(n int32, names map[string]bool) bool {
	if n < 0 {
		return false
	}
	for j := n; int(j) < len(t.nodes) && t.start(j) < t.end(n); j++ {
		if k := t.kind(j); (k == "identifier" || k == "attribute") && names[t.text(j)] {
			return true
		}
	}
	return false
}

// checkerCall is a call that has a token checked by its issuer.
var checkerCall = lazyre.New(`(?i)userinfo|user_info|introspect|valid|verif`)

// A call named for checking a token or decoding it checked
// (check_and_decode_token, check_jwt, check_token_signature) validates too.
var validateCall = lazyre.New(`(?i)valid|verif|^check_(\w+_)?(token|jwt|signature)$|^check_and_decode`)

// algorithmsFromHeader reports whether the algorithms given to a decode
// call name a value the same function took from the token's unverified
// header: header = jwt.get_unverified_header(token), then
// algorithms=[header["alg"]].
func (t *pyTree) algorithmsFromHeader(call int32) bool {
	alg := t.arg(call, -1, "algorithms")
	fn := t.enclosing(call, "function_definition")
	if alg < 0 || fn < 0 {
		return false
	}
	names := map[string]bool{}
	for _, name := range identifierRe.FindAllString(t.text(alg), -1) {
		names[name] = true
	}
	found := false
	t.each(func(a int32) {
		left, right := t.child(a, "left"), t.child(a, "right")
		if !found && left >= 0 && right >= 0 && names[t.text(left)] && t.enclosing(a, "function_definition") == fn &&
			strings.Contains(t.text(right), "get_unverified_header") {
			found = true
		}
	}, "assignment")
	return found
}

var identifierRe = lazyre.New(`[A-Za-z_]\w*`)

var (
	corsMiddleware  = lazyre.New(`\bCORSMiddleware\b|\bCORS\s*\(`)
	wildOrigins     = lazyre.New(`\b(allow_origins|origins)\s*=\s*(\[\s*)?["']\*["']|["']origins["']\s*:\s*(\[\s*)?["']\*["']|\ballow_origin_regex\s*=\s*r?["']\.\*["']`)
	withCredentials = lazyre.New(`\b(allow_credentials|supports_credentials)\s*=\s*True\b`)
	djangoAllowAll  = lazyre.New(`(?m)^(CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)\s*=\s*True\b|^CORS_ALLOWED_ORIGINS\s*=\s*[\[(]\s*["']\*["']`)
	djangoCreds     = lazyre.New(`(?m)^CORS_ALLOW_CREDENTIALS\s*=\s*True\b`)
	headerWildcard  = lazyre.New(`(?i)["']Access-Control-Allow-Origin["']\s*\]?\s*[:=,]\s*["']\*["']`)
	headerCreds     = lazyre.New(`(?i)["']Access-Control-Allow-Credentials["']\s*\]?\s*[:=,]\s*["']true["']`)
	// headerEcho sets Access-Control-Allow-Origin to the request's own
	// Origin header as sent, or to "null" (the origin of sandboxed frames
	// and data: pages, which any site can take).
	headerEcho = lazyre.New(`(?i)["']Access-Control-Allow-Origin["']\s*\]?\s*[:=,]\s*(request\.headers\.get\(\s*["']origin["']|request\.headers\[\s*["']origin["']\s*\]|request\.META(\.get\(|\[)\s*["']HTTP_ORIGIN["']|self\.headers\.get\(\s*["']origin["']|["']null["'])`)
	// originChecked is a function that compares the Origin with something
	// before echoing it (an allow-list, a trusted pattern).
	originChecked = lazyre.New(`(?i)origin\w*["')\]]*\s*(not\s+)?in\b|origin\w*["')\]]*\s*[!=]=|\ballow(ed)?_?(origins?|hosts?|domains?)\b|whitelist|trusted|\.match\(|fullmatch\(|endswith\(`)
)

func checkCORS(p *Project, f *File) []Finding {
	// The header names are strings, which the code text blanks: a view
	// that sets them by hand may never say cors outside them.
	if f.py == nil || isTest(f.Path) || isDevSettings(f.Path) || !f.py.lowerHas("cors", "access-control") && !f.dataHas("Access-Control-Allow", "access-control-allow") {
		return nil
	}
	py := f.py
	var out []Finding
	for _, m := range matches(f, corsMiddleware, "cors") {
		if py.tree.definedName(m[0]) {
			// class CORS(Fixture): the project's own helper, named like
			// flask-cors; the headers it sets are judged below.
			continue
		}
		// The call that configures the middleware: add_middleware(CORSMiddleware,
		// ...) around the name, or CORS(app, ...) itself.
		start, end := py.enclosingCall(m[0])
		if strings.HasSuffix(string(py.code[m[0]:m[1]]), "(") {
			start, end = m[0], py.callSpan(m[1]-1)
		}
		src := py.src[start:end]
		if wildOrigins.Match(src) && withCredentials.Match(src) {
			if sw := py.tree.openCORSSwitch(py.tree.nodeAt(m[0], "identifier")); sw != "" {
				// if settings.OPEN_CROSS_DOMAIN: add_middleware(...): the
				// operator turns the API wide open by a switch named so.
				out = append(out, corsCheck.finding(f, py.lineOf(m[0]), checklists.Low,
					fmt.Sprintf("CORS allows every origin and credentials at once, but only under %s, a switch an operator turns on to open the API to every site: check it is off by default and no cookie session rides along", sw), ""))
				continue
			}
			out = append(out, corsCheck.finding(f, py.lineOf(m[0]), checklists.High,
				"CORS allows every origin and credentials at once", ""))
		} else if echoesAnyOrigin(py, py.code[m[0]:m[1]], src) {
			out = append(out, corsCheck.finding(f, py.lineOf(m[0]), checklists.High,
				"flask-cors sends every requesting origin back (origins \"*\", its default) and credentials are allowed: any site reads the user's responses", ""))
		}
	}
	if m := srcMatches(f, djangoAllowAll, "cors_"); m != nil && djangoCreds.Match(py.code) {
		out = append(out, corsCheck.finding(f, py.lineOf(m[0][0]), checklists.High,
			"CORS allows every origin and credentials at once", ""))
	}
	if headerCreds.Match(py.src) {
		creds := headerCreds.FindAllIndex(py.src, -1)
		for _, m := range headerWildcard.FindAllIndex(py.src, -1) {
			star := py.tree.nodeAt(m[0], "string")
			if py.tree.withoutCredentials(star) || !py.tree.sameFunction(star, creds) {
				continue
			}
			if py.tree.separateTests(star, creds) {
				// if cfg.allow_all_origins: "*"; if cfg.allow_credentials:
				// "true": two settings, both on only if someone sets both.
				out = append(out, corsCheck.finding(f, py.lineOf(m[0]), checklists.Low,
					"Access-Control-Allow-Origin: * and the credentials header are each sent under their own test: check the two can never be on together", ""))
				continue
			}
			// A literal "*" is what the browser sees: it refuses to hand a
			// credentialed response to the page under it, so the requests
			// with cookies fail rather than leak (the Fetch standard). The
			// frameworks that echo the Origin instead are judged above.
			out = append(out, corsCheck.finding(f, py.lineOf(m[0]), checklists.Low,
				"responses send a literal Access-Control-Allow-Origin: * with credentials: browsers refuse such responses to credentialed requests, so they fail rather than leak; check no path sends the request's Origin back instead", ""))
			break
		}
		for _, m := range headerEcho.FindAllIndex(py.src, -1) {
			at := py.tree.nodeAt(m[0], "string")
			if at < 0 || !py.tree.sameFunction(at, creds) {
				continue
			}
			fn := py.tree.enclosing(at, "function_definition")
			null := strings.HasSuffix(strings.ToLower(strings.TrimRight(string(py.src[m[0]:m[1]]), `"'`)), "null")
			if !null && fn >= 0 && originChecked.MatchString(py.tree.text(fn)) {
				continue
			}
			msg := "Access-Control-Allow-Origin is the request's own Origin, unchecked, with credentials allowed: any site the user visits reads the user's responses"
			if null {
				msg = "Access-Control-Allow-Origin: null with credentials allowed: sandboxed frames and data: pages of any site have the origin null, so any site reads the user's responses"
			}
			out = append(out, corsCheck.finding(f, py.lineOf(m[0]), checklists.High, msg, ""))
		}
	}
	return dedupeLines(out)
}

var (
	// openWord and corsWord together name a switch that opens CORS to
	// every origin: permissive_cors, OPEN_CROSS_DOMAIN, allow_all_origins.
	openWord = lazyre.New(`(?i)permissive|open|allow_?all|all_?origins|any_?origin|wildcard|unrestricted`)
	corsWord = lazyre.New(`(?i)cors|cross|origin`)
)

// openCORSSwitch returns the switch (a name or attribute tested alone)
// whose if branch holds node i, when the switch's own name says it opens
// CORS to every origin (if permissive_cors:, if settings.OPEN_CROSS_DOMAIN:):
// the wildcard is what the operator asks for by turning it on.
func (t *pyTree) openCORSSwitch(i int32) string {
	for n := i; n >= 0; n = t.nodes[n].parent {
		p := t.nodes[n].parent
		if p < 0 || t.kind(p) == "function_definition" || t.kind(p) == "class_definition" {
			return ""
		}
		if t.kind(p) != "if_statement" || t.child(p, "consequence") != n {
			continue
		}
		cond := t.child(p, "condition")
		if cond < 0 || t.kind(cond) != "identifier" && t.kind(cond) != "attribute" {
			continue
		}
		if name := lastPart(t.text(cond)); openWord.MatchString(name) && corsWord.MatchString(name) {
			return t.text(cond)
		}
	}
	return ""
}

// definedName reports whether the identifier at offset off is the name a
// class or function definition gives (class CORS(Fixture):), not a use.
func (t *pyTree) definedName(off int) bool {
	n := t.nodeAt(off, "identifier")
	if n < 0 {
		return false
	}
	p := t.nodes[n].parent
	return p >= 0 && (t.kind(p) == "class_definition" || t.kind(p) == "function_definition") && t.child(p, "name") == n
}

// sameFunction reports whether node i is in the same function as one of
// the matches at the offsets ms (both at module level counts): headers set
// in two functions go out on one response only if one calls the other,
// and the credentials one may well name its own origin.
func (t *pyTree) sameFunction(i int32, ms [][]int) bool {
	if i < 0 {
		return true
	}
	fn := t.enclosing(i, "function_definition")
	for _, m := range ms {
		if c := t.nodeAt(m[0], "string"); c < 0 || t.enclosing(c, "function_definition") == fn {
			return true
		}
	}
	return false
}

// separateTests reports whether node i and every match at the offsets ms
// in its function sit under different if statements, neither inside the
// other's: each is sent only when its own test holds.
func (t *pyTree) separateTests(i int32, ms [][]int) bool {
	own := t.enclosing(i, "if_statement")
	fn := t.enclosing(i, "function_definition")
	if own < 0 || own < fn {
		return false
	}
	for _, m := range ms {
		c := t.nodeAt(m[0], "string")
		if c < 0 || t.enclosing(c, "function_definition") != fn {
			continue
		}
		other := t.enclosing(c, "if_statement")
		if other < 0 || other < fn || other == own || t.within(c, own) || t.within(i, other) {
			return false
		}
	}
	return true
}

// within reports whether node i lies inside node outer.
func (t *pyTree) within(i, outer int32) bool {
	return t.start(i) >= t.start(outer) && t.end(i) <= t.end(outer)
}

// withoutCredentials reports whether node i lies in the else (or elif)
// branch of a test about credentials (if supports_credentials: echo the
// origin; else: "*"): the wildcard goes out only where credentials do not.
func (t *pyTree) withoutCredentials(i int32) bool {
	for n := i; n >= 0; n = t.nodes[n].parent {
		k := t.kind(n)
		if k != "else_clause" && k != "elif_clause" {
			continue
		}
		// The if's own test and the elifs before this branch.
		ifs := t.nodes[n].parent
		if ifs < 0 || t.kind(ifs) != "if_statement" {
			continue
		}
		tests := []int32{t.child(ifs, "condition")}
		for _, b := range t.children(ifs) {
			if b == n {
				break
			}
			if t.kind(b) == "elif_clause" {
				tests = append(tests, t.child(b, "condition"))
			}
		}
		for _, c := range tests {
			if c >= 0 && credentialTest.MatchString(t.text(c)) {
				return true
			}
		}
	}
	return false
}

var credentialTest = lazyre.New(`(?i)credential`)

var (
	corsSetting     = lazyre.New(`(?im)^[ \t]*(\w*(cors|origins)\w*)\s*(?::[^=\n]*)?=\s*(?:Field\(\s*(?:default\s*=\s*)?)?(\[\s*)?["']\*["']`)
	credsOffSetting = lazyre.New(`(?m)^[ \t]*(allow_credentials|supports_credentials)\s*(:[^=\n]*)?=\s*False\b`)
	credsFromConfig = lazyre.New(`\b(allow_credentials|supports_credentials)\s*=\s*True\b`)
	// nonOriginSetting is a CORS setting about something else than origins:
	// methods, request or exposed headers, the preflight's lifetime.
	nonOriginSetting = lazyre.New(`method|header|expose|max_age`)
)

// corsSettingFindings are the CORS origin settings of a file that default
// to "*"; checkCORSSettings reports them when the middleware elsewhere
// sends credentials.
func corsSettingFindings(f *File) []Finding {
	if credsOffSetting.Match(f.py.src) {
		// The settings beside the origins turn credentials off by default
		// (allow_credentials: bool = False): the middleware that sends
		// them is configured elsewhere, from other settings.
		return nil
	}
	var out []Finding
	for _, m := range srcMatches(f, corsSetting, "cors", "origin") {
		if name := strings.ToLower(string(f.py.src[m[2]:m[3]])); nonOriginSetting.MatchString(name) {
			// cors_methods = ["*"], cors_headers = ["*"]: which methods and
			// request headers are allowed lets no other site in; only the
			// origins decide who reads the answers.
			continue
		}
		out = append(out, corsCheck.finding(f, f.py.lineOf(m[0]), checklists.High,
			fmt.Sprintf("%s defaults to * while the CORS middleware allows credentials", f.py.src[m[2]:m[3]]), ""))
	}
	return out
}

// checkCORSSettings catches the wildcard when it sits in settings: a CORS
// origins setting defaulting to "*" while the middleware sends credentials.
func checkCORSSettings(p *Project) []Finding {
	credentials := false
	for _, f := range p.Files {
		if f.facts != nil && f.facts.corsCredentials {
			credentials = true
		}
	}
	if !credentials {
		return nil
	}
	var out []Finding
	for _, f := range p.Files {
		if f.facts != nil && !f.facts.test {
			out = append(out, f.facts.corsSettings...)
		}
	}
	return out
}

// logMethod is a logging call's method.
var logMethod = map[string]bool{"debug": true, "info": true, "warning": true, "warn": true, "error": true,
	"exception": true, "critical": true, "log": true, "msg": true}

// onlyLogged reports whether a call is an argument of a logging call
// (logger.exception(..., jwt.decode(...)), LOG.warning, logging.info,
// get_logger().error): what it returns is only written to the log.
func (t *pyTree) onlyLogged(call int32) bool {
	p := t.nodes[call].parent
	if p >= 0 && t.kind(p) == "keyword_argument" {
		p = t.nodes[p].parent
	}
	if p < 0 || t.kind(p) != "argument_list" {
		return false
	}
	outer := t.nodes[p].parent
	if outer < 0 || t.kind(outer) != "call" {
		return false
	}
	name := t.callee(outer)
	obj := strings.TrimSuffix(name, "."+lastPart(name))
	return obj != name && logMethod[lastPart(name)] && strings.Contains(strings.ToLower(lastPart(obj)), "log")
}

// claimValidators name the functions that check a token's claim by hand:
// _validate_token_expiry, check_expiry, ensure_not_expired,
// validate_audience, verify_aud.
var claimValidators = map[string]*lazyre.Regexp{
	"exp": lazyre.New(`(?i)(valid|check|verif|ensure|assert|enforce)\w*(expir|_exp$)|expir\w*_(valid|check)|not_expired`),
	"aud": lazyre.New(`(?i)(valid|check|verif|ensure|assert|enforce)\w*(audience|_aud$)|audience\w*_(valid|check)`),
}

// claimCompare is a comparison of an expiry claim with the clock.
var claimCompare = lazyre.New(`(?i)(\.exp\b|\[["']exp["']\]|\.get\(["']exp["']).*(time\(|now\(|utcnow|timestamp\()|(time\(|now\(|utcnow|timestamp\().*(\.exp\b|\[["']exp["']\]|\.get\(["']exp["'])`)

// claimCheckedAfter reports whether the claims a decode returns have claim
// checked by the code: after the decode, the function (or, when it returns
// them, every caller in the module that keeps them) gives them, or a value
// built from them (TokenPayload(**payload)), to a function named for that
// check, or to one of the module's functions that calls such a function,
// or (for exp) compares their exp with the clock.
func (t *pyTree) claimCheckedAfter(call int32, claim string) bool {
	re := claimValidators[claim]
	fn := t.enclosing(call, "function_definition")
	if fn < 0 || re == nil {
		return false
	}
	// Module functions whose body calls a validator of the claim.
	validates := map[string]bool{}
	t.each(func(c int32) {
		if re.MatchString(lastPart(t.callee(c))) {
			if d := t.enclosing(c, "function_definition"); d >= 0 {
				validates[t.text(t.child(d, "name"))] = true
			}
		}
	}, "call")
	checks := func(c int32) bool {
		name := lastPart(t.callee(c))
		return re.MatchString(name) || validates[name]
	}
	from := func(at int32, scope int32, names map[string]bool) (bool, bool) {
		mentions := func(n int32) bool {
			found := false
			t.each(func(u int32) {
				if !found && t.start(u) >= t.start(n) && t.end(u) <= t.end(n) && names[t.text(u)] {
					found = true
				}
			}, "identifier")
			return found
		}
		checked, returned := false, false
		for u := at; int(u) < len(t.nodes) && t.start(u) < t.end(scope); u++ {
			if t.start(u) < t.end(at) {
				continue
			}
			switch t.kind(u) {
			case "assignment":
				left, right := t.child(u, "left"), t.child(u, "right")
				if left >= 0 && right >= 0 && t.kind(left) == "identifier" && mentions(right) {
					names[t.text(left)] = true
				}
			case "call":
				if !checks(u) {
					continue
				}
				if args := t.child(u, "arguments"); args >= 0 && mentions(args) {
					checked = true
				}
			case "comparison_operator":
				if claim == "exp" && mentions(u) && claimCompare.MatchString(t.text(u)) {
					checked = true
				}
			case "return_statement":
				if mentions(u) {
					returned = true
				}
			}
		}
		return checked, returned
	}
	names := map[string]bool{}
	p := t.nodes[call].parent
	switch {
	case p >= 0 && t.kind(p) == "assignment" && t.kind(t.child(p, "left")) == "identifier":
		names[t.text(t.child(p, "left"))] = true
	case p >= 0 && t.kind(p) == "return_statement":
	default:
		return false
	}
	checked, returned := false, t.kind(p) == "return_statement"
	if len(names) > 0 {
		checked, returned = from(call, fn, names)
	}
	if checked {
		return true
	}
	if !returned {
		return false
	}
	// The function hands the claims back: each caller in the module that
	// keeps them must check them.
	name := t.text(t.child(fn, "name"))
	kept, all := 0, true
	t.each(func(c int32) {
		if lastPart(t.callee(c)) != name || c == call {
			return
		}
		a := t.nodes[c].parent
		if a < 0 || t.kind(a) != "assignment" || t.kind(t.child(a, "left")) != "identifier" {
			return
		}
		scope := t.enclosing(c, "function_definition")
		if scope < 0 {
			return
		}
		kept++
		ok, _ := from(c, scope, map[string]bool{t.text(t.child(a, "left")): true})
		all = all && ok
	}, "call")
	return kept > 0 && all
}
