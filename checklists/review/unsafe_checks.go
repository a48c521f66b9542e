package review

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"
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
		Title: "eval, exec, pickle, unsafe YAML or a shell on possibly untrusted input",
		Help: "Parse data with json or yaml.safe_load, never unpickle data from outside, and run commands " +
			"with an argument list (subprocess.run([...])) instead of a shell.",
	}
)

func init() {
	tlsCheck.file = checkTLS
	randomCheck.file = checkRandom
	evalCheck.file = checkEval
}

var (
	verifyFalse   = regexp.MustCompile(`\bverify\s*=\s*False\b`)
	tlsClients    = regexp.MustCompile(`\b(requests|httpx|aiohttp|urllib3|urllib)\b`)
	unverifiedSSL = regexp.MustCompile(`\bssl\s*\.\s*_create_unverified_context\s*\(|(?:^|[^=!<>])=\s*(?:ssl\s*\.\s*)?CERT_NONE\b|\bcheck_hostname\s*=\s*False\b`)
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
	randomCall = regexp.MustCompile(`\brandom\s*\.\s*(random|randint|randrange|choice|choices|sample|getrandbits|shuffle|uniform)\s*\(`)
	secretUse  = regexp.MustCompile(`(?i)token|secret|password|passwd|otp|nonce|salt|api_?key|session|reset|verification|code|pin\b|csrf`)
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

var (
	evalCall   = regexp.MustCompile(`(eval|exec)\s*\(`)
	pickleLoad = regexp.MustCompile(`\b(pickle|cPickle|dill|shelve|marshal)\s*\.\s*(loads?|open)\s*\(`)
	yamlLoad   = regexp.MustCompile(`\byaml\s*\.\s*(load|load_all|unsafe_load|full_load)\s*\(`)
	safeLoader = regexp.MustCompile(`SafeLoader|CSafeLoader|BaseLoader`)
	shellTrue  = regexp.MustCompile(`\bshell\s*=\s*True\b`)
	osSystem   = regexp.MustCompile(`\bos\s*\.\s*(system|popen)\s*\(`)
)

// fixedArgument reports whether the call opened at open takes a plain string
// literal as its first argument (eval("1 + 1"), os.system("clear")): fixed
// code or a fixed command, which no input can change.
func fixedArgument(py *pySource, open int) bool {
	lit, ok := py.litAt(open + 1)
	if !ok || lit.fstring || interpolation(py, lit) != "" {
		return false
	}
	rest := strings.TrimLeft(string(py.code[lit.end:py.callSpan(open)]), " \t\n")
	return strings.HasPrefix(rest, ")") || strings.HasPrefix(rest, ",")
}

func checkEval(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !hasAny(f.py.code, "eval(", "exec(", "eval (", "exec (", "pickle", "marshal",
		"shelve", "dill", "yaml", "shell=", "shell =", "system(", "popen(") {
		return nil
	}
	py := f.py
	var out []Finding
	add := func(off int, msg string) {
		out = append(out, evalCheck.finding(f, py.lineOf(off), checklists.High, msg, ""))
	}
	for _, m := range matches(f, evalCall, "eval", "exec") {
		// Only calls of the builtins: not model.eval(), literal_eval() or
		// a method named eval being defined.
		if m[0] > 0 && (isIdent(py.code[m[0]-1]) || py.code[m[0]-1] == '.') ||
			strings.HasSuffix(strings.TrimRight(string(py.code[py.lineStartOf(m[0]):m[0]]), " \t"), "def") {
			continue
		}
		if fixedArgument(py, m[1]-1) {
			continue
		}
		add(m[2], fmt.Sprintf("%s() runs code built at run time", py.code[m[2]:m[3]]))
	}
	for _, m := range matches(f, pickleLoad, "pickle", "dill", "shelve", "marshal") {
		add(m[0], fmt.Sprintf("%s.%s deserialises data that can run code", py.code[m[2]:m[3]], py.code[m[4]:m[5]]))
	}
	for _, m := range matches(f, yamlLoad, "yaml") {
		if string(py.code[m[2]:m[3]]) == "load" || string(py.code[m[2]:m[3]]) == "load_all" {
			if safeLoader.Match(py.code[m[0]:py.callSpan(m[1]-1)]) {
				continue
			}
		}
		add(m[0], "yaml is loaded with a loader that can build arbitrary objects")
	}
	for _, m := range matches(f, shellTrue, "shell") {
		if open := py.openParen(m[0]); open < 0 || !fixedArgument(py, open) {
			add(m[0], "a command runs through a shell (shell=True)")
		}
	}
	for _, m := range matches(f, osSystem, "system", "popen") {
		if !fixedArgument(py, m[1]-1) {
			add(m[0], fmt.Sprintf("os.%s runs a command through a shell", py.code[m[2]:m[3]]))
		}
	}
	return dedupeLines(out)
}
