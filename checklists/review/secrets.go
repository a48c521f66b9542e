package review

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/scaffoldtool/scaffold/checklists"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

var secretCheck = &Check{
	ID: "hardcoded-secret", Rule: "SEC-01", Severity: checklists.High,
	Title: "Secrets written in code or committed files",
	Help: "Read the value from the environment (typed settings), list the variable in .env.example " +
		"with a placeholder, and rotate the exposed secret: it is in the repository's history.",
}

func init() { secretCheck.file = checkSecrets }

// keyFormat is a credential format issued by a known provider.
type keyFormat struct {
	name  string
	re    *lazyre.Regexp
	sev   checklists.Severity
	hints []string // one of these must occur for the pattern to match
}

var keyFormats = []keyFormat{
	{"AWS access key id", lazyre.New(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), checklists.Critical, []string{"AKIA", "ASIA"}},
	{"AWS secret access key", lazyre.New(`(?i)aws_?secret_?access_?key\W{0,8}[=:]\W{0,3}([A-Za-z0-9/+=]{40})\b`), checklists.Critical, []string{"ecret_access", "ECRET_ACCESS", "ecretAccess", "ecretaccess"}},
	{"Stripe live secret key", lazyre.New(`\b[sr]k_live_[0-9A-Za-z]{20,}\b`), checklists.Critical, []string{"k_live_"}},
	{"Stripe test secret key", lazyre.New(`\b[sr]k_test_[0-9A-Za-z]{20,}\b`), checklists.High, []string{"k_test_"}},
	{"Stripe webhook secret", lazyre.New(`\bwhsec_[0-9A-Za-z]{20,}\b`), checklists.High, []string{"whsec_"}},
	{"GitHub token", lazyre.New(`\bgh[pousr]_[A-Za-z0-9]{36,}\b`), checklists.Critical, []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}},
	{"GitHub fine-grained token", lazyre.New(`\bgithub_pat_[A-Za-z0-9_]{50,}\b`), checklists.Critical, []string{"github_pat_"}},
	{"private key", lazyre.New(`-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----`), checklists.Critical, []string{"PRIVATE KEY"}},
	{"Slack token", lazyre.New(`\bxox[abposr]-[0-9A-Za-z-]{10,}\b`), checklists.High, []string{"xox"}},
	{"Google API key", lazyre.New(`\bAIza[0-9A-Za-z_-]{35}\b`), checklists.High, []string{"AIza"}},
	{"SendGrid API key", lazyre.New(`\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b`), checklists.Critical, []string{"SG."}},
	{"Mailgun API key", lazyre.New(`\bkey-[0-9a-z]{32}\b`), checklists.Critical, []string{"key-"}},
	// 32 hex digits and the account's data centre (-us16): a key for
	// Mailchimp's API, whatever settings module or test holds it.
	{"Mailchimp API key", lazyre.New(`\b[0-9a-f]{32}-us[0-9]{1,2}\b`), checklists.High, []string{"-us"}},
	{"Django secret key", lazyre.New(`django-insecure-[^'"\s]{30,}`), checklists.High, []string{"django-insecure-"}},
}

var (
	// secretName matches names that hold secrets.
	secretName = lazyre.New(`(?i)(secret|passw(or)?d|passwd|pwd|passphrase|token|api_?key|apikey|private_?key|access_?key|auth_?key|signing_?key|encryption_?key|credential)`)
	// notSecretName matches names that mention a secret but hold something
	// else: its location, size, lifetime, type or name.
	notSecretName = lazyre.New(`(?i)(_|^)(url|uri|endpoint|path|file|filename|filepath|dir|dirname|type|field|name|header|prefix|suffix|length|len|min|max|size|ttl|expire|expires|expiry|minutes|seconds|days|hours|lifetime|owner|alg|algorithm|algorithms|pattern|regex|env|var|hint|label|message|msg|policy|column|table|scheme|location|cookie|param|id|count|limit|rounds|cost|salt_size|format|template|mode|kind|class|model|key_name|reset|validator|schema|error|errors|url_path|route|form|input|description|example|re|rx|range|chars|alphabet|method|methods|permission|permissions|perm|perms|scope|scopes|grant|sep|separator|delimiter|fmt|prompt|label|title|text|arn|ref|manager|client|service|provider|backend|store|rotation|used|at|date|time|changed|updated|created|audience|issuer|hasher|generator|action)s?$|^(is|has|min|max|num|use|require|requires|verify|check|resource|type|kind)_|^_?(legacy|former|previous|leaked|compromised|banned|blocked|forbidden|rejected|weak)_|^(allow|enable|disable|include|exclude)|^(next|page|continuation|input|output|creation|idempotency|pagination|sync|cancel|update|client_request)_?(page_?)?token` +
		// Tokens counted by language models: input_tokens, MAX_TOKENS,
		// TOKEN_USAGE, TOTAL_TOKEN_KEY (the key under which a count is kept).
		`|(^|_)(input|output|prompt|completion|max|total|reasoning|cached?|usage)_?tokens?(_|$)|(^|_)tokens?_(usage|count)|tokeni[sz](e|er|ers|ed|ation)(_|$)` +
		// Where the secret came from or what state it is in, not the
		// secret: secret_from = "config", token_source, password_status.
		`|(^|_)(from|source|origin|status|state|strength|provided|present|loaded|configured)$` +
		// The name of an action on a password, not a password: the route
		// or view of urls.auth_reset_password = "ips4:reset_password".
		`|(^|_)(set|reset|change|forgot|forgotten|recover|lost)_(password|passwd|pwd)$` +
		// Names run together: tokentype, tokenissuer, passwordlength.
		`|(token|key|passw(or)?d|secret)(type|kind|issuer|group|realm|serial|info|label|owner|list|count|size|length|len|class|mode|field|prefix|suffix|policy|name|id|url|path|file)s?$`)
	// nameWords is a value made only of the words of a secret's name
	// ("secret_key", "my-password"): a placeholder.
	nameWords = lazyre.New(`(?i)^(my|the|your|api|app|access|private|secret|secrets|key|keys|password|passwd|token|auth|client|jwt|signing)([-_ ](my|the|your|api|app|access|private|secret|secrets|key|keys|password|passwd|token|auth|client|jwt|signing))+$`)
	// identName is the shape of a variable, attribute, setting or
	// environment name; dict keys such as "AWS::IAM::AccessKey" are not.
	identName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	// camelWord is a CamelCase or header name ("NextToken",
	// "Access-Control-Allow-Credentials"): a field name, not a secret.
	camelWord = lazyre.New(`^[A-Z][a-z]+(?:-?[A-Z][a-z]+)+$`)
	// fieldPath is a name of three dotted parts or more
	// (mlflow.trace.tokenUsage, gen_ai.usage.input_tokens), or an import
	// string (ckan.tests.factories:APIToken): a key or a reference, not a
	// secret.
	fieldPath = lazyre.New(`^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*){2,}(:[A-Za-z_]\w*)?$`)
	// controlEscape is a control character's escape as written in a literal.
	controlEscape = lazyre.New(`\\(x[01][0-9a-fA-F]|x7[fF]|[0abfnrtv])`)
	// placeholder and placeholderIn are values that stand for a secret:
	// markers, "change me", and instructions to the operator
	// (please_choose_a_strong_password, enter-a-token-here).
	placeholder   = lazyre.New(`(?i)^(|x+|\*+|\.+|-+|none|null|nil|true|false|secret|password|passwd|token|key|changeme|unused|not[-_ ]?(used|needed|required)|ignored|change[-_ ]?me.*|change[-_ ]?this.*|replace[-_ ]?me.*|todo|tbd|redacted|hidden|masked|filtered|removed|omitted|censored|obfuscated|dummy|sample|placeholder|example|test|testing|dev|development|local|unset|not[-_ ]?set|bearer|basic|access|refresh|jwt|hs256|hs384|hs512|rs256|es256)$`)
	placeholderIn = lazyre.New(`(?i)((^|[-_])(test|tests|fake|mock|dummy|sample|example)([-_]|$)|change[-_ ]?me|changeme|change[-_ ]?this|replace[-_ ]?(me|this|with)|fill[-_ ]?me[-_ ]?in|your[-_ ]|(^|[-_ ])please[-_ ]|(^|[-_ ])(choose|pick|enter|insert|put|set|generate)[-_ ](a|an|the|some)[-_ ]|example|placeholder|dummy|insecure|not[-_ ]secret|<[^>]*>|\$\{|\{\{|%\(|xxxx|\.\.\.)`)
	// containerPassword names the password of a database or broker container.
	containerPassword = lazyre.New(`(?i)^(POSTGRES|PG|MYSQL|MARIADB|MONGO|MONGO_INITDB_ROOT|RABBITMQ_DEFAULT|REDIS|DB|DATABASE)_(ROOT_|USER_)?PASS(WORD)?$`)
	envRef            = lazyre.New(`^[A-Z][A-Z0-9_]*$`)
	getenvTo          = lazyre.New(`(?:getenv|environ\.get|env|env\.str)\s*\(\s*$`)
	// configLine finds key: value and key=value settings in config files.
	configLine = lazyre.New(`^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["']?([^"'#\s][^"'#]*?)["']?\s*(?:#.*)?$`)
)

func checkSecrets(p *Project, f *File) []Finding {
	base := path.Base(f.Path)
	if isLockFile(base) {
		return nil
	}
	var out []Finding
	out = append(out, knownKeys(f)...)
	if isTest(f.Path) || isDevSettings(f.Path) {
		return out
	}
	switch {
	case f.py != nil && sampleModule(f.Path):
		// Mock-up and demo data: made-up values, worth a look only.
		for _, fd := range pythonSecrets(f) {
			fd.Severity, fd.Message = checklists.Low, fd.Message+" (a mock-up, demo or sample module: check it is not a real secret)"
			out = append(out, fd)
		}
	case f.py != nil:
		out = append(out, pythonSecrets(f)...)
	case isEnvExample(base):
		out = append(out, configSecrets(f, true)...)
	case isConfigFile(f.Path):
		out = append(out, configSecrets(f, false)...)
	}
	out = dedupeLines(out)
	if f.py != nil && settingsModule.MatchString(f.Path) {
		starts := lineStartsOf(f)
		for i := range out {
			if l := out[i].Line; l >= 1 && l <= len(starts) && secretKeyLine.Match(f.Data[starts[l-1]:]) {
				out[i].settingsSecretKey = true
			}
		}
	}
	return out
}

var (
	// settingsModule is a Django settings module: settings.py,
	// settings_*.py or a module of a settings/ package.
	settingsModule = lazyre.New(`(^|/)(settings(_\w+)?\.py|settings/\w+\.py)$`)
	// secretKeyLine starts with a module-level SECRET_KEY assignment.
	secretKeyLine = lazyre.New(`^SECRET_KEY\s*=`)
)

// pemBody is what follows a PEM header when a key is there: line breaks
// (real or escaped), quotes and concatenation, optional encryption headers,
// then base64.
var pemBody = lazyre.New(`^(?:\s|\\[nr]|["'+,()]|(?:Proc-Type|DEK-Info):[^\n]*)*[A-Za-z0-9+/]{40}`)

