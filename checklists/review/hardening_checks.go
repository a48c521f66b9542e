package review

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// The checks of this file are bandit's classes that had no rule before:
// access checks written as assert, temporary files with guessable names,
// world-writable permissions and broken ciphers. Each reports only what the
// code shows to be dangerous, so that medium and above stay real defects.

var (
	assertCheck = &Check{
		ID: "assert-guard", Rule: "SEC-16", Severity: checklists.High,
		Title: "Access checked with assert in a request handler",
		Help: "Raise the framework's error (PermissionDenied, HTTPException(403), abort(403)) or use its " +
			"permission decorator or dependency; python -O removes every assert.",
	}
	tempCheck = &Check{
		ID: "insecure-temp-file", Rule: "SEC-17", Severity: checklists.Medium,
		Title: "Temporary file with a guessable name",
		Help: "Create temporary files with tempfile.NamedTemporaryFile, mkstemp or TemporaryDirectory (they " +
			"open the file atomically with a random name); never tempfile.mktemp or a fixed /tmp path.",
	}
	permCheck = &Check{
		ID: "file-permissions", Rule: "SEC-18", Severity: checklists.High,
		Title: "File or directory made world-writable",
		Help: "Give files 0o600 or 0o644 and directories 0o700 or 0o755; share with a group (0o660, 0o770) " +
			"rather than with every user of the machine.",
	}
	cipherCheck = &Check{
		ID: "weak-cipher", Rule: "SEC-19", Severity: checklists.High,
		Title: "Data encrypted with a broken cipher or ECB mode",
		Help: "Encrypt with an authenticated scheme: AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM, " +
			"Fernet), with a fresh nonce per message; never DES, 3DES, RC4, Blowfish or ECB mode.",
	}
)

func init() {
	assertCheck.file = checkAssert
	tempCheck.file = checkTemp
	permCheck.file = checkPermissions
	cipherCheck.file = checkCipher
}

// accessWords are the words of a condition that decides who may do
// something: roles, permissions, ownership, authentication.
var accessWords = lazyre.New(`(?i)(admin|staff|superuser|role|permission|perms?\b|has_perm|authenticated|authori[sz]|owner|logged_in|can_[a-z]|allowed|api_?key|\bauth\b|is_active|csrf|signature)`)

// valueAllowList names a collection of accepted values (allowed_values,
// ALLOWED_EXTENSIONS, allowed_subtypes), where "allowed" says nothing of
// who may act.
var valueAllowList = lazyre.New(`(?i)\ballowed_?(values?|types?|subtypes?|extensions?|exts?|choices|formats?|fields?|names?|keys?|methods?|sizes?|modes?|status(es)?|states?|params?|parameters?|properties|options|kinds?|mime_?types?|content_?types?)(_\w+)?\b`)

// chatRole is the role of a chat message read from a message
// (message.role, messages[0].role, msg["role"]); chatRoleValue a role only
// chat messages have (Role.system, "assistant"): a role compared with one
// is a message's.
var (
	chatRole      = lazyre.New(`(?i)\b(msg|messages?|\w+_messages?|\w+_msg)\b(\[[^\]]*\])*(\.role\b|\[["']role["']\])`)
	chatRoleValue = lazyre.New(`\bRole\.(system|assistant|tool|ipython)\b|["'](system|assistant|tool)["']`)
	// roleField is a role read from something (x.role, x["role"]).
	roleField = lazyre.New(`(\.role\b|\[["']role["']\])`)
)

