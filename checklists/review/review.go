// Package review runs mechanical checks over a project directory, generated
// by scaffold or not, and reports findings against the checklist rules:
// secrets, .env handling, SQL built from strings, debug switches, password
// hashing, JWT and CORS misuse, configuration documentation, migrations,
// tests, rate limiting on auth endpoints, webhooks without signature checks,
// outbound calls without timeouts and the OpenAPI contract.
package review

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
	"github.com/scaffoldtool/scaffold/options"
)

// Severity is the checklists' severity scale.
type Severity = checklists.Severity

// Finding is one problem found by a check.
type Finding struct {
	Check    string   `json:"check"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path,omitempty"`
	Line     int      `json:"line,omitempty"`
	Message  string   `json:"message"`
	// Why says why it matters and Fix how to fix it; Ref is the rule's
	// reference (the checklist rule, then its CWE entries).
	Why         string `json:"why"`
	Fix         string `json:"fix"`
	Ref         string `json:"ref"`
	Fingerprint string `json:"fingerprint"`
	// Suppressed holds the reason of the # scaffold: ignore[...] comment
	// that silenced the finding.
	Suppressed string `json:"suppressed,omitempty"`
	snippet    string
	// hashedBySetter: the finding is void where the project defines a
	// password property that hashes on assignment (see lowerSetterHashed).
	hashedBySetter bool
	// passwordColumn: the finding is a column named password, void where
	// the project stores digests in password attributes.
	passwordColumn bool
	// serviceCredential: a password finding (column or attribute) whose
	// owner is not named for a person, void where the project decrypts
	// stored passwords (see lowerDecryptedPasswords).
	serviceCredential bool
	// digestHelper: the function a fast password hash is made in, void
	// where every call of it in the project passes an account's stored
	// password (see lowerStoredDigests).
	digestHelper string
	// storedDigest: the fast hash is over an account's stored password
	// itself (md5(user.password.encode())).
	storedDigest bool
	// moduleDebug: DEBUG = True at a settings module's top level, void
	// where a sibling module (the production settings) sets it False.
	moduleDebug bool
	// viewKwargs: the Django view parameters with a default that the
	// finding's client input comes through, void where no URL pattern of
	// the project captures a group of any of those names.
	viewKwargs []string
	// settingsSecretKey: a module-level SECRET_KEY literal in a settings
	// module, void where the project ships a startproject template that
	// fills in its own key (see lowerTemplatedSecretKey).
	settingsSecretKey bool
	// pyjwtNoAlgorithms: PyJWT's decode without algorithms, void where
	// the project requires PyJWT 2 or later (it raises there).
	pyjwtNoAlgorithms bool
	// lxmlDefaultEntities: an lxml XMLParser left at the default entity
	// setting, raised where the project requires lxml below 5.0, whose
	// default resolves external entities (see raiseOldLxml).
	lxmlDefaultEntities bool
}

// Check is one mechanical check.
type Check struct {
	ID    string
	Rule  string // the checklist rule it verifies
	Title string
	// Severity is the usual severity of its findings; single findings may
	// be rated higher or lower.
	Severity Severity
	// Help says what the check looks for and how to fix what it finds.
	Help string
	// file runs on every text file; project runs once on the whole project.
	file    func(p *Project, f *File) []Finding
	project func(p *Project) []Finding
}

// Checks lists every check, in report order.
var Checks = []*Check{envFileCheck, secretCheck, sqlCheck, hashCheck, jwtCheck, debugCheck, corsCheck,
	tlsCheck, randomCheck, evalCheck, assertCheck, tempCheck, permCheck, cipherCheck, webhookCheck, timeoutCheck, envExampleCheck, migrationsCheck, testsCheck, rateLimitCheck, openapiCheck}

