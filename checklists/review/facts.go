package review

import (
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
	"path"
	"strings"
)

// pyFacts is what the project checks need of one Python file, taken while
// the file is checked so that its text and tree can be dropped: review
// holds one file at a time per worker, however large the project.
type pyFacts struct {
	test, testFunc bool // a test file; it defines a test
	web            bool // imports a web framework
	envReads       []envVar

	// Migrations: models defined here, or what a migration creates.
	saModels, djModels []model
	alembic            bool
	created            []string // tables an Alembic migration creates
	// createdLike: the names of tables a migration creates under a
	// computed name (create_table(f"{kind}_history")), as patterns.
	createdLike []string
	// stampsSchema: the file makes the schema from the models
	// (create_all) and stamps Alembic's history as current, Alembic's
	// recipe for a fresh install whose history starts after a baseline.
	stampsSchema bool
	// stampsHead: the file stamps Alembic's history (command.stamp).
	stampsHead bool
	// createsAll: the file makes tables from the models (create_all).
	createsAll bool
	// afterBaseline: the file is Alembic's root revision and it changes
	// tables it does not create: the history starts after a baseline.
	afterBaseline bool
	// testConfigRefs and configRefs: the base names of configuration
	// files (.cfg, .ini, .yaml...) named in string literals, where the
	// literal is test code's (a test module, a TEST_* name, a test_*
	// function) and where it is anything else's.
	testConfigRefs, configRefs []string
	// urlModule and urlCaptures: a Django URL module (urls.py) and the
	// names of the groups its patterns capture (<int:pk>, (?P<slug>...)).
	urlModule   bool
	urlCaptures []string
	// passwordSetter: the file defines a password property that hashes
	// on assignment, or an ORM hook that hashes on saving.
	passwordSetter bool
	// passwordDigest: the file stores a digest in a password attribute
	// or keyword (admin.password = pw_hash).
	passwordDigest bool
	// passwordDecrypted: the file decrypts a stored password to use it
	// (crypt.decrypt(row["password"])).
	passwordDecrypted bool
	// digestCalls: calls of functions named for hashing or passwords,
	// and whether each passes only an account's stored password.
	digestCalls []digestCall
	// slowPasswordHash: the file hashes passwords with a slow scheme or
	// uses Django's auth, whose user.password is such a hash.
	slowPasswordHash bool
	// debugOff: the file sets DEBUG = False at its top level.
	debugOff bool
	djApp    string // the app of a Django migration
	// evolvedApp is the app whose evolutions/__init__.py lists a
	// SEQUENCE: django_evolution keeps that app's schema.
	evolvedApp string
	djCreated  []string // models a Django migration creates

	// Rate limits.
	limiter        bool // mentions limits at all
	globalLimit    bool // a limit every route gets
	limitedRouters []string
	pathLits       []strLit // literals that hold a path, in files that mention limits
	limitedViews   []string // functions and classes with a limiter on them
	// axes: the settings install django-axes (its middleware or
	// authentication backend), which locks out repeated failed sign-ins.
	axes bool
	// viewForms lists, for views whose names say they sign in, register
	// or handle tokens and passwords, the forms and serializers they use:
	// a limit in LoginForm.clean limits the view.
	viewForms map[string][]string
	// signedIn lists the views that require a signed-in user
	// (login_required, LoginRequiredMixin, IsAuthenticated); viewBases
	// the base classes of auth-named view classes, which inherit it.
	signedIn  []string
	viewBases map[string][]string
	// cooldownViews lists the views (functions, classes) that keep their
	// own time window per account: a stored time compared with now().
	cooldownViews []string
	// csrfViews lists the function views that hand the session its CSRF
	// token and read nothing posted (csrfTokenViews).
	csrfViews []string
	// sessionOnlyViews lists the function views that read only the
	// request's user, session or method (sessionOnlyViews).
	sessionOnlyViews []string
	// getOnlyViews maps the view classes of the module to whether they
	// answer only GET and sign no one in (getOnlyViews).
	getOnlyViews map[string]bool
	// signedInRouters lists the Flask blueprints whose before_request
	// handler requires a signed-in user (@admin_required).
	signedInRouters []string
	// viewAliases maps module-level names to the view class they are
	// made from: password_change = PasswordChangeView.as_view(...).
	viewAliases map[string]string
	routes      []routeCandidate

	// Webhooks: the functions that may verify signatures, by name, and
	// the handlers that look like providers' webhooks.
	funcs    []pyFunc
	webhooks []webhookHandler

	// CORS: the middleware sends credentials; settings default to "*".
	corsCredentials bool
	corsSettings    []Finding
}

// routeCandidate is an auth route with no limiter on the route itself; the
// project check looks for one on its router or in a middleware.
type routeCandidate struct {
	router, path string
	offset       int      // of the path literal, to tell it from mentions elsewhere
	view         string   // the view of a Django path()
	forms        []string // forms given to it there (as_view(authentication_form=LoginForm))
	finding      Finding
}

// debugFalse is DEBUG = False at a module's top level.
var debugFalse = lazyre.New(`(?m)^DEBUG\s*=\s*False\b`)

// digestCall is a call of a function named for hashing or passwords.
type digestCall struct {
	name   string
	stored bool // its only argument is an account's stored password
}