func knownKeys(f *File) []Finding {
	var out []Finding
	var starts []int
	for _, k := range keyFormats {
		if !f.dataHas(k.hints...) {
			continue
		}
		if starts == nil {
			starts = lineStartsOf(f)
		}
		for _, m := range windowMatches(f.Data, starts, f.Data, k.re, k.hints) {
			key := string(f.Data[m[0]:m[1]])
			if k.name != "private key" && (entropy(key) < 3 || strings.Contains(strings.ToLower(key), "example")) {
				continue // a placeholder: sk_test_xxxxxxxxxxxxxxxxxxxx, AKIAIOSFODNN7EXAMPLE
			}
			// "xoxb-4426949411-aEM7...": the start of a token, the rest
			// elided, shows its shape in a template or a document.
			if rest := f.Data[m[1]:]; bytes.HasPrefix(rest, []byte("...")) || bytes.HasPrefix(rest, []byte("…")) {
				continue
			}
			// A key is its body: a header alone is a message about keys
			// ("expected '-----BEGIN PRIVATE KEY-----'") or a parser.
			if k.name == "private key" && !pemBody.Match(f.Data[m[1]:min(len(f.Data), m[1]+400)]) {
				continue
			}
			line := lineIndex(starts, m[0])
			sev, msg := k.sev, fmt.Sprintf("%s committed in the file", k.name)
			if k.name != "private key" && illustratedInComment(f, starts, line, m[0]) {
				// # Our token looks like: xoxp-1234-1234-...: a comment that
				// shows what the provider's token looks like.
				sev, msg = checklists.Low, msg+" (in a comment that shows what such a token looks like: check it is not a real one)"
			} else if k.name == "Google API key" && browserFile(f.Path) {
				// A browser key ships in every page that uses it; Google has
				// it restricted by referrer and API instead.
				sev, msg = checklists.Low, msg+" (a browser script, where Google keys are public: check it is restricted by referrer and API)"
			} else if sampleFile(f.Path) && sev > checklists.Low {
				// Keys in tests, fixtures, examples and docs are made up far
				// more often than not: worth a look, never a failing finding.
				sev, msg = checklists.Low, msg+" (a test, fixture, example or document: check it is not a real key)"
			}
			out = append(out, secretCheck.finding(f, line, sev, msg, ""))
		}
	}
	return append(out, twilioCredentials(f)...)
}

// illustration is a comment's phrase that introduces an example of a
// value's shape: "looks like", "e.g.", "for example", "such as".
var illustration = lazyre.New(`(?i)\blooks?\b[^#\n]{0,30}\blike\b|\be\.\s?g\.|\bfor (example|instance)\b|\bsuch as\b|\bsomething like\b|\bstarts? with\b|\bin the (form|format)\b`)

// illustratedInComment reports whether the match at off, on line (1-based),
// is in a # comment of a file that is not prose, and that comment (its
// line or one of the five comment lines above it) introduces an example.
func illustratedInComment(f *File, starts []int, line, off int) bool {
	switch path.Ext(f.Path) {
	case ".md", ".rst", ".txt", ".html", ".htm":
		return false
	}
	start := starts[line-1]
	if !bytes.HasPrefix(bytes.TrimSpace(f.Data[start:off]), []byte("#")) {
		return false
	}
	for l := line; l >= 1 && l >= line-5; l-- {
		end := len(f.Data)
		if l < len(starts) {
			end = starts[l]
		}
		text := bytes.TrimSpace(f.Data[starts[l-1]:end])
		if !bytes.HasPrefix(text, []byte("#")) {
			break
		}
		if illustration.Match(text) {
			return true
		}
	}
	return false
}

var (
	twilioSID     = lazyre.New(`\b(AC|SK)[0-9a-f]{32}\b`)
	twilioSIDOnly = lazyre.New(`^(AC|SK)[0-9a-f]{32}$`)
	hex32         = lazyre.New(`(?:^|[^0-9A-Za-z])([0-9a-f]{32})(?:$|[^0-9A-Za-z])`)
)

// twilioCredentials finds a Twilio Account SID (AC...) or API key SID
// (SK...) with a 32-hex-digit auth token or key secret within three lines:
// the SID alone identifies an account, the pair signs in to it.
func twilioCredentials(f *File) []Finding {
	if !f.dataHas("AC", "SK") {
		return nil
	}
	starts := lineStartsOf(f)
	var out []Finding
	for _, m := range windowMatches(f.Data, starts, f.Data, twilioSID, []string{"AC", "SK"}) {
		sid := string(f.Data[m[0]:m[1]])
		if entropy(sid[2:]) < 3 {
			continue // AC00000000000000000000000000000000, ACxxxxxxxx...: a placeholder
		}
		line := lineIndex(starts, m[0])
		from, to := starts[max(0, line-4)], len(f.Data)
		if line+3 < len(starts) {
			to = starts[line+3]
		}
		for _, t := range hex32.FindAllSubmatchIndex(f.Data[from:to], -1) {
			token := string(f.Data[from+t[2] : from+t[3]])
			if token == sid[2:] || entropy(token) < 3 {
				continue
			}
			sev, msg := checklists.Critical, "Twilio account SID and auth token committed in the file"
			if sampleFile(f.Path) {
				// As for the other providers' keys: made up far more often
				// than not in tests and documents, never a failing finding.
				sev, msg = checklists.Low, msg+" (a test, fixture, example or document: check it is not a real key)"
			}
			out = append(out, secretCheck.finding(f, line, sev, msg, ""))
			break
		}
	}
	return out
}

// pythonSecrets finds literal values given to secret-named settings on the
// syntax tree: assignments to a name, an attribute (settings.jwt_secret =)
// or a subscript (app.config["SECRET_KEY"] =), annotated fields, keyword
// arguments, dict entries and environment lookups' fallbacks; the value may
// be split over lines, wrapped in SecretStr or Field(default=...).
func pythonSecrets(f *File) []Finding {
	py, t := f.py, f.py.tree
	var out []Finding
	// One finding per value: the same literal repeated down a file is one
	// secret to move out (and the first line is where to start).
	seen := map[string]bool{}
	flag := func(name string, nameNode, value int32) {
		if name == "" || !isSecretName(name) || t.inExamples(nameNode) || identifierKey.MatchString(name) {
			// (A name that ends in what the value identifies, a version, a
			// hash, an id, names a label: _REALTIME_TOKEN_VERSION.)
			return
		}
		// A dotted key names its last part: "daypassword.hashlib" is the
		// hash setting of a password scheme, "smtp.password" a password.
		if i := strings.LastIndexByte(name, '.'); i >= 0 && !isSecretName(name[i+1:]) {
			return
		}
		v, ok := t.evalString(t.unwrapSecret(value), 0)
		// A phrase given to a signing key's setting is the key, even one
		// that ends in the setting's words ("super secret key").
		phrase := ok && signingKeyName(name) && keyPhrase(v.text)
		if !ok || v.how != "" || !looksSecretLiteral(v.text) && !phrase || !phrase && sameWords(name, v.text) || settingLabel(name, v.text) || keyLabel(name, v.text) ||
			headerName.MatchString(v.text) || bareWordKey(name, v.text) ||
			t.sharedLabel(nameNode, v.text) {
			return
		}
		// Made-up values that build a sample or preview (a sample order's
		// secret) are not the service's secrets; settings are never samples.
		if name != strings.ToUpper(name) && t.inSampleCode(nameNode) || seen[v.text] || t.inExamples(nameNode) {
			return
		}
		seen[v.text] = true
		sev, msg := checklists.High, fmt.Sprintf("%s is set to a literal value in the code", name)
		if !signingKeyName(name) && !credentialShaped(v.text) {
			// No evidence of a credential: the name is no signing key's
			// setting and the value is a word or words, as defaults,
			// labels and placeholders are (api_key="mlflow-gateway-auth",
			// password="default"). Keys issued by a service and chosen
			// passwords mix letters with digits or symbols.
			sev, msg = checklists.Low, msg+" (a word, not a generated key or a chosen password, and not a signing key's setting: check whether it is a real credential)"
		}
		if t.onHelpPath(nameNode) {
			sev, msg = checklists.Low, msg+" (only on the path of the help or version command: check no server runs with it)"
		} else if t.inMainBlock(nameNode) {
			// A module's manual run (if __name__ == "__main__") talks to a
			// local test device or server, not the deployed service.
			sev, msg = checklists.Low, msg+" (in the module's __main__ block: check it is not a real secret)"
		} else if telemetryPath.MatchString(f.Path) || t.inTelemetryClass(nameNode) {
			// TOKEN = "s2s...." in telemetry.py: the key every install
			// sends its usage events with, public by design (as a
			// browser's analytics key is); it can only write events.
			sev, msg = checklists.Low, msg+" (a telemetry or analytics key that every install ships: check it can only send events)"
		} else if publicKeyFormat.MatchString(v.text) {
			// POSTHOG_PROJECT_API_KEY = "phc_...": a provider's key made to
			// ship in browsers and apps, whatever the setting is called.
			sev, msg = checklists.Low, msg+" (a provider's public client key format, made to ship in apps: check it is not a secret key)"
		} else if t.inEnumClass(nameNode) {
			// class CredentialType(StrEnum): onepassword = "1password": an
			// enum's member names a choice, it holds no credential.
			sev, msg = checklists.Low, msg+" (a member of an enum, which names a choice: check it is not a credential)"
		} else if t.kind(nameNode) == "identifier" && t.refusedDefault(name) {
			// DEFAULT_SECRET = "..." with `if secret == DEFAULT_SECRET:
			// raise ...`: a published default the service will not run
			// with, kept to recognise it.
			sev, msg = checklists.Low, msg+" (a default the code refuses to run with: check every path that could use it refuses it)"
		} else if inMigration(f.Path) && name == strings.ToLower(name) {
			// person.password = b"default" in a migration's data step: a
			// value written once to existing rows, not a key the service
			// signs or connects with (settings-style names stay high).
			sev, msg = checklists.Low, msg+" (in a migration: check what it writes to existing rows)"
		}
		out = append(out, secretCheck.finding(f, t.line(nameNode), sev, msg, ""))
	}
	words := secretWordIn(py.lower)
	for i := 0; i < len(py.lits) && !words; i++ {
		words = secretWordIn([]byte(strings.ToLower(py.lits[i].value)))
	}
	if words {
		t.each(func(i int32) {
			switch t.kind(i) {
			case "assignment":
				left := t.child(i, "left")
				if left >= 0 {
					flag(t.targetName(left), left, t.child(i, "right"))
				}
			case "keyword_argument":
				name := t.child(i, "name")
				if name >= 0 {
					flag(t.text(name), name, t.child(i, "value"))
				}
			case "pair":
				key := t.child(i, "key")
				if key >= 0 && t.kind(key) == "string" && !t.nameMap(t.nodes[i].parent) {
					k, _ := t.strLiteral(key)
					if uiLabel.MatchString(k) && t.phraseKeys(t.nodes[i].parent) {
						// {"Password": "Cyfrinair", "No results found": ...}:
						// a translation table of the interface's labels.
						break
					}
					flag(k, key, t.child(i, "value"))
				}
			case "call":
				// os.getenv("SECRET", "fallback"), environ.get, env("X", default=)
				callee := t.callee(i)
				switch lastPart(callee) {
				case "get", "setdefault":
					// provider.get("token_key", "oauth_token") reads a dict;
					// only environments and configurations hold secrets.
					if !configObject.MatchString(strings.TrimSuffix(callee, "."+lastPart(callee))) {
						break
					}
					fallthrough
				case "getenv", "env", "str":
					if name := t.arg(i, 0, ""); name >= 0 && t.kind(name) == "string" {
						k, _ := t.strLiteral(name)
						if fb := t.arg(i, 1, "default"); fb >= 0 {
							flag(k, name, fb)
						}
					}
				}
			}
		}, "assignment", "keyword_argument", "pair", "call")
	}
	out = append(out, literalKeys(f)...)
	var names map[int]string    // literal start -> the name it is given
	var public map[int]bool     // literal starts of public keys
	var reported map[int32]bool // concatenations already reported
	for _, lit := range py.lits {
		// A Twilio account or key SID names an account, as a user name
		// does; twilioCredentials reports it when its secret is beside it.
		if !lit.fstring && highEntropy(lit.value) && !placeholderIn.MatchString(lit.value) && !twilioSIDOnly.MatchString(lit.value) {
			if names == nil {
				names, public = t.literalNames(), t.publicKeyLiterals()
			}
			// A commit, a checksum, an id: random-looking by nature. A
			// public key is meant to be shared.
			// __git_commit__ names a commit as git_commit does.
			key, inherited := strings.CutPrefix(names[lit.start], inheritedName)
			key = strings.Trim(key, "_")
			// A value given a secret's name is the named check's to judge
			// (reported there once, on the name's line).
			if identifierKey.MatchString(key) || publicName.MatchString(key) || socialClientKey(key) || public[lit.start] || publicKeyFormat.MatchString(lit.value) ||
				t.inExamples(t.nodeAt(lit.start, "string")) ||
				key != "" && !inherited && isSecretName(key) || t.gitArgument(t.nodeAt(lit.start, "string")) ||
				identifierValue(lit.value) || t.checksumBesideURL(t.nodeAt(lit.start, "string"), lit.value) ||
				t.inSelfTest(t.nodeAt(lit.start, "string")) {
				continue
			}
			sev, msg := checklists.Medium, "a high-entropy string literal looks like a key or token"
			if hexish.MatchString(lit.value) && !keyWord.MatchString(key) {
				// Hex is the alphabet of digests, commits and ids (a
				// checksum, a script's signature, a Gravatar hash); with no
				// secret's name to say otherwise, that is the likelier
				// reading. Issued keys with no name mix cases.
				sev, msg = checklists.Low, "a high-entropy hex string with no secret's name: a digest, commit or id more often than a key (check it is not one)"
			}
			n := t.nodeAt(lit.start, "string")
			if n >= 0 {
				// One finding for a value split over adjacent literals (a
				// base64 blob written 80 characters a line): the first
				// high-entropy piece speaks for the whole.
				if c := t.nodes[n].parent; c >= 0 && t.kind(c) == "concatenated_string" {
					if reported[c] {
						continue
					}
					if reported == nil {
						reported = map[int32]bool{}
					}
					reported[c] = true
				}
			}
			if sev > checklists.Low && !keyWord.MatchString(key) && !(inherited && isSecretName(key)) && !t.secretContext(n) {
				// A random-looking value with nothing beside it to say it
				// is a secret: a voice or model id, a test vector, an
				// embedded file. Issued keys of known formats have their
				// own check; an unknown one is worth a look, not a failed
				// review.
				sev, msg = checklists.Low, "a high-entropy string with no secret's name, key or comment beside it: an id, a name or embedded data more often than a key (check it is not one)"
			}
			if sev > checklists.Low && n >= 0 && t.inMainBlock(n) {
				// A module's manual run (test vectors, a local device), as
				// for named values.
				sev, msg = checklists.Low, msg+" (in the module's __main__ block: check it is not a real secret)"
			}
			out = append(out, secretCheck.finding(f, lit.line, sev, msg, ""))
		}
	}
	return out
}