// finding builds a finding of this check at a file and line.
func (c *Check) finding(f *File, line int, sev Severity, msg, fix string) Finding {
	fd := Finding{Check: c.ID, Rule: c.Rule, Severity: sev, Line: line, Message: msg, Fix: fix}
	if f != nil {
		fd.Path = f.Path
		if f.Data != nil {
			fd.snippet = lineAt(f.Data, lineStartsOf(f), line)
		}
	}
	if fd.Fix == "" {
		fd.Fix = c.Help
	}
	ref := ruleRefs()[c.Rule]
	fd.Why, fd.Ref = ref.why, ref.ref
	return fd
}

type ruleRef struct{ why, ref string }

// ruleRefs maps each rule id to why it matters and its reference
// ("SEC-03, CWE-89"), read once.
var ruleRefs = sync.OnceValue(func() map[string]ruleRef {
	rules, _ := checklists.Rules()
	out := map[string]ruleRef{}
	for _, r := range rules {
		ref := r.ID
		for _, c := range r.CWE {
			ref += ", CWE-" + strconv.Itoa(c)
		}
		out[r.ID] = ruleRef{r.Why, ref}
	}
	return out
})

func lineStartsOf(f *File) []int {
	if f.py != nil {
		return f.py.lines
	}
	return lineStarts(f.Data)
}

// Report is the outcome of a review.
type Report struct {
	Root     string           `json:"root"`
	Files    int              `json:"files"`
	Answers  *options.Answers `json:"answers,omitempty"`
	Checks   []string         `json:"checks"`
	Findings []Finding        `json:"findings"`
	// Suppressed are the findings silenced by a # scaffold: ignore[...]
	// comment, with its reason.
	Suppressed []Finding `json:"suppressed"`
	// Baselined counts the findings left out because the baseline file
	// lists them.
	Baselined int `json:"baselined,omitempty"`
	// Manual lists the checklist rules no check covers, for the project's
	// answers (or the rules that apply to every project, without them).
	Manual []checklists.Rule `json:"manual"`
}

// Run reviews the project at root. Answers select the "review by hand"
// rules; when nil, the project's .scaffold.yaml is read if it has one.
func Run(root string, a *options.Answers) (*Report, error) {
	p, err := newProject(root)
	if err != nil {
		return nil, err
	}
	if a == nil {
		a, err = projectAnswers(root)
		if err != nil {
			return nil, err
		}
	}
	// The walk hands files to the file pass as it finds them: listing the
	// tree is a serial tenth of the work, and the workers would otherwise
	// wait for it with the cores idle.
	files := make(chan *File, 256)
	var walkErr error
	go func() {
		defer close(files)
		walkErr = p.walk(func(f *File) { files <- f })
	}()
	found := p.runFrom(files)
	if walkErr != nil {
		return nil, walkErr
	}
	r := &Report{Root: root, Files: len(p.Files), Answers: a}
	r.Findings, r.Suppressed = p.suppress(found)
	for _, c := range Checks {
		r.Checks = append(r.Checks, c.ID)
	}
	rules, err := checklists.Rules()
	if err != nil {
		return nil, err
	}
	if a != nil {
		rules = checklists.Select(rules, *a)
	} else {
		rules = slices.DeleteFunc(rules, func(r checklists.Rule) bool { return !r.When.IsZero() })
	}
	for _, rule := range rules {
		if rule.Check == "" {
			r.Manual = append(r.Manual, rule)
		}
	}
	return r, nil
}

// checkFileSafely is checkFile, except that a check that fails on a file
// (a bug of ours, met on code nobody foresaw) costs that file's checks, not
// the whole review: the file gets an info finding that says so.
func (p *Project) checkFileSafely(parser *pyParser, f *File) (out []Finding) {
	defer func() {
		if r := recover(); r != nil {
			f.py, f.facts, f.Data, f.pairs = nil, nil, nil, nil
			out = []Finding{{Check: "review-error", Severity: checklists.Info, Path: f.Path,
				Message: fmt.Sprintf("this file was not fully checked: a check failed on it (%v); please report it", r),
				Fix:     "Report the file's shape to scaffold's maintainers; review the file by hand meanwhile."}}
		}
	}()
	return p.checkFile(parser, f)
}

