package review

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/checklists"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
	"github.com/scaffoldtool/scaffold/internal/yamlnode"
)

var (
	rateLimitCheck = &Check{
		ID: "auth-without-rate-limit", Rule: "AUTH-03", Severity: checklists.Medium,
		Title: "Authentication endpoints without rate limiting (heuristic)",
		Help: "Limit login, registration, token refresh and password reset per client and per account " +
			"(a dependency or decorator such as a limiter), answering 429 with Retry-After.",
	}
	openapiCheck = &Check{
		ID: "openapi-invalid", Rule: "DOC-01", Severity: checklists.Medium,
		Title: "OpenAPI contract missing or invalid",
		Help: "Commit openapi.yaml at the project root, generated from the app (make openapi), valid " +
			"OpenAPI 3.x with info, paths and resolvable $refs, and test that it matches the app.",
	}
)

func init() {
	rateLimitCheck.project = checkRateLimits
	openapiCheck.project = checkOpenAPI
}

var (
	djangoPath = lazyre.New(`\b(?:re_)?path\s*\(\s*`)
	authPath   = lazyre.New(`(?i)(^|/)(login|signin|sign-in|sign_in|signup|sign-up|sign_up|register|registration|token|tokens|refresh|password|passwords|forgot|otp|mfa|2fa|authenticate|session|sessions)(/|$|[-_?{.])`)
	// sessionResource is a route on one existing session (a chat's, an
	// assistant's): /sessions/{session_id}/..., not a sign-in.
	sessionResource = lazyre.New(`(?i)(^|/)sessions?/[{<][^}>]*[}>]`)
	// resetPath is a bare "reset" that resets a password: at the top of
	// the path or under an account prefix (/reset, /api/v1/auth/reset),
	// not a reset of something else (/projects/1/summary/reset,
	// /invite/reset-token, reset/<path:repo>/): alone, or with the
	// token or user id of a reset link (reset/<uidb64>/<token>/).
	// A leading Django parameter (an event's or a tenant's slug,
	// <slug:event>/; include() prefixes are joined in)
	// scopes the whole site, so it may come first.
	resetPath = lazyre.New(`(?i)^/*(<[^>]*>/)?((api|v\d+|auth|accounts?|users?|passwords?)/)*reset(/?$|[?{.]|[-_]password|/.*(token|uid))`)
	// sessionPath is a sign-in session resource: at the top of the path or
	// under an account prefix (/api/v1/sessions, /auth/session), not a
	// site's own sessions (/mails/compose/sessions/, a conference's talks).
	sessionPath = lazyre.New(`(?i)^/*(<[^>]*>/)?((api|v\d+|auth|accounts?|users?|me)/)*sessions?(/|$|[-_?{.])`)
	resetLink   = lazyre.New(`(?i)(^|/)reset/([<{][^>}]*[>}]/)*[<{][^>}]*(token|uid)[^>}]*[>}]/?$`)
	// sessionSeg is a session as a sign-in resource: alone, or with a
	// step of signing in (session-login, sessions.json), not a resource
	// of a traced or chat session (session_annotations, session_notes).
	sessionSeg = lazyre.New(`(?i)^sessions?([?{.].*|[-_](new|create|login|token|refresh|auth\w*|start|verify)\b.*)?$`)
	logoutPath = lazyre.New(`(?i)logout|sign-?out|revoke|blacklist|blocklist`)
	// configPath is a resource that configures sessions or tokens rather
	// than handing them out: /session-policy, /token_settings.
	configPath = lazyre.New(`(?i)[-_](polic(y|ies)|settings|config)(/|$|[?{.])`)
	// limiterWord names a limiter: flask-limiter's limiter, slowapi,
	// fastapi-limiter's RateLimiter, django-ratelimit, DRF throttles, a
	// project's own rate_limit dependency. Plain "limit" or "rate" is
	// not enough: queries have limits, generate_token and moderate_limit
	// have "rate".
	limiterWord = lazyre.New(`(?i:(\b|_)rate_?limit|limiter|throttl)|RateLimit`)
	// authFunc names a view that signs in, registers or handles passwords,
	// whatever its path (POST /users that registers), or that obtains or
	// refreshes a token of a kind (obtain_token_sliding_token,
	// refresh_token_sliding, token_obtain_pair on POST /sliding, /pair).
	authFunc = lazyre.New(`(?i)^(login|log_in|signin|sign_in|signup|sign_up|register|register_user|create_account|signup_user|token|obtain_token|refresh_token|reset_password|password_reset|forgot_password|change_password|password_change|recover_password|set_password|verify_otp|verify_mfa)$|^(obtain|refresh)_token_[a-z0-9_]+$|^token_(obtain|refresh)(_[a-z0-9_]+)?$`)
	// ownAccount is a route under the caller's own account or settings:
	// only a signed-in caller reaches it.
	ownAccount    = lazyre.New(`(?i)(^|/)(me|current|current[-_]user|self|account|settings|profile|preferences)(/|$)`)
	methodsPost   = lazyre.New(`(?i)methods\s*=\s*[\[(][^\])]*["'](post|put|patch)["']`)
	routerDef     = lazyre.New(`(?m)^(\w+)\s*=\s*(?:APIRouter|Blueprint|Router)\s*\(`)
	includeRouter = lazyre.New(`\b(?:include_router|register_blueprint)\s*\(\s*([\w.]+)`)
	// globalLimit is a limit every route gets: Flask-Limiter and slowapi
	// defaults, Django REST framework's default throttles.
	globalLimit = lazyre.New(`\b(default_limits|application_limits)\s*=|\bSlowAPIMiddleware\b|\bDEFAULT_THROTTLE_(CLASSES|RATES)\b|\bRATELIMIT_DEFAULT\b`)
	includeView = lazyre.New(`^\s*,\s*include\s*\(`)
	// djangoView is the view a Django path() routes to: views.login,
	// LoginView.as_view(), also after a formatted path literal
	// (r"^v(?P<v>%s)/token/$" % versions, views.api_token) or one joined
	// with names and literals (r"^refresh/" + item_types + "/$", views.refresh).
	// lambdaRedirect is a route's view written as a lambda that returns a
	// redirect and nothing else.
	lambdaRedirect = lazyre.New(`^\s*,\s*lambda\b[^:]*:\s*(?:[\w.]+\.)?(?:redirect|HttpResponseRedirect|HttpResponsePermanentRedirect)\s*\(`)
	djangoView     = lazyre.New(`^(?:\s*\+\s*(?:[\w.]+|[rRbBuU]?"[^"\n]*"|[rRbBuU]?'[^'\n]*'))*\s*(?:%\s*[\w.]+\s*)?,\s*([\w.]+?)(?:\.as_(?:\w+_)?view\s*\(|\s*[,)])`)
)