// secretContext reports whether what surrounds string node n names a
// secret: a dict key, keyword or assignment target of a container that
// holds it ({"api_key": {"default": "..."}}), the function that returns
// it (def credentials()), or a comment in the three lines above its
// statement ("# read-only keys and secrets we use").
func (t *pyTree) secretContext(n int32) bool {
	if n < 0 {
		return false
	}
	stmt := n
	for i := t.nodes[n].parent; i >= 0; i = t.nodes[i].parent {
		switch t.kind(i) {
		case "pair":
			if k := t.child(i, "key"); k >= 0 && t.kind(k) == "string" {
				if v, _ := t.strLiteral(k); secretWordIn([]byte(strings.ToLower(v))) {
					return true
				}
			}
		case "keyword_argument":
			if secretWordIn([]byte(strings.ToLower(t.text(t.child(i, "name"))))) {
				return true
			}
		case "assignment":
			if left := t.child(i, "left"); left >= 0 && secretWordIn([]byte(strings.ToLower(t.targetName(left)))) {
				return true
			}
		}
		if k := t.kind(i); k == "block" || k == "module" {
			break
		}
		stmt = i
	}
	// A function named for what it returns (def credentials(): return ("...",)).
	if fn := t.enclosing(n, "function_definition"); fn >= 0 && secretWordIn([]byte(strings.ToLower(t.text(t.child(fn, "name"))))) {
		return true
	}
	// The three lines above the statement, when they are comments.
	end := t.start(stmt)
	for end > 0 && t.src[end-1] != '\n' {
		end--
	}
	for k := 0; k < 3 && end > 0; k++ {
		begin := end - 1
		for begin > 0 && t.src[begin-1] != '\n' {
			begin--
		}
		line := bytes.TrimSpace(t.src[begin:end])
		if len(line) == 0 || line[0] != '#' {
			break
		}
		if secretWordIn(bytes.ToLower(line)) {
			return true
		}
		end = begin
	}
	return false
}

// inSelfTest reports whether node n is in a module's own test function
// (def test(), def test_vectors()) and the expected side of an assert
// there: a published known answer (RFC 6070's PBKDF2 vectors), not a
// key.
func (t *pyTree) inSelfTest(n int32) bool {
	if n < 0 || t.enclosing(n, "assert_statement") < 0 {
		return false
	}
	for fn := t.enclosing(n, "function_definition"); fn >= 0; fn = t.enclosing(fn, "function_definition") {
		if name := t.text(t.child(fn, "name")); name == "test" || strings.HasPrefix(name, "test_") || name == "selftest" || name == "self_test" {
			return true
		}
	}
	return false
}

// keyParams are the calls that take a key or a signing secret, by resolved
// name, with the key's position and keyword.
var keyParams = map[string]struct {
	pos int
	kw  string
}{
	"hmac.new": {0, "key"}, "hmac.digest": {0, "key"},
	"jwt.encode": {1, "key"}, "jwt.decode": {1, "key"}, "jose.jwt.encode": {1, "key"}, "jose.jwt.decode": {1, "key"},
	"cryptography.fernet.Fernet": {0, "key"},
	"itsdangerous.Signer":        {0, "secret_key"}, "itsdangerous.TimestampSigner": {0, "secret_key"},
	"itsdangerous.Serializer": {0, "secret_key"}, "itsdangerous.URLSafeSerializer": {0, "secret_key"},
	"itsdangerous.URLSafeTimedSerializer": {0, "secret_key"},
}

// cipherClasses are cryptography's ciphers, which take the key first.
var cipherClasses = map[string]bool{
	"cryptography.hazmat.primitives.ciphers.algorithms.AES": true, "cryptography.hazmat.primitives.ciphers.aead.AESGCM": true,
	"cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305": true,
}

// cipherModules are PyCryptodome's (and PyCrypto's) cipher modules, whose
// new(key, ...) takes the key first.
var cipherModules = lazyre.New(`^(Crypto|Cryptodome)\.Cipher\.(AES|DES|DES3|ARC2|ARC4|Blowfish|CAST|ChaCha20|ChaCha20_Poly1305|Salsa20)\.new$`)

// literalKeys finds a key written into the code where a cipher, a MAC or a
// token signer takes it (AES.new(b"k3y...", ...), jwt.encode(claims,
// "secret"), or a local name holding such a literal): whatever the name
// it goes by, it is a hard-coded key (CWE-321). Any literal counts, a
// placeholder too: a key the code always uses is the key.
func literalKeys(f *File) []Finding {
	py, t := f.py, f.py.tree
	if !py.codeHas("jwt", "hmac", "Cipher", "fernet", "Fernet", "itsdangerous", "aead", "algorithms") {
		return nil
	}
	var out []Finding
	seen := map[string]bool{}
	t.each(func(i int32) {
		name := t.callee(i)
		p, signer := keyParams[name]
		cipher := !signer && (cipherModules.MatchString(name) || cipherClasses[name])
		if cipher {
			p = keyParams["hmac.new"] // key first, keyword key
		} else if !signer {
			return
		}
		key := t.arg(i, p.pos, p.kw)
		v, isString := t.evalString(key, 0)
		if !isString || v.how != "" || v.text == "" || seen[v.text] || t.inExamples(i) {
			return
		}
		seen[v.text] = true
		short := lastPart(name)
		if short == "new" || short == "encode" || short == "decode" || short == "digest" {
			short = lastPart(strings.TrimSuffix(name, "."+short)) + "." + short // AES.new, jwt.encode
		}
		sev, msg := checklists.High, fmt.Sprintf("%s is given a key written in the code", short)
		switch {
		case cipher:
			// A cipher's fixed key may be a file format's or a protocol's
			// published one (a container format others encrypt with); a
			// token or cookie signer's key is always the service's own.
			sev, msg = checklists.Medium, msg+": the service's own data needs a key from the environment (a format's published key is fine)"
		case strings.HasPrefix(name, "hmac."):
			// HMAC is also a keyed checksum (a page cursor that must come
			// back unchanged), where the key is no secret.
			sev, msg = checklists.Low, msg+": fine for a checksum, but a signature anyone who reads the code can forge"
		}
		if t.inMainBlock(i) {
			sev, msg = checklists.Low, msg+" (in the module's __main__ block: check it is not a real key)"
		}
		line := t.line(i)
		if t.kind(key) != "string" && v.line > 0 && v.line != line {
			// key = "..." then AES.new(key): the finding goes where the
			// key is written, which is what to move out (and where a
			// secret name's own finding already is: one finding a line).
			line, msg = v.line, msg+fmt.Sprintf(" (on line %d)", t.line(i))
		}
		out = append(out, secretCheck.finding(f, line, sev, msg, ""))
	}, "call")
	return out
}

// configObject is what a .get or .setdefault reads settings from:
// os.environ, env, app.config, settings.
var configObject = lazyre.New(`(?i)(^|\.)(os\.environ|environ|env|config|conf|cfg|settings|secrets|options)$`)

