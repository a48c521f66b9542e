package review

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

var (
	webhookCheck = &Check{
		ID: "webhook-unverified", Rule: "INT-08", Severity: checklists.High,
		Title: "Webhook or callback handlers that never verify the sender's signature",
		Help: "Verify the signature over the raw body before acting: stripe.Webhook.construct_event(payload, " +
			"request.headers[\"Stripe-Signature\"], secret), twilio RequestValidator(token).validate(url, params, " +
			"signature), svix Webhook(secret).verify(payload, headers), or hmac.compare_digest(expected, received); " +
			"answer 400 when it fails.",
	}
	timeoutCheck = &Check{
		ID: "outbound-timeout", Rule: "ASYNC-03", Severity: checklists.Medium,
		Title: "Outbound HTTP or SMTP calls without a timeout",
		Help: "Pass timeout= on every call (requests.get(url, timeout=10), httpx.Client(timeout=10), " +
			"urlopen(url, timeout=10), smtplib.SMTP(host, port, timeout=10)), or give a requests Session an " +
			"adapter with a default timeout; pass Twilio's Client an http_client=TwilioHttpClient(timeout=10).",
	}
)

func init() {
	webhookCheck.project = checkWebhooks
	timeoutCheck.file = checkTimeouts
}

var (
	// webhookWord names a route that providers call: /webhooks/stripe,
	// status_callback, /hooks/github.
	// readsBody: a view that receives events reads what was posted; one
	// that only passes the request on (apply_userbar_hooks(request, ...))
	// is no receiver.
	readsBody   = lazyre.New(`\brequest\.(body|POST|data|stream|read\b|json|get_json|form)|\bpayload\b|\bevent\b`)
	webhookWord = lazyre.New(`(?i)web_?-?hooks?|call_?-?backs?|(^|[/_.-])hooks?($|[/_.{-])`)
	// callerDeps is a route's dependencies given as a name.
	callerDeps = lazyre.New(`\bdependencies\s*=\s*([A-Za-z_]\w*)\s*[,)]`)
	// outboundName is a function that sends webhooks or callbacks out
	// (dispatch_webhook_event, send_callback) rather than handling them.
	outboundName = lazyre.New(`(?i)^_*(dispatch|send|emit|fire|trigger|deliver|enqueue|queue|schedule)_`)
	// loginWord names a sign-in callback (OAuth, OpenID Connect, SAML): it
	// is checked by state and PKCE, not by a signature over the body.
	loginWord = lazyre.New(`(?i)oauth|oidc|openid|auth|login|sso|saml|sign_?-?in`)
	// authDependency is a route that requires a signed-in caller or an API
	// key: an internal callback, not a provider's webhook.
	// signedInMixin is a class-based view's base that requires a signed-in
	// user: LoginRequiredMixin, PermissionRequiredMixin, a project's own
	// OrganizerPermissionRequiredMixin.
	signedInMixin  = lazyre.New(`(LoginRequired|PermissionRequired|Permission\w*Mixin|UserPassesTest)`)
	authDependency = lazyre.New(`(?i)\bSecurity\(|Depends\(\s*[\w.]*(current_user|current_account|auth|require|permission|api_key|bearer|admin_user|verified_user|verify)|\b\w*_required\b|@[\w.]*(permission|permissions|requires|require_auth|authenticated|api_key)\w*\s*\(`)
	// verifierName is a function that says it checks a signature:
	// verify_signature, validate_twilio_request, check_hmac, is_valid_signature.
	verifierName = lazyre.New(`(?i)^_*(verify|validate|check|is_valid|authenticate)_?\w*(signature|signed|hmac|webhook|twilio|stripe|svix)|^_*\w*(signature|hmac)_?(is_)?(valid|verif|check)`)
	// providerPayload is what only a provider's callback reads: Twilio's
	// status fields, Stripe's event types. A route at /twilio/status or
	// /MessageStatus says no "webhook" but is one.
	providerPayload = lazyre.New(`\b(MessageSid|MessageStatus|SmsSid|SmsStatus|CallSid|CallStatus)\b|["'](checkout\.session\.(completed|expired)|payment_intent\.(succeeded|payment_failed)|invoice\.(paid|payment_succeeded|payment_failed)|customer\.subscription\.(created|updated|deleted)|charge\.(succeeded|refunded|dispute\.created))["']`)
	// paymentWord rates an unverified payment webhook critical: it can
	// mark orders paid.
	paymentWord = lazyre.New(`(?i)stripe|payment|checkout|billing|invoice|paypal|charge|subscription`)
)