// checkFile reads one file, runs the file checks on it, takes the facts the
// project checks need, and drops the rest.
func (p *Project) checkFile(parser *pyParser, f *File) []Finding {
	f.read(parser)
	if f.readErr != nil {
		return []Finding{unreadable(f.Path, f.readErr)}
	}
	var out []Finding
	// A git-ignored file is never committed: what it holds (a local .env,
	// local settings) is not part of the project under review.
	if f.Data != nil && (!p.Ignored(f.Path) || p.tracked[f.Path]) {
		for _, c := range Checks {
			if c.file != nil {
				out = append(out, c.file(p, f)...)
			}
		}
	}
	if f.py != nil {
		f.facts = gather(p, f)
	}
	f.py, f.pairs = nil, nil
	if !keepData(f) {
		f.Data = nil
	}
	return out
}

// projectAnswers reads DIR/.scaffold.yaml when there is one.
func projectAnswers(root string) (*options.Answers, error) {
	file := filepath.Join(root, ".scaffold.yaml")
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	p, err := options.ReadAnswersFile(file)
	if err != nil {
		return nil, err
	}
	a := options.Normalize(p.Answers)
	return &a, nil
}

// run runs every check: the file pass reads, parses and checks each file in
// parallel and keeps only its facts, then the project checks run on those;
// findings come back sorted and fingerprinted.
func (p *Project) run() []Finding {
	files := make(chan *File, 64)
	go func() {
		defer close(files)
		for _, f := range p.Files {
			if f.full != "" {
				files <- f
			}
		}
	}()
	return p.runFrom(files)
}

// runFrom runs the file pass on the files received until the channel is
// closed (by then p.Files must be complete), then the project checks.
func (p *Project) runFrom(files <-chan *File) []Finding {
	var mu sync.Mutex
	var out []Finding
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parser := newPyParser()
			defer parser.Close()
			var local []Finding
			for f := range files {
				local = append(local, p.checkFileSafely(parser, f)...)
			}
			mu.Lock()
			out = append(out, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	out = append(out, p.unlisted...) // the walk has ended: the channel is closed
	lowerSetterHashed(p, out)
	lowerDigestColumns(p, out)
	lowerDecryptedPasswords(p, out)
	lowerStoredDigests(p, out)
	lowerOverriddenDebug(p, out)
	lowerPyJWT2(p, out)
	raiseOldLxml(p, out)
	lowerTemplatedSecretKey(p, out)
	lowerViewKwargs(p, out)
	// Project checks are independent of each other: run them side by side.
	results := make([][]Finding, len(Checks))
	var pw sync.WaitGroup
	for i, c := range Checks {
		if c.project != nil {
			pw.Go(func() { results[i] = c.project(p) })
		}
	}
	pw.Wait()
	for _, r := range results {
		out = append(out, r...)
	}
	lowerTestConfig(p, out) // config files are read by a project check
	lowerExampleCode(out)
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity) - int(a.Severity)
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		if c := strings.Compare(a.Check, b.Check); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	fingerprint(out)
	return out
}

// lowerExampleCode rates findings in example, tutorial and documentation
// code low: a reader copies it, so it is worth a look, but it is not the
// service and must not fail the review.
func lowerExampleCode(fs []Finding) {
	for i := range fs {
		if fs[i].Severity > checklists.Low && exampleCode(fs[i].Path) {
			fs[i].Severity = checklists.Low
			fs[i].Message += " (in example or documentation code, not the service)"
		}
	}
}

// lowerSetterHashed rates "a password attribute is set from an unhashed
// value" low when the project defines a password property or descriptor
// (@password.setter, password = PasswordProperty(...)) or an ORM hook that
// hashes on saving (@validates("password"), a before_update listener):
// assigning to it hashes, and which class the object is cannot be told
// from the line.
func lowerSetterHashed(p *Project, fs []Finding) {
	lowerWhere(p, fs, func(f Finding) bool { return f.hashedBySetter },
		func(x *pyFacts) bool { return x.passwordSetter },
		"; the project defines a password property or ORM hook that hashes on assignment or saving: check this object has it")
}