var (
	// helperCall is a call with one simple argument, or a def (group 1).
	helperCall = lazyre.New(`(\bdef\s+)?\b([A-Za-z_]\w*)\(`)
	// slowHash is a slow password hash in use: Django's auth and hashers,
	// Werkzeug's, bcrypt, argon2, scrypt, passlib.
	slowHash   = lazyre.New(`django\.contrib\.auth|\b(make_password|set_password|check_password|generate_password_hash|check_password_hash|CryptContext|hashpw|PasswordHasher|pbkdf2_hmac)\(|\b(bcrypt|argon2|scrypt)\b`)
	helperName = lazyre.New(`(?i)hash|digest|md5|sha|passw`)
)

// gather takes the facts of a Python file.
func gather(p *Project, f *File) *pyFacts {
	py := f.py
	x := &pyFacts{test: isTest(f.Path)}
	if x.test {
		x.testFunc = py.lowerHas("def test", "class test") && testFunc.Match(py.code)
		return x
	}
	x.web = py.codeHas("fastapi", "flask", "django", "starlette", "litestar", "aiohttp", "sanic", "falcon",
		"quart", "rest_framework") && webImports.Match(py.code)
	if py.codeHas("env", "config(") {
		x.envReads = append(x.envReads, envReads(f)...)
	}
	if py.codeHas("BaseSettings") {
		x.envReads = append(x.envReads, settingsFields(f)...)
	}
	x.passwordSetter = py.codeHas("password") && passwordSetter.Match(py.code) ||
		py.codeHas("validates", "listen") && passwordHook.Match(py.src) || rehashedOnSave(py.code)
	x.passwordDigest = py.codeHas("password") && passwordFromDigest.Match(py.code)
	x.passwordDecrypted = py.codeHas("decrypt") && passwordDecrypt.Match(py.src)
	x.slowPasswordHash = py.codeHas("django", "_password", "CryptContext", "hashpw", "PasswordHasher", "pbkdf2", "bcrypt", "argon2", "scrypt") &&
		slowHash.Match(py.code)
	if py.lowerHas("password") {
		for _, m := range helperCall.RE().FindAllSubmatchIndex(py.code, -1) {
			name := py.code[m[4]:m[5]]
			if m[2] >= 0 || !helperName.Match(name) {
				continue // a def, or no hashing name
			}
			// The argument list, up to the parenthesis that closes it.
			depth, end := 0, m[1]-1
			for ; end < len(py.code); end++ {
				if py.code[end] == '(' {
					depth++
				} else if py.code[end] == ')' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if end < len(py.code) {
				x.digestCalls = append(x.digestCalls, digestCall{string(name), storedPasswordArg.Match(py.code[m[1]-1 : end+1])})
			}
		}
	}
	x.debugOff = py.codeHas("DEBUG") && debugFalse.Match(py.code)
	gatherMigrations(p, f, x)
	gatherRateLimits(f, x)
	if f.dataHas(configLiterals...) {
		gatherConfigRefs(f, x)
	}
	if path.Base(f.Path) == "urls.py" || strings.Contains(f.Path, "/urls/") {
		x.urlModule = true
		for _, m := range urlCapture.FindAllSubmatch(py.src, -1) {
			x.urlCaptures = append(x.urlCaptures, string(m[1])+string(m[2]))
		}
	}
	gatherWebhooks(f, x)
	if py.codeHas("CORS") && corsMiddleware.Match(py.code) && credsFromConfig.Match(py.code) {
		x.corsCredentials = true
	}
	if py.lowerHas("cors", "origin") && !corsMiddleware.Match(py.code) {
		x.corsSettings = corsSettingFindings(f)
	}
	return x
}

// keepData reports whether the project checks read a file whole after the
// file pass: example env files and OpenAPI documents, few and small.
func keepData(f *File) bool {
	return isEnvExample(path.Base(f.Path)) || isEnvFile(path.Base(f.Path)) || specCandidate(f.Path) || strings.HasSuffix(f.Path, ".gitignore")
}

// urlCapture is a named group of a Django URL pattern: <slug>, <int:pk>,
// (?P<uidb64>...).
var urlCapture = lazyre.New(`<(?:[\w.]+:)?(\w+)>|\(\?P<(\w+)>`)

// configLiterals end a string literal with a configuration file's
// extension ("data/test_auth.cfg"): the cheap test before the tree walk.
var configLiterals = []string{`.cfg"`, `.cfg'`, `.ini"`, `.ini'`, `.conf"`, `.conf'`, `.yaml"`, `.yaml'`, `.yml"`, `.yml'`,
	`.json"`, `.json'`, `.toml"`, `.toml'`, `.env"`, `.env'`}

// configFile is the base name of a configuration file.
var configFile = lazyre.New(`^[\w.-]+\.(cfg|ini|conf|ya?ml|json|toml|env)$`)

// testName is a name that marks test code: TEST_AUTH_CONFIG, test_login,
// config_test.
var testName = lazyre.New(`(?i)^_*test_|^_*test$|_test$`)

// gatherConfigRefs records the configuration files a Python file names,
// split by whether the name is test code's.
func gatherConfigRefs(f *File, x *pyFacts) {
	t := f.py.tree
	inTest := isTest(f.Path)
	t.each(func(s int32) {
		lit, _ := t.strLiteral(s)
		base := path.Base(lit)
		if !configFile.MatchString(base) {
			return
		}
		test := inTest
		if a := t.enclosing(s, "assignment"); a >= 0 {
			if l := t.child(a, "left"); l >= 0 && testName.MatchString(lastPart(t.text(l))) {
				test = true
			}
		}
		if fn := t.enclosing(s, "function_definition"); fn >= 0 && testName.MatchString(t.text(t.child(fn, "name"))) {
			test = true
		}
		if test {
			x.testConfigRefs = append(x.testConfigRefs, base)
		} else {
			x.configRefs = append(x.configRefs, base)
		}
	}, "string")
}