// verifierCalls are calls that verify a webhook's signature whatever their
// receiver, by the last part of their name: Stripe's Webhook.construct_event
// and WebhookSignature.verify_header (StripeClient.construct_event too),
// hmac.compare_digest, Slack's SignatureVerifier.is_valid_request, Square's
// and Adyen's helpers.
var verifierCalls = map[string]bool{
	"construct_event": true, "verify_header": true, "compare_digest": true, "is_valid_request": true,
	"parse_thin_event": true, "is_valid_webhook_event_signature": true, "is_valid_hmac_notification": true,
}

// genericNames are method names too common to stand for a verifier found
// elsewhere: a handler that calls headers.get or sits under @router.post
// proves nothing by it.
var genericNames = map[string]bool{
	"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true, "options": true,
	"route": true, "api_route": true, "dispatch": true, "__init__": true, "__call__": true, "handle": true,
	"run": true, "main": true, "call": true, "send": true, "request": true,
}

// pyFunc is a function of a file, for the project-wide search of
// verifiers: its name, whether it verifies a signature itself, and the
// names it mentions (the calls it makes, its decorators and dependencies).
type pyFunc struct {
	name   string
	direct bool
	refs   []string
}

// webhookHandler is a route or view that looks like a provider's webhook.
type webhookHandler struct {
	fn      pyFunc
	finding Finding
}

// directVerifier reports whether a call verifies a signature by itself:
// one of verifierCalls, a function named as a verifier, or .validate and
// .verify in a file that imports Twilio's RequestValidator, or a library
// whose objects' .verify checks a signature (svix, standardwebhooks, the
// keys of cryptography and PyNaCl), objects usually made elsewhere.
func directVerifier(t *pyTree, call int32, twilio, signer bool) bool {
	name := t.callee(call)
	last := lastPart(name)
	switch {
	case verifierCalls[last], verifierName.MatchString(last):
		return true
	// Looking the object up at Stripe with the account's key (stripe.Event.retrieve,
	// stripe.Charge.retrieve): the handler trusts Stripe's answer, not the posted body, which
	// Stripe documents as the alternative to checking the signature.
	// An HMAC computed in the handler (hmac.new(secret, request.body,
	// sha256)) is the signature check, whatever it is compared with.
	case name == "hmac.new" || name == "hmac.digest" || name == "hmac.HMAC":
		return true
	case last == "retrieve" && strings.HasPrefix(name, "stripe."):
		return true
	// A signed token carried in the payload, decoded with a key and
	// verified (jwt.decode(token, key, algorithms=[...], audience=...)):
	// only who holds the key could have sent it, as with a signature
	// over the body.
	case last == "decode" && strings.HasSuffix(strings.TrimSuffix(name, ".decode"), "jwt") && len(t.children(t.child(call, "arguments"))) >= 2 &&
		!verifyOff.MatchString(t.text(call)) && !t.verifyOffByName(call):
		return true
	case last == "validate" && (twilio || strings.Contains(name, "RequestValidator")):
		return true
	case last == "verify" && (signer || strings.HasPrefix(name, "svix.") || strings.HasPrefix(name, "standardwebhooks.")):
		return true
	}
	return false
}

// funcOf summarises the function (or decorated definition) at span: the
// names of what it calls, the names in its decorators and in Depends(...),
// and whether one of its calls verifies a signature.
func funcOf(t *pyTree, span int32, name string, twilio, signer bool) pyFunc {
	fn := pyFunc{name: name}
	seen := map[string]bool{}
	ref := func(n string) {
		if n != "" && !seen[n] && !genericNames[n] && n != name {
			seen[n] = true
			fn.refs = append(fn.refs, n)
		}
	}
	end := t.end(span)
	for j := span; j < int32(len(t.nodes)) && t.start(j) < end; j++ {
		switch t.kind(j) {
		case "call":
			if !fn.direct && directVerifier(t, j, twilio, signer) {
				fn.direct = true
			}
			ref(lastPart(t.callee(j)))
		case "identifier":
			// @verify_signature, Depends(verify_signature): a name that is
			// not called here but runs with the handler; handler = charge_webhook,
			// then handler(...): a function chosen at run time.
			if t.inDecorator(j) || t.enclosing(j, "call") >= 0 && inDepends(t, j) {
				ref(t.text(j))
			} else if p := t.nodes[j].parent; p >= 0 && t.kind(p) == "assignment" && t.child(p, "right") == j {
				ref(t.text(j))
			}
		}
	}
	return fn
}

// inDepends reports whether node i is an argument of Depends or Security.
func inDepends(t *pyTree, i int32) bool {
	for c := t.enclosing(i, "call"); c >= 0; c = t.enclosing(c, "call") {
		if n := lastPart(t.callee(c)); n == "Depends" || n == "Security" {
			return true
		}
	}
	return false
}