// lowerDigestColumns rates "a model column named password stores the
// password itself" low when the project assigns digests to password
// attributes (admin.password = pw_hash, User(password=digest)): the column
// holds what the code hashed, under an older name.
func lowerDigestColumns(p *Project, fs []Finding) {
	lowerWhere(p, fs, func(f Finding) bool { return f.passwordColumn },
		func(x *pyFacts) bool { return x.passwordDigest },
		"; the project assigns digests to password attributes: check this column is one of them")
}

// lowerDecryptedPasswords rates the password column and "set from an
// unhashed value" findings low when their owner is not named for a person
// (a registry, a device, a feed) and the project decrypts stored passwords
// (crypt.decrypt(row["password"])): a password the service reads back is
// its credential for another system, kept encrypted because a hash could
// not be sent on. A user's password is never decrypted, so a column of
// users stays reported.
func lowerDecryptedPasswords(p *Project, fs []Finding) {
	lowerWhere(p, fs, func(f Finding) bool { return f.serviceCredential && f.Severity > checklists.Low },
		func(x *pyFacts) bool { return x.passwordDecrypted },
		"; the project decrypts stored passwords to use them, so this is likely a credential for another system: check it is stored encrypted and is no user's")
}

// lowerStoredDigests rates a fast password hash low when it is over an
// account's stored password (md5(user.password.encode())) or made in a
// helper (def get_md5_hash_password(password)) that every call in the
// project gives one (helper(user.password)), and the project hashes the
// passwords it stores with a slow scheme (Django's auth, make_password,
// bcrypt, passlib...): the stored value is that hash, so the digest
// fingerprints a hash (to revoke tokens when it changes) and stores no
// password. One call of the helper with anything else, no call found, or
// no slow hash anywhere in the project (user.password may be the body
// model's clear text on its way to this digest) keeps the finding.
func lowerStoredDigests(p *Project, fs []Finding) {
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.digestHelper != "" || f.storedDigest }) {
		return
	}
	stored, other, slow := map[string]bool{}, map[string]bool{}, false
	for _, f := range p.Files {
		if f.facts == nil {
			continue
		}
		slow = slow || f.facts.slowPasswordHash
		for _, c := range f.facts.digestCalls {
			if c.stored {
				stored[c.name] = true
			} else {
				other[c.name] = true
			}
		}
	}
	for i := range fs {
		if !slow || fs[i].Severity == checklists.Low {
			continue
		}
		if h := fs[i].digestHelper; fs[i].storedDigest || h != "" && stored[h] && !other[h] {
			fs[i].Severity = checklists.Low
			fs[i].Message += "; it digests an account's stored password, which the project hashes with a slow scheme: a fingerprint of that hash (to revoke tokens on a password change), check it is never stored as the password"
		}
	}
}

// lowerOverriddenDebug rates DEBUG = True in a settings module low when
// another module of the same directory sets DEBUG = False at its top
// level: the base settings (common.py) that the production settings
// (product.py) import and override.
func lowerOverriddenDebug(p *Project, fs []Finding) {
	dirs := map[string]bool{}
	for _, f := range p.Files {
		if f.facts != nil && f.facts.debugOff {
			dirs[path.Dir(f.Path)] = true
		}
	}
	for i := range fs {
		if fs[i].moduleDebug && dirs[path.Dir(fs[i].Path)] {
			fs[i].Severity = checklists.Low
			fs[i].Message += "; a settings module beside it sets DEBUG = False: check production loads that one"
		}
	}
}