// gatherRateLimits records, for one file, what limits its routes: a global
// limit, limited routers, paths named by a limiter, limited views; and its
// auth routes that have no limiter on the route itself.
func gatherRateLimits(f *File, x *pyFacts) {
	py := f.py
	// Only files that name a limiter can limit routes elsewhere.
	if py.lowerHas("ratelimit", "rate_limit", "limiter", "throttl") && limiterWord.Match(py.code) {
		x.limiter = true
		x.globalLimit = len(matches(f, globalLimit, "default_limits", "application_limits", "slowapimiddleware",
			"default_throttle_", "ratelimit_default")) > 0
		for _, m := range matches(f, routerDef, "router", "blueprint") {
			end := py.callSpan(m[1] - 1)
			if limiterWord.Match(py.code[m[0]:end]) {
				x.limitedRouters = append(x.limitedRouters, string(py.code[m[2]:m[3]]))
			}
		}
		for _, m := range matches(f, includeRouter, "include_router", "register_blueprint") {
			start, end := py.enclosingCall(m[1])
			if limiterWord.Match(py.code[start:end]) {
				name := string(py.code[m[2]:m[3]])
				x.limitedRouters = append(x.limitedRouters, name[strings.LastIndex(name, ".")+1:],
					strings.TrimSuffix(name, ".router"))
			}
		}
		for _, lit := range py.lits {
			if strings.Contains(lit.value, "/") {
				x.pathLits = append(x.pathLits, strLit{start: lit.start, value: lit.value})
			}
		}
		x.limitedViews = limitedViews(py.tree)
	}
	if f.dataHas("axes.middleware.Axes", "axes.backends.Axes") {
		x.axes = slices.ContainsFunc(py.lits, func(l strLit) bool { return axesSetting.MatchString(l.value) })
	}
	if py.codeHas("Form", "Serializer") {
		x.viewForms = authViewForms(py.tree)
	}
	if py.codeHas("_view(") {
		x.viewAliases = viewAliases(py.tree)
	}
	// Function views count too: @login_required def password_change(request).
	if marks := py.codeHas("_required", "LoginRequired", "PermissionRequired", "Authenticated", "IsAdminUser",
		"user_passes_test"); marks || py.codeHas("class ") {
		x.signedIn, x.viewBases = signedInViews(py.tree, marks)
	}
	if py.codeHas("now()") && py.codeHas("timedelta") {
		x.cooldownViews = cooldownViews(py.tree)
	}
	if py.codeHas("get_token(", "generate_csrf(", "get_csrf_token(") {
		x.csrfViews = csrfTokenViews(py.tree)
	}
	if py.codeHas("request.user", "request.session") {
		x.sessionOnlyViews = sessionOnlyViews(py.tree)
	}
	if py.codeHas("def get(", "def post(", "def put(", "def patch(", "def form_valid(") {
		x.getOnlyViews = getOnlyViews(py.tree)
	}
	if py.codeHas("before_request") && py.codeHas("_required") {
		x.signedInRouters = signedInRouters(py.tree)
	}
	if !py.codeHas("@", "path(") {
		return
	}
	var lockouts map[string]bool
	rs := routes(py.tree)
	// What a route does is read with its router's prefix, as Django's
	// include() prefixes are: POST /reset on APIRouter(prefix=
	// "/agentic/sessions") resets a session, not a password.
	var prefixes map[string]string
	if py.codeHas("prefix") {
		prefixes = py.tree.routerPrefixes()
	}
	full := func(r route) string { return prefixes[r.router] + r.path }
	var paths []string
	for _, r := range rs {
		paths = append(paths, full(r))
	}
	for _, r := range rs {
		if p := full(r); !isAuthPath(p) && !authFunc.MatchString(r.function) && !(authRoot.MatchString(p) && py.tree.namesPassword(r.node)) ||
			logoutPath.MatchString(p) || configPath.MatchString(p) ||
			redirectSignIn(p, paths) {
			continue
		}
		if r.method == "get" || r.method == "websocket" || r.method == "route" && !r.writes || r.limited || py.tree.onlyRedirects(r.node) {
			continue
		}
		if py.tree.takesNoCredential(r.node, r.path) {
			// A sign-in page that reads nothing posted and names no
			// password (it lists the identity providers, or sends the
			// client on to one): the credential is checked elsewhere.
			x.routes = append(x.routes, routeCandidate{router: r.router, path: r.path, offset: r.offset,
				finding: rateLimitCheck.finding(f, r.line, checklists.Low, fmt.Sprintf(
					"%s %s has no rate limit in sight, but reads no credential (no form, body or password; it only renders or redirects): check the route that checks the credential", strings.ToUpper(r.method), r.path), "")})
			continue
		}
		what := r.path
		if what == "" {
			what = r.function
		}
		if machineView.MatchString(r.function) {
			// POST /register_worker, POST /api/v1/token_check (count_tokens):
			// the path's word is about a machine or a model's tokens, as the
			// function's name says; no person's credential is read.
			x.routes = append(x.routes, routeCandidate{router: r.router, path: r.path, offset: r.offset,
				finding: rateLimitCheck.finding(f, r.line, checklists.Low, fmt.Sprintf(
					"%s %s has no rate limit in sight, but its function (%s) registers a machine or counts a model's tokens: no account's credential is checked here", strings.ToUpper(r.method), what, r.function), "")})
			continue
		}
		sev, msg := checklists.Medium, fmt.Sprintf("%s %s has no rate limit in sight", strings.ToUpper(r.method), what)
		if ownAccount.MatchString(full(r)) {
			// Changing one's own password still checks a password, but
			// only for a caller who is already signed in.
			sev, msg = checklists.Low, msg+" (the caller is already signed in, so this matters less)"
		} else if r.permission {
			sev, msg = checklists.Low, msg+" (the view requires a permission, so only a signed-in caller reaches it: this matters less)"
		} else if decs := decorators(py.tree, r.node); signedInMarks.MatchString(decs) || userDep(decs) ||
			signedInDep.MatchString(py.tree.text(py.tree.child(py.tree.child(r.node, "definition"), "parameters"))) {
			// @login_required, @pga_login_required on the route itself, or
			// a dependency that resolves the signed-in user: a parameter's
			// (user=Depends(get_current_user), current_user:
			// CurrentActiveUser) or the route's (dependencies=[Depends(
			// get_current_active_user)]; not a token check such as
			// Depends(authenticator) on a token route, which is the
			// credential the limit protects).
			sev, msg = checklists.Low, msg+" (the view requires a signed-in user, so this matters less)"
		} else if lockouts == nil && py.codeHas("+= 1") {
			lockouts = lockoutFuncs(py.tree)
		}
		if sev > checklists.Low && lockouts[r.function] {
			// A counter of failed attempts against a maximum: the account
			// locks, so guessing stops.
			sev, msg = checklists.Low, msg+" (the view locks the account after repeated failures: check it also limits per client)"
		}
		x.routes = append(x.routes, routeCandidate{router: r.router, path: r.path, offset: r.offset,
			finding: rateLimitCheck.finding(f, r.line, sev, msg, "")})
	}
	if path.Base(f.Path) == "urls.py" {
		var paths []string
		for _, m := range matches(f, djangoPath, "path") {
			if lit, ok := py.litAt(m[1]); ok {
				paths = append(paths, py.tree.includePrefix(lit.start)+lit.value)
			}
		}
		for _, m := range matches(f, djangoPath, "path") {
			lit, ok := py.litAt(m[1])
			if !ok {
				continue
			}
			// path("speakers/<code>/", include([path("reset", ...)])):
			// what a nested route does is read with its prefixes.
			full := py.tree.includePrefix(lit.start) + lit.value
			if !isAuthPath(full) || logoutPath.MatchString(lit.value) || configPath.MatchString(lit.value) || redirectSignIn(full, paths) {
				continue
			}
			start, end := py.enclosingCall(m[1])
			// path("api/token/", include("tokens.urls")) is a prefix: the
			// routes are in the included module, checked there.
			// path("login/", lambda request: redirect("/login/sso/")) only
			// sends the client on: it reads no credential.
			if limiterWord.Match(py.code[start:end]) || includeView.Match(py.code[lit.end:end]) || lambdaRedirect.Match(py.code[lit.end:end]) {
				continue
			}
			sev, msg := checklists.Medium, fmt.Sprintf("%s has no rate limit in sight", lit.value)
			if ownAccount.MatchString(djangoRegexPath(full)) {
				sev, msg = checklists.Low, msg+" (the caller is already signed in, so this matters less)"
			}
			c := routeCandidate{path: lit.value, offset: lit.start,
				finding: rateLimitCheck.finding(f, py.lineOf(m[0]), sev, msg, "")}
			c.forms = formWord.FindAllString(string(py.code[lit.end:end]), -1)
			if v := djangoView.FindSubmatch(py.code[lit.end:end]); v != nil {
				c.view = string(v[1])
				c.view = c.view[strings.LastIndex(c.view, ".")+1:]
			}
			// PasswordResetDoneView, PasswordResetCompleteView and
			// TemplateViews show a page; they check nothing.
			if displayView.MatchString(c.view) {
				continue
			}
			x.routes = append(x.routes, c)
		}
	}
}

// routerPrefixes maps the routers and blueprints a module makes to the
// path prefix they give their routes: router = APIRouter(prefix="/auth"),
// bp = Blueprint("auth", __name__, url_prefix="/auth").
func (t *pyTree) routerPrefixes() map[string]string {
	var out map[string]string
	t.each(func(a int32) {
		left, right := t.child(a, "left"), t.child(a, "right")
		if left < 0 || right < 0 || t.kind(left) != "identifier" || t.kind(right) != "call" {
			return
		}
		switch lastPart(t.callee(right)) {
		case "APIRouter", "Blueprint", "Router":
		default:
			return
		}
		p := t.arg(right, -1, "prefix")
		if p < 0 {
			p = t.arg(right, -1, "url_prefix")
		}
		if p < 0 || t.kind(p) != "string" {
			return
		}
		v, interp := t.strLiteral(p)
		if interp || v == "" {
			return
		}
		if out == nil {
			out = map[string]string{}
		}
		out[t.text(left)] = strings.TrimSuffix(v, "/")
	}, "assignment")
	return out
}