// gatherWebhooks records the functions that may verify signatures (for the
// project-wide search) and the handlers that look like webhooks. Only files
// that mention signatures, events, hooks or validation can hold either, so
// the others keep nothing.
func gatherWebhooks(f *File, x *pyFacts) {
	py, t := f.py, f.py.tree
	if !py.lowerHas("hook", "callback", "sig", "event", "verif", "valid", "compare_digest", "jwt") &&
		!f.dataHas("Sid", "Status", "checkout.session", "payment_intent.", "invoice.", "customer.subscription.", "charge.") {
		return
	}
	twilio, signer, django := false, false, false
	for _, q := range t.imports {
		twilio = twilio || strings.Contains(q, "RequestValidator") || strings.HasPrefix(q, "twilio.request_validator")
		// A public key's or an HMAC's verify (key.verify(signature, data,
		// padding.PKCS1v15(), hashes.SHA256()), VerifyKey(key).verify(msg,
		// sig)) checks a signature as svix's does.
		signer = signer || strings.HasPrefix(q, "svix") || strings.HasPrefix(q, "standardwebhooks") ||
			strings.HasPrefix(q, "cryptography.") || strings.HasPrefix(q, "nacl.")
		django = django || strings.HasPrefix(q, "django") || strings.HasPrefix(q, "rest_framework")
	}
	// Dependencies declared on a router apply to each of its routes:
	// APIRouter(dependencies=[Depends(verify_signature)]).
	routerDeps := map[string]int32{}
	t.each(func(i int32) {
		left, right := t.child(i, "left"), t.child(i, "right")
		if left >= 0 && right >= 0 && t.kind(right) == "call" && lastPart(t.callee(right)) == "APIRouter" {
			if deps := t.arg(right, -1, "dependencies"); deps >= 0 {
				routerDeps[t.text(left)] = deps
			}
		}
	}, "assignment")
	handled := map[int32]bool{}
	for _, r := range routes(t) {
		def := t.child(r.node, "definition")
		handled[def] = true
		if !webhookWord.MatchString(r.path) && !webhookWord.MatchString(r.function) &&
			!providerPayload.Match(t.src[t.start(r.node):t.end(r.node)]) ||
			loginWord.MatchString(r.path) || loginWord.MatchString(r.function) {
			continue
		}
		// Providers post their events; a GET is a page or a sign-in
		// redirect.
		if r.method == "get" || r.method == "delete" || r.method == "websocket" ||
			(r.method == "route" || r.method == "api_route") && !r.writes {
			continue
		}
		if authDependency.MatchString(t.text(t.child(def, "parameters"))) || authDependency.MatchString(decorators(t, r.node)) {
			continue
		}
		if t.readsNothingSent(def) {
			// def set_webhook(_: Request): points the provider at the
			// configured URL; no event arrives here, so none is forged.
			continue
		}
		if deps, ok := routerDeps[r.router]; ok && authDependency.MatchString(t.text(deps)) {
			// APIRouter(dependencies=[Depends(is_authenticated_admin)]):
			// every route of the router needs the caller's credentials,
			// so these manage webhook subscriptions; a provider's event
			// arrives without them.
			continue
		}
		fn := funcOf(t, r.node, r.function, twilio, signer)
		fn.direct = fn.direct || t.headerTokenCompared(def)
		if deps, ok := routerDeps[r.router]; ok {
			dep := funcOf(t, deps, "", twilio, signer)
			fn.direct = fn.direct || dep.direct
			fn.refs = append(fn.refs, dep.refs...)
		}
		method := strings.ToUpper(r.method)
		if r.method == "route" || r.method == "api_route" {
			method = "POST" // with methods=[..."POST"...]: the other cases were left out above
		}
		what := method + " " + r.path
		if r.path == "" {
			what = r.function
		}
		fd := webhookFinding(f, r.line, what, r.path+" "+r.function, t.src[t.start(r.node):t.end(r.node)])
		if t.onlyLogsBody(def) {
			// The handler reads the posted body and logs it, nothing else
			// (an uninstall notice or a marketplace event kept for the
			// record): a forged event adds a log line and changes nothing.
			fd.Severity = checklists.Low
			fd.Message += " (the handler only reads and logs what is posted: check it acts on nothing)"
		}
		if m := callerDeps.FindStringSubmatch(decorators(t, r.node)); m != nil {
			if outer := t.enclosing(r.node, "function_definition"); outer >= 0 && slices.Contains(t.paramNames(outer), m[1]) {
				// A router factory's route: its dependencies come from the
				// factory's caller, out of this check's sight.
				fd.Severity = checklists.Low
				fd.Message += " (its dependencies= come from the caller of the router factory: check they verify it)"
			}
		}
		x.webhooks = append(x.webhooks, webhookHandler{fn: fn, finding: fd})
	}
	t.each(func(i int32) {
		name := t.text(t.child(i, "name"))
		span := i
		if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "decorated_definition" {
			span = p
		}
		owner, signedIn := "", false
		c := t.enclosing(i, "class_definition", "function_definition")
		if c >= 0 && t.kind(c) == "class_definition" {
			owner = t.text(t.child(c, "name"))
			// A view that needs a signed-in user with a permission manages
			// webhooks (their logs, their settings); it does not receive them.
			if bases := t.child(c, "superclasses"); bases >= 0 {
				signedIn = signedInMixin.MatchString(t.text(bases))
			}
		}
		fn := funcOf(t, span, name, twilio, signer)
		if name == "__call__" && owner != "" {
			// A callable class used as a dependency: Depends(StripeSignature()).
			fn.name = owner
		}
		// Only a function that verifies or calls something can lead to a
		// verifier; the rest would only take memory.
		if !handled[i] && (fn.direct || len(fn.refs) > 0) {
			x.funcs = append(x.funcs, fn)
		}
		// A Django view: a function taking the request, or the post
		// method of a view class, named for a webhook.
		viewName := name
		if owner != "" {
			viewName = owner
		}
		if handled[i] || !django || signedIn || loginWord.MatchString(viewName) || outboundName.MatchString(viewName) ||
			!webhookWord.MatchString(viewName) && !providerPayload.Match(t.src[t.start(span):t.end(span)]) ||
			owner != "" && name != "post" || !takesRequest(t, i) || authDependency.MatchString(decorators(t, span)) ||
			!readsBody.Match(py.code[t.start(span):t.end(span)]) {
			return
		}
		// A view that refuses unless a header equals a value of the
		// service's own (X-Zapier-Secret != settings.TICKETS_SECRET) checks
		// the shared secret as a route does.
		fn.direct = fn.direct || t.headerTokenCompared(i)
		fd := webhookFinding(f, t.line(span), "the view "+viewName, viewName, t.src[t.start(span):t.end(span)])
		if owner != "" {
			if hook := t.abstractHook(c, i); hook != "" {
				// A template for the provider's views (AnymailCoreWebhookView:
				// post runs the validators and parse_events its subclasses
				// define): the subclasses are what is routed.
				fd.Severity = checklists.Low
				fd.Message += fmt.Sprintf(" (the class leaves %s to its subclasses, which are what is routed: check they verify it)", hook)
			}
		}
		x.webhooks = append(x.webhooks, webhookHandler{fn: fn, finding: fd})
	}, "function_definition")
}