// hashFormat is how a stored password hash starts (Werkzeug's
// pbkdf2:sha256:..., scrypt:..., modular crypt $2b$, $argon2id$, Django's
// pbkdf2_sha256$): the output of a hash, not a secret.
var hashFormat = lazyre.New(`^(pbkdf2:sha\d+:\d+\$|scrypt:\d+:\d+:\d+\$|\$(2[abxy]?|5|6|argon2(id?|d)|pbkdf2(-sha\d+)?|scrypt)\$|(pbkdf2_sha\d+|argon2|bcrypt(_sha256)?|scrypt)\$)`)

// hashScheme is the name of a password hashing scheme, as settings that
// choose one give it (SECURITY_PASSWORD_HASH = "pbkdf2_sha512",
// PASSWORD_HASHER = "argon2"): a choice of algorithm, not a secret.
var hashScheme = lazyre.New(`(?i)^(pbkdf2([_:-]?(sha\d+|hmac))*|bcrypt(_sha256)?|argon2(id?|d)?|scrypt|(sha(1|256|512)|md5|des|bsdi)_crypt|plaintext|hex_(md5|sha\d+)|ldap_\w+)$`)

// pemMarker is a PEM armour line alone, with no key body after it
// (_pem_token = b"-----BEGIN CERTIFICATE-----"): what a parser looks for
// to tell the encoding, not a key.
var pemMarker = lazyre.New(`^-----(BEGIN|END) [A-Z0-9 ]+-----$`)

// bareWordKey reports whether an API key or token is a bare lower-case
// word (api_key = "ollama"): no service issues keys like that, so it is a
// placeholder for a server that ignores the key. A password or a secret
// key may well be a weak word, and stays reported.
func bareWordKey(name, value string) bool {
	return bareWord.MatchString(value) && keyOrToken.MatchString(name) && !passwordOrSecret.MatchString(name)
}

var (
	bareWord         = lazyre.New(`^[a-z]{2,12}$`)
	keyOrToken       = lazyre.New(`(?i)api_?key|token|access_?key`)
	passwordOrSecret = lazyre.New(`(?i)secret|passw|pwd|passphrase|private`)
)

// headerName is the name of an HTTP header (X-Gitlab-Token,
// X-Hub-Signature-256): where a token travels, not a token.
var headerName = lazyre.New(`^X(-[A-Z0-9][A-Za-z0-9]*)+$`)

// publicKeyFormat is a provider's key made to ship in browsers and apps:
// a PostHog project key (phc_), a Stripe publishable key (pk_live_,
// pk_test_). Their secret twins (phx_, sk_live_) stay reported.
var publicKeyFormat = lazyre.New(`^(phc_[A-Za-z0-9]{20,}|pk_(live|test)_[A-Za-z0-9]{16,})$`)

// publicName names a value that is public by design.
// A captcha's site key is the public half, written into the pages that
// show the captcha (its secret is the other one).
// socialClientKey reports whether a name is python-social-auth's
// SOCIAL_AUTH_<BACKEND>_KEY, the OAuth client (consumer) id that goes in
// the clear with every authorisation request; the secret beside it is
// SOCIAL_AUTH_<BACKEND>_SECRET, and SOCIAL_AUTH_SAML_SP_PRIVATE_KEY is a
// private key, not a client id.
func socialClientKey(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(lower, "social_auth_") && strings.HasSuffix(lower, "_key") && !strings.Contains(lower, "private")
}

var publicName = lazyre.New(`(?i)public|pubkey|known_hosts|fingerprint|captcha_?(site_?)?key|site_?key`)

// sshKeyBlob is how an SSH public key starts: its type, or its base64
// blob (ssh-rsa, ssh-ed25519, ecdsa-sha2-*, ssh-dss).
var sshKeyBlob = lazyre.New(`^(ssh-(rsa|ed25519|dss) |ecdsa-sha2-\S+ |AAAAB3NzaC1|AAAAC3NzaC1lZDI1NTE5|AAAAE2VjZHNh)`)

// publicKeyLiterals returns the starts of the literals that hold an SSH
// public key or a password hash, every piece of an implicit concatenation
// included (a host key pinned in the code spans lines).
func (t *pyTree) publicKeyLiterals() map[int]bool {
	out := map[int]bool{}
	t.each(func(i int32) {
		parts := []int32{i}
		if t.kind(i) == "concatenated_string" {
			if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "concatenated_string" {
				return
			}
			parts = t.children(i)
		} else if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "concatenated_string" {
			return
		}
		if len(parts) == 0 || t.kind(parts[0]) != "string" {
			return
		}
		if v, _ := t.strLiteral(parts[0]); sshKeyBlob.MatchString(v) || hashFormat.MatchString(v) {
			for _, c := range parts {
				out[t.start(c)] = true
			}
		}
	}, "string", "concatenated_string")
	return out
}

var yamlAnchor = lazyre.New(`^[&*][A-Za-z_][\w-]*$`)

// yamlBlock is a YAML key whose value is a block scalar (details: |-),
// and docKey a key that holds documentation.
var (
	yamlBlock = lazyre.New(`^\s*(?:-\s+)?([^\s:#][^:#]*):\s*[|>][-+0-9]*\s*(?:#.*)?$`)
	docKey    = lazyre.New(`(?i)^(?:description|desc|details|help|help_text|doc|docs|documentation|summary|notes?|comment|usage|examples?|long_description)$`)
	// settingLine is the first line of a block scalar that holds settings:
	// key: value, KEY=value, [section].
	settingLine = lazyre.New(`^\s*(?:\[[\w. -]+\]\s*$|(?:export\s+)?[\w.-]+\s*(?::(?:\s|$)|=))`)
)

// settingsBlock reports whether the block scalar whose lines follow starts
// with a setting rather than prose.
func settingsBlock(rest []string) bool {
	for _, l := range rest {
		if strings.TrimSpace(l) != "" {
			return settingLine.MatchString(l)
		}
	}
	return false
}

// identifierKey names values that look random without being secret; the
// characters a key is drawn from (SECRET_KEY_CHARSET, TOKEN_ALPHABET) and
// the command line that fetches one (token_command) are no key either.
var identifierKey = lazyre.New(`(?i)(^|_)(commit|sha|sha1|sha256|hash|digest|checksum|etag|revision|rev|version|uuid|guid|id|name|option_?name|slug|sig|ref|charset|chars|characters|alphabet|command|cmd)s?$|[a-z]Name$|Id$|[a-z0-9](hash|digest|sum)s?$|(^|_)(next|page|continuation|pagination)_?(page_?)?token$`)

// identifierValue reports whether a value reads as a code identifier made
// of words (a class, enum or model name: "LD2420ApplyConfigButton",
// "PCM5122BitsPerSample", "TTGO_TDISPLAY_135X240"): nearly all of it is
// words, acronyms and numbers, with at most one stray letter, where a
// random token breaks into many single letters.
func identifierValue(v string) bool {
	if !identChars.MatchString(v) || hexish.MatchString(v) {
		return false
	}
	words, strays, letters := 0, 0, 0
	for _, part := range strings.Split(v, "_") {
		for _, tok := range camelTokens(part) {
			letters += len(tok)
			switch {
			case tok[0] >= '0' && tok[0] <= '9':
				words += len(tok)
			case len(tok) == 1:
				strays++
			case strings.ToUpper(tok) == tok && len(tok) <= 10:
				words += len(tok) // an acronym
			case len(tok) >= 3 && vowel.MatchString(tok):
				words += len(tok)
			}
		}
	}
	return strays <= 1 && letters > 0 && words*10 >= letters*9
}

var (
	identChars = lazyre.New(`^[A-Za-z][A-Za-z0-9_]*$`)
	vowel      = lazyre.New(`(?i)[aeiouy]`)
)