// isAuthPath reports whether a route path (Django's re_path patterns
// included) signs in, registers, hands out tokens or handles passwords.
// What a route does is its last segment (parameters aside): login/,
// api/token/refresh/; earlier segments only name the area
// (login/bad_origin reports a bad origin, token/<project>/create/ makes an
// API token), unless the last one is a step of the area's flow
// (password/reset/confirm, 2fa/verify).
func isAuthPath(p string) bool {
	p = djangoRegexPath(p)
	full := "/" + p
	if sessionResource.MatchString(full) {
		// What is done to the session still counts: /sessions/{id}/refresh.
		full = sessionResource.ReplaceAllString(full, "/")
	}
	last := ""
	for _, seg := range strings.Split(full, "/") {
		if seg != "" && !strings.ContainsAny(seg[:1], "{<(") {
			last = seg
		}
	}
	if noticePage.MatchString(last) || providerReturnStep.MatchString(last) {
		return false
	}
	// A reset link's landing (reset/<token>, reset/<uidb64>/<token>/)
	// takes a reset token wherever it is mounted.
	if resetPath.MatchString(p) || resetLink.MatchString(p) {
		return true
	}
	if last == "" {
		return false
	}
	if strings.HasPrefix(strings.ToLower(last), "session") && (!sessionSeg.MatchString(last) || !sessionPath.MatchString(p)) {
		return false
	}
	// refresh hands out a new token only in a credential's area
	// (/auth/refresh, /api/v1/refresh, /sessions/{id}/refresh); under
	// anything else it refreshes that (/models/openai/refresh).
	if l := strings.ToLower(last); strings.HasPrefix(l, "refresh") && !strings.Contains(l, "token") &&
		!strings.Contains(l, "jwt") && !credentialArea(full) {
		return false
	}
	// The first step of a sign-in with another provider (oauth2/login/,
	// login/<backend>/) only redirects to it; the provider checks the
	// password, and the callback checks state.
	if oauthStart.MatchString(last) && (oauthArea.MatchString(full) || providerParam.MatchString(p)) {
		return false
	}
	return authPath.MatchString("/"+last) || flowStep.MatchString(last) && authPath.MatchString(full)
}

var (
	// credentialSeg is a path segment naming credentials or accounts.
	credentialSeg = lazyre.New(`(?i)^(auth|authn|token|tokens|jwt|sessions?|oauth2?|login|accounts?|users?|me|identity|iam|api[-_]?keys?)$`)
	// versionSeg is a path segment that names no area: /api/v1/.
	versionSeg = lazyre.New(`(?i)^(api|v\d+(\.\d+)?|rest)$`)
	oauthStart = lazyre.New(`(?i)^(login|log-?in|signin|sign-in|sign_in|authorize|authorise|authenticate|begin|start|init|connect|redirect)$`)
	oauthArea  = lazyre.New(`(?i)(^|/)(oauth2?|social|socialauth|social-auth|sso|saml2?|oidc|openid|openid-connect|openidc)(/|$)`)
	// providerParam is a route parameter naming the identity provider.
	providerParam = lazyre.New(`(?i)[<{][^>}]*(backend|provider|idp)[^>}]*[>}]`)
)

// credentialArea reports whether the segments before a path's last one
// (parameters and /api/v1 aside) are none, or name credentials or
// accounts: /refresh and /auth/refresh are, /models/openai/refresh not.
func credentialArea(full string) bool {
	segs := strings.Split(strings.Trim(full, "/"), "/")
	area := false
	for _, seg := range segs[:max(len(segs)-1, 0)] {
		if seg == "" || strings.ContainsAny(seg[:1], "{<(") || versionSeg.MatchString(seg) {
			continue
		}
		if credentialSeg.MatchString(seg) {
			return true
		}
		area = true
	}
	return !area
}

// lockoutFuncs lists the functions of a module that count failed sign-in
// attempts (user.login_attempts += 1) and those that call one: a lock
// after too many failures.
func lockoutFuncs(t *pyTree) map[string]bool {
	out := map[string]bool{}
	t.each(func(i int32) {
		if left := t.child(i, "left"); left < 0 || !attemptCounter.MatchString(lastPart(t.text(left))) {
			return
		}
		if fn := t.enclosing(i, "function_definition"); fn >= 0 {
			out[t.text(t.child(fn, "name"))] = true
		}
	}, "augmented_assignment")
	if len(out) == 0 {
		return nil
	}
	t.each(func(i int32) {
		if fn := t.enclosing(i, "function_definition"); fn >= 0 && out[lastPart(t.callee(i))] {
			out[t.text(t.child(fn, "name"))] = true
		}
	}, "call")
	return out
}

// attemptCounter counts failed sign-ins: login_attempts, failed_logins,
// bad_password_count.
var attemptCounter = lazyre.New(`(?i)^_*((login|failed|failure|bad|invalid|wrong|auth)_?(login|password|auth)?_?(attempts?|tries|failures|count|logins?)|(failed|failure)s?)$`)

// flowStep is a last path segment that continues the flow its area names.
var flowStep = lazyre.New(`(?i)^(confirm|verify|validate|complete|submit)([-_.?].*)?$`)

// noticePage is a last path segment of a page that only tells the user a
// step is done (password/reset/done/, reset/sent): it checks nothing.
var noticePage = lazyre.New(`(?i)^(done|sent)$`)

// djangoRegexPath drops a re_path pattern's anchors: ^settings/2fa/$ ->
// settings/2fa/.
func djangoRegexPath(p string) string {
	return strings.TrimSuffix(strings.TrimPrefix(p, "^"), "$")
}

// checkRateLimits reports the auth routes that accept writes with no
// limiter in sight: not on the route itself (see gatherRateLimits), not on
// its router or where the router is included, not in a middleware that
// names the path, and no limit for every route.
func checkRateLimits(p *Project) []Finding {
	limitedRouters := map[string]bool{}
	limitedViews := map[string]bool{}
	axes := false
	var pathLits []strLit
	viewForms := map[string][]string{}
	signedIn, viewBases := map[string]bool{}, map[string][]string{}
	cooldown, signedInRouter := map[string]bool{}, map[string]bool{}
	aliases, csrfView, getOnly := map[string]string{}, map[string]bool{}, map[string]bool{}
	sessionOnly := map[string]bool{}
	for _, f := range p.Files {
		x := f.facts
		if x == nil || x.test {
			continue
		}
		axes = axes || x.axes
		maps.Copy(aliases, x.viewAliases)
		for _, v := range x.cooldownViews {
			cooldown[v] = true
		}
		for _, r := range x.signedInRouters {
			signedInRouter[r] = true
		}
		for _, v := range x.csrfViews {
			csrfView[v] = true
		}
		for _, v := range x.sessionOnlyViews {
			sessionOnly[v] = true
		}
		for v, only := range x.getOnlyViews {
			// A name that is also a view that takes posts is not one.
			if prev, seen := getOnly[v]; !seen || prev {
				getOnly[v] = only
			}
		}
		for v, forms := range x.viewForms {
			viewForms[v] = append(viewForms[v], forms...)
		}
		for _, v := range x.signedIn {
			signedIn[v] = true
		}
		for v, bases := range x.viewBases {
			viewBases[v] = append(viewBases[v], bases...)
		}
		if !x.limiter {
			continue
		}
		if x.globalLimit {
			return nil // every route is limited
		}
		for _, r := range x.limitedRouters {
			limitedRouters[r] = true
		}
		for _, v := range x.limitedViews {
			limitedViews[v] = true
		}
		pathLits = append(pathLits, x.pathLits...)
	}
	var out []Finding
	for _, f := range p.Files {
		if f.facts == nil || f.facts.test {
			continue
		}
		for _, r := range f.facts.routes {
			if class, ok := aliases[r.view]; ok {
				r.view = class
			}
			if r.view != "" && (displayView.MatchString(r.view) || clientRegistration.MatchString(r.view)) {
				continue
			}
			if limitedRouters[r.router] || limitedRouters[strings.TrimPrefix(r.router, "app.")] ||
				mentionedByLimiter(pathLits, r.path, r.offset) || r.view != "" && limitedViews[r.view] ||
				// A view class inherits its base's limiter (SignupWebAuthnView(SignupView)).
				inherits(r.view, limitedViews, viewBases) ||
				slices.ContainsFunc(viewForms[r.view], func(form string) bool { return limitedViews[form] }) ||
				slices.ContainsFunc(r.forms, func(form string) bool { return limitedViews[form] }) {
				continue
			}
			fd := r.finding
			if r.view != "" && fd.Severity > checklists.Low && csrfView[r.view] {
				fd.Severity = checklists.Low
				fd.Message += " (the view hands the session its CSRF token and reads no credential: check the route that checks one)"
			}
			if r.view != "" && fd.Severity > checklists.Low && sessionOnly[r.view] {
				fd.Severity = checklists.Low
				fd.Message += " (the view reads nothing the client sent but its session and user: it checks no credential)"
			}
			if r.view != "" && fd.Severity > checklists.Low && getOnly[r.view] {
				fd.Severity = checklists.Low
				fd.Message += " (the view answers only GET and signs no one in: it renders or redirects, as a sign-in with another provider's first step does; check the route that checks the credential)"
			}
			if r.view != "" && fd.Severity > checklists.Low && (signedIn[r.view] || djangoSignedIn[r.view] ||
				inherits(r.view, signedIn, viewBases)) {
				// Managing one's own tokens or second factors checks no
				// secret an outsider could guess.
				fd.Severity = checklists.Low
				fd.Message += " (the view requires a signed-in user, so this matters less)"
			}
			if r.router != "" && fd.Severity > checklists.Low && signedInRouter[r.router] {
				fd.Severity = checklists.Low
				fd.Message += " (the blueprint's before_request requires a signed-in user, so this matters less)"
			}
			if axes && fd.Severity > checklists.Low && signInRoute(r) {
				// django-axes counts the failures of authenticate() and
				// locks the account or client out: a password sign-in is
				// limited; a sign-up, a reset mail or a token is not.
				fd.Severity = checklists.Low
				fd.Message += " (the settings install django-axes, which locks out repeated failed sign-ins: check its limits)"
			}
			if r.view != "" && fd.Severity > checklists.Low && (cooldown[r.view] ||
				inherits(r.view, cooldown, viewBases)) {
				// A hand-written limit: one reset mail a day per account.
				fd.Severity = checklists.Low
				fd.Message += " (the view keeps its own time window per account: check it limits attempts)"
			}
			out = append(out, fd)
		}
	}
	return out
}