// readsNothingSent reports whether a route function reads nothing the
// caller sent: every parameter it takes (self aside) goes unused in its body
// (the request named _), and the body neither reads the framework's global
// request nor a payload.
func (t *pyTree) readsNothingSent(def int32) bool {
	if def < 0 {
		return false
	}
	body := t.child(def, "body")
	if body < 0 {
		return false
	}
	src := string(t.src[t.start(body):t.end(body)])
	for _, p := range t.paramNames(def) {
		if p = strings.TrimLeft(p, "*"); p != "self" && p != "cls" && p != "_" && identIn(src, p) {
			return false
		}
	}
	return !identIn(src, "request") && !readsBody.MatchString(src)
}

// abstractHook names a method of class c that method def uses on self
// (self.parse_events(request), self.esp_name) and that only raises
// NotImplementedError: c is a base that its subclasses complete.
func (t *pyTree) abstractHook(c, def int32) string {
	body := t.child(c, "body")
	if body < 0 {
		return ""
	}
	uses := t.text(def)
	for _, m := range t.children(body) {
		if t.kind(m) == "decorated_definition" {
			m = t.child(m, "definition")
		}
		if m < 0 || m == def || t.kind(m) != "function_definition" {
			continue
		}
		name := t.text(t.child(m, "name"))
		if t.onlyNotImplemented(m) && usesOnSelf(uses, name) {
			return name
		}
	}
	return ""
}

// onlyNotImplemented reports whether function def's body, its docstring
// and comments aside, is one raise of NotImplementedError.
func (t *pyTree) onlyNotImplemented(def int32) bool {
	raises := 0
	for _, st := range t.children(t.child(def, "body")) {
		switch k := t.kind(st); {
		case k == "comment":
		case k == "expression_statement" && len(t.children(st)) == 1 && t.kind(t.children(st)[0]) == "string":
		case k == "raise_statement" && strings.Contains(t.text(st), "NotImplementedError"):
			raises++
		default:
			return false
		}
	}
	return raises == 1
}

// usesOnSelf reports whether code names self.name (not self.name_more).
func usesOnSelf(code, name string) bool {
	needle := "self." + name
	for i := strings.Index(code, needle); i >= 0; {
		end := i + len(needle)
		if end == len(code) || !isIdent(code[end]) {
			return true
		}
		next := strings.Index(code[end:], needle)
		if next < 0 {
			break
		}
		i = end + next
	}
	return false
}

