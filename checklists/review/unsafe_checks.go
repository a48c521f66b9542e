package review

import (
	"fmt"

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
		Title: "eval, exec, unsafe deserialisation, a shell, template injection or XXE on possibly untrusted input",
		Help: "Parse data with json or yaml.safe_load, never unpickle data from outside, run commands " +
			"with an argument list (subprocess.run([...])) instead of a shell, render templates from files " +
			"with input as variables (autoescape on), and parse XML with defusedxml.",
	}
)

func init() {
	tlsCheck.file = checkTLS
	randomCheck.file = checkRandom
	evalCheck.file = checkEval
}

var (
	verifyFalse   = lazyre.New(`\bverify\s*=\s*False\b`)
	tlsClients    = lazyre.New(`\b(requests|httpx|aiohttp|urllib3|urllib)\b`)
	unverifiedSSL = lazyre.New(`\bssl\s*\.\s*_create_unverified_context\s*\(|(?:^|[^=!<>])=\s*(?:ssl\s*\.\s*)?CERT_NONE\b|\bcheck_hostname\s*=\s*False\b`)
)

func checkTLS(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !hasAny(f.py.code, "verify", "CERT_NONE", "_unverified", "check_hostname", "ssl") {
		return nil
	}
	py := f.py
	var out []Finding
	if tlsClients.Match(py.code) {
		for _, m := range matches(f, verifyFalse, "verify") {
			start, end := py.enclosingCall(m[0])
			if jwtDecode.Match(py.code[start:end]) {
				continue // jwt.decode(verify=False) is the JWT check's finding
			}
			out = append(out, tlsCheck.finding(f, py.lineOf(m[0]), checklists.High,
				"an HTTP client call turns certificate verification off", ""))
		}
	}
	for _, m := range matches(f, unverifiedSSL, "_create_unverified_context", "cert_none", "check_hostname") {
		out = append(out, tlsCheck.finding(f, py.lineOf(m[0]), checklists.High,
			"an SSL context accepts any certificate", ""))
	}
	return dedupeLines(out)
}

var (
	randomCall = lazyre.New(`\brandom\s*\.\s*(random|randint|randrange|choice|choices|sample|getrandbits|shuffle|uniform)\s*\(`)
	secretUse  = lazyre.New(`(?i)token|secret|password|passwd|otp|nonce|salt|api_?key|session|reset|verification|code|pin\b|csrf`)
)

// checkRandom flags the random module where its result names a secret: the
// assignment target, or the function that makes it, says token, code, salt...
func checkRandom(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !hasAny(f.py.code, "random") {
		return nil
	}
	py := f.py
	var out []Finding
	for _, m := range matches(f, randomCall, "random") {
		lineStart := py.lineStartOf(m[0])
		target := string(py.code[lineStart:m[0]])
		if !secretUse.MatchString(target) && !secretUse.MatchString(enclosingDef(py, m[0])) {
			continue
		}
		out = append(out, randomCheck.finding(f, py.lineOf(m[0]), checklists.High,
			fmt.Sprintf("random.%s makes a value that must not be guessable", py.code[m[2]:m[3]]), ""))
	}
	return out
}

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

var safeLoader = lazyre.New(`SafeLoader|CSafeLoader|BaseLoader`)

// fixed reports whether an expression is a string made of literals only
// (eval("1 + 1"), os.system("clear"), a template constant): no input can
// change it.
func (t *pyTree) fixed(i int32) bool {
	if i < 0 {
		return false
	}
	v, ok := t.evalString(i, 0)
	return ok && v.how == ""
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
	jinja := hasAny(f.py.code, "jinja2", "mako")
	var out []Finding
	add := func(i int32, sev Severity, msg string) {
		out = append(out, evalCheck.finding(f, t.line(i), sev, msg, ""))
	}
	t.each(func(i int32) {
		name := t.callee(i)
		last := lastPart(name)
		_, kws := t.args(i)
		kw := func(name string) string {
			if v, ok := kws[name]; ok && v >= 0 {
				return t.text(v)
			}
			return ""
		}
		switch {
		case (name == "eval" || name == "exec" || name == "builtins.eval" || name == "builtins.exec") &&
			!t.fixed(t.arg(i, 0, "")):
			add(i, checklists.High, fmt.Sprintf("%s() runs code built at run time", last))
		case deserialisers[name]:
			add(i, checklists.High, fmt.Sprintf("%s deserialises data that can run code", name))
		case name == "numpy.load" && kw("allow_pickle") == "True":
			add(i, checklists.High, "numpy.load with allow_pickle=True unpickles data that can run code")
		case name == "yaml.load" || name == "yaml.load_all":
			loader := t.arg(i, 1, "Loader")
			if loader < 0 || !safeLoader.MatchString(t.text(loader)) {
				add(i, checklists.High, "yaml is loaded with a loader that can build arbitrary objects")
			}
		case (name == "os.system" || name == "os.popen") && !t.fixed(t.arg(i, 0, "")):
			add(i, checklists.High, fmt.Sprintf("%s runs a command through a shell", name))
		case kw("shell") == "True" && !t.fixed(t.arg(i, 0, "args")):
			add(i, checklists.High, "a command runs through a shell (shell=True)")
		case last == "render_template_string" && !t.fixed(t.arg(i, 0, "source")):
			add(i, checklists.High, "render_template_string renders a template built at run time: input in it runs as template code")
		case (name == "jinja2.Template" || name == "mako.template.Template" || jinja && last == "from_string") &&
			!t.fixed(t.arg(i, 0, "source")):
			add(i, checklists.High, "a template is built from run-time text: input in it runs as template code")
		case (name == "jinja2.Environment" || name == "jinja2.Template") &&
			kw("autoescape") == "False":
			add(i, checklists.High, "Jinja autoescape is off: values rendered into HTML can carry scripts (XSS)")
		case lxmlParsers[name] && t.arg(i, 1, "parser") < 0 && !t.fixed(t.arg(i, 0, "")):
			add(i, checklists.High, "lxml parses untrusted XML with entity resolution on (XXE)")
		case name == "lxml.etree.XMLParser" && kw("resolve_entities") != "False":
			add(i, checklists.High, "an lxml parser resolves entities (XXE); pass resolve_entities=False")
		case xmlParsers[name] && !t.fixed(t.arg(i, 0, "source")):
			add(i, checklists.Medium, fmt.Sprintf("%s parses untrusted XML with entity expansion (XXE, billion laughs)", name))
		}
	}, "call")
	return dedupeLines(out)
}