// camelTokens splits an identifier at case and digit changes:
// "LTRAlsPs501Component" gives LTR, Als, Ps, 501, Component.
func camelTokens(s string) []string {
	var out []string
	start := 0
	kind := func(b byte) int {
		switch {
		case b >= '0' && b <= '9':
			return 0
		case b >= 'A' && b <= 'Z':
			return 1
		}
		return 2
	}
	for i := 1; i < len(s); i++ {
		a, b := kind(s[i-1]), kind(s[i])
		// A new token starts at a digit boundary, at a lower-to-upper
		// hump, and at the last capital of an acronym before lower case
		// (LTRAls: LTR, Als).
		if a != b && (a == 0 || b == 0) || a == 2 && b == 1 ||
			a == 1 && b == 1 && i+1 < len(s) && kind(s[i+1]) == 2 {
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}

// checksumBesideURL reports whether a hex literal of a digest's length
// stands in a tuple or list beside a URL: a download's checksum.
func (t *pyTree) checksumBesideURL(lit int32, v string) bool {
	if !hexish.MatchString(v) || len(v) != 32 && len(v) != 40 && len(v) != 64 && len(v) != 128 {
		return false
	}
	return t.siblingLiteral(lit, func(u string) bool {
		return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
	})
}

// inheritedName marks, in literalNames, a name a dict entry takes from the
// dict it is in.
const inheritedName = "{}"

// gitArgument reports whether a literal is an argument of a git command
// (["git", "cat-file", "-e", "cb0e32..."]): a commit id.
func (t *pyTree) gitArgument(lit int32) bool {
	return t.siblingLiteral(lit, func(v string) bool { return v == "git" })
}

// siblingLiteral reports whether a literal stands in a list, a tuple or a
// call's arguments beside a string literal that ok accepts.
func (t *pyTree) siblingLiteral(lit int32, ok func(string) bool) bool {
	if lit < 0 {
		return false
	}
	p := t.nodes[lit].parent
	if p < 0 || t.kind(p) != "list" && t.kind(p) != "tuple" && t.kind(p) != "argument_list" {
		return false
	}
	for _, c := range t.children(p) {
		if t.kind(c) != "string" {
			continue
		}
		if v, interpolated := t.strLiteral(c); !interpolated && ok(v) {
			return true
		}
	}
	return false
}

// literalNames maps the start of each string literal given a name (a
// dict key, a keyword argument, an assignment target) to that name.
func (t *pyTree) literalNames() map[int]string {
	out := map[int]string{}
	t.each(func(i int32) {
		var name string
		var value int32 = -1
		switch t.kind(i) {
		case "pair":
			if k := t.child(i, "key"); k >= 0 && t.kind(k) == "string" {
				name, _ = t.strLiteral(k)
			}
			// CHECKSUMS = {"https://.../frpc_linux_amd64": "c791..."}: a
			// key that is no name (a URL, a path) leaves the entry the
			// dict's own name.
			// (Marked inherited: the named check judged the entry by
			// its own key.)
			if !identName.MatchString(name) {
				name = ""
				if d := t.nodes[i].parent; d >= 0 && t.kind(d) == "dictionary" {
					if a := t.nodes[d].parent; a >= 0 && t.kind(a) == "assignment" && t.child(a, "right") == d {
						if n := t.targetName(t.child(a, "left")); n != "" {
							name = inheritedName + n
						}
					}
				}
			}
			value = t.child(i, "value")
		case "keyword_argument":
			name, value = t.text(t.child(i, "name")), t.child(i, "value")
		case "assignment":
			if left := t.child(i, "left"); left >= 0 {
				name = t.targetName(left)
			}
			value = t.child(i, "right")
		case "comparison_operator":
			// props.get("hda_disk_image_md5sum") == "8ebc...": the literal
			// is what a checksum or an id is expected to be. (A secret's
			// name compared with a literal, api_key == "...", is left
			// to the literal's own judgement.)
			if cs := t.children(i); len(cs) == 2 {
				for k, c := range cs {
					if n := t.comparedName(cs[1-k]); t.kind(c) == "string" && identifierKey.MatchString(n) {
						name, value = n, c
					}
				}
			}
		}
		if value < 0 || name == "" {
			return
		}
		// Each literal of a value built from several ("ab" + "cd", split
		// over lines in parentheses, or adjacent) is given the name too.
		var give func(v int32)
		give = func(v int32) {
			switch t.kind(v) {
			case "string":
				out[t.start(v)] = name
			case "binary_operator", "concatenated_string", "parenthesized_expression":
				for _, c := range t.children(v) {
					give(c)
				}
			}
		}
		give(value)
	}, "pair", "keyword_argument", "assignment", "comparison_operator")
	return out
}

// telemetryPath is a module or package named for telemetry or analytics.
var telemetryPath = lazyre.New(`(?i)(^|[/_.-])(telemetry|analytics|usage[_-]?stat(istic)?s)([/_.-]|$)`)

// enumBase is a base class of Python's enumerations.
var enumBase = lazyre.New(`\b(Enum|StrEnum|IntEnum|Flag|IntFlag|TextChoices|IntegerChoices)\b`)

// inEnumClass reports whether node i is a member of a class that derives
// from an enumeration (class Provider(str, Enum)).
func (t *pyTree) inEnumClass(i int32) bool {
	c := t.enclosing(i, "class_definition", "function_definition")
	if c < 0 || t.kind(c) != "class_definition" {
		return false
	}
	bases := t.child(c, "superclasses")
	return bases >= 0 && enumBase.MatchString(t.text(bases))
}

// inTelemetryClass reports whether node i is inside a class named for
// telemetry or analytics (TelemetryComponent, AnalyticsConfig).
func (t *pyTree) inTelemetryClass(i int32) bool {
	for c := t.enclosing(i, "class_definition"); c >= 0; c = t.enclosing(c, "class_definition") {
		if n := t.child(c, "name"); n >= 0 && strings.Contains(strings.ToLower(t.text(n)), "telemetry") ||
			n >= 0 && strings.Contains(strings.ToLower(t.text(n)), "analytics") {
			return true
		}
	}
	return false
}

// refusedDefault reports whether the module refuses to go on with the value
// of the constant name: name compared with ==, is or in (x in (name, ...))
// in the condition of an if whose block ends in raise.
func (t *pyTree) refusedDefault(name string) bool {
	found := false
	t.each(func(c int32) {
		if found {
			return
		}
		equal, uses := false, false
		for k := t.nodes[c].first; k >= 0; k = t.nodes[k].next {
			switch t.kind(k) {
			case "==", "is", "in":
				equal = true
			case "identifier":
				uses = uses || t.text(k) == name
			case "tuple", "list", "set":
				for _, e := range t.children(k) {
					uses = uses || t.kind(e) == "identifier" && t.text(e) == name
				}
			}
		}
		if !equal || !uses {
			return
		}
		ifs := t.enclosing(c, "if_statement", "elif_clause")
		if ifs < 0 {
			return
		}
		cond, body := t.child(ifs, "condition"), t.child(ifs, "consequence")
		if cond < 0 || body < 0 || t.start(c) < t.start(cond) || t.end(c) > t.end(cond) {
			return
		}
		kids := t.children(body)
		found = len(kids) > 0 && t.kind(kids[len(kids)-1]) == "raise_statement"
	}, "comparison_operator")
	return found
}

// comparedName is the name of a value a literal is compared with: a
// name, an attribute's last part, a key read with .get("key") or
// ["key"].
func (t *pyTree) comparedName(v int32) string {
	switch t.kind(v) {
	case "identifier":
		return t.text(v)
	case "attribute":
		return t.text(t.child(v, "attribute"))
	case "subscript":
		if k := t.child(v, "subscript"); k >= 0 && t.kind(k) == "string" {
			s, _ := t.strLiteral(k)
			return s
		}
	case "call":
		if lastPart(t.callee(v)) == "get" {
			if k := t.arg(v, 0, ""); k >= 0 && t.kind(k) == "string" {
				s, _ := t.strLiteral(k)
				return s
			}
		}
	}
	return ""
}

// camelKey is a camelCase key: a lower-case word, then capitalised ones.
var camelKey = lazyre.New(`^[a-z]+([A-Z][a-z]+)+$`)

// sameWords reports whether a value spells its own name ("users.token.any"
// for users_token_any): a label or permission name, not a secret.
func sameWords(name, value string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch r {
			case '.', ':', '-', ' ', '/':
				return '_'
			}
			return unicode.ToLower(r)
		}, s)
	}
	// The value may wrap the name in underscores, a placeholder that a
	// build or a deployment replaces (AIM_RT_BEARER_TOKEN =
	// "__AIM_RT_BEARER_TOKEN__").
	n, v := strings.Trim(norm(camelBreak.ReplaceAllString(name, "${1}_${2}")), "_"), strings.Trim(norm(value), "_")
	// A camelCase key spelling a SNAKE_CASE name (_TOKEN_MAPPING =
	// "tokenMapping").
	if camelKey.MatchString(value) && norm(camelBreak.ReplaceAllString(value, "${1}_${2}")) == n {
		return true
	}
	// A config key that ends in the name ('rag.docling_api_key' for
	// DOCLING_API_KEY), or a name that ends in a value of two words or
	// more (RESOURCE_TYPE_GATEWAY_SECRET = "gateway_secret"): a label.
	return n == v || strings.HasSuffix(v, "_"+n) || strings.Contains(v, "_") && strings.HasSuffix(n, "_"+v)
}

// labelPart is one word of a setting or field name: lower-case letters
// with digits around them (2nd, v2), an upper-case abbreviation (PW), a
// capitalised word. Keys and passwords mix classes inside a word (s3cr3t).
var labelPart = lazyre.New(`^([0-9]*[a-z]+[0-9]*|[A-Z]+[0-9]*|[A-Z][a-z]+)$`)

// settingLabel reports whether a value given to a secret-named constant is
// the name of a setting or field rather than a secret: two words or more
// joined by "_" or "." (max_token_per_user, losttoken_PW_length,
// service_id) that either name something no secret is (a size, an id, a
// limit: the words notSecretName knows) or spell the constant's own name
// (MAXTOKENUSER = "max_token_per_user", LAST_USED_TOKEN_KEY =
// "last_used_token"). Random keys mix letters and digits inside a word,
// and a password made of words rarely spells its own variable's name.
func settingLabel(name, value string) bool {
	parts := strings.FieldsFunc(value, func(r rune) bool { return r == '_' || r == '.' || r == '-' })
	if len(parts) < 2 || strings.HasPrefix(value, "_") || strings.HasSuffix(value, "_") {
		return false
	}
	for _, p := range parts {
		if !labelPart.MatchString(p) {
			return false
		}
	}
	if notSecretName.MatchString(strings.ReplaceAll(value, ".", "_")) {
		return true
	}
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return -1
		}, s)
	}
	n, v := letters(name), letters(value)
	if len(n) < 5 || len(v) < 5 {
		return false
	}
	return subsequence(n, v) || subsequence(v, n)
}

// storageWord is a word of a value that names where something is kept:
// a session or cookie key, a cache key, a form field.
var storageWord = map[string]bool{"session": true, "sess": true, "cookie": true, "cache": true, "state": true,
	"storage": true, "header": true, "param": true, "field": true, "flash": true, "csrf": true, "form": true, "query": true,
	"scope": true}

// nameSuffix is a constant's last word that says its value names
// something: an attribute, a field, a parameter, an option, a header.
var nameSuffix = map[string]bool{"attr": true, "attribute": true, "field": true, "param": true, "parameter": true,
	"option": true, "opt": true, "column": true, "col": true, "header": true, "arg": true, "kwarg": true, "var": true}

// keyLabel reports whether a value given to a secret-named constant is
// a label rather than a secret: lower-case words only, and either one
// word of the name (ACTIVATION_TOKEN = "activation", SECRET_VALUES =
// "values"), or, for a name ending in TOKEN or KEY, words all taken from
// the name (PASSWORD_CHANGE_TOKEN = "change_password") or words that say
// where it is kept (TOKEN_KEY = "misago_admin_session_token"). Names of
// passwords are left out: people choose words for those.
func keyLabel(name, value string) bool {
	words := identWords(name)
	if len(words) < 2 {
		return false
	}
	last := words[len(words)-1]
	switch last {
	case "password", "passwd", "pwd", "passphrase", "pass":
		return false // people choose words for passwords
	}
	tokenName := last == "token" || last == "key"
	parts := strings.FieldsFunc(value, func(r rune) bool { return r == '_' || r == '.' || r == '-' || r == ':' })
	if len(parts) == 0 {
		return false
	}
	inName, stored := 0, false
	for _, p := range parts {
		for _, r := range p {
			if r < 'a' || r > 'z' {
				return false
			}
		}
		// A plural spells the same word (SECRET_KEY = "secrets_keys").
		if slices.Contains(words, p) || slices.Contains(words, p+"s") || len(p) > 3 && slices.Contains(words, strings.TrimSuffix(p, "s")) {
			inName++
		}
		stored = stored || storageWord[p]
	}
	// The name ends in what the value is, a name of something else
	// (_TOKEN_ATTR = "bot_token", PASSWORD_FIELD = "password",
	// API_KEY_HEADER = "x_api_key"), and shares a word with it.
	if nameSuffix[last] && inName > 0 {
		return true
	}
	// The name says where the token is kept and that this is the key or
	// the name it is kept under (COOKIE_NAME_JWT_TOKEN = "_token",
	// REQUEST_SCOPE_TOKEN_KEY = "ti_token"): the value is that name.
	keptIn := false
	for _, w := range words[:len(words)-1] {
		keptIn = keptIn || storageWord[w]
	}
	if keptIn && (last == "key" || slices.Contains(words, "name")) && inName > 0 {
		return true
	}
	if len(parts) == 1 {
		// SECRET_VALUES = "values", ACTIVATION_TOKEN = "activation".
		return inName == 1 && len(parts[0]) >= 4 && !isSecretName(parts[0])
	}
	return tokenName && (inName == len(parts) || stored)
}

// subsequence reports whether every byte of a occurs in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// nameMap reports whether a dict maps names to names: three entries or
// more, every key a string and every value a snake_case name
// ({"aws_session_token": "security_token", "aws_access_key_id":
// "access_key"}), as a table of setting or field names does.
func (t *pyTree) nameMap(dict int32) bool {
	if dict < 0 || t.kind(dict) != "dictionary" {
		return false
	}
	return t.dictFactsOf(dict).nameMap
}