// takesRequest reports whether a function's first parameter (after self)
// is the request, as Django views' is.
func takesRequest(t *pyTree, def int32) bool {
	params := t.children(t.child(def, "parameters"))
	for _, p := range params {
		switch n := t.text(p); {
		case n == "self":
			continue
		default:
			return n == "request" || strings.HasPrefix(n, "request:")
		}
	}
	return false
}

// decorators returns the source of a decorated definition's decorators.
func decorators(t *pyTree, span int32) string {
	if t.kind(span) != "decorated_definition" {
		return ""
	}
	var b strings.Builder
	for _, d := range t.children(span) {
		if t.kind(d) == "decorator" {
			b.WriteString(t.text(d))
		}
	}
	return b.String()
}

func webhookFinding(f *File, line int, what, words string, body []byte) Finding {
	sev := checklists.High
	if paymentWord.MatchString(words) {
		sev = checklists.Critical
	}
	msg := fmt.Sprintf("%s handles a webhook without verifying its signature: anyone can post forged events", what)
	if bytes.Contains(body, []byte("construct_from")) {
		// The usual slip: construct_from only builds the object.
		msg += " (stripe.Event.construct_from checks nothing; construct_event does)"
	}
	return webhookCheck.finding(f, line, sev, msg, "")
}

// checkWebhooks reports the webhook handlers that verify nothing: no
// verifier call in the handler, its decorators or dependencies, and none in
// the functions it calls, followed by name across the project's files.
func checkWebhooks(p *Project) []Finding {
	var funcs []pyFunc
	handlers := false
	for _, f := range p.Files {
		if f.facts == nil || f.facts.test {
			continue
		}
		funcs = append(funcs, f.facts.funcs...)
		handlers = handlers || len(f.facts.webhooks) > 0
	}
	if !handlers {
		return nil
	}
	verifiers := map[string]bool{}
	for _, fn := range funcs {
		if fn.direct && fn.name != "" && !genericNames[fn.name] {
			verifiers[fn.name] = true
		}
	}
	// A function that calls a verifier verifies too: service ->
	// gateway -> construct_event. Each round adds at least one name.
	for changed := true; changed; {
		changed = false
		for _, fn := range funcs {
			if verifiers[fn.name] || fn.name == "" || genericNames[fn.name] {
				continue
			}
			for _, r := range fn.refs {
				if verifiers[r] {
					verifiers[fn.name], changed = true, true
					break
				}
			}
		}
	}
	var out []Finding
	for _, f := range p.Files {
		if f.facts == nil || f.facts.test {
			continue
		}
		for _, h := range f.facts.webhooks {
			verified := h.fn.direct
			for _, r := range h.fn.refs {
				verified = verified || verifiers[r]
			}
			if !verified {
				out = append(out, h.finding)
			}
		}
	}
	return out
}

var (
	// httpVerbs are the request functions of requests and httpx, module
	// level or on a client.
	httpVerbs = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true,
		"options": true, "request": true, "stream": true}
	sessionCtors = map[string]bool{"requests.Session": true, "requests.session": true, "requests.sessions.Session": true}
)