// checkAssert reports an assert that decides access inside a request
// handler: a route handler or a view (a function or method that takes the
// request), whose condition names a role, a permission, an owner or a key. python -O strips asserts, and with them the
// check. An assert elsewhere (a library invariant, a test, a type
// narrowing on a value the handler already checked) is not reported.
func checkAssert(p *Project, f *File) []Finding {
	if f.py == nil || !f.py.codeHas("assert") || isTest(f.Path) {
		return nil
	}
	t := f.py.tree
	var out []Finding
	t.each(func(i int32) {
		cs := t.children(i)
		if len(cs) == 0 {
			return
		}
		cond := cs[0]
		fn := t.enclosing(i, "function_definition")
		if fn < 0 || !t.takesRequest(fn) {
			return
		}
		// assert kind in allowed_kinds checks a value against the values
		// the handler accepts: input validation, not who may act.
		// assert messages[0].role != Role.system: the role of a chat
		// message (system, user, assistant, tool) is the message's
		// structure, not who may act.
		text := chatRole.ReplaceAllString(valueAllowList.ReplaceAllString(t.assertedText(cond), ""), "")
		if chatRoleValue.MatchString(text) {
			text = roleField.ReplaceAllString(chatRoleValue.ReplaceAllString(text, ""), "")
		}
		if !accessWords.MatchString(text) {
			return
		}
		// assert self._admin is not None, "mount the view first": a role
		// noun for an object that must be set (the admin site, a role
		// registry) is the code's own state. Only a credential or a
		// principal being there says who acts.
		if t.noneCheck(cond) && !presenceWords.MatchString(t.assertedText(cond)) {
			return
		}
		// assert not request.user.is_authenticated after auth.logout():
		// that someone lacks a right admits no one; a postcondition.
		if t.kind(cond) == "not_operator" {
			return
		}
		// assert isinstance(state := data.get("state"), str): a check of
		// a value's type for the type checker, not of who may act.
		if t.kind(cond) == "call" && t.callee(cond) == "isinstance" {
			return
		}
		out = append(out, assertCheck.finding(f, t.line(i), checklists.High,
			"an access check in a request handler is an assert, which python -O removes", ""))
	}, "assert_statement")
	return out
}

// presenceWords name what decides access by being there: a signed-in
// user or principal, a credential, a session, a signature.
var presenceWords = lazyre.New(`(?i)(user|principal|identity|authenticated|authori[sz]|\bauth\b|logged_in|owner|api_?key|token|secret|password|session|csrf|signature)`)

// noneCheck reports whether an assert's condition only tests a value
// against None (x is not None, x is None).
func (t *pyTree) noneCheck(cond int32) bool {
	cs := t.children(cond)
	return t.kind(cond) == "comparison_operator" && len(cs) == 2 && t.kind(cs[1]) == "none"
}

// assertedText is what an assert's words are judged on: for a value
// checked only for being set (assert self.auth.home_uri is not None, assert
// obj.attr) the last name, which says what is set; for any other test
// (a role compared, a permission called) the whole condition.
func (t *pyTree) assertedText(cond int32) string {
	v := cond
	if t.kind(cond) == "comparison_operator" {
		cs := t.children(cond)
		if len(cs) != 2 || t.kind(cs[1]) != "none" {
			return t.text(cond)
		}
		v = cs[0]
	}
	if t.kind(v) == "attribute" {
		return t.text(t.child(v, "attribute"))
	}
	return t.text(cond)
}

// takesRequest reports whether function fn handles a request: a route
// handler, or a function or method with a parameter named request.
func (t *pyTree) takesRequest(fn int32) bool {
	if t.isRouteHandler(fn) {
		return true
	}
	params := t.child(fn, "parameters")
	if params < 0 {
		return false
	}
	for _, p := range t.children(params) {
		if name := t.paramName(p); name >= 0 && t.text(name) == "request" {
			return true
		}
	}
	return false
}

// tempDirs are the shared directories where any local user can create a
// file first.
var tempDirs = []string{"/tmp/", "/var/tmp/", "/dev/shm/"}

// fileOpeners are the calls that open, create or serve a file at the path
// they are given.
var fileOpeners = map[string]bool{"open": true, "io.open": true, "os.open": true, "codecs.open": true,
	"FileResponse": true, "send_file": true, "send_from_directory": true, "FileSystemStorage": true,
	"tarfile.open": true, "zipfile.ZipFile": true, "sqlite3.connect": true, "shutil.copy": true,
	"shutil.copyfile": true, "shutil.move": true, "os.rename": true, "os.replace": true, "os.makedirs": true,
	"os.mkdir": true, "logging.FileHandler": true, "Path": true, "pathlib.Path": true}