func (t *pyTree) nameMapScan(dict int32) bool {
	pairs := 0
	for _, p := range t.children(dict) {
		if t.kind(p) != "pair" {
			continue
		}
		k, v := t.child(p, "key"), t.child(p, "value")
		if k < 0 || v < 0 || t.kind(k) != "string" || t.kind(v) != "string" {
			return false
		}
		if s, interp := t.strLiteral(v); interp || !snakeName.MatchString(s) {
			return false
		}
		pairs++
	}
	return pairs >= 3
}

// uiLabel is an interface label in sentence case ("Password", "New
// password"), not a setting's name (SECRET_KEY, api_key).
var uiLabel = lazyre.New(`^[A-Z][a-z]+( [A-Za-z]+)*$`)

// phraseKeys reports whether a dict is a table of interface texts: five
// keys or more, nearly all (four in five) labels or phrases ("Add",
// "No results found"), two of them or more phrases of several words.
// Settings are keyed by names (db_host, SECRET_KEY).
func (t *pyTree) phraseKeys(dict int32) bool {
	if dict < 0 || t.kind(dict) != "dictionary" {
		return false
	}
	return t.dictFactsOf(dict).phraseKeys
}

func (t *pyTree) phraseKeysScan(dict int32) bool {
	keys, texts, phrases := 0, 0, 0
	for _, p := range t.children(dict) {
		k := t.child(p, "key")
		if t.kind(p) != "pair" || k < 0 || t.kind(k) != "string" {
			continue
		}
		keys++
		s, _ := t.strLiteral(k)
		s = strings.TrimSpace(s)
		if strings.Contains(s, " ") {
			phrases++
			texts++
		} else if uiLabel.MatchString(s) {
			texts++
		}
	}
	return keys >= 5 && texts*5 >= keys*4 && phrases >= 2
}