// checkTimeouts flags, with imports resolved, outbound calls that can wait
// forever: requests (module functions and Session methods) and urlopen
// without a timeout, any timeout=None, smtplib without one, and Twilio's
// Client with its default HTTP client (no timeout). httpx has a 5-second
// default, so leaving it implicit is only noted (low).
func checkTimeouts(p *Project, f *File) []Finding {
	if f.py == nil || isTest(f.Path) || !f.py.codeHas("requests", "httpx", "urlopen", "urllib", "smtplib", "SMTP", "twilio", "Client") {
		return nil
	}
	t := f.py.tree
	sessions := requestsSessions(t)
	var out []Finding
	// A module written as a Jinja template ({% extends %}, {% block %}) is
	// the skeleton of code a user starts from (a new pipeline block), which
	// the tool renders and the user edits; the service does not run it.
	template := jinjaModule.Match(f.Data)
	add := func(i int32, sev Severity, msg string) {
		if template && sev > checklists.Low {
			sev, msg = checklists.Low, msg+" (in a Jinja template of code a user starts from: check what it renders)"
		}
		out = append(out, timeoutCheck.finding(f, t.line(i), sev, msg, ""))
	}
	t.each(func(i int32) {
		name := t.callee(i)
		last := lastPart(name)
		pos, kw := t.args(i)
		if splat(t, i) {
			return // **options may carry the timeout
		}
		timeout, hasTimeout := kw["timeout"]
		none := hasTimeout && t.text(timeout) == "None"
		obj := ""
		if fn := t.child(i, "function"); fn >= 0 && t.kind(fn) == "attribute" {
			obj = t.text(t.child(fn, "object"))
		}
		switch {
		case name == "requests."+last && t.assignsRequests(i):
			// requests = getattr(pvc.spec.resources, "requests", None):
			// a name the function assigns itself (a Kubernetes resource
			// requests dict) is not the HTTP library. (A parameter named
			// requests is usually a session handed in: still checked.)
		case (name == "requests."+last || name == "requests.api."+last) && httpVerbs[last] && last != "stream",
			isSession(t, sessions, i, obj) && httpVerbs[last] && last != "stream":
			if !hasTimeout && t.unsetTimeoutBranch(i) {
				add(i, checklists.Low, fmt.Sprintf("%s has no timeout only where the timeout setting is empty (the other branch passes it): check the setting has a default", callText(name, obj, last)))
			} else if !hasTimeout {
				add(i, checklists.Medium, fmt.Sprintf("%s has no timeout: requests waits for ever on a silent server", callText(name, obj, last)))
			} else if none {
				add(i, checklists.Medium, fmt.Sprintf("%s passes timeout=None: it waits for ever on a silent server", callText(name, obj, last)))
			}
		case name == "httpx."+last && (httpVerbs[last] || last == "Client" || last == "AsyncClient"):
			if none {
				add(i, checklists.Medium, fmt.Sprintf("httpx.%s passes timeout=None: it waits for ever on a silent server", last))
			} else if !hasTimeout {
				add(i, checklists.Low, fmt.Sprintf("httpx.%s relies on httpx's implicit 5-second timeout; state the budget this call has", last))
			}
		case name == "urllib.request.urlopen" || name == "urllib2.urlopen":
			if (!hasTimeout && len(pos) < 3 || none) && !t.fileSchemeBranch(i) {
				add(i, checklists.Medium, "urlopen has no timeout: it waits for ever on a silent server")
			}
		case name == "smtplib.SMTP" || name == "smtplib.SMTP_SSL" || name == "smtplib.LMTP":
			if !hasTimeout && (last != "SMTP" || len(pos) < 4) || none {
				add(i, checklists.Medium, fmt.Sprintf("%s has no timeout: a mail server that stops answering holds the worker for ever", name))
			}
		case name == "twilio.rest.Client":
			if _, ok := kw["http_client"]; !ok {
				add(i, checklists.Medium, "Twilio's Client uses its default HTTP client, which has no timeout; pass http_client=TwilioHttpClient(timeout=...)")
			}
		}
	}, "call")
	return dedupeLines(out)
}

// unsetTimeoutBranch reports whether call i is in the branch of an if that
// runs only when a timeout setting is empty (if self.timeout: ... else:
// here; if timeout is None: here), while the other branch passes that same
// setting as timeout=: the call is the operator's "no timeout", not a
// forgotten one. A condition on anything else lends nothing.
// fileScheme is a condition that holds only for a file: URL
// (parts.scheme == "file", url.startswith("file:")).
var fileScheme = lazyre.New(`^[\w.\[\]'"()]*scheme\s*==\s*['"]file['"]$|^[\w.\[\]'"()]*\.startswith\(\s*['"]file:(//)?['"]\s*\)$`)

// fileSchemeBranch reports whether call i runs only in the branch of an if
// whose condition holds only for a file: URL: urlopen reads a local file
// there, and no server can keep it waiting.
func (t *pyTree) fileSchemeBranch(i int32) bool {
	for b := t.enclosing(i, "if_statement", "function_definition"); b >= 0 && t.kind(b) == "if_statement"; b = t.enclosing(b, "if_statement", "function_definition") {
		body := t.child(b, "consequence")
		if body >= 0 && t.start(i) >= t.start(body) && t.end(i) <= t.end(body) &&
			fileScheme.MatchString(strings.TrimSpace(t.text(t.child(b, "condition")))) {
			return true
		}
	}
	return false
}

func (t *pyTree) unsetTimeoutBranch(i int32) bool {
	b := t.enclosing(i, "if_statement", "function_definition")
	if b < 0 || t.kind(b) != "if_statement" {
		return false
	}
	name, truthy := timeoutTest(t, t.child(b, "condition"))
	if name == "" {
		return false
	}
	body := t.child(b, "consequence")
	var other int32 = -1
	for _, c := range t.children(b) {
		if t.kind(c) == "elif_clause" {
			return false // a third branch: the two are not the setting's two cases
		}
		if t.kind(c) == "else_clause" {
			other = t.child(c, "body")
		}
	}
	if body < 0 || other < 0 {
		return false
	}
	inBody := t.start(i) >= t.start(body) && t.end(i) <= t.end(body)
	if inBody == truthy {
		return false // the call runs when the setting is set
	}
	set := other
	if !inBody {
		set = body
	}
	passes := false
	for n := set; int(n) < len(t.nodes) && t.start(n) < t.end(set); n++ {
		if t.kind(n) == "call" {
			if _, kw := t.args(n); kw["timeout"] > 0 && t.text(kw["timeout"]) == name {
				passes = true
				break
			}
		}
	}
	return passes
}