// checkTemp reports tempfile.mktemp (the name is free when it returns, and
// whoever creates the file first owns it) and fixed paths in the shared
// temporary directories. A fixed path given straight to a call that opens
// or serves the file is medium; one kept as a default or a setting is low.
func checkTemp(p *Project, f *File) []Finding {
	if f.py == nil || !f.dataHas("mktemp", "/tmp/", "/var/tmp/", "/dev/shm/") || isTest(f.Path) {
		return nil
	}
	t := f.py.tree
	var out []Finding
	t.each(func(i int32) {
		if t.kind(i) == "call" {
			if name := t.callee(i); name == "tempfile.mktemp" || name == "os.tempnam" || name == "os.tmpnam" {
				out = append(out, tempCheck.finding(f, t.line(i), checklists.Medium,
					name+" returns a name that another process can create first", ""))
			}
			return
		}
		v, _ := t.strLiteral(i)
		fixed := false
		for _, d := range tempDirs {
			fixed = fixed || strings.HasPrefix(v, d) && len(v) > len(d)
		}
		if !fixed {
			return
		}
		parent := t.nodes[i].parent
		if parent >= 0 && t.kind(parent) == "expression_statement" {
			return // a docstring
		}
		sev, msg := checklists.Low, "a fixed path in a shared temporary directory"
		if parent >= 0 && t.kind(parent) == "argument_list" {
			if call := t.nodes[parent].parent; call >= 0 && fileOpeners[t.callee(call)] {
				sev, msg = checklists.Medium, "a file at a fixed path in a shared temporary directory, which another user can create or link first"
			}
		}
		out = append(out, tempCheck.finding(f, t.line(i), sev, msg, ""))
	}, "call", "string")
	return dedupeLines(out)
}

// statBits are the stat module's permission constants.
var statBits = map[string]int64{"S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100,
	"S_IRWXG": 0o70, "S_IRGRP": 0o40, "S_IWGRP": 0o20, "S_IXGRP": 0o10,
	"S_IRWXO": 0o7, "S_IROTH": 0o4, "S_IWOTH": 0o2, "S_IXOTH": 0o1,
	"S_ISUID": 0o4000, "S_ISGID": 0o2000, "S_ISVTX": 0o1000}

// modeValue evaluates a permission mode written as a number or as stat
// constants joined by | or +.
func (t *pyTree) modeValue(i int32) (int64, bool) {
	switch t.kind(i) {
	case "integer":
		s := strings.ReplaceAll(strings.ToLower(t.text(i)), "_", "")
		if len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9' {
			s = "0o" + s[1:] // Python 2's 0777
		}
		v, err := strconv.ParseInt(s, 0, 64)
		return v, err == nil
	case "identifier", "attribute":
		v, ok := statBits[lastPart(t.qualName(i))]
		return v, ok
	case "parenthesized_expression":
		if cs := t.children(i); len(cs) == 1 {
			return t.modeValue(cs[0])
		}
	case "binary_operator":
		l, lok := t.modeValue(t.child(i, "left"))
		r, rok := t.modeValue(t.child(i, "right"))
		if op := t.child(i, "operator"); lok && rok && op >= 0 && (t.text(op) == "|" || t.text(op) == "+") {
			return l | r, true
		}
	}
	return 0, false
}