var snakeName = lazyre.New(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// sharedLabel reports whether a dict entry's value is also the value of a
// key in the same dict that is not secret-named: {"smtp_host":
// "mail_settings", "smtp_password": "mail_settings"} maps fields to the
// group they belong to. A secret is not shared with a host name.
func (t *pyTree) sharedLabel(key int32, value string) bool {
	if key < 0 {
		return false
	}
	pair := t.nodes[key].parent
	if pair < 0 || t.kind(pair) != "pair" {
		return false
	}
	dict := t.nodes[pair].parent
	if dict < 0 || t.kind(dict) != "dictionary" {
		return false
	}
	n := t.dictFactsOf(dict).plainValues[value]
	if vv, ok := t.plainPairValue(pair); ok && vv == value {
		n-- // the entry itself
	}
	return n > 0
}

// dictFacts are the answers about one dict literal that the secret check
// asks for each of its entries: reading the dict once for each entry is
// quadratic in a table of thousands.
type dictFacts struct {
	nameMap, phraseKeys bool
	// plainValues counts the literal values of entries whose literal key
	// is not secret-named (sharedLabel).
	plainValues map[string]int
}

func (t *pyTree) dictFactsOf(dict int32) *dictFacts {
	if f := t.dicts[dict]; f != nil {
		return f
	}
	f := &dictFacts{nameMap: t.nameMapScan(dict), phraseKeys: t.phraseKeysScan(dict), plainValues: map[string]int{}}
	for _, p := range t.children(dict) {
		if v, ok := t.plainPairValue(p); ok {
			f.plainValues[v]++
		}
	}
	if t.dicts == nil {
		t.dicts = map[int32]*dictFacts{}
	}
	t.dicts[dict] = f
	return f
}

// plainPairValue is the value of a dict entry whose key and value are
// literals and whose key is not secret-named.
func (t *pyTree) plainPairValue(p int32) (string, bool) {
	if t.kind(p) != "pair" {
		return "", false
	}
	k, v := t.child(p, "key"), t.child(p, "value")
	if k < 0 || v < 0 || t.kind(k) != "string" || t.kind(v) != "string" {
		return "", false
	}
	kn, _ := t.strLiteral(k)
	vv, interp := t.strLiteral(v)
	if interp || isSecretName(kn) {
		return "", false
	}
	return vv, true
}

// inMainBlock reports whether node i is inside a module-level
// if __name__ == "__main__": block.
func (t *pyTree) inMainBlock(i int32) bool {
	for s := t.enclosing(i, "if_statement"); s >= 0; s = t.enclosing(s, "if_statement") {
		if c := t.child(s, "condition"); c >= 0 && mainGuard.Match(t.src[t.start(c):t.end(c)]) {
			return true
		}
	}
	return false
}

var mainGuard = lazyre.New(`^__name__\s*==\s*["']__main__["']$`)

// onHelpPath reports whether node i sits in the body of an if that runs
// only when the command line asks for help or the version
// (if sys.argv[1] == "help": ...): a value set there lets the framework
// list its commands, and no server runs with it.
func (t *pyTree) onHelpPath(i int32) bool {
	for s := t.enclosing(i, "if_statement"); s >= 0; s = t.enclosing(s, "if_statement") {
		c, body := t.child(s, "condition"), t.child(s, "consequence")
		if c < 0 || body < 0 || t.start(i) < t.start(body) || t.end(i) > t.end(body) {
			continue
		}
		// (if sys.argv[1] not in ("help",): the body is every other command.)
		if cond := t.src[t.start(c):t.end(c)]; helpArgv.Match(cond) && !bytes.Contains(cond, []byte("not ")) {
			return true
		}
	}
	return false
}

var helpArgv = lazyre.New(`\bsys\.argv\b[^:]*?(?:==|\bin\b)\s*[(\[{]?\s*["'](?:help|--help|-h|version|--version)["']`)

// inExamples reports whether node i sits in the value of an examples= or
// example= argument (a schema's sample values, Field(examples=[...])).
func (t *pyTree) inExamples(i int32) bool {
	if i < 0 {
		return false
	}
	for k := t.enclosing(i, "keyword_argument", "pair"); k >= 0; k = t.enclosing(k, "keyword_argument", "pair") {
		name := ""
		if t.kind(k) == "pair" {
			if key := t.child(k, "key"); key >= 0 && t.kind(key) == "string" {
				name, _ = t.strLiteral(key)
			}
		} else {
			name = t.text(t.child(k, "name"))
		}
		switch name {
		case "examples", "example", "json_schema_extra", "openapi_examples":
			return true
		}
	}
	// connection_args_example = dict(token="..."): values inside a
	// structure whose name says it is an example (the name assigned is
	// still checked on its own: EXAMPLE_TOKEN = "..." is a setting).
	for a := t.enclosing(i, "assignment"); a >= 0; a = t.enclosing(a, "assignment") {
		left, right := t.child(a, "left"), t.child(a, "right")
		if left >= 0 && right >= 0 && t.start(i) >= t.start(right) && exampleName.MatchString(t.targetName(left)) {
			return true
		}
	}
	return false
}

// exampleName names a structure of example values: connection_args_example,
// SAMPLE_CONFIG, examples.
var exampleName = lazyre.New(`(?i)(^|_)(examples?|samples?)(_|$)`)

// sampleScope matches the names of functions and classes that build sample,
// example or preview data.
var sampleScope = lazyre.New(`(?i)(sample|example|dummy|fake|demo|preview|mock)`)

// inSampleCode reports whether node i is inside a function or class whose
// name says it builds sample data.
func (t *pyTree) inSampleCode(i int32) bool {
	for s := t.enclosing(i, "function_definition", "class_definition"); s >= 0; s = t.enclosing(s, "function_definition", "class_definition") {
		if n := t.child(s, "name"); n >= 0 && sampleScope.MatchString(t.text(n)) {
			return true
		}
	}
	return false
}

// targetName is the name an assignment target gives its value: the name,
// the attribute (settings.secret_key) or the literal key of a subscript
// (app.config["SECRET_KEY"]); "" for anything else.
func (t *pyTree) targetName(i int32) string {
	switch t.kind(i) {
	case "identifier":
		return t.text(i)
	case "attribute":
		if a := t.child(i, "attribute"); a >= 0 {
			return t.text(a)
		}
	case "subscript":
		if k := t.child(i, "subscript"); k >= 0 && t.kind(k) == "string" {
			v, interp := t.strLiteral(k)
			if !interp {
				return v
			}
		}
	}
	return ""
}

// unwrapSecret looks through the calls that turn a literal into a secret
// value (SecretStr("x"), Field(default="x")); other calls (d.get("token"),
// intern("x")) are not the value assigned.
func (t *pyTree) unwrapSecret(i int32) int32 {
	if i < 0 || t.kind(i) != "call" {
		return i
	}
	name := t.callee(i)
	if !secretWrappers[name] && !secretWrappers[lastPart(name)] {
		return -1
	}
	return t.arg(i, 0, "default")
}

var (
	// reference is a value that names where the secret comes from instead
	// of holding it: ${VAR}, $VAR, %(name)s, {{ var }}, <your key>, and the
	// environment references of config loaders (os.environ/OPENAI_API_KEY,
	// env:DB_PASSWORD); or an identifier that only looks like a value, a
	// URN (urn:ietf:params:oauth:token-type:access_token names a token's
	// type).
	reference = lazyre.New(`^(\$\{?[A-Za-z_][\w.]*\}?|%\([\w.]+\)[sd]|\{\{[^}]*\}\}|<[^>]*>|(os\.)?environ/[A-Za-z_]\w*|env:[A-Za-z_]\w*|urn:[A-Za-z0-9][A-Za-z0-9-]*:\S+)$`)
	// placeholderWords are the placeholderIn words, without the markers
	// ($, %(, {{) that real secrets may contain.
	placeholderWords = lazyre.New(`(?i)((^|[-_ ])(missing|unset|not[-_ ]configured)([-_ !.]|$)|(^|[-_])(test|tests|fake|mock|dummy|sample|example)([-_]|$)|change[-_ ]?me|changeme|change[-_ ]?this|replace[-_ ]?(me|this|with)|fill[-_ ]?me[-_ ]?in|your[-_ ]|(^|[-_ ])please[-_ ]|(^|[-_ ])(choose|pick|enter|insert|put|set|generate)[-_ ](a|an|the|some)[-_ ]|example|placeholder|dummy|insecure|not[-_ ]secret|xxxx|\.\.\.)`)
	// proseWord is a word of a sentence, quoted names (`id_token`) and
	// "and/or" included.
	proseWord = lazyre.New("^[(`\"']?[A-Za-z_'/]+[`\"']?[,.:;?!)]*$")
	// nameFragment is a piece of a name to be joined to others: lower-case
	// words with a leading or trailing underscore (an option prefix
	// "backend_kwarg__", a private key "_token").
	nameFragment = lazyre.New(`^(_+[a-z]+(_[a-z]+)*_*|[a-z]+(_[a-z]+)*_+)$`)
	// duration is a length of time ("30 minutes", "1 day").
	duration = lazyre.New(`(?i)^\d+\s*(seconds?|minutes?|hours?|days?|weeks?|months?|years?)$`)
	// wordPath is a relative path of lower-case words, a template's or a
	// file's ("security/email/reset_notice"); random keys mix case and
	// digits.
	wordPath = lazyre.New(`^[a-z_][a-z_-]*(/[a-z_][a-z_.-]*)+/?$`)
	// namedFormat is a %-format field named after a value (%(short_name)s).
	namedFormat = lazyre.New(`%\([A-Za-z_]\w*\)[sd]`)
	// rateSpec is a rate limit: "5/m", "20/m/ip,5/m/key", "10/m/ip; 5/5m/key".
	rateSpec = lazyre.New(`^\d+/\d*[a-z]+(/[a-z]+)?([,;] ?\d+/\d*[a-z]+(/[a-z]+)?)*$`)
)

// looksSecretLiteral is looksSecret for a literal given to a secret-named
// setting in code: there a value with $, %( or spaces is still a secret
// unless the whole value is a reference to one, or a sentence.
func looksSecretLiteral(v string) bool {
	switch {
	case len(v) < 6, placeholder.MatchString(v), placeholder.MatchString(strings.Trim(v, "[]<>()*")), placeholderWords.MatchString(v),
		reference.MatchString(v), fieldPath.MatchString(v), hashFormat.MatchString(v), hashScheme.MatchString(v), pemMarker.MatchString(v),
		mostlyPunctuation(v), rateSpec.MatchString(v), wordPath.MatchString(v), nameFragment.MatchString(v), duration.MatchString(v),
		envRef.MatchString(v), strings.HasPrefix(v, "/"), strings.HasPrefix(v, "~/"), strings.Contains(v, "://"), strings.ContainsAny(v, "\n{}"),
		sourcePath.MatchString(v), // keys/windows_vm_priv_key.asc: where a key file is, not the key
		camelWord.MatchString(v), nameWords.MatchString(v), prose(v), typeExpr.MatchString(v), importString.MatchString(v),
		bindParam.MatchString(v), specialToken.MatchString(v), strings.Contains(v, "/") && namedFormat.MatchString(v),
		codeValue(v):
		// (A path with %(name)s fields, '%(folder_url)sjob/%(name)s/credentials/',
		// is a URL template filled per call: the name says what it reaches.)
		return false
	}
	return true
}

// codeValue reports whether v is a piece of another language's code kept in
// a constant named for what it handles: a script that tests a password field
// (el => el.type === 'password'), a CSS value (blur(6px), rgba(0, 0, 0,
// 0.4)), or a regular expression's alternation of words
// (password|passwd|api[_ -]?key|token). Chosen passwords and issued keys
// have none of these shapes: no spaced operators, no units in brackets, no
// three words between bars.
func codeValue(v string) bool {
	if scriptOperator.MatchString(v) || cssFunction.MatchString(v) {
		return true
	}
	alts := strings.Split(strings.Trim(v, "()^$?:"), "|")
	if len(alts) < 3 {
		return false
	}
	words := 0
	for _, a := range alts {
		if !regexAlternative.MatchString(a) {
			return false
		}
		if letterWord.MatchString(a) && len(a) >= 3 {
			words++
		}
	}
	return words >= 2
}

var (
	// scriptOperator is an operator of JavaScript or Python written between
	// spaces, as code is and no secret is: =>, ===, !==, &&, ||.
	scriptOperator = lazyre.New(`\s(=>|===|!==|&&|\|\|)\s`)
	// cssFunction is a CSS value: a function of numbers with units.
	cssFunction = lazyre.New(`^[a-z][a-z-]*\(\s*-?[\d.]+(px|em|rem|%|deg|s|ms|vh|vw)?(\s*,\s*-?[\d.]+(px|em|rem|%|deg|s|ms|vh|vw)?)*\s*\)$`)
	// regexAlternative is one branch of a pattern's alternation: letters,
	// with optional parts in brackets ("api[_ -]?key").
	regexAlternative = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9]*(\[[^\]]+\][?*+]?[A-Za-z0-9]*)*$`)
)

// keyPhrase reports whether a value is a phrase of two to eight words of
// letters in any alphabet ("super secret key", "not so secret", "café
// secret value here"): given to a signing key's setting (app.secret_key,
// SECRET_KEY, JWT_SECRET) it is the key the framework signs sessions and
// tokens with, as guessable as a word. A phrase marked as a stand-in (dev,
// test, example, default, change me...) or made of the setting's own words
// only ("the secret key") stays a placeholder.
//
// Up to eight words: a title or a saying ("Harry Potter And The Deathly
// Hallows") is as guessable as a short phrase. A longer phrase that tells
// the reader what to do ("set your own secret key here") is an instruction,
// not a key.
func keyPhrase(v string) bool {
	words := strings.Fields(v)
	if len(words) < 2 || len(words) > 8 || len(v) < 8 || nameWords.MatchString(strings.Join(words, " ")) ||
		placeholderWords.MatchString(v) || standIn.MatchString(v) || len(words) > 5 && instructionWords.MatchString(v) {
		return false
	}
	for _, w := range words {
		if !letterWord.MatchString(w) {
			return false
		}
	}
	return true
}

var (
	letterWord = lazyre.New(`^\pL+$`)
	// instructionWords mark a phrase that asks the reader to supply a key.
	instructionWords = lazyre.New(`(?i)\b(set|use|put|generate|provide|enter|your|please|here|change|random|should|must|env|environment|production)\b`)
	// standIn is a word that marks a value as a stand-in for the real one.
	standIn = lazyre.New(`(?i)\b(dev|development|devel|debug|test|testing|tests|local|localhost|example|sample|dummy|fake|mock|default|defaults|insecure|unsafe|placeholder|changeme|todo|fixme|replace|override|overridden|demo|temp|temporary|ci)\b`)
)

// bindParam is a column compared with or set to a query's bind parameter
// ("password = ?", "api_token=%s", "secret = :secret", "SET password = $1"):
// the SQL that stores a credential, whose value the driver binds later.
var bindParam = lazyre.New(`(?i)(^|[\s(,])[a-z_][\w.]*\s*(=|<>|!=|<=|>=)\s*(\?|%s|:[a-z_]\w*|\$[0-9]+)(\s|,|\)|$)`)

// importString is a "package.module:attribute" reference (entry points,
// lazy-import tables, an ASGI app's path; relative ones start with dots):
// it names code, as a dotted path does ("ApiToken":
// "._internal.cloud.api_token:ApiToken"). The module part needs a dot, so
// "admin:hunter2" stays a credential.
var importString = lazyre.New(`^(\.+[A-Za-z_]\w*|[A-Za-z_]\w*\.[A-Za-z_]\w*)(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$`)

// typeExpr is a subscripted type written as a string (AnyDict: TypeAlias =
// "dict[str, Any]", "Optional[List[Token]]"): a type alias, not a value.
var typeExpr = lazyre.New(`^[A-Za-z_][\w.]*\[[\w.\[\], |'"]*\]$`)

// mostlyPunctuation reports whether fewer than half of v's characters are
// letters or digits: a separator or a marker ("-------- Original message
// --------"), not a key or a password.
func mostlyPunctuation(v string) bool {
	alnum := 0
	for _, r := range v {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum++
		}
	}
	return alnum*2 < len([]rune(v))
}

// prose reports whether v reads as a sentence: two or more words of
// letters only, or words ending in punctuation.
func prose(v string) bool {
	// A notice in brackets ("[credentials redacted — this turn was
	// refused]") reads as its words; a dash between them is punctuation.
	var words []string
	for _, w := range strings.Fields(strings.Trim(v, "[]")) {
		if strings.Trim(w, "-–—") != "" {
			words = append(words, w)
		}
	}
	if len(words) < 2 {
		return strings.HasSuffix(v, ":") || strings.HasSuffix(v, "?")
	}
	letters := 0
	for _, w := range words {
		if proseWord.MatchString(w) {
			letters++
		}
	}
	// A help text or message: three or more words, nearly all of letters
	// ("Database password (default: root)").
	return letters == len(words) || strings.ContainsAny(v[len(v)-1:], ".:?!") && letters*2 > len(words) ||
		len(words) >= 3 && letters*4 >= len(words)*3
}

func configSecrets(f *File, example bool) []Finding {
	var out []Finding
	// Compose files and CI workflows set throwaway passwords for local
	// database containers; those are still reported, but low.
	localInfra := isLocalInfra(f.Path)
	ext := path.Ext(f.Path)
	yaml := ext == ".yaml" || ext == ".yml"
	block := -1 // the indent of the key whose block scalar the lines are in
	lines := strings.Split(string(f.Data), "\n")
	for i, line := range lines {
		if yaml {
			// A block scalar (key: | or >) of documentation is prose and
			// examples in Markdown until a line is indented no deeper than
			// its key: one under a documentation key (description: |), or
			// one whose first line is not a setting. A block that holds a
			// file of settings (a ConfigMap's app.yaml: |) is still read.
			indent := len(line) - len(strings.TrimLeft(line, " "))
			if block >= 0 && (strings.TrimSpace(line) == "" || indent > block) {
				continue
			}
			block = -1
			if m := yamlBlock.FindStringSubmatch(line); m != nil && (docKey.MatchString(m[1]) || !settingsBlock(lines[i+1:])) {
				block = indent
				continue
			}
		}
		if !example && !secretWordIn([]byte(strings.ToLower(line))) {
			continue
		}
		m := configLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, value := m[1], strings.TrimSpace(m[2])
		if i := strings.LastIndexAny(name, ".-"); i >= 0 {
			name = name[i+1:]
		}
		switch {
		case example:
			// .env.example holds placeholders; only something that looks
			// generated by a key issuer is a leak.
			if highEntropy(value) && !placeholderIn.MatchString(value) {
				out = append(out, secretCheck.finding(f, i+1, checklists.High,
					name+" in the example file looks like a real secret", ""))
			}
		case yamlAnchor.MatchString(value):
			// gcs_credentials: &gcs_credentials, or *gcs_credentials: a YAML
			// anchor or alias names a block, it holds no value.
		case isSecretName(name) && looksSecret(value):
			sev, msg := checklists.High, fmt.Sprintf("%s is set to a literal value in a committed file", name)
			if localInfra && containerPassword.MatchString(name) {
				sev, msg = checklists.Low, msg+" (a local database container's password: fine for development only)"
			} else if !signingKeyName(name) && !credentialShaped(value) {
				sev, msg = checklists.Low, msg+" (a word, not a generated key or a chosen password, and not a signing key's setting: check whether it is a real credential)"
			}
			out = append(out, secretCheck.finding(f, i+1, sev, msg, ""))
		}
	}
	return out
}

// secretWrappers are calls that turn a literal into a secret value; the
// literal passed to any other call (d.get("token"), intern("x")) is a key
// or an argument, not the value assigned.
var secretWrappers = map[string]bool{
	"SecretStr": true, "SecretBytes": true, "Secret": true, "Field": true, "str": true, "bytes": true,
	"b64decode": true, "base64.b64decode": true, "urlsafe_b64decode": true, "base64.urlsafe_b64decode": true,
	"bytes.fromhex": true, "pydantic.SecretStr": true,
}

// secretWordIn is a cheap pre-check for secretName on lower-case text.
func secretWordIn(lower []byte) bool {
	return hasAny(lower, "secret", "passw", "pwd", "token", "key", "credential", "passphrase")
}

func isSecretName(name string) bool {
	if v, ok := secretNames.Load(name); ok {
		return v.(bool)
	}
	v := secretNameUncached(name)
	if len(name) <= 64 {
		secretNames.Store(name, v)
	}
	return v
}

// secretNames remembers isSecretName's answer by name: a project uses the
// same few thousand identifiers in every file, and the answer takes three
// regexps.
var secretNames sync.Map // string -> bool

func secretNameUncached(name string) bool {
	if !secretWordIn([]byte(strings.ToLower(name))) {
		return false // the cheap test first: most names are not secret-like
	}
	// AccessKeyId reads as access_key_id, so the suffix rules apply.
	snake := camelBreak.ReplaceAllString(name, "${1}_${2}")
	return identName.MatchString(name) && secretName.MatchString(name) && !notSecretName.MatchString(snake)
}

// looksSecret filters out values that cannot be secrets: placeholders,
// references to environment variables, paths and URLs, prose.
func looksSecret(v string) bool {
	switch {
	case len(v) < 6, placeholder.MatchString(v), placeholder.MatchString(strings.Trim(v, "[]<>()*")), placeholderIn.MatchString(v),
		envRef.MatchString(v), reference.MatchString(v), hashScheme.MatchString(v), pemMarker.MatchString(v),
		strings.HasPrefix(v, "/"), strings.Contains(v, "://"), strings.ContainsAny(v, " \t\n{}$"),
		strings.HasPrefix(v, "!"), strings.HasSuffix(v, ":"), strings.HasSuffix(v, "?"), camelWord.MatchString(v),
		nameWords.MatchString(v), fieldPath.MatchString(v), sourcePath.MatchString(v), bindParam.MatchString(v),
		specialToken.MatchString(v), codeVariable.MatchString(v):
		return false
	}
	return true
}

// codeVariable is a snake_case name followed by the comma of a dict entry or
// an argument list ("password": db_password,): a line of code quoted in a
// config file (a prompt's example script, a profile's start-up code) that
// names the variable holding the value, not the value.
var codeVariable = lazyre.New(`^[a-z][a-z0-9]*(?:_[a-z0-9]+)+,$`)

// specialToken is a language model's marker token, the "token" a
// tokenizer's settings name: |DSML| (often in full-width bars), <|im_end|>,
// [CLS].
var specialToken = lazyre.New(`^([|｜][^|｜]+[|｜]|<[|｜][^|｜]+[|｜]>|\[[A-Z][A-Z_]*\])$`)

var (
	b64ish      = lazyre.New(`^[A-Za-z0-9+/=_\-.]+$`)
	hexish      = lazyre.New(`^[0-9a-fA-F]+$`)
	upper       = lazyre.New(`[A-Z]`)
	separators  = lazyre.New(`[-_.]`)
	pathSegment = lazyre.New(`/[a-z][a-z0-9_.-]{2,}`)
	sourcePath  = lazyre.New(`^[\w.-]+(/[\w.-]+)+\.[a-z][a-z0-9]{0,4}$`)
	uuidRe      = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	digit       = lazyre.New(`[0-9]`)
	letter      = lazyre.New(`[A-Za-z]`)
)

// highEntropy reports whether a value looks randomly generated, as keys and
// tokens are: long, from a key alphabet, mixing letters and digits, and with
// high Shannon entropy.
func highEntropy(v string) bool {
	switch {
	case len(v) < 20 || len(v) > 200, !b64ish.MatchString(v), uuidRe.MatchString(v),
		!digit.MatchString(v), !letter.MatchString(v), strings.Contains(v, ".") && !strings.Contains(v, "/") && dottedName(v),
		strings.HasPrefix(v, "-"), len(pathSegment.FindAllStringIndex(v, 3)) >= 2, hasRun(v, 5),
		!upper.MatchString(v) && len(separators.FindAllStringIndex(v, 3)) >= 3,
		strings.Count(v, "-")+strings.Count(v, "_") >= 3:
		// Flags (-I/usr/include), paths (/usr/lib/x), alphabets
		// (ABCDEFGH...) and names made of words (cpython-311-x86_64-linux)
		// are long and varied but not random.
		return false
	case sourcePath.MatchString(v):
		// lib/js/3rdparty-admin/index.ts: a file's path, by its
		// directories and extension.
		return false
	case hexish.MatchString(v):
		return len(v) >= 32 && entropy(v) >= 3.3 && classSwitches(v) >= 0.25
	}
	return entropy(v) >= 4.0 && classSwitches(v) >= 0.3 && !wordy(v)
}

// wordy reports whether v reads like words run together (OpenAPIV3Spec,
// SQLTextWave): a lower-case run of four letters or more, and vowels in more
// than a quarter of the letters, where random text has about a fifth.
func wordy(v string) bool {
	letters, vowels, run, longest := 0, 0, 0, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
		if c|0x20 >= 'a' && c|0x20 <= 'z' {
			letters++
			if strings.IndexByte("aeiou", c|0x20) >= 0 {
				vowels++
			}
		}
	}
	return longest >= 4 && letters > 0 && float64(vowels)/float64(letters) >= 0.27
}

// classSwitches is the share of neighbouring characters that differ in
// class (upper case, lower case, digit, other). Random keys switch at about
// every other character; names made of words (OpenAPIV3SpecValidator,
// manylinux2010_compatible) switch rarely.
func classSwitches(v string) float64 {
	class := func(c byte) int {
		switch {
		case c >= 'a' && c <= 'z':
			return 0
		case c >= 'A' && c <= 'Z':
			return 1
		case c >= '0' && c <= '9':
			return 2
		}
		return 3
	}
	switches := 0
	for i := 1; i < len(v); i++ {
		if class(v[i]) != class(v[i-1]) {
			switches++
		}
	}
	return float64(switches) / float64(len(v)-1)
}

// hasRun reports whether s holds n characters in a row that each follow the
// previous one in the character table (abcde, 01234): alphabets do, keys
// almost never.
func hasRun(s string, n int) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1]+1 {
			if run++; run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// dottedName reports whether v is a dotted identifier path (module.attr).
func dottedName(v string) bool {
	for _, part := range strings.Split(v, ".") {
		if part == "" || !isIdentString(part) {
			return false
		}
	}
	return true
}

func isIdentString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdent(s[i]) {
			return false
		}
	}
	return s != ""
}