// timeoutTest reads a condition on one name (x, not x, x is None, x is not
// None) and reports the name and whether the condition holds when it is
// set; it returns "" for any other condition.
func timeoutTest(t *pyTree, cond int32) (string, bool) {
	if cond < 0 {
		return "", false
	}
	switch t.kind(cond) {
	case "identifier", "attribute":
		return t.text(cond), true
	case "not_operator":
		if a := t.child(cond, "argument"); a >= 0 && (t.kind(a) == "identifier" || t.kind(a) == "attribute") {
			return t.text(a), false
		}
	case "comparison_operator":
		cs := t.children(cond)
		if len(cs) == 2 && t.text(cs[1]) == "None" && (t.kind(cs[0]) == "identifier" || t.kind(cs[0]) == "attribute") {
			op := strings.Join(strings.Fields(t.text(cond)[t.end(cs[0])-t.start(cond):t.start(cs[1])-t.start(cond)]), " ")
			switch op {
			case "is not", "!=":
				return t.text(cs[0]), true
			case "is", "==":
				return t.text(cs[0]), false
			}
		}
	}
	return "", false
}

// assignsRequests reports whether the function around node i assigns the
// name requests itself.
func (t *pyTree) assignsRequests(i int32) bool {
	fn := t.enclosing(i, "function_definition")
	return fn >= 0 && t.assignsName(fn, "requests")
}

func callText(name, obj, last string) string {
	if strings.HasPrefix(name, "requests.") {
		return name
	}
	return obj + "." + last + " (a requests Session)"
}

// splat reports whether a call passes **kwargs.
func splat(t *pyTree, call int32) bool {
	list := t.child(call, "arguments")
	if list < 0 {
		return false
	}
	for _, a := range t.children(list) {
		if t.kind(a) == "dictionary_splat" {
			return true
		}
	}
	return false
}

// sessionKey names a requests Session where it is bound: a plain name in
// its function (or the module, scope -1), self.session in its class, so
// that a database session of the same name elsewhere in the file is not
// taken for it.
type sessionKey struct {
	scope int32
	name  string
}

// sessionScope is the scope a name bound or used at node i belongs to.
func sessionScope(t *pyTree, i int32, name string) int32 {
	if strings.Contains(name, ".") {
		return t.enclosing(i, "class_definition")
	}
	return t.enclosing(i, "function_definition", "lambda")
}

// isSession reports whether obj, used at node i, is a tracked Session: bound
// in the same scope, or at module level and neither a parameter of the
// function that uses it nor assigned in it.
func isSession(t *pyTree, sessions map[sessionKey]bool, i int32, obj string) bool {
	if obj == "" {
		return false
	}
	scope := sessionScope(t, i, obj)
	if sessions[sessionKey{scope, obj}] {
		return true
	}
	if strings.Contains(obj, ".") || scope < 0 || !sessions[sessionKey{-1, obj}] {
		return false
	}
	for _, p := range t.children(t.child(scope, "parameters")) {
		name := p
		if t.kind(p) != "identifier" {
			name = t.child(p, "name")
			if name < 0 && len(t.children(p)) > 0 {
				name = t.children(p)[0]
			}
		}
		if name >= 0 && t.text(name) == obj {
			return false
		}
	}
	// A local assignment to the name (session = db) shadows the module's
	// Session for the whole function.
	end := t.end(scope)
	for j := scope; j < int32(len(t.nodes)) && t.start(j) < end; j++ {
		if t.kind(j) == "assignment" {
			if left := t.child(j, "left"); left >= 0 && t.text(left) == obj {
				return false
			}
		}
	}
	return true
}