// lowerPyJWT2 rates PyJWT's decode without algorithms low when the
// project requires PyJWT 2 or later: since 2.0 that call raises
// DecodeError instead of trusting the token's header, so it fails closed.
func lowerPyJWT2(p *Project, fs []Finding) {
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.pyjwtNoAlgorithms }) || !p.requiresPyJWT2() {
		return
	}
	for i := range fs {
		if fs[i].pyjwtNoAlgorithms {
			fs[i].Severity = checklists.Low
			fs[i].Message += "; the project requires PyJWT 2 or later, which refuses to decode without algorithms (the call fails): pass them anyway"
		}
	}
}

// lowerTemplatedSecretKey rates low a SECRET_KEY literal in a settings
// module when the project ships a Django project template
// (project_name/settings.py-tpl) that sets SECRET_KEY = '{{ secret_key }}':
// startproject writes a fresh key into every generated project, whose
// settings import these as a base.
func lowerTemplatedSecretKey(p *Project, fs []Finding) {
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.settingsSecretKey }) {
		return
	}
	templated := false
	for _, f := range p.Files {
		if !strings.HasSuffix(f.Path, ".py-tpl") {
			continue
		}
		if data, err := readSmall(filepath.Join(p.walkRoot, filepath.FromSlash(f.Path))); err == nil && templatedKey.Match(data) {
			templated = true
			break
		}
	}
	if !templated {
		return
	}
	for i := range fs {
		if fs[i].settingsSecretKey && fs[i].Severity > checklists.Low {
			fs[i].Severity = checklists.Low
			fs[i].Message += "; the project template the package ships sets SECRET_KEY = '{{ secret_key }}', so generated projects " +
				"override it: check no deployment runs on these base settings"
		}
	}
}

// templatedKey is a project template's SECRET_KEY filled in by
// startproject.
var templatedKey = lazyre.New(`(?m)^SECRET_KEY\s*=\s*["']\{\{\s*secret_key\s*\}\}["']`)

// lowerTestConfig rates low a secret in a committed configuration file
// (not Python) that the project's code names only as test configuration:
// from tests, TEST_* names or test_* functions, and nowhere else. A test
// fixture shipped inside the package is not the service's configuration.
func lowerTestConfig(p *Project, fs []Finding) {
	marked := func(f Finding) bool {
		return f.Check == secretCheck.ID && f.Severity > checklists.Low && !strings.HasSuffix(f.Path, ".py")
	}
	if !slices.ContainsFunc(fs, marked) {
		return
	}
	testRefs, refs := map[string]bool{}, map[string]bool{}
	for _, f := range p.Files {
		if f.facts == nil {
			continue
		}
		for _, b := range f.facts.testConfigRefs {
			testRefs[b] = true
		}
		for _, b := range f.facts.configRefs {
			refs[b] = true
		}
	}
	for i := range fs {
		if base := path.Base(fs[i].Path); marked(fs[i]) && testRefs[base] && !refs[base] {
			fs[i].Severity = checklists.Low
			fs[i].Message += "; the code names this file only as test configuration (tests, TEST_* names): check no deployment reads it"
		}
	}
}

// lowerViewKwargs rates low a finding whose client input comes only
// through a Django view's parameters with a default (next_page=None,
// success_url=None) when the project has URL modules and none of their
// patterns captures a group of those names: the URLconf's kwargs or the
// code that calls the view fill them, not the client.
func lowerViewKwargs(p *Project, fs []Finding) {
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.viewKwargs != nil }) {
		return
	}
	captured, urls := map[string]bool{}, false
	for _, f := range p.Files {
		if f.facts != nil && f.facts.urlModule {
			urls = true
			for _, c := range f.facts.urlCaptures {
				captured[c] = true
			}
		}
	}
	if !urls {
		return
	}
	for i := range fs {
		if fs[i].viewKwargs == nil || slices.ContainsFunc(fs[i].viewKwargs, func(n string) bool { return captured[n] }) {
			continue
		}
		fs[i].Severity = checklists.Low
		fs[i].Message += fmt.Sprintf("; it comes through the view's parameters with a default (%s), which no URL pattern of the project captures by name (the URLconf's kwargs or a caller fill them): check no route passes client text there",
			strings.Join(fs[i].viewKwargs, ", "))
	}
}