// axesSetting is django-axes in a settings list: its middleware or one of
// its authentication backends.
var axesSetting = lazyre.New(`^axes\.(middleware\.AxesMiddleware|backends\.Axes\w*Backend)$`)

// signInPath is a route that signs in with a password (login/, sign-in,
// a token obtained with one); signInView is a view named for it.
var (
	signInPath = lazyre.New(`(?i)(^|/)(log-?in|sign-?in|token|token/obtain|token[-_]obtain(_pair)?)/?$`)
	signInView = lazyre.New(`(?i)^(\w*_)?(log_?in|sign_?in)(_view)?$|Login\w*View$|^TokenObtain\w*View$|^(get|obtain)_\w*token$`)
)

// signInRoute reports whether a route signs in with a password, by its
// path or its view's name.
func signInRoute(r routeCandidate) bool {
	return signInPath.MatchString(djangoRegexPath(r.path)) || r.view != "" && signInView.MatchString(r.view)
}

// inherits reports whether a base class of view, at any depth, is in set:
// a view takes its sign-in, limiter or cooldown from a base of its base as
// well (ResetPasswordView(BaseResetView), BaseResetView(BaseServiceView),
// BaseServiceView(LoginRequiredMixin, View)).
func inherits(view string, set map[string]bool, bases map[string][]string) bool {
	seen := map[string]bool{view: true}
	next := bases[view]
	for depth := 0; len(next) > 0 && depth < 8; depth++ {
		var deeper []string
		for _, b := range next {
			if set[b] {
				return true
			}
			if !seen[b] {
				seen[b] = true
				deeper = append(deeper, bases[b]...)
			}
		}
		next = deeper
	}
	return false
}

// limitedViews lists the functions and classes (Django views) with a
// limiter in their decorators or body: @ratelimit, throttle_classes.
func limitedViews(t *pyTree) []string {
	var out []string
	// The limiter's words are found once in the whole file; a definition
	// is limited when one falls inside it (matching each definition's text
	// again read a module once per level of nesting).
	words := limiterWords(t.src)
	if len(words) == 0 {
		return nil
	}
	t.each(func(i int32) {
		span := i
		if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "decorated_definition" {
			span = p
		}
		start, end := t.start(span), t.end(span)
		k := sort.Search(len(words), func(k int) bool { return words[k][0] >= start })
		if k < len(words) && words[k][1] <= end {
			out = append(out, t.text(t.child(i, "name")))
		}
	}, "function_definition", "class_definition")
	if len(out) == 0 {
		return nil
	}
	// A class of the same module built on a limited one (a form on a
	// mixin that limits sign-ins) is limited too.
	t.each(func(i int32) {
		name := t.text(t.child(i, "name"))
		if sc := t.child(i, "superclasses"); sc >= 0 && !slices.Contains(out, name) &&
			slices.ContainsFunc(t.children(sc), func(b int32) bool { return slices.Contains(out, lastPart(t.text(b))) }) {
			out = append(out, name)
		}
	}, "class_definition")
	// A view that hands the sign-in to a plain limited function of the
	// same module is limited too (see limitedHelpers).
	helpers := map[string]bool{}
	t.each(func(i int32) {
		if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "module" && slices.Contains(out, t.text(t.child(i, "name"))) {
			helpers[t.text(t.child(i, "name"))] = true
		}
	}, "function_definition")
	if len(helpers) == 0 {
		return out
	}
	t.each(func(i int32) {
		name := t.text(t.child(i, "name"))
		if slices.Contains(out, name) {
			return
		}
		if t.callsOneOf(t.child(i, "body"), helpers) {
			out = append(out, name)
		}
	}, "function_definition")
	return out
}