// requestsSessions returns where a requests Session is bound (s in its
// function, self.session in its class), leaving out the sessions given a
// default timeout: a mounted adapter (the usual TimeoutHTTPAdapter) or a
// replaced request method (functools.partial(s.request, timeout=5)).
// Sessions of a subclass are not followed: the subclass usually exists to
// set the timeout.
func requestsSessions(t *pyTree) map[sessionKey]bool {
	out := map[sessionKey]bool{}
	if len(t.imports) == 0 {
		return out
	}
	bind := func(at int32, name string) {
		name = strings.TrimSpace(name)
		out[sessionKey{sessionScope(t, at, name), name}] = true
	}
	var defaults []sessionKey
	t.each(func(i int32) {
		switch t.kind(i) {
		case "assignment":
			left, right := t.child(i, "left"), t.child(i, "right")
			if left < 0 || right < 0 {
				return
			}
			if t.kind(right) == "call" && sessionCtors[t.callee(right)] {
				bind(i, t.text(left))
			}
			if t.kind(left) == "attribute" && t.text(t.child(left, "attribute")) == "request" {
				obj := t.text(t.child(left, "object"))
				defaults = append(defaults, sessionKey{sessionScope(t, i, obj), obj})
			}
		case "with_item":
			// with requests.Session() as s:
			v := t.child(i, "value")
			if v >= 0 && t.kind(v) == "as_pattern" {
				cs := t.children(v)
				if len(cs) == 2 && t.kind(cs[0]) == "call" && sessionCtors[t.callee(cs[0])] {
					bind(i, t.text(cs[1]))
				}
			}
		case "call":
			if fn := t.child(i, "function"); fn >= 0 && t.kind(fn) == "attribute" && t.text(t.child(fn, "attribute")) == "mount" {
				obj := t.text(t.child(fn, "object"))
				defaults = append(defaults, sessionKey{sessionScope(t, i, obj), obj})
			}
		}
	}, "assignment", "with_item", "call")
	for _, k := range defaults {
		delete(out, k)
	}
	return out
}

// headerTokenCompared reports whether function def compares a header the
// client sent with a value of the service's own (request.headers.get(
// "X-Goog-Channel-Token") != channel_token): the shared token of a
// provider's notification channel, the check such providers document in
// place of a signature.
func (t *pyTree) headerTokenCompared(def int32) bool {
	if def < 0 {
		return false
	}
	found := false
	end := t.end(def)
	for n := def; int(n) < len(t.nodes) && t.start(n) < end && !found; n++ {
		if t.kind(n) != "comparison_operator" {
			continue
		}
		ops := t.children(n)
		if len(ops) != 2 || !strings.Contains(t.text(n), "==") && !strings.Contains(t.text(n), "!=") {
			continue
		}
		for k, op := range ops {
			other := ops[1-k]
			if headerRead.MatchString(t.text(op)) && !headerRead.MatchString(t.text(other)) &&
				t.kind(other) != "string" && t.kind(other) != "none" && t.kind(other) != "integer" {
				found = true
			}
		}
	}
	return found
}

// headerRead is a header the client sent, read from the request.
var headerRead = lazyre.New(`^request\.(headers|META)\b`)

// bodyReaders read a request's body or form.
var bodyReaders = map[string]bool{"json": true, "body": true, "form": true, "get_json": true, "get_data": true, "text": true, "stream": true}

// onlyLogsBody reports whether a route function does nothing but read the
// request, log and refuse: every call in its body is a logging call (or
// inside one's arguments or callee: get_logger().info(summary(data))), a
// read of the request's body, or inside a raise; and it assigns nothing
// but local names. Such a handler acts on nothing a forger could send.
func (t *pyTree) onlyLogsBody(def int32) bool {
	body := t.child(def, "body")
	if body < 0 {
		return false
	}
	calls, ok := 0, true
	t.each(func(c int32) {
		if !ok || t.start(c) < t.start(body) || t.end(c) > t.end(body) {
			return
		}
		switch t.kind(c) {
		case "assignment", "augmented_assignment":
			if l := t.child(c, "left"); l < 0 || t.kind(l) != "identifier" {
				ok = false
			}
			return
		}
		calls++
		name := t.callee(c)
		last := lastPart(name)
		obj := strings.TrimSuffix(name, "."+last)
		switch {
		case obj != name && logMethod[last] && strings.Contains(strings.ToLower(lastPart(obj)), "log"):
		case obj != name && bodyReaders[last] && strings.Contains(strings.ToLower(obj), "request"):
		case t.enclosing(c, "raise_statement", "function_definition") >= 0 && t.kind(t.enclosing(c, "raise_statement", "function_definition")) == "raise_statement":
		case t.insideLogCall(c, body):
		default:
			ok = false
		}
	}, "call", "assignment", "augmented_assignment")
	return ok && calls > 0
}

// insideLogCall reports whether node c sits within a logging call (its
// arguments or its callee), below node limit.
func (t *pyTree) insideLogCall(c, limit int32) bool {
	for p := t.nodes[c].parent; p >= 0 && p != limit; p = t.nodes[p].parent {
		if t.kind(p) != "call" {
			continue
		}
		name := t.callee(p)
		last := lastPart(name)
		obj := strings.TrimSuffix(name, "."+last)
		if obj != name && logMethod[last] && strings.Contains(strings.ToLower(lastPart(obj)), "log") {
			return true
		}
	}
	return false
}

// jinjaModule is a Python file with Jinja block tags: a template of code.
var jinjaModule = lazyre.New(`(?m)^\s*\{%-?\s*(extends|block|endblock|macro)\b`)