// raiseOldLxml rates high an lxml XMLParser left at the default entity
// setting when the project requires lxml below 5.0: there the default
// resolves external entities, as resolve_entities=True would.
func raiseOldLxml(p *Project, fs []Finding) {
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.lxmlDefaultEntities }) || !p.requires(oldLxml) {
		return
	}
	for i := range fs {
		if fs[i].lxmlDefaultEntities {
			fs[i].Severity = checklists.High
			fs[i].Message = "an lxml parser resolves external entities (XXE): the project requires lxml below 5.0, whose default resolves them; pass resolve_entities=False"
		}
	}
}

// oldLxml is a requirement of lxml with an upper bound below 5
// (lxml (<4.7,>=4), lxml<5, lxml==4.9.3, lxml~=4.9); lxml<5.1 admits 5.0
// and is not one.
var oldLxml = lazyre.New(`(?i)\blxml(\[[^\]]*\])?\s*\(?\s*([^\n)]*,\s*)?(<\s*[1-4]\b|<\s*5(\.0)*([,\s)'"]|$)|<=\s*[1-4]\b|==\s*[1-4]\.|~=\s*[1-4]\.)`)

// requires reports whether the project's dependency declarations (a
// wheel's METADATA, requirements files, pyproject.toml, setup.cfg,
// setup.py at the top) match req.
func (p *Project) requires(req *lazyre.Regexp) bool {
	var files []string
	for _, g := range []string{"*.dist-info/METADATA", "requirements*.txt", "requirements/*.txt", "pyproject.toml", "setup.cfg", "setup.py"} {
		m, _ := filepath.Glob(filepath.Join(p.walkRoot, g))
		files = append(files, m...)
	}
	for _, name := range files {
		if data, err := readSmall(name); err == nil && req.Match(data) {
			return true
		}
	}
	return false
}

// requiresPyJWT2 reports whether the project's dependency declarations
// (a wheel's METADATA, requirements files, pyproject.toml, setup.cfg,
// setup.py at the top) ask for PyJWT 2 or later.
func (p *Project) requiresPyJWT2() bool {
	return p.requires(pyjwt2)
}

// pyjwt2 is a requirement of PyJWT with a lower bound of 2 or more
// (pyjwt[crypto]>=2.13.0, PyJWT (>=2.4), pyjwt~=2.8, "pyjwt==2.10.1").
var pyjwt2 = lazyre.New(`(?i)\bpyjwt(\[[^\]]*\])?\s*\(?\s*(>=|~=|==|>)\s*([2-9]|[1-9][0-9])\b`)

// lowerWhere rates the marked findings low, adding note to their message,
// when some file of the project has the fact that voids them.
func lowerWhere(p *Project, fs []Finding, marked func(Finding) bool, fact func(*pyFacts) bool, note string) {
	if !slices.ContainsFunc(fs, marked) ||
		!slices.ContainsFunc(p.Files, func(f *File) bool { return f.facts != nil && fact(f.facts) }) {
		return
	}
	for i := range fs {
		if marked(fs[i]) {
			fs[i].Severity = checklists.Low
			fs[i].Message += note
		}
	}
}

// fingerprint gives each finding an id that survives unrelated edits: the
// check, the file, the text of the flagged line (not its number) and the
// occurrence of that same text in the file.
func fingerprint(fs []Finding) {
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		key := f.Check + "\x00" + f.Path + "\x00" + strings.Join(strings.Fields(f.snippet), " ")
		if f.snippet == "" {
			key += "\x00" + f.Message
		}
		n := seen[key]
		seen[key] = n + 1
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		f.Fingerprint = hex.EncodeToString(sum[:12])
	}
}

// Failed reports whether any finding is at or above the threshold.
func (r *Report) Failed(threshold Severity) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity >= threshold })
}
