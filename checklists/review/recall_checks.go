package review

import (
	"bytes"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// Detection added after comparing review with bandit on public
// deliberately vulnerable apps (docs/review.md, "Recall on public
// vulnerable apps, session 10"). Each function widens what an existing
// check sees; none changes how a finding is rated.

// verifyByName is a verification option given a name instead of a
// literal: options={"verify_signature": VERIFY_SIGNATURE}, verify=VERIFY.
var verifyByName = lazyre.New(`["']verify_signature["']\s*:\s*([A-Za-z_]\w*)\b|\bverify\s*=\s*([A-Za-z_]\w*)\b`)

// verifyOffByName reports whether a decode call turns verification off
// through a module constant: every module-level assignment of the name
// given as verify_signature (or verify=) is the literal False. A name the
// module never assigns (a setting, a parameter) is not judged.
func (t *pyTree) verifyOffByName(call int32) bool {
	for _, m := range verifyByName.RE().FindAllStringSubmatch(t.text(call), -1) {
		name := m[1] + m[2]
		if name == "" || name == "False" || name == "True" || name == "None" {
			continue
		}
		assigned := false
		if t.moduleAssignedFrom(name, func(v int32) bool {
			assigned = true
			return t.text(v) == "False"
		}) && assigned {
			return true
		}
	}
	return false
}

// algorithmsFromInput reports whether a decode call's algorithms come from
// client input (alg = json.loads(b64decode(header))["alg"], the header
// split from the Authorization header): the token picks how it is
// checked, as with get_unverified_header.
func (t *pyTree) algorithmsFromInput(call int32) bool {
	alg := t.arg(call, -1, "algorithms")
	return alg >= 0 && t.tainted(alg, 0)
}

// namespaceCalls return a namespace as a dict: a key looked up in one
// picks a function, class or module by its name.
var namespaceCalls = map[string]bool{"globals": true, "locals": true, "vars": true}

// pickedByName reports whether node i picks code to run by a name the
// client sent: globals().get(name) or globals()[name] (the unvalidated
// forward of OWASP's 2013 list), or importlib.import_module(name) and
// __import__(name). Any function of the module, or any importable module,
// is in reach. It returns the node that carries the name.
func (t *pyTree) pickedByName(i int32) (key int32, ok bool) {
	isNamespace := func(c int32) bool {
		if c < 0 || t.kind(c) != "call" || !namespaceCalls[t.callee(c)] {
			return false
		}
		pos, kw := t.args(c)
		return len(pos) == 0 && len(kw) == 0
	}
	switch t.kind(i) {
	case "call":
		switch name := t.callee(i); {
		case name == "importlib.import_module" || name == "__import__" || name == "builtins.__import__":
			key = t.arg(i, 0, "name")
		case lastPart(name) == "get":
			fn := t.child(i, "function")
			if fn >= 0 && t.kind(fn) == "attribute" && isNamespace(t.child(fn, "object")) {
				key = t.arg(i, 0, "")
			} else {
				return -1, false
			}
		default:
			return -1, false
		}
	case "subscript":
		if !isNamespace(t.child(i, "value")) {
			return -1, false
		}
		key = t.child(i, "subscript")
	default:
		return -1, false
	}
	return key, key >= 0 && t.tainted(key, 0)
}

var (
	// sendWildcard makes flask-cors send a literal "*", which browsers
	// refuse on credentialed requests.
	sendWildcard = lazyre.New(`\bsend_wildcard\s*=\s*True\b`)
	// namedOrigins is an origins setting of flask-cors.
	namedOrigins = lazyre.New(`\borigins\b`)
)

// echoesAnyOrigin reports whether a flask-cors CORS(...) call (its source
// src; the matched name cors) answers every origin with credentials:
// flask-cors sends the request's own Origin back when origins is "*" (its
// default) unless send_wildcard=True, so with supports_credentials=True,
// or an Access-Control-Allow-Credentials: true header the module adds
// itself, any site reads the user's responses. Starlette's CORSMiddleware
// sends a literal "*" instead, which browsers refuse with credentials.
func echoesAnyOrigin(py *pySource, cors, src []byte) bool {
	if !bytes.HasPrefix(cors, []byte("CORS")) || bytes.HasPrefix(cors, []byte("CORSMiddleware")) || sendWildcard.Match(src) {
		return false
	}
	anyOrigin := wildOrigins.Match(src) || !namedOrigins.Match(src)
	return anyOrigin && (withCredentials.Match(src) || headerCreds.Match(py.src))
}

// resolverArgument reports whether parameter k of function fn (its
// parameters ps) is an argument of a GraphQL field: graphene's mutate and
// resolve_NAME methods and resolvers of the same shape take (root, info,
// **arguments), and every argument after info is what the client wrote in
// its query.
func (t *pyTree) resolverArgument(fn int32, ps []int32, k int) bool {
	name := t.text(t.child(fn, "name"))
	if name != "mutate" && !strings.HasPrefix(name, "resolve_") {
		return false
	}
	for _, p := range ps[:k] {
		if pname := t.paramName(p); pname >= 0 && t.text(pname) == "info" {
			return true
		}
	}
	return false
}

// paramName returns the name node of parameter p, whether it is typed,
// has a default, or both.
func (t *pyTree) paramName(p int32) int32 {
	switch t.kind(p) {
	case "typed_parameter":
		if cs := t.children(p); len(cs) > 0 {
			return cs[0]
		}
	case "default_parameter", "typed_default_parameter":
		return t.child(p, "name")
	}
	return p
}

// sqlWritesPassword is SQL that writes a password column: an INSERT
// naming it among its columns, or an UPDATE setting it.
var sqlWritesPassword = lazyre.New(`(?is)\binsert\s+into\s+[\w."\x60]+\s*\([^)]*\b(password|passwd|pwd)\b[^)]*\)|\bupdate\s+[\w."\x60]+\s+set\b[^;]*\b(password|passwd|pwd)\s*=`)

// plainPasswordNames name a password as the user typed it.
var plainPasswordNames = map[string]bool{"password": true, "passwd": true, "pwd": true, "new_password": true,
	"raw_password": true, "plain_password": true, "password1": true}

// plainPasswordInSQL reports an execute call that writes a password
// column from a name holding the password as typed (password, passwd...),
// formatted into the SQL or bound to it, with no hash assigned to that
// name in the function. It returns the name's node.
func (t *pyTree) plainPasswordInSQL(call int32) (int32, bool) {
	if last := lastPart(t.callee(call)); last != "execute" && last != "executemany" {
		return -1, false
	}
	sql := t.arg(call, 0, "")
	if sql < 0 {
		return -1, false
	}
	text := t.text(sql)
	if v, ok := t.evalString(sql, 0); ok {
		text = v.text
	}
	if !sqlWritesPassword.MatchString(text) {
		return -1, false
	}
	args := t.child(call, "arguments")
	found := int32(-1)
	for n := args; int(n) < len(t.nodes) && t.start(n) < t.end(args) && found < 0; n++ {
		if t.kind(n) != "identifier" || !plainPasswordNames[t.text(n)] {
			continue
		}
		if p := t.nodes[n].parent; p >= 0 && (t.kind(p) == "attribute" && t.child(p, "attribute") == n || t.kind(p) == "keyword_argument" && t.child(p, "name") == n) {
			continue
		}
		if t.assignedFrom(n, func(v int32) bool { return hashWord.MatchString(t.text(v)) }) {
			continue
		}
		found = n
	}
	return found, found >= 0
}

// tarOpeners open a tar archive for reading.
var tarOpeners = map[string]bool{"tarfile.open": true, "tarfile.TarFile": true, "tarfile.TarFile.open": true}

// tarExtraction reports a tar archive extracted without a filter
// (extractall or extract with no filter=, or filter="fully_trusted"): a
// member named ../x, an absolute path or a link leads outside the target
// directory before Python 3.14 made the "data" filter the default. It
// returns the call that opened the archive: what it reads says whose
// archive it is.
func (t *pyTree) tarExtraction(call int32) (int32, bool) {
	fn := t.child(call, "function")
	if fn < 0 || t.kind(fn) != "attribute" {
		return -1, false
	}
	if m := t.text(t.child(fn, "attribute")); m != "extractall" && m != "extract" {
		return -1, false
	}
	if f := t.kwText(call, "filter"); f != "" && f != `"fully_trusted"` && f != `'fully_trusted'` {
		return -1, false
	}
	isOpen := func(v int32) bool { return v >= 0 && t.kind(v) == "call" && tarOpeners[t.callee(v)] }
	obj := t.child(fn, "object")
	switch {
	case isOpen(obj):
		return obj, true
	case obj < 0 || t.kind(obj) != "identifier":
		return -1, false
	}
	name := t.text(obj)
	var open int32 = -1
	if t.assignedFrom(obj, func(v int32) bool {
		if isOpen(v) {
			open = v
			return true
		}
		return false
	}) && open >= 0 {
		return open, true
	}
	// with tarfile.open(fileobj=upload) as tar: tar.extractall(...)
	scope := t.enclosing(call, "function_definition")
	if scope < 0 {
		scope = 0
	}
	for a := scope; int(a) < len(t.nodes) && t.start(a) < t.start(call); a++ {
		if t.kind(a) != "as_pattern" {
			continue
		}
		cs := t.children(a)
		if len(cs) >= 2 && isOpen(cs[0]) && t.text(cs[len(cs)-1]) == name {
			open = cs[0]
		}
	}
	return open, open >= 0
}

// hostKeyPolicies accept a server's SSH host key without checking it.
var hostKeyPolicies = map[string]bool{"AutoAddPolicy": true, "WarningPolicy": true}

// sshHostKeys reports paramiko clients told to accept any host key
// (set_missing_host_key_policy(AutoAddPolicy())): like TLS without
// certificate checks, whoever answers for the host gets the password or
// key the client then sends, and the commands.
func sshHostKeys(f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !f.py.codeHas("AutoAddPolicy", "WarningPolicy") {
		return nil
	}
	t := f.py.tree
	var out []Finding
	t.each(func(i int32) {
		if lastPart(t.callee(i)) != "set_missing_host_key_policy" {
			return
		}
		p := t.arg(i, 0, "policy")
		if p >= 0 && t.kind(p) == "call" {
			p = t.child(p, "function")
		}
		if p < 0 || !hostKeyPolicies[lastPart(t.text(p))] {
			return
		}
		if t.underTestBranch(i) {
			// if settings.RUNNING_TEST: a test run's throwaway hosts.
			out = append(out, tlsCheck.finding(f, t.line(i), checklists.Low,
				"SSH host keys are accepted without checking (paramiko "+lastPart(t.text(p))+"), under a test setting: check it is never on in production", ""))
			return
		}
		out = append(out, tlsCheck.finding(f, t.line(i), checklists.High,
			"SSH host keys are accepted without checking (paramiko "+lastPart(t.text(p))+"): whoever answers for the host gets the credentials and the commands", ""))
	}, "call")
	return out
}

var (
	// weakTLSProtocol names an SSL or TLS version broken or deprecated
	// (RFC 7568, RFC 8996).
	weakTLSProtocol = lazyre.New(`^(ssl\.)?(PROTOCOL_SSLv2|PROTOCOL_SSLv3|PROTOCOL_TLSv1|PROTOCOL_TLSv1_1|TLSVersion\.SSLv3|TLSVersion\.TLSv1|TLSVersion\.TLSv1_1)$`)
	// reenabledProtocol clears an OP_NO_ option: the version it kept out
	// is allowed again.
	reenabledProtocol = lazyre.New(`&=\s*~\s*(ssl\.)?OP_NO_(SSLv2|SSLv3|TLSv1|TLSv1_1)\b`)
	// weakCipherSuite is a cipher-string token for RC4, single DES, NULL
	// or export ciphers, not preceded by "!" or "-".
	weakCipherSuite = lazyre.New(`(^|[:,\s])[+]?(RC4|DES-CBC-|EXP-|EXPORT|NULL|aNULL|eNULL|RC4-\w+|[\w-]*-RC4-\w+)`)
)

// weakTLS reports TLS contexts that allow broken protocol versions or
// ciphers: a context or socket made for SSLv2, SSLv3, TLS 1.0 or 1.1, a
// minimum_version set to one of them, an OP_NO_ option cleared, or a
// literal cipher string offering RC4, single DES, NULL or export suites.
// A version named as a value in a table (a setting's choices) is not a
// choice made here and is not reported.
func weakTLS(f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !f.py.codeHas("ssl", "SSL") {
		return nil
	}
	t := f.py.tree
	var out []Finding
	add := func(i int32, msg string) {
		out = append(out, cipherCheck.finding(f, t.line(i), checklists.High, msg, ""))
	}
	t.each(func(i int32) {
		switch t.kind(i) {
		case "call":
			name := t.callee(i)
			switch last := lastPart(name); {
			case name == "ssl.SSLContext" || name == "ssl.wrap_socket" || last == "wrap_socket" && t.arg(i, -1, "ssl_version") >= 0:
				v := t.arg(i, 0, "protocol")
				if name != "ssl.SSLContext" {
					v = t.arg(i, -1, "ssl_version")
				}
				if v >= 0 && weakTLSProtocol.MatchString(t.qualName(v)) {
					add(i, "TLS is set up for "+lastPart(t.qualName(v))+", a broken or deprecated protocol version")
				}
			case last == "set_ciphers":
				if v, ok := t.evalString(t.arg(i, 0, ""), 0); ok && weakCipherSuite.MatchString(v.text) {
					add(i, "the TLS cipher list offers RC4, single DES, NULL or export suites")
				}
			}
		case "augmented_assignment":
			if !reenabledProtocol.MatchString(t.text(i)) {
				break
			}
			if b := t.enclosing(i, "if_statement"); b >= 0 && b > t.enclosing(i, "function_definition") {
				// elif entry == "TLSv1": the operator's configured
				// protocol list picks the versions (radicale's ssl_protocol).
				out = append(out, cipherCheck.finding(f, t.line(i), checklists.Low,
					"an OP_NO_ option is cleared in a branch (a configured protocol list?): check the default keeps broken versions off", ""))
				break
			}
			add(i, "an OP_NO_ option is cleared: the TLS context accepts the broken protocol version again")
		case "assignment":
			left, right := t.child(i, "left"), t.child(i, "right")
			if left >= 0 && right >= 0 && t.kind(left) == "attribute" && t.text(t.child(left, "attribute")) == "minimum_version" &&
				weakTLSProtocol.MatchString(t.qualName(right)) {
				add(i, "the TLS context's minimum version is "+lastPart(t.qualName(right))+", a broken or deprecated protocol version")
			}
		}
	}, "call", "augmented_assignment", "assignment")
	return out
}