func entropy(s string) float64 {
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	var h float64
	n := float64(len([]rune(s)))
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}

// sampleModule reports whether a Python module holds made-up data by its
// name: mockup.py, fake_data.py, demo.py, sample_orders.py.
func sampleModule(rel string) bool {
	stem := strings.TrimSuffix(path.Base(rel), ".py")
	for _, w := range strings.FieldsFunc(stem, func(r rune) bool { return r == '_' || r == '-' }) {
		switch w {
		case "mockup", "mockups", "mock", "mocks", "fake", "fakes", "demo", "dummy", "sample", "samples":
			return true
		}
	}
	return false
}

// browserFile reports whether a file is sent to browsers: a script or a
// page.
func browserFile(rel string) bool {
	switch path.Ext(rel) {
	case ".js", ".mjs", ".html", ".htm":
		return true
	}
	return false
}

// sampleFile reports whether a file holds sample data rather than
// configuration: tests, fixtures, examples, documentation.
func sampleFile(rel string) bool {
	if isTest(rel) || isEnvExample(path.Base(rel)) || inDevProject(rel) {
		return true
	}
	switch path.Ext(rel) {
	case ".md", ".rst", ".txt", ".ipynb":
		return true
	}
	for _, part := range strings.Split(path.Dir(rel), "/") {
		switch part {
		case "fixtures", "fixture", "testdata", "examples", "example", "samples", "docs", "doc":
			return true
		}
	}
	return false
}

func isLockFile(base string) bool {
	return strings.HasSuffix(base, ".lock") || base == "package-lock.json" || base == "pnpm-lock.yaml" ||
		base == "go.sum" || strings.HasSuffix(base, ".min.js") || strings.HasSuffix(base, ".svg")
}

// isEnvFile reports whether base is a dotenv file (.env, .env.local, prod.env).
func isEnvFile(base string) bool {
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env")
}

func isEnvExample(base string) bool {
	if !isEnvFile(base) && base != "env.example" {
		return false
	}
	for _, s := range []string{"example", "sample", "template", "dist", "defaults"} {
		if strings.Contains(base, s) {
			return true
		}
	}
	return false
}

func isConfigFile(rel string) bool {
	base := path.Base(rel)
	if isEnvFile(base) {
		return true
	}
	switch path.Ext(base) {
	case ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".properties":
		return !strings.HasPrefix(base, "openapi") && !strings.HasPrefix(base, "swagger")
	}
	return false
}

func isLocalInfra(rel string) bool {
	base := path.Base(rel)
	return strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose.") ||
		strings.HasPrefix(rel, ".github/workflows/") || strings.HasPrefix(rel, ".gitlab-ci") ||
		base == ".pre-commit-config.yaml"
}

func lineIndex(starts []int, off int) int {
	lo, hi := 0, len(starts)
	for lo < hi {
		mid := (lo + hi) / 2
		if starts[mid] <= off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// dedupeLines keeps the first finding per line.
func dedupeLines(fs []Finding) []Finding {
	seen := map[int]bool{}
	var out []Finding
	for _, f := range fs {
		if !seen[f.Line] {
			seen[f.Line] = true
			out = append(out, f)
		}
	}
	return out
}

// signingKeyName reports whether a setting holds the key a service signs
// or encrypts its own data with (SECRET_KEY, WTF_CSRF_SECRET_KEY,
// jwt_secret, secret_key=): any committed value there is a published key,
// whatever it looks like ("tralala", "!secret").
func signingKeyName(name string) bool {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return signingKey.MatchString(camelBreak.ReplaceAllString(name, "${1}_${2}"))
}

// keyWord is a name that says it holds a key (PYLOAD_KEY, app_key),
// where isSecretName wants more than the bare word.
var keyWord = lazyre.New(`(?i)(^|_)key$|^key_|[a-z]Key$`)

var signingKey = lazyre.New(`(?i)(^|_)(secret_?key|signing_?key|(jwt|session|cookie|csrf|signing|app|token|hmac)_?secret|encryption_?key|fernet_?key|hmac_?key)$`)

// credentialShaped reports whether a value has the make-up of a credential
// someone generated or chose: eight characters or more, letters mixed with
// digits or with symbols other than word separators ("4D297D8CFDE0E105",
// "Winter2024!shop"). A word or words ("default", "mayanespassword",
// "mlflow-gateway-auth") is a default, a label or a placeholder more often
// than a secret.
func credentialShaped(v string) bool {
	// "Password\x00", "Username:\r\n": a protocol's prompt ends in
	// control characters (kept as written, escapes and all), framing no
	// chosen password holds; they are not the symbols a password mixes in.
	v = controlEscape.RE().ReplaceAllString(v, "")
	if len(v) < 8 {
		return false
	}
	letters, digits, symbols := false, false, false
	for _, r := range v {
		switch {
		case unicode.IsLetter(r):
			letters = true
		case unicode.IsDigit(r):
			digits = true
		case !strings.ContainsRune("-_. ", r):
			symbols = true
		}
	}
	return letters && (digits || symbols) || digits && symbols
}