// limiterWords finds limiterWord's matches in src. Every match holds
// "rate", "limiter" or "throttl" in some case, so the regular expression
// (slow on a whole module: it has no literal to look for first) runs only on
// a few bytes around each of those.
func limiterWords(src []byte) [][]int {
	lower := make([]byte, len(src))
	for i, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	var out [][]int
	for _, word := range []string{"rate", "limiter", "throttl"} {
		for from := 0; ; {
			k := bytes.Index(lower[from:], []byte(word))
			if k < 0 {
				break
			}
			at := from + k
			from = at + 1
			lo, hi := max(at-1, 0), min(at+len("rate_limiter"), len(src))
			if m := limiterWord.RE().FindIndex(src[lo:hi]); m != nil && lo+m[1] > at {
				out = append(out, []int{lo + m[0], lo + m[1]})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// asView names the class method that makes a view of a class (Django's
// as_view, a REST kit's as_api_view).
var asView = lazyre.New(`^as_(\w+_)?view$`)

// signedInMarks are what makes a Django or DRF view require a signed-in
// user: a decorator (django-otp's otp_required: signed in with a second
// factor), a mixin, permission classes, a permission attribute, a base
// view named for it (AuthenticatedAPIView).
// A decorator named for a role and ..._required (@administrator_required,
// @user_office_or_manager_required) admits only signed-in users who hold it.
var signedInMarks = lazyre.New(`login_required|permission_required|user_passes_test|staff_member_required|LoginRequired|PermissionRequired|UserPassesTest|IsAuthenticated\b|IsAdminUser|\bAuthenticated\w*View\b|\botp_required\b|\brequire_permission\b|@[\w.]*(?i:staff|admin|superuser|manager|moderator|owner|office|member)\w*_required\b`)

// signedInViews lists the views (functions, and classes named ...View or
// ...ViewSet) of a file that require a signed-in user, and the base
// classes of its view classes, through which the requirement is inherited.
func signedInViews(t *pyTree, marks bool) (signed []string, bases map[string][]string) {
	t.each(func(i int32) {
		n := t.child(i, "name")
		if n < 0 {
			return
		}
		name := t.text(n)
		// A class is a view when its name or one of its bases says so
		// (ApplicationRegistration(LoginRequiredMixin, CreateView)).
		if sc := t.child(i, "superclasses"); t.kind(i) == "class_definition" && !viewClass.MatchString(name) &&
			(sc < 0 || !viewBase.MatchString(t.text(sc))) {
			return
		}
		if t.kind(i) == "class_definition" {
			if sc := t.child(i, "superclasses"); sc >= 0 {
				for _, b := range t.children(sc) {
					if bases == nil {
						bases = map[string][]string{}
					}
					bases[name] = append(bases[name], lastPart(t.text(b)))
				}
			}
		}
		if !marks {
			return
		}
		span := i
		if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "decorated_definition" {
			span = p
		}
		// The decorators, the bases and (for a class) its attributes.
		head := t.src[t.start(span):t.end(span)]
		if body := t.child(i, "body"); body >= 0 && t.kind(i) == "function_definition" {
			head = t.src[t.start(span):t.start(body)]
		}
		if signedInMarks.Match(head) {
			signed = append(signed, name)
		}
	}, "function_definition", "class_definition")
	return signed, bases
}

// userDep reports whether a route's decorators require a signed-in user
// through a dependency that resolves one.
func userDep(decorators string) bool {
	for _, m := range signedInDep.RE().FindAllString(decorators, -1) {
		if strings.Contains(strings.ToLower(m), "user") {
			return true
		}
	}
	return false
}

// signedInDep is a FastAPI dependency that requires a signed-in caller:
// Depends(Authenticated()), Depends(get_current_user), Depends(get_admin_user),
// Depends(get_verified_user), Security(...), or an Annotated alias of one
// named for it (user: GetUserDep, current_user: CurrentActiveUser).
var signedInDep = lazyre.New(`(?i)\bSecurity\(|Depends\(\s*[\w.]*(current_(active_)?user|authenticated|authenticator|require[sd]?_(user|login|auth|admin)|get_((current|verified|admin|active|authenticated)_)*user|logged_in|signed_in)\b|:\s*(get_?|current_?|authenticated_?)(active_?|verified_?)?user(_?dep)?\b`)

// djangoSignedIn are Django's own views that require a signed-in user.
var djangoSignedIn = map[string]bool{"PasswordChangeView": true, "PasswordChangeDoneView": true}

// viewAliases maps the module-level names given to views made from a
// class (password_change = PasswordChangeView.as_view(...)) to the class.
func viewAliases(t *pyTree) map[string]string {
	out := map[string]string{}
	for _, st := range t.children(0) {
		if t.kind(st) != "expression_statement" {
			continue
		}
		for _, a := range t.children(st) {
			left, right := t.child(a, "left"), t.child(a, "right")
			if t.kind(a) != "assignment" || left < 0 || right < 0 || t.kind(left) != "identifier" || t.kind(right) != "call" {
				continue
			}
			if callee := t.callee(right); asView.MatchString(lastPart(callee)) {
				cls := strings.TrimSuffix(callee, "."+lastPart(callee))
				out[t.text(left)] = lastPart(cls)
			}
		}
	}
	return out
}

// displayView is a Django view that only shows a page after a step of the
// flow: Django's PasswordResetDoneView, a TemplateView.
var displayView = lazyre.New(`(Done|Complete)View$|^TemplateView$|^RedirectView$`)

// nowMinus is a time window's start: now() - timedelta(...), bound to a
// name (one_day_ago = now() - dt.timedelta(hours=24)).
var nowMinus = lazyre.New(`(?m)^\s*(\w+)\s*=\s*[\w.]*now\(\)\s*-\s*[\w.]*timedelta\(`)

// cooldownViews lists the functions and classes that compare a time with
// now() in Python (if one_day_ago < user.reset_time < now()), the shape of
// a limit kept by hand per account. A query filter (reset_time__gte=
// now() - timedelta(days=1)) is a token's expiry, not a limit.
func cooldownViews(t *pyTree) []string {
	var out []string
	t.each(func(i int32) {
		n := t.child(i, "name")
		if n < 0 {
			return
		}
		span := t.src[t.start(i):t.end(i)]
		var marks []string
		for _, m := range nowMinus.FindAllSubmatch(span, -1) {
			marks = append(marks, string(m[1]))
		}
		end, found := t.end(i), false
		for c := i + 1; int(c) < len(t.nodes) && t.start(c) < end && !found; c++ {
			if t.kind(c) != "comparison_operator" {
				continue
			}
			text := t.text(c)
			if !strings.ContainsAny(text, "<>") {
				continue
			}
			found = strings.Contains(text, "now()") && strings.Contains(text, "timedelta")
			for _, m := range marks {
				found = found || identIn(text, m)
			}
		}
		if found {
			out = append(out, t.text(n))
		}
	}, "function_definition", "class_definition")
	return out
}

// identIn reports whether name occurs in text as a whole identifier.
func identIn(text, name string) bool {
	for i := strings.Index(text, name); i >= 0; {
		before := i == 0 || !isIdent(text[i-1])
		after := i+len(name) == len(text) || !isIdent(text[i+len(name)])
		if before && after {
			return true
		}
		j := strings.Index(text[i+1:], name)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// signedInRouters lists the blueprints whose before_request handler
// requires a signed-in user: @bp.before_request stacked with a decorator
// named ..._required (admin_required, login_required, user_required).
func signedInRouters(t *pyTree) []string {
	var out []string
	t.each(func(d int32) {
		var bps []string
		required := false
		for _, dec := range t.children(d) {
			if t.kind(dec) != "decorator" {
				continue
			}
			text := strings.TrimSpace(strings.TrimPrefix(t.text(dec), "@"))
			if bp, ok := strings.CutSuffix(text, ".before_request"); ok {
				bps = append(bps, bp)
			} else if requiredDecorator.MatchString(text) {
				required = true
			}
		}
		if required {
			out = append(out, bps...)
		}
	}, "decorated_definition")
	return out
}

// requiredDecorator is a decorator that turns away callers who are not
// signed in.
var requiredDecorator = lazyre.New(`^[\w.]*_required\b`)

// includePrefix returns the path prefixes of the Django include() lists a
// path literal (at offset off) sits in, outermost first:
// path("speakers/<code>/", include([path("reset", ...)])) gives
// "speakers/<code>/" for "reset".
func (t *pyTree) includePrefix(off int) string {
	s := t.nodeAt(off, "string")
	if s < 0 {
		return ""
	}
	prefix := ""
	c := t.enclosing(s, "call")
	for c >= 0 {
		inc := t.enclosing(c, "call")
		if inc < 0 || lastPart(t.callee(inc)) != "include" {
			break
		}
		outer := t.enclosing(inc, "call")
		if outer < 0 {
			break
		}
		if n := lastPart(t.callee(outer)); n != "path" && n != "re_path" {
			break
		}
		first := t.arg(outer, 0, "route")
		if first < 0 || t.kind(first) != "string" {
			break
		}
		v, _ := t.strLiteral(first)
		prefix = djangoRegexPath(v) + prefix
		c = outer
	}
	return prefix
}

// viewClass is the name of a class-based view.
var viewClass = lazyre.New(`(View|ViewSet|API)$`)

// viewBase is a base class that makes a view: a Django generic view or a
// view mixin.
var viewBase = lazyre.New(`(View|ViewSet|Mixin)\b`)

// authRoot is the root of a sign-in area posted to itself: POST /auth,
// the empty path of APIRouter(prefix="/auth"). With a password in the
// route's code it signs in.
var authRoot = lazyre.New(`(?i)(^|/)(auth|authn|authenticate|jwt)/?$`)

// namesPassword reports whether a route's code (decorators, signature and
// body) names a password.
func (t *pyTree) namesPassword(route int32) bool {
	return route >= 0 && passwordWord.Match(t.src[t.start(route):t.end(route)])
}

// machineView names a route function that registers a machine or a
// component with the service (register_worker, register_node) or counts or
// splits a prompt into a model's tokens (count_tokens, token_count,
// tokenize): a path word such as register or token then names no account.
var machineView = lazyre.New(`(?i)^_*((un|de)?register_(worker|node|agent|runner|executor|host|instance|server|service|model|plugin|peer|replica|shard)s?|(count|num|estimate)_tokens?|tokens?_(count|counts|len|length|num)|(de)?tokenize)$`)

// clientRegistration is a view that registers an OAuth client or an
// application (RFC 7591 dynamic registration, an app's developer page), or
// a signed-in user's security key or passkey (WebAuthn credential
// registration), not an account: no password or secret of a user is
// checked.
var clientRegistration = lazyre.New(`(?i)(client|application|app|credential|passkey|webauthn|device)_?registration`)

// authViewName is the name of a view that signs in, registers or handles
// tokens, passwords or second factors.
var authViewName = lazyre.New(`(?i)(login|log_in|logon|signin|sign_in|signup|sign_up|register|registration|token|password|passw|otp|mfa|2fa|twofactor)`)

// formName is a class a Django or DRF view validates its input with.
var (
	formName = lazyre.New(`^[A-Z]\w*(Form|Serializer)$`)
	formWord = lazyre.New(`\b[A-Z]\w*(Form|Serializer)\b`)
)

// authViewForms maps each auth view (function or class) of a file to the
// forms and serializers it names, where a limit is often kept (pretix's
// LoginForm.clean, a DRF serializer's validate).
func authViewForms(t *pyTree) map[string][]string {
	var out map[string][]string
	t.each(func(i int32) {
		n := t.child(i, "name")
		if n < 0 {
			return
		}
		name := t.text(n)
		if !authViewName.MatchString(name) {
			return
		}
		end := t.end(i)
		for n := i + 1; int(n) < len(t.nodes) && t.start(n) < end; n++ {
			if t.kind(n) == "identifier" && formName.MatchString(t.text(n)) && !slices.Contains(out[name], t.text(n)) {
				if out == nil {
					out = map[string][]string{}
				}
				out[name] = append(out[name], t.text(n))
			}
		}
	}, "function_definition", "class_definition")
	return out
}

// route is one route function found on the syntax tree.
type route struct {
	router, method, path, function string
	writes                         bool // @route(..., methods=[... "POST" ...])
	limited                        bool // a limiter on the route itself
	permission                     bool // Pyramid's permission= on the view or its class's view_defaults
	line, offset                   int  // the route decorator's line, the path literal's offset
	node                           int32
}

var routeMethods = map[string]bool{"post": true, "put": true, "patch": true, "get": true, "delete": true,
	"route": true, "api_route": true, "websocket": true}

// routes lists the functions with a route decorator (@router.post("/x"),
// @bp.route("/x", methods=["POST"])), and whether a limiter sits on the
// route itself: a decorator (@limiter.limit, @ratelimit, @throttle), a
// dependency in the decorator or the signature (Depends(rate_limit(...)),
// Depends(RateLimiter(...))), or a limiter called in the body.
func routes(t *pyTree) []route {
	var out []route
	var helpers map[string]bool
	// Whether the module names a limiter at all: asked once, not once per
	// route (a module of thousands of routes read itself for each).
	limiterWords := hasAny(t.src, "ratelimit", "RateLimit", "rate_limit", "limiter", "Limiter", "throttl", "Throttl")
	t.each(func(d int32) {
		def := t.child(d, "definition")
		if def < 0 || t.kind(def) != "function_definition" {
			return
		}
		name := t.text(t.child(def, "name"))
		var found *route
		limited := false
		for _, dec := range t.children(d) {
			if t.kind(dec) != "decorator" {
				continue
			}
			if t.limiterIn(dec) {
				limited = true
			}
			call := t.children(dec)
			if len(call) != 1 || t.kind(call[0]) != "call" {
				continue
			}
			fn := t.child(call[0], "function")
			if fn >= 0 && found == nil && lastPart(t.text(fn)) == "view_config" {
				// Pyramid's @view_config(name="login") or (route_name=
				// "login"): a view for every method unless request_method
				// names some; it takes posts when that names POST, or,
				// left open, when the view reads the posted form.
				r := route{method: "route", function: name, line: t.line(dec), offset: -1, node: d}
				for _, k := range []string{"route_name", "name"} {
					if p := t.arg(call[0], -1, k); p >= 0 && t.kind(p) == "string" {
						r.path, _ = t.strLiteral(p)
						r.offset = t.start(p)
						break
					}
				}
				if m := t.arg(call[0], -1, "request_method"); m >= 0 {
					r.writes = methodsWrite.MatchString(t.text(m))
				} else {
					r.writes = postedForm.MatchString(t.text(t.child(def, "body")))
				}
				if r.writes {
					r.method = "post"
				}
				// permission="admin" on the view, or on the class's
				// @view_defaults: only a caller already signed in with
				// that permission reaches it (NO_PERMISSION_REQUIRED opens
				// it to everyone).
				r.permission = t.viewPermission(call[0])
				if c := t.enclosing(d, "class_definition"); c >= 0 && !r.permission {
					if cd := t.nodes[c].parent; cd >= 0 && t.kind(cd) == "decorated_definition" {
						for _, vd := range t.children(cd) {
							if k := t.children(vd); t.kind(vd) == "decorator" && len(k) == 1 && t.kind(k[0]) == "call" &&
								lastPart(t.callee(k[0])) == "view_defaults" && t.arg(call[0], -1, "permission") < 0 {
								r.permission = t.viewPermission(k[0])
							}
						}
					}
				}
				if r.path != "" {
					found = &r
				}
				continue
			}
			if fn < 0 || t.kind(fn) != "attribute" || !routeMethods[strings.ToLower(t.text(t.child(fn, "attribute")))] || found != nil {
				continue
			}
			r := route{router: t.text(t.child(fn, "object")), method: strings.ToLower(t.text(t.child(fn, "attribute"))),
				function: name, line: t.line(dec), offset: -1, node: d}
			if p := t.arg(call[0], 0, "path"); p >= 0 && t.kind(p) == "string" {
				r.path, _ = t.strLiteral(p)
				r.offset = t.start(p)
			}
			if m := t.arg(call[0], -1, "methods"); m >= 0 {
				r.writes = methodsWrite.MatchString(t.text(m))
			}
			found = &r
		}
		if found == nil {
			return
		}
		found.limited = limited || t.limiterIn(t.child(def, "parameters")) || t.limiterIn(t.child(def, "body"))
		if !found.limited && limiterWords {
			if helpers == nil {
				helpers = limitedHelpers(t)
			}
			found.limited = t.callsOneOf(t.child(def, "body"), helpers)
		}
		out = append(out, *found)
	}, "decorated_definition")
	return out
}

// limitedHelpers lists the plain functions of a module (module-level and
// undecorated) with a limiter in their body: a login() that catches the
// RateLimitException its attempt counter raises and answers 429. A route
// that hands the sign-in to one is limited by it; a decorated function is a
// view or a wrapped helper of its own and lends nothing.
func limitedHelpers(t *pyTree) map[string]bool {
	out := map[string]bool{}
	t.each(func(i int32) {
		if p := t.nodes[i].parent; p >= 0 && t.kind(p) == "module" && t.limiterIn(t.child(i, "body")) {
			out[t.text(t.child(i, "name"))] = true
		}
	}, "function_definition")
	return out
}

// callsOneOf reports whether the subtree i calls, by its bare name, one of
// names.
func (t *pyTree) callsOneOf(i int32, names map[string]bool) bool {
	if i < 0 || len(names) == 0 {
		return false
	}
	for j, end := i, t.end(i); j < int32(len(t.nodes)) && t.start(j) < end; j++ {
		if t.kind(j) != "call" {
			continue
		}
		if fn := t.child(j, "function"); fn >= 0 && t.kind(fn) == "identifier" && names[t.text(fn)] {
			return true
		}
	}
	return false
}

var methodsWrite = lazyre.New(`(?i)["'](post|put|patch)["']`)

// viewPermission reports whether a view_config or view_defaults call
// names a permission other than Pyramid's NO_PERMISSION_REQUIRED.
func (t *pyTree) viewPermission(call int32) bool {
	p := t.arg(call, -1, "permission")
	return p >= 0 && !strings.Contains(strings.ToLower(t.text(p)), "no_permission_required")
}

// postedForm is a view body that reads the posted form (Pyramid's and
// WebOb's request.POST).
var postedForm = lazyre.New(`\brequest\.POST\b`)

// limiterIn reports whether a subtree calls or names a limiter: any name
// or attribute chain in it whose resolved name reads as one.
func (t *pyTree) limiterIn(i int32) bool {
	if i < 0 {
		return false
	}
	end := t.end(i)
	for j := i; j < int32(len(t.nodes)) && t.start(j) < end; j++ {
		if k := t.kind(j); k != "identifier" && k != "attribute" {
			continue
		}
		if p := t.nodes[j].parent; p >= 0 && t.kind(p) == "attribute" {
			continue // the whole chain is tested at its top
		}
		for _, part := range strings.Split(t.qualName(j), ".") {
			// @limits(calls=5, period=60) and @limiter.limit("5/minute")
			// are limiters; q.limit(20) in a body is a query.
			if limiterWord.MatchString(part) || (part == "limit" || part == "limits") && t.inDecorator(j) {
				return true
			}
		}
	}
	return false
}

// inDecorator reports whether node i sits in a decorator: there @x.limit(...)
// is a limiter, in a body q.limit(20) is a query.
func (t *pyTree) inDecorator(i int32) bool { return t.enclosing(i, "decorator") >= 0 }

// mentionedByLimiter reports whether a file that deals with rate limits
// names the route's path elsewhere than in the route itself, as a
// middleware with a list of limited paths does ("/api/v1/auth/login").
func mentionedByLimiter(lits []strLit, route string, offset int) bool {
	seg := strings.Trim(route, "/")
	if i := strings.LastIndex(seg, "/"); i >= 0 {
		seg = seg[i+1:]
	}
	if seg == "" || strings.ContainsAny(seg, "{<") {
		return false
	}
	for _, lit := range lits {
		if lit.start != offset && pathEndsWith(lit.value, seg) {
			return true
		}
	}
	return false
}

// pathEndsWith reports whether a URL path ends with the segment seg.
func pathEndsWith(p, seg string) bool {
	p = strings.TrimSuffix(p, "/")
	return strings.HasSuffix(p, "/"+seg)
}

var (
	specNames       = lazyre.New(`(?i)^(openapi|swagger)(\.[\w-]+)?\.(ya?ml|json)$|\.openapi\.(ya?ml|json)$`)
	webImports      = lazyre.New(`(?m)^\s*(from|import)\s+(fastapi|flask|django|starlette|litestar|aiohttp|sanic|falcon|quart|rest_framework)\b`)
	specExts        = lazyre.New(`(?i)\.(ya?ml|json)$`)
	declaresOpenAPI = lazyre.New(`(?m)^(openapi|swagger):\s*["']?\d|^\s*\{?\s*"(openapi|swagger)"\s*:\s*"\d`)
	oasVersion      = lazyre.New(`^3\.\d+(\.\d+)?$`)
	yamlLine        = lazyre.New(`line (\d+)`)
	operations      = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
)

func checkOpenAPI(p *Project) []Finding {
	var specs []*File
	web := false
	for _, f := range p.Files {
		// Named openapi.yaml or swagger.json, or any YAML or JSON file there
		// that declares itself (drf-spectacular writes schema.yml).
		if specCandidate(f.Path) && (specNames.MatchString(path.Base(f.Path)) || declaresOpenAPI.Match(f.Data)) {
			specs = append(specs, f)
		}
		if f.facts != nil && f.facts.web {
			web = true
		}
	}
	if len(specs) == 0 {
		if !web {
			return nil
		}
		// A missing contract is a gap in documentation, not a defect in
		// the service: low, where an invalid one stays medium.
		return []Finding{openapiCheck.finding(&File{Path: "openapi.yaml"}, 0, checklists.Low,
			"the service has no OpenAPI file (openapi.yaml)", "")}
	}
	var out []Finding
	for _, f := range specs {
		for _, problem := range validateOpenAPI(f.Data) {
			out = append(out, openapiCheck.finding(f, problem.line, checklists.Medium, problem.msg, ""))
		}
	}
	return out
}

// specCandidate reports whether a path may hold the OpenAPI document: a
// YAML or JSON file at the root or in a folder for contracts.
func specCandidate(rel string) bool {
	switch path.Dir(rel) {
	case ".", "docs", "api", "spec", "specs", "openapi", "contracts", "schema":
		return specNames.MatchString(path.Base(rel)) || specExts.MatchString(rel)
	}
	return false
}

type specProblem struct {
	line int
	msg  string
}

// validateOpenAPI checks what every OpenAPI 3 document needs: the version,
// info with title and version, paths (or, from 3.1, components or webhooks)
// with operations that have responses, unique operationIds, and local $refs
// that resolve.
func validateOpenAPI(data []byte) []specProblem {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return []specProblem{{line, "the OpenAPI file does not parse: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return []specProblem{{1, "the OpenAPI file is not a mapping"}}
	}
	root := doc.Content[0]
	var out []specProblem
	add := func(n *yaml.Node, format string, args ...any) {
		line := 1
		if n != nil {
			line = n.Line
		}
		if len(out) < 25 {
			out = append(out, specProblem{line, fmt.Sprintf(format, args...)})
		}
	}
	version := get(root, "openapi")
	switch {
	case version == nil && get(root, "swagger") != nil:
		add(get(root, "swagger"), "the file is Swagger 2.0; convert it to OpenAPI 3")
		return out
	case version == nil:
		add(root, "the openapi version field is missing")
		return out
	case !oasVersion.MatchString(version.Value):
		add(version, "openapi is %q; expected a 3.x version such as 3.1.0", version.Value)
	}
	info := get(root, "info")
	if info == nil || info.Kind != yaml.MappingNode {
		add(root, "info is missing")
	} else {
		for _, k := range []string{"title", "version"} {
			if v := get(info, k); v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
				add(info, "info.%s is missing", k)
			}
		}
	}
	is30 := strings.HasPrefix(version.Value, "3.0")
	paths := get(root, "paths")
	switch {
	case paths == nil && (is30 || get(root, "components") == nil && get(root, "webhooks") == nil):
		add(root, "paths is missing")
	case paths != nil && paths.Kind != yaml.MappingNode:
		add(paths, "paths must be a mapping of path to operations")
	case paths != nil:
		ids := map[string]bool{}
		for i := 0; i+1 < len(paths.Content); i += 2 {
			k, item := paths.Content[i], paths.Content[i+1]
			if !strings.HasPrefix(k.Value, "/") {
				add(k, "path %q must start with /", k.Value)
			}
			if item.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(item.Content); j += 2 {
				op, body := item.Content[j].Value, item.Content[j+1]
				if !slices.Contains(operations, op) || body.Kind != yaml.MappingNode {
					continue
				}
				if is30 && get(body, "responses") == nil {
					add(item.Content[j], "%s %s has no responses", strings.ToUpper(op), k.Value)
				}
				if id := get(body, "operationId"); id != nil {
					if ids[id.Value] {
						add(id, "operationId %q is used twice", id.Value)
					}
					ids[id.Value] = true
				}
			}
		}
	}
	walkRefs(root, func(ref *yaml.Node) {
		if strings.HasPrefix(ref.Value, "#/") && resolve(root, ref.Value) == nil {
			add(ref, "$ref %s does not resolve", ref.Value)
		}
	})
	return out
}

func get(m *yaml.Node, key string) *yaml.Node { return yamlnode.Value(m, key) }

func walkRefs(n *yaml.Node, visit func(*yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "$ref" && n.Content[i+1].Kind == yaml.ScalarNode {
				visit(n.Content[i+1])
			}
		}
	}
	for _, c := range n.Content {
		walkRefs(c, visit)
	}
}

// resolve follows a local JSON pointer (#/components/schemas/Item).
func resolve(root *yaml.Node, ref string) *yaml.Node {
	n := root
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch n.Kind {
		case yaml.MappingNode:
			n = get(n, part)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

// onlyRedirects reports whether a route's function does nothing but
// redirect (a deprecated path kept as a 307 to the new one): it checks no
// credential itself; the route it sends the client to is checked there.
func (t *pyTree) onlyRedirects(route int32) bool {
	def := route
	if route >= 0 && t.kind(route) == "decorated_definition" {
		def = t.child(route, "definition")
	}
	if def < 0 {
		return false
	}
	body := t.child(def, "body")
	if body < 0 {
		return false
	}
	stmts := t.children(body)
	if len(stmts) > 0 && t.kind(stmts[0]) == "expression_statement" && len(t.children(stmts[0])) == 1 && t.kind(t.children(stmts[0])[0]) == "string" {
		stmts = stmts[1:] // the docstring
	}
	if len(stmts) != 1 || t.kind(stmts[0]) != "return_statement" {
		return false
	}
	cs := t.children(stmts[0])
	if len(cs) != 1 || t.kind(cs[0]) != "call" {
		return false
	}
	last := lastPart(t.callee(cs[0]))
	return last == "redirect" || strings.Contains(last, "Redirect")
}

var (
	// credentialRead is a view reading what the client posted, or naming
	// a credential or a check of one.
	credentialRead = lazyre.New(`(?i)request\.(form|json|get_json|data|values|post|body|files|stream|authorization)|\.(form|json|body)\(|passw|credential|authenticat|login_user|check_|verif|token|otp|secret|\(\s*request\b|,\s*request\b`)
	// formClass is a form object, which reads the posted fields itself
	// (Flask-WTF's LoginForm()).
	formClass = lazyre.New(`\b[A-Z]\w*Form\s*\(`)
	// pageCall is a response that shows a page or sends the client on.
	pageCall = lazyre.New(`(?i)^(render_template|render|TemplateResponse|redirect|RedirectResponse|HttpResponseRedirect)$`)
)

// takesNoCredential reports whether a route function checks no credential
// of its own: it takes no parameter but the path's, reads nothing posted,
// names no password, token or form, hands the request to nothing, and
// every return renders a template or redirects (anitya's login page, which
// lists the OpenID Connect providers).
func (t *pyTree) takesNoCredential(route int32, path string) bool {
	def := route
	if route >= 0 && t.kind(route) == "decorated_definition" {
		def = t.child(route, "definition")
	}
	if def < 0 {
		return false
	}
	for _, p := range t.paramNames(def) {
		if p != "self" && !strings.Contains(path, p) {
			return false
		}
	}
	body := t.child(def, "body")
	if body < 0 {
		return false
	}
	src := t.src[t.start(body):t.end(body)]
	if credentialRead.Match(src) || formClass.Match(src) {
		return false
	}
	returns := 0
	ok := true
	t.each(func(r int32) {
		if !ok || t.start(r) < t.start(body) || t.end(r) > t.end(body) || t.enclosing(r, "function_definition") != def {
			return
		}
		returns++
		cs := t.children(r)
		if len(cs) != 1 || t.kind(cs[0]) != "call" || !pageCall.MatchString(lastPart(t.callee(cs[0]))) {
			ok = false
		}
	}, "return_statement")
	return ok && returns > 0
}

// csrfGetter is a framework's call that returns the session's CSRF token
// (Django's get_token(request), Flask-WTF's generate_csrf()).
var csrfGetter = lazyre.New(`\b(get_token|generate_csrf|get_csrf_token)\s*\(`)

// postedRead is a view reading what the client sent, or checking a
// credential: what a view that only hands out a CSRF token never does.
var postedRead = lazyre.New(`(?i)request\.(form|json|get_json|data|values|post|body|files|stream|authorization|get|args|headers|meta)\b|\.(form|json|body)\(|passw|credential|authenticat|login|check_|verif|otp|secret|signature`)

// credentialParam is a view parameter that could carry a credential from
// the path (reset/<token>/, confirm/<uidb64>/<key>/).
var credentialParam = lazyre.New(`(?i)token|key|code|uid|pass|secret|sig|otp|hash`)

// eachModuleFunc calls fn with every function defined at the module's top
// level (decorated or not) and its body.
func eachModuleFunc(t *pyTree, fn func(def, body int32)) {
	t.each(func(i int32) {
		parent := t.nodes[i].parent
		if parent >= 0 && t.kind(parent) == "decorated_definition" {
			parent = t.nodes[parent].parent
		}
		if body := t.child(i, "body"); parent >= 0 && t.kind(parent) == "module" && body >= 0 {
			fn(i, body)
		}
	}, "function_definition")
}

// csrfTokenViews lists the module-level function views that hand the
// session its CSRF token (return {"data": get_token(request)}) and read
// nothing posted: an endpoint named "token" that checks no credential, so
// there is nothing for a limit to slow down.
func csrfTokenViews(t *pyTree) []string {
	var out []string
	eachModuleFunc(t, func(i, body int32) {
		src := t.src[t.start(body):t.end(body)]
		if !csrfGetter.Match(src) || postedRead.Match(src) || formClass.Match(src) {
			return
		}
		for k, p := range t.paramNames(i) {
			if k > 0 && credentialParam.MatchString(p) {
				return
			}
		}
		out = append(out, t.text(t.child(i, "name")))
	})
	return out
}

// sessionRead is what a view may read of its request and still take
// nothing the client sent: who is signed in, the session, the method.
var sessionRead = map[string]bool{"user": true, "session": true, "method": true}

// sessionOnlyViews lists the module-level function views whose request
// (the first parameter, named request) is read only as request.user,
// request.session or request.method, never passed on whole, and that
// make no form (get_session answering whether the caller is signed in):
// such a view checks no credential, whatever its path says.
func sessionOnlyViews(t *pyTree) []string {
	var out []string
	eachModuleFunc(t, func(i, body int32) {
		if params := t.paramNames(i); len(params) == 0 || params[0] != "request" ||
			formClass.Match(t.src[t.start(body):t.end(body)]) {
			return
		}
		reads := 0
		for j := body; int(j) < len(t.nodes) && t.start(j) < t.end(body); j++ {
			if t.kind(j) != "identifier" || t.text(j) != "request" {
				continue
			}
			a := t.nodes[j].parent
			if a < 0 || t.kind(a) != "attribute" || t.child(a, "object") != j || !sessionRead[t.text(t.child(a, "attribute"))] {
				return
			}
			reads++
		}
		if reads > 0 {
			out = append(out, t.text(t.child(i, "name")))
		}
	})
	return out
}

// getOnlyViews maps each class of the module that defines get or a method
// taking posts to whether it answers only GET and signs no one in: no post, put, patch, delete or
// form_valid, no call that signs in (login, authenticate, check_password),
// (a post that only returns a redirect takes none), and built only on Django's views that take no posts (View, TemplateView,
// RedirectView) or on classes of the module that meet the same test (a
// SAML or OpenID LoginView that builds the request and redirects to the
// identity provider). A base from elsewhere may take posts: not one.
func getOnlyViews(t *pyTree) map[string]bool {
	classes := map[string]int32{}
	t.each(func(i int32) { classes[t.text(t.child(i, "name"))] = i }, "class_definition")
	memo := map[string]bool{}
	var quiet func(name string, depth int) bool
	quiet = func(name string, depth int) bool {
		if readOnlyBases[name] {
			return true
		}
		c, ok := classes[name]
		if !ok || depth > 8 {
			return false
		}
		if v, ok := memo[name]; ok {
			return v
		}
		memo[name] = false
		for _, m := range t.children(t.child(c, "body")) {
			if t.kind(m) == "decorated_definition" {
				m = t.child(m, "definition")
			}
			// def post(self, request): return redirect(...) reads no post:
			// it sends the client on, as get does (an OAuth sign-in
			// that redirects to the identity provider on either method).
			if m >= 0 && t.kind(m) == "function_definition" && writerMethods[t.text(t.child(m, "name"))] && !t.onlyRedirects(m) {
				return false
			}
		}
		signsIn := false
		end := t.end(c)
		for j := c; int(j) < len(t.nodes) && t.start(j) < end && !signsIn; j++ {
			signsIn = t.kind(j) == "call" && signInCalls[lastPart(t.callee(j))]
		}
		if signsIn {
			return false
		}
		if sc := t.child(c, "superclasses"); sc >= 0 {
			for _, b := range t.children(sc) {
				if t.kind(b) == "keyword_argument" {
					continue
				}
				if !quiet(lastPart(t.text(b)), depth+1) {
					return false
				}
			}
		}
		memo[name] = true
		return true
	}
	var out map[string]bool
	for name, c := range classes {
		// A class that takes posts is recorded too: a view of the same
		// name elsewhere must not lend it its "only GET".
		gets, writes := false, false
		for _, m := range t.children(t.child(c, "body")) {
			if t.kind(m) == "decorated_definition" {
				m = t.child(m, "definition")
			}
			if m >= 0 && t.kind(m) == "function_definition" {
				gets = gets || t.text(t.child(m, "name")) == "get"
				writes = writes || writerMethods[t.text(t.child(m, "name"))] && !t.onlyRedirects(m)
			}
		}
		if !gets && !writes {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[name] = gets && quiet(name, 0)
	}
	return out
}

var (
	// readOnlyBases are Django's view classes that take no posts.
	readOnlyBases = map[string]bool{"View": true, "TemplateView": true, "RedirectView": true,
		"ContextMixin": true, "TemplateResponseMixin": true, "object": true}
	// writerMethods take what the client posts.
	writerMethods = map[string]bool{"post": true, "put": true, "patch": true, "delete": true, "form_valid": true}
	// signInCalls sign a user in or check a credential.
	signInCalls = map[string]bool{"login": true, "auth_login": true, "authenticate": true, "check_password": true,
		"login_user": true}
)

// redirectSignIn reports whether a sign-in route is the first step of a
// sign-in with another provider: beside it, under the same prefix, is the
// route the provider sends the user back to (fedora/login/ and
// fedora/callback/). The first step only redirects; the provider checks
// the password, and the callback checks state.
func redirectSignIn(route string, routes []string) bool {
	prefix, last := splitLast(route)
	if !oauthStart.MatchString(last) {
		return false
	}
	// The provider's callback beside the sign-in route (fedora/login,
	// fedora/callback) or beneath it (login/, login/callback/).
	self := strings.Trim(strings.TrimSuffix(strings.TrimPrefix(route, "^"), "$"), "/")
	for _, other := range routes {
		if p, l := splitLast(other); (p == prefix || p == self) && providerReturn.MatchString(l) {
			return true
		}
	}
	return false
}

// splitLast splits a route (a Django regex or a plain path) into what
// comes before its last segment and that segment.
func splitLast(route string) (string, string) {
	r := strings.Trim(strings.TrimSuffix(strings.TrimPrefix(route, "^"), "$"), "/")
	i := strings.LastIndexByte(r, '/')
	return r[:max(i, 0)], r[i+1:]
}

// providerReturnStep is a route a sign-in provider sends the user back to,
// named for its protocol or provider (signin/complete-oauth2/,
// oidc-callback): the provider checked the credential; what comes back is
// a one-time code the provider answers for.
var providerReturnStep = lazyre.New(`(?i)^((callback|complete|return|authorized)[-_](oauth2?|oidc|openid|saml2?|sso|cas|social|provider|google|github|gitlab|facebook|twitter|microsoft|azure|apple|okta|auth0|keycloak|discourse|mediawiki)|(oauth2?|oidc|openid|saml2?|sso|cas|social)[-_]?(callback|complete|return|authorized))$`)

// providerReturn is the last segment of the route a provider sends the
// user back to.
var providerReturn = lazyre.New(`(?i)^(callback|complete|return|authorized|auth_return|oauth_callback)$`)