// checkPermissions reports chmod, mkdir and makedirs calls whose mode lets
// every user of the machine write (the world-write bit, 0o002); a mkdir's
// mode goes through the umask, so it is low unless the module sets one.
func checkPermissions(p *Project, f *File) []Finding {
	if f.py == nil || !f.py.codeHas("chmod", "mkdir", "makedirs") || isTest(f.Path) {
		return nil
	}
	t := f.py.tree
	clearsUmask := bytes.Contains(f.py.code, []byte("umask("))
	var out []Finding
	t.each(func(i int32) {
		name := t.callee(i)
		mode := int32(-1)
		switch lastPart(name) {
		case "chmod", "lchmod", "fchmod", "mkdir", "makedirs":
			if strings.HasPrefix(name, "os.") {
				mode = t.arg(i, 1, "mode") // os.chmod(path, mode)
			} else {
				mode = t.arg(i, 0, "mode") // Path.chmod(mode)
			}
		}
		if mode < 0 {
			return
		}
		v, ok := t.modeValue(mode)
		if !ok || v&0o002 == 0 {
			return
		}
		if creates := lastPart(name) == "mkdir" || lastPart(name) == "makedirs"; creates && !clearsUmask {
			// A new directory's mode is masked by the process umask, and
			// 0o777 is the default of both calls: asking for it gives the
			// usual 0o755 unless the program clears the umask.
			out = append(out, permCheck.finding(f, t.line(i), checklists.Low,
				fmt.Sprintf("%s asks for mode %#o: world-writable wherever the umask lets the 002 bit through", lastPart(name), v), ""))
			return
		}
		out = append(out, permCheck.finding(f, t.line(i), checklists.High,
			fmt.Sprintf("%s gives mode %#o: every user of the machine can write", lastPart(name), v), ""))
	}, "call")
	return out
}

// brokenCiphers are the ciphers no new code should use, by the last part
// of their name in pycryptodome (Crypto.Cipher.X.new), cryptography
// (algorithms.X) and pyDes, with the severity they get: a cipher broken
// outright is high, a legacy 64-bit block cipher medium.
var brokenCiphers = map[string]Severity{"DES": checklists.High, "ARC2": checklists.High, "ARC4": checklists.High,
	"XOR": checklists.High, "des": checklists.High, "DES3": checklists.Medium, "TripleDES": checklists.Medium,
	"triple_des": checklists.Medium, "Blowfish": checklists.Medium, "CAST": checklists.Medium,
	"CAST5": checklists.Medium, "IDEA": checklists.Medium, "SEED": checklists.Medium}

// checkCipher reports broken ciphers and ECB mode, with imports resolved
// (from Crypto.Cipher import DES; from cryptography...ciphers import
// algorithms, modes).
func checkCipher(p *Project, f *File) []Finding {
	tls := weakTLS(f)
	if f.py == nil || !f.py.codeHas("Crypto", "cryptography", "pyDes", "ECB") || isTest(f.Path) {
		return tls
	}
	t := f.py.tree
	var out []Finding
	t.each(func(i int32) {
		if t.kind(i) == "attribute" {
			name := t.qualName(i)
			if lastPart(name) == "MODE_ECB" && strings.Contains(name, "Cipher.") {
				out = append(out, cipherCheck.finding(f, t.line(i), checklists.Medium,
					"ECB mode encrypts equal blocks to equal ciphertext", ""))
			}
			return
		}
		name := t.callee(i)
		parts := strings.Split(name, ".")
		switch {
		case len(parts) >= 3 && parts[len(parts)-1] == "new" && parts[len(parts)-3] == "Cipher":
			if sev, ok := brokenCiphers[parts[len(parts)-2]]; ok {
				out = append(out, cipherCheck.finding(f, t.line(i), sev, parts[len(parts)-2]+" is a broken cipher", ""))
			}
		case len(parts) >= 2 && parts[len(parts)-2] == "algorithms" && strings.HasPrefix(name, "cryptography."):
			if sev, ok := brokenCiphers[parts[len(parts)-1]]; ok {
				out = append(out, cipherCheck.finding(f, t.line(i), sev, parts[len(parts)-1]+" is a broken cipher", ""))
			}
		case len(parts) >= 2 && parts[len(parts)-2] == "modes" && parts[len(parts)-1] == "ECB" && strings.HasPrefix(name, "cryptography."):
			out = append(out, cipherCheck.finding(f, t.line(i), checklists.Medium,
				"ECB mode encrypts equal blocks to equal ciphertext", ""))
		case len(parts) == 2 && parts[0] == "pyDes":
			if sev, ok := brokenCiphers[parts[1]]; ok {
				out = append(out, cipherCheck.finding(f, t.line(i), sev, parts[1]+" is a broken cipher", ""))
			}
		}
	}, "call", "attribute")
	return append(dedupeLines(out), tls...)
}
