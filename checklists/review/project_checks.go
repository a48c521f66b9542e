package review

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

var (
	envFileCheck = &Check{
		ID: "env-file-exposed", Rule: "SEC-02", Severity: checklists.High,
		Title: ".env committed or not git-ignored",
		Help: "Add .env (and .env.*, keeping !.env.example) to .gitignore; if it was committed, " +
			"git rm --cached .env and rotate every secret it held.",
	}
	envExampleCheck = &Check{
		ID: "env-example-incomplete", Rule: "CFG-01", Severity: checklists.Medium,
		Title: ".env.example missing or incomplete",
		Help: "Commit a .env.example that lists every variable the code reads, each with a comment, an " +
			"example or default, and whether it is required.",
	}
	migrationsCheck = &Check{
		ID: "models-without-migrations", Rule: "DATA-03", Severity: checklists.High,
		Title: "Models without migrations",
		Help: "Generate a migration for the model (alembic revision --autogenerate, or manage.py " +
			"makemigrations), review it, and commit it with the model.",
	}
	testsCheck = &Check{
		ID: "tests-missing", Rule: "TEST-01", Severity: checklists.High,
		Title: "No tests",
		Help: "Add a pytest suite: unit tests for services and API tests through the framework's test " +
			"client, run by the project's test command.",
	}
)

func init() {
	envFileCheck.project = checkEnvFile
	envExampleCheck.project = checkEnvExample
	migrationsCheck.project = checkMigrations
	testsCheck.project = checkTests
}

func checkEnvFile(p *Project) []Finding {
	var out []Finding
	for _, f := range p.Files {
		base := path.Base(f.Path)
		if !isEnvFile(base) || isEnvExample(base) {
			continue
		}
		switch {
		case (p.tracked[f.Path] || !p.Ignored(f.Path)) && publicBuildEnv(base, f.Data):
			out = append(out, envFileCheck.finding(f, 0, checklists.Low,
				f.Path+" holds only variables the frontend build puts into the browser bundle (public by design; committing such a file is the framework's convention): check no secret is added", ""))
		case p.tracked[f.Path]:
			out = append(out, envFileCheck.finding(f, 0, checklists.Critical,
				f.Path+" is committed to git", ""))
		case !p.Ignored(f.Path):
			out = append(out, envFileCheck.finding(f, 0, checklists.High,
				f.Path+" is not git-ignored; the next git add commits it", ""))
		}
	}
	for name := range p.tracked {
		base := path.Base(name)
		if isEnvFile(base) && !isEnvExample(base) && p.File(name) == nil {
			out = append(out, envFileCheck.finding(&File{Path: name}, 0, checklists.Critical,
				name+" is committed to git", ""))
		}
	}
	if !p.Ignored(".env") {
		gi := p.File(".gitignore")
		msg := ".gitignore does not ignore .env"
		sev := checklists.Medium
		if gi == nil {
			gi, msg = &File{Path: ".gitignore"}, "there is no .gitignore, so .env would be committed"
			if p.wheel() {
				// A wheel ships no .gitignore; its repository may have one.
				sev, msg = checklists.Low, msg+" (this is a built wheel: check the source repository)"
			}
		}
		out = append(out, envFileCheck.finding(gi, 0, sev, msg, ""))
	}
	return out
}

// publicBuildEnv reports whether an env file (not a .local one, where a
// developer's own values go) sets only variables a frontend build inlines
// into the code it sends to every browser (Vite's VITE_, Create React
// App's REACT_APP_, Next's NEXT_PUBLIC_...), none named for a secret:
// .env.development with VITE_API_ROOT=http://localhost:8080 exposes
// nothing that the bundle does not.
func publicBuildEnv(base string, data []byte) bool {
	if strings.Contains(base, ".local") {
		return false
	}
	keys := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, _, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || !publicBuildVar.MatchString(key) || secretWord.MatchString(key) {
			return false
		}
		keys++
	}
	return keys > 0
}

var (
	publicBuildVar = lazyre.New(`^(VITE|REACT_APP|NEXT_PUBLIC|VUE_APP|NUXT_PUBLIC|EXPO_PUBLIC|GATSBY|PUBLIC)_[A-Z0-9_]+$`)
	secretWord     = lazyre.New(`(?i)secret|passw|private`)
)

var (
	// Each pattern starts with a literal so that the regexp engine can skip
	// to candidates quickly; envReads checks what comes before the match.
	envNeedles      = []string{"environ", "getenv", "config", "env"}
	envReadPatterns = []*lazyre.Regexp{
		lazyre.New(`environ\s*(?:\[|\.\s*(?:get|setdefault|pop)\s*\()`),
		lazyre.New(`getenv\s*\(`),
		lazyre.New(`config\s*\(`), // python-decouple, only where it is imported
		lazyre.New(`env\s*(?:\.\s*(?:str|bool|int|float|list|tuple|dict|json|url|db|db_url|cache|cache_url|email_url|search_url|path|decimal)\s*)?\(`),
	}
	settingsClass = lazyre.New(`(?m)^class\s+(\w+)\s*\(([^)]*)\)\s*:`)
	fieldLine     = lazyre.New(`^([A-Za-z][A-Za-z0-9_]*)\s*:\s*[^=]+(=.*)?$`)
	envPrefix     = lazyre.New(`env_prefix\s*=\s*`)
	aliasArg      = lazyre.New(`\b(?:validation_alias|alias)\s*=\s*(?:AliasChoices\s*\(\s*)?`)
	exampleKey    = lazyre.New(`(?m)^\s*(?:export\s+)?#?\s*([A-Za-z_][A-Za-z0-9_]*)\s*=`)
)

// envVar is one variable the code reads.
type envVar struct {
	name string
	f    *File
	line int
}

func checkEnvExample(p *Project) []Finding {
	var reads []envVar
	hasPython := false
	for _, f := range p.Files {
		if f.facts == nil || f.facts.test {
			continue
		}
		hasPython = true
		if inDevProject(f.Path) || translationSettings(f.Path) {
			// A throwaway project beside the real one (a library's demo
			// site), or the settings a library compiles its translations
			// with: nobody deploys them, so their variables need no list.
			continue
		}
		reads = append(reads, f.facts.envReads...)
	}
	if !hasPython {
		return nil
	}
	var example *File
	for _, name := range exampleNames {
		if f := p.File(name); f != nil {
			example = f
			break
		}
	}
	documented := map[string]bool{}
	if example == nil {
		// An example shipped inside the package (a project template that
		// `app init` copies out, a service's own directory in a monorepo)
		// documents the variables as well: the shallowest is named.
		for _, f := range p.Files {
			if !slices.Contains(exampleNames, path.Base(f.Path)) || isTest(f.Path) || f.Data == nil {
				continue
			}
			for _, m := range exampleKey.FindAllSubmatch(f.Data, -1) {
				documented[strings.ToUpper(string(m[1]))] = true
			}
			if example == nil || strings.Count(f.Path, "/") < strings.Count(example.Path, "/") ||
				strings.Count(f.Path, "/") == strings.Count(example.Path, "/") && f.Path < example.Path {
				example = f
			}
		}
	}
	if example == nil {
		if len(reads) == 0 {
			return nil
		}
		names := envNames(reads)
		return []Finding{envExampleCheck.finding(&File{Path: ".env.example"}, 0, checklists.Medium,
			fmt.Sprintf("there is no .env.example, and the code reads %s: %s (first read at %s:%d)",
				plural(len(names), "environment variable"), listNames(names), reads[0].f.Path, reads[0].line), "")}
	}
	for _, m := range exampleKey.FindAllSubmatch(example.Data, -1) {
		documented[strings.ToUpper(string(m[1]))] = true
	}
	// One finding for the file, naming every missing variable: a finding
	// per variable buries everything else in the report.
	var missing []string
	var first envVar
	reported := map[string]bool{}
	for _, r := range reads {
		name := strings.ToUpper(r.name)
		if documented[name] || reported[name] || hasNested(documented, name) {
			continue
		}
		if len(missing) == 0 {
			first = r
		}
		reported[name] = true
		missing = append(missing, name)
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return []Finding{envExampleCheck.finding(example, 0, checklists.Medium,
		fmt.Sprintf("%s read by the code %s missing from %s: %s (first read at %s:%d)",
			plural(len(missing), "variable"), isAre(len(missing)), example.Path, strings.Join(missing, ", "),
			first.f.Path, first.line), "")}
}

// exampleNames are the names of the file that lists a service's variables
// with placeholders ("sample.env" of a demo project is that project's).
var exampleNames = []string{".env.example", ".env.sample", ".env.template", "env.example", ".env.dist"}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// hasNested accepts NAME when the example documents NAME__FIELD entries
// (pydantic-settings nested models).
func hasNested(documented map[string]bool, name string) bool {
	for k := range documented {
		if strings.HasPrefix(k, name+"__") {
			return true
		}
	}
	return false
}

// envNames is the sorted set of the variables read, upper-cased.
func envNames(reads []envVar) []string {
	var names []string
	for _, r := range reads {
		names = append(names, strings.ToUpper(r.name))
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// envReads finds os.environ[...], os.getenv(...), environ.get(...) and
// django-environ env(...) reads with a literal name. A name the file also
// sets (os.environ["KRB5CCNAME"] = ccache) is left out: its reads save the
// value to restore it, or read back what the code put there.
func envReads(f *File) []envVar {
	var out []envVar
	var written map[string]bool
	for i, re := range envReadPatterns {
		for _, m := range matches(f, re, envNeedles[i]) {
			// env( must be a name of its own, not the end of getenv( or a
			// method such as self.env(.
			named := i >= len(envReadPatterns)-2 // config( and env( must be names of their own
			if named && m[0] > 0 && (isIdent(f.py.code[m[0]-1]) || f.py.code[m[0]-1] == '.') {
				continue
			}
			if i == len(envReadPatterns)-2 && !f.py.codeHas("decouple") {
				continue
			}
			if i == 0 && !processEnviron(f.py, m[0]) {
				continue
			}
			lit, ok := f.py.litAt(m[1])
			if !ok || lit.fstring || !envRef.MatchString(lit.value) && !isIdentString(lit.value) {
				continue
			}
			// os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")
			// as a statement of its own: the code gives the variable a
			// value for itself or its children, and its result is not used.
			defaulted := i == 0 && bytes.Contains(f.py.code[m[0]:m[1]], []byte("setdefault")) && statementStart(f.py.code, m[0])
			if i == 0 && assignedItem.Match(f.py.code[lit.end:min(len(f.py.code), lit.end+8)]) || defaulted {
				// os.environ["X"] = "1": the code sets it, nobody has to.
				if written == nil {
					written = map[string]bool{}
				}
				written[lit.value] = true
				continue
			}
			out = append(out, envVar{lit.value, f, lit.line})
		}
	}
	if written != nil {
		out = slices.DeleteFunc(out, func(v envVar) bool { return written[v.name] })
	}
	return out
}

// statementStart reports whether the environ at offset off starts its
// line's statement, with only its module (os., an alias) before it.
func statementStart(code []byte, off int) bool {
	start := bytes.LastIndexByte(code[:off], '\n') + 1
	before := bytes.TrimSpace(code[start:off])
	before = bytes.TrimSuffix(before, []byte("."))
	for _, c := range before {
		if !isIdent(c) {
			return false
		}
	}
	return true
}

// processEnviron reports whether the environ at offset off is the process
// environment: os.environ, or environ imported from os. A WSGI or CGI
// environ (a parameter, request.environ) holds the request's headers and
// paths (HTTP_HOST, PATH_INFO), which no .env.example lists.
func processEnviron(py *pySource, off int) bool {
	before := bytes.TrimRight(py.code[:off], " \t")
	if bytes.HasSuffix(before, []byte(".")) {
		recv := bytes.TrimRight(before[:len(before)-1], " \t")
		start := len(recv)
		for start > 0 && isIdent(recv[start-1]) {
			start--
		}
		name := string(recv[start:])
		if start > 0 && recv[start-1] == '.' {
			return false // request.os.environ is no module
		}
		return name == "os" || osAliases(py)[name]
	}
	return environFromOS.Match(py.code)
}

// osAliases are the names the module imports os under (import os as _os).
func osAliases(py *pySource) map[string]bool {
	var names map[string]bool
	for _, m := range osAlias.FindAllSubmatch(py.code, -1) {
		if names == nil {
			names = map[string]bool{}
		}
		names[string(m[1])] = true
	}
	return names
}

var (
	// environFromOS imports the process environment under its own name.
	environFromOS = lazyre.New(`(?m)^\s*from\s+os\s+import\s+[^\n]*\benviron\b`)
	// osAlias imports os under another name.
	osAlias = lazyre.New(`(?m)^\s*import\s+os\s+as\s+(\w+)`)
	// assignedItem follows a subscript that is assigned, not read.
	assignedItem = lazyre.New(`^\s*\]\s*=[^=]`)
)

// settingsFields lists the variables a pydantic-settings class reads: one per
// field, named by its alias or by env_prefix + field name.
func settingsFields(f *File) []envVar {
	py := f.py
	var out []envVar
	for _, m := range matches(f, settingsClass, "basesettings") {
		if !strings.Contains(string(py.code[m[4]:m[5]]), "BaseSettings") {
			continue
		}
		bodyStart := m[1]
		_, bodyEnd := classBody(py, m[0])
		if bodyEnd <= bodyStart {
			continue
		}
		prefix := ""
		if pm := envPrefix.FindIndex(py.code[bodyStart:bodyEnd]); pm != nil {
			if lit, ok := py.litAt(bodyStart + pm[1]); ok {
				prefix = lit.value
			}
		}
		indent := ""
		for _, lineStart := range py.lines {
			if lineStart <= bodyStart || lineStart >= bodyEnd {
				continue
			}
			lineEnd := lineStart
			for lineEnd < bodyEnd && py.code[lineEnd] != '\n' {
				lineEnd++
			}
			line := string(py.code[lineStart:lineEnd])
			trimmed := strings.TrimLeft(line, " \t")
			if trimmed == "" {
				continue
			}
			lead := line[:len(line)-len(trimmed)]
			if indent == "" {
				indent = lead
			}
			if lead != indent {
				continue // nested class or function body
			}
			fm := fieldLine.FindStringSubmatch(strings.TrimSpace(trimmed))
			if fm == nil || fm[1] == "model_config" || strings.HasPrefix(fm[1], "model_") {
				continue
			}
			name := prefix + fm[1]
			if am := aliasArg.FindStringIndex(line); am != nil {
				if lit, ok := py.litAt(lineStart + am[1]); ok {
					name = lit.value
				}
			}
			out = append(out, envVar{name, f, py.lineOf(lineStart)})
		}
	}
	return out
}

var (
	tableName   = lazyre.New(`(?m)^[ \t]+__tablename__\s*=\s*`)
	sqlModel    = lazyre.New(`(?m)^class\s+(\w+)\s*\([^)]*\btable\s*=\s*True`)
	djangoModel = lazyre.New(`(?m)^class\s+(\w+)\s*\([^)]*\bmodels\.Model\b`)
	flaskModel  = lazyre.New(`(?m)^class\s+(\w+)\s*\([^)]*\bdb\.Model\b`)
	camelBreak  = lazyre.New(`([a-z0-9])([A-Z])`)
	createTable = lazyre.New(`\bcreate_table\s*\(\s*`)
	// ownBase: a module-level declarative base of the module's own.
	ownBase = lazyre.New(`(?m)^\w+\s*=\s*(\w+\.)*declarative_base\s*\(`)
	// insertsVersion writes Alembic's version row by hand.
	insertsVersion = lazyre.New(`(?i)\bINSERT\s+INTO\s+alembic_version\b`)
	// rootRevision is Alembic's first revision; alterTable, a change to
	// a table that exists.
	rootRevision = lazyre.New(`(?m)^down_revision\s*(:[^=\n]*)?=\s*None\b`)
	alterTable   = lazyre.New(`\bop\.(add_column|alter_column|drop_column|create_index|create_foreign_key|drop_constraint|execute)\(`)
	// CreateModel, or a project's own operation built on it
	// (CreateModelIfNotExists).
	createModel = lazyre.New(`\bCreateModel\w*\s*\(\s*name\s*=\s*`)
	abstractSA  = lazyre.New(`__abstract__\s*=\s*True`)
	// abstractDj: a Django model with no table of its own to create, an
	// abstract base or one Django does not manage (managed = False: a
	// view, a table another system owns, an admin menu entry).
	abstractDj = lazyre.New(`\babstract\s*=\s*True|\bmanaged\s*=\s*False`)
)

type model struct {
	name    string // table name (SQLAlchemy) or class name (Django)
	f       *File
	line    int
	app     string // Django app directory
	snippet string // the line, for the fingerprint
	// ownSchema: the model's module declares its own base and makes its
	// tables with create_all.
	ownSchema bool
}

// emptyUpgrade reports whether a revision's upgrade() has no statement
// but pass and a docstring.
func emptyUpgrade(t *pyTree) bool {
	found, empty := false, true
	t.each(func(fn int32) {
		if t.text(t.child(fn, "name")) != "upgrade" || t.enclosing(fn, "function_definition", "class_definition") >= 0 {
			return
		}
		found = true
		for _, st := range t.children(t.child(fn, "body")) {
			switch t.kind(st) {
			case "pass_statement", "comment":
			case "expression_statement":
				if cs := t.children(st); len(cs) != 1 || t.kind(cs[0]) != "string" {
					empty = false
				}
			default:
				empty = false
			}
		}
	}, "function_definition")
	return found && empty
}

// gatherMigrations records the models a file defines, or what it creates
// when it is a migration.
func gatherMigrations(p *Project, f *File, x *pyFacts) {
	py := f.py
	dir := path.Dir(f.Path)
	// Alembic's command.stamp(cfg, "head") in one module and create_all in
	// another: a new installation is made and stamped at the head.
	x.stampsHead = py.codeHas("command.stamp(")
	switch {
	case path.Base(dir) == "versions" && (py.codeHas("def upgrade") || p.onDisk(path.Join(path.Dir(dir), "env.py"))),
		// Alembic's recursive_version_locations: versions/2024/xxx.py.
		strings.Contains("/"+dir+"/", "/versions/") && py.codeHas("def upgrade") && py.codeHas("down_revision"),
		// A package's own revisions in an alembic/ directory, registered
		// as a version location by entry point (invenio_accounts/alembic/).
		path.Base(dir) == "alembic" && py.codeHas("def upgrade") && py.codeHas("down_revision"):
		x.alembic = true
		// A root revision that alters tables it never creates, or one
		// whose upgrade does nothing (nbgrader's "initial alembic
		// revision"), marks a baseline the models made.
		x.afterBaseline = rootRevision.Match(py.code) && !createTable.Match(py.code) &&
			(alterTable.Match(py.code) || emptyUpgrade(py.tree))
		dynamic := false
		for _, m := range createTable.FindAllIndex(py.code, -1) {
			if lit, ok := py.litAt(m[1]); ok {
				x.created = append(x.created, lit.value)
			} else {
				dynamic = true
			}
		}
		// op.rename_table("old", "new") creates the new name as far as
		// the models are concerned.
		x.created = append(x.created, renamedTo(py.tree, "rename_table", 1, "new_table_name")...)
		// A migration may declare snapshot models and create their tables
		// with Model.__table__.create(bind) or metadata.create_all(bind).
		if py.codeHas("__table__.create", "create_all(") {
			for _, m := range matches(f, tableName, "__tablename__") {
				if lit, ok := py.litAt(m[1]); ok {
					x.created = append(x.created, lit.value)
				}
			}
		}
		// create_table(name, ...) in a loop: count the names the migration
		// spells out as literals (and below, the shape of an f-string name).
		if dynamic {
			for _, lit := range py.lits {
				x.created = append(x.created, lit.value)
			}
		}
		x.createdLike = computedTableNames(py.tree)
		return
	// Stamped with Alembic's command, or by hand (INSERT INTO
	// alembic_version right after create_all).
	case py.codeHas("create_all") && (py.codeHas("stamp(") || insertsVersion.Match(py.src)):
		x.stampsSchema = true
		x.createsAll = true
	case py.codeHas(".create_all(", "metadata.create_all)"):
		// (connection.run_sync(Base.metadata.create_all) passes it to
		// an async engine's connection.)
		x.createsAll = true
	case path.Base(dir) == "evolutions" && path.Base(f.Path) == "__init__.py" && py.codeHas("SEQUENCE"):
		x.evolvedApp = path.Dir(dir)
		return
	case path.Base(dir) == "migrations" && djangoMigration.MatchString(path.Base(f.Path)):
		x.djApp = path.Dir(dir)
		for _, c := range createModel.FindAllIndex(py.code, -1) {
			if lit, ok := py.litAt(c[1]); ok {
				x.djCreated = append(x.djCreated, lit.value)
			}
		}
		x.djCreated = append(x.djCreated, renamedTo(py.tree, "RenameModel", 1, "new_name")...)
		return
	}
	if !py.codeHas("__tablename__", "table", "models.Model", "db.Model") {
		return
	}
	// Models declared by code under a migrations directory (helpers that
	// migrations share) are snapshots of the schema at one revision, not
	// the application's models.
	if slices.Contains(strings.Split(dir, "/"), "migrations") {
		return
	}
	// A module that declares its own base and makes that base's tables
	// with create_all may keep a schema of its own (a vector store, a
	// second database); checkMigrations decides.
	ownSchema := ownBase.Match(py.code) && py.codeHas(".create_all(")
	at := func(name string, line int, app string) model {
		return model{name: name, f: f, line: line, app: app, snippet: lineAt(py.src, py.lines, line), ownSchema: ownSchema}
	}
	for _, m := range matches(f, tableName, "__tablename__") {
		lit, ok := py.litAt(m[1])
		if !ok {
			continue
		}
		start, end := classBody(py, m[0])
		if abstractSA.Match(py.code[start:end]) {
			continue
		}
		x.saModels = append(x.saModels, at(lit.value, lit.line, ""))
	}
	for _, m := range matches(f, flaskModel, "db.model") {
		// Flask-SQLAlchemy names the table after the class (snake_case)
		// unless the class sets __tablename__, which is found above.
		start, end := classBody(py, m[1])
		if tableName.Match(py.code[start:end]) || abstractSA.Match(py.code[start:end]) {
			continue
		}
		name := strings.ToLower(camelBreak.ReplaceAllString(string(py.code[m[2]:m[3]]), "${1}_${2}"))
		x.saModels = append(x.saModels, at(name, py.lineOf(m[0]), ""))
	}
	for _, m := range matches(f, sqlModel, "table") {
		// SQLModel names the table after the class unless the class sets
		// __tablename__, which is found above.
		start, end := classBody(py, m[1])
		if tableName.Match(py.code[start:end]) {
			continue
		}
		x.saModels = append(x.saModels, at(strings.ToLower(string(py.code[m[2]:m[3]])), py.lineOf(m[0]), ""))
	}
	for _, m := range matches(f, djangoModel, "models.model") {
		start, end := classBody(py, m[1])
		if abstractDj.Match(py.code[start:end]) {
			continue
		}
		app := dir
		if path.Base(dir) == "models" {
			app = path.Dir(dir)
		}
		x.djModels = append(x.djModels, at(string(py.code[m[2]:m[3]]), py.lineOf(m[0]), app))
	}
}

// computedTableNames lists, as anchored patterns, the names of tables a
// migration creates with an f-string (create_table(f"{kind}_history")):
// each interpolation stands for one identifier.
func computedTableNames(t *pyTree) []string {
	var out []string
	t.each(func(i int32) {
		if lastPart(t.callee(i)) != "create_table" {
			return
		}
		a := t.arg(i, 0, "table_name")
		if a < 0 || t.kind(a) != "string" {
			return
		}
		v, interpolated := t.strLiteral(a)
		if !interpolated || strings.Trim(strings.ReplaceAll(v, "{?}", ""), "_") == "" {
			return // a name made of interpolations alone says nothing
		}
		parts := strings.Split(v, "{?}")
		for k := range parts {
			parts[k] = regexp.QuoteMeta(parts[k])
		}
		out = append(out, "^"+strings.Join(parts, `\w+`)+"$")
	}, "call")
	return out
}

// renamedTo lists the new names given by a migration's rename calls
// (op.rename_table, migrations.RenameModel): the argument at index, or the
// keyword, when it is a literal.
func renamedTo(t *pyTree, call string, index int, keyword string) []string {
	var out []string
	t.each(func(i int32) {
		if lastPart(t.callee(i)) != call {
			return
		}
		if a := t.arg(i, index, keyword); a >= 0 && t.kind(a) == "string" {
			v, _ := t.strLiteral(a)
			out = append(out, v)
		}
	}, "call")
	return out
}

func checkMigrations(p *Project) []Finding {
	var saModels, djModels []model
	alembic, stamped, createsAll, afterBaseline, stampsHead := false, false, false, false, false
	created := map[string]bool{}
	var createdLike []*regexp.Regexp
	djCreated := map[string]map[string]bool{} // app dir -> models its migrations create
	evolved := map[string]bool{}              // app dirs whose schema django_evolution keeps
	for _, f := range p.Files {
		x := f.facts
		if x == nil || x.test {
			continue
		}
		saModels = append(saModels, x.saModels...)
		djModels = append(djModels, x.djModels...)
		stamped = stamped || x.stampsSchema
		stampsHead = stampsHead || x.stampsHead
		createsAll = createsAll || x.createsAll
		afterBaseline = afterBaseline || x.afterBaseline
		if x.alembic {
			alembic = true
			for _, name := range x.created {
				created[name] = true
			}
			for _, like := range x.createdLike {
				createdLike = append(createdLike, regexp.MustCompile(like))
			}
		}
		if x.evolvedApp != "" {
			evolved[x.evolvedApp] = true
		}
		if x.djApp != "" {
			if djCreated[x.djApp] == nil {
				djCreated[x.djApp] = map[string]bool{}
			}
			// Django keys a migration's models by their lower-cased name:
			// CreateModel(name="optimer") makes the model OpTimer.
			for _, name := range x.djCreated {
				djCreated[x.djApp][strings.ToLower(name)] = true
			}
		}
	}
	var out []Finding
	add := func(m model, sev checklists.Severity, msg string) {
		fd := migrationsCheck.finding(m.f, m.line, sev, msg, "")
		fd.snippet = m.snippet
		out = append(out, fd)
	}
	if !alembic && len(saModels) > 0 {
		// One fact about the project, said once: a finding per table would
		// bury the rest of the report (a tutorial tree defines hundreds).
		what := "table " + saModels[0].name + " is defined by a model"
		if names := modelNames(saModels); len(names) > 1 {
			what = fmt.Sprintf("%d tables are defined by models (%s)", len(names), listNames(names))
		}
		if createsAll {
			// The project makes its tables with create_all and keeps no
			// migration history at all: a framework's tables, whose
			// migrations the application keeps, or a schema that only
			// grows. Worth a look, not a failing finding.
			add(saModels[0], checklists.Low, what+" and made with create_all, with no "+
				"migrations anywhere: check how a changed model reaches an existing database")
		} else {
			// No history anywhere and nothing that makes the tables: the
			// schema comes from somewhere review does not see (a framework
			// or application that owns these models, a generated history).
			// A forgotten migration needs a history to be forgotten from.
			add(saModels[0], checklists.Low, what+" but the project has no migrations: check where its schema is made "+
				"(an Alembic history elsewhere, another package that owns these models?)")
		}
		saModels = nil
	}
	// A fresh install gets a table no migration creates from create_all
	// when the project stamps the history (with Alembic's command or an
	// INSERT into alembic_version), or when the history's root revision
	// alters tables it never creates (bodhi's squashed history:
	// initialize_bodhi_db makes the baseline) or does nothing (an empty
	// first revision marking the baseline). Only an upgrade of an older
	// install needs a migration, and the baseline's tables never had one.
	baseline := ""
	switch {
	case stamped, createsAll && stampsHead:
		baseline = "makes its schema with create_all and stamps the history, so check that the table predates the first migration"
	case createsAll && afterBaseline:
		baseline = "makes its schema with create_all and its history starts after that baseline (the first revision alters " +
			"tables it does not create, or does nothing), so check that a new installation is stamped at the head"
	}
	// A module with a base of its own, made with its own create_all, none
	// of whose tables the history creates while it creates those of other
	// modules, keeps a separate schema (open-webui's vector store): the
	// history is about another base. With one base only (a grader whose
	// first revision is empty), the finding stands.
	isCreated := func(m model) bool {
		return created[m.name] || slices.ContainsFunc(createdLike, func(re *regexp.Regexp) bool { return re.MatchString(m.name) })
	}
	historyOf := map[*File]bool{} // files with a model the history creates
	for _, m := range saModels {
		if isCreated(m) {
			historyOf[m.f] = true
		}
	}
	if len(historyOf) > 0 {
		saModels = slices.DeleteFunc(saModels, func(m model) bool { return m.ownSchema && !historyOf[m.f] })
	}
	var uncreated []model
	for _, m := range saModels {
		if !isCreated(m) {
			uncreated = append(uncreated, m)
		}
	}
	if names := modelNames(uncreated); len(names) > 0 {
		what := "table " + names[0] + " is defined by a model but no migration creates it"
		if len(names) > 1 {
			what = fmt.Sprintf("%d tables are defined by models but no migration creates them (%s)", len(names), listNames(names))
		}
		sev, why := historySeverity(len(names), len(modelNames(saModels)), "alembic check")
		if baseline != "" {
			sev, why = checklists.Low, "; the project "+baseline
		}
		add(uncreated[0], sev, what+why)
	}
	byApp := map[string][]model{} // app -> its models
	var apps []string
	for _, m := range djModels {
		// A models module below an app (app/sub/models.py) belongs to the
		// nearest directory above it that has migrations.
		app := m.app
		// A models/ package with a migrations/ of its own is an app itself
		// (INSTALLED_APPS lists project.app.models): its models are its own.
		if dir := path.Dir(m.f.Path); path.Base(dir) == "models" && djCreated[dir] != nil {
			app = dir
		}
		for dir := app; djCreated[dir] == nil && dir != "." && dir != "/" && dir != ""; dir = path.Dir(dir) {
			if djCreated[path.Dir(dir)] != nil {
				app = path.Dir(dir)
			}
		}
		if evolved[m.app] || evolved[app] {
			continue // django_evolution's evolutions/ keep this app's schema
		}
		if byApp[app] == nil {
			apps = append(apps, app)
		}
		byApp[app] = append(byApp[app], m)
	}
	for _, app := range apps {
		ms := byApp[app]
		if djCreated[app] == nil {
			// No migration at all for the app: one fact, said once per app.
			// It is a forgotten makemigrations when other apps of the
			// project keep theirs; when none does, the project makes its
			// schema some other way (migrations generated at install, a
			// history review does not see), so the finding is low.
			sev, why := checklists.High, ""
			if len(djCreated) == 0 {
				sev, why = checklists.Low, "; no app of the project has migrations review can see, so the schema may be made "+
					"another way: confirm with `python manage.py makemigrations --check --dry-run`"
			}
			if len(ms) == 1 {
				add(ms[0], sev, fmt.Sprintf("model %s has no migration in %s/migrations", ms[0].name, app)+why)
			} else {
				add(ms[0], sev, fmt.Sprintf("%d models of %s have no migration: %s/migrations holds none (%s)",
					len(ms), app, app, listNames(modelNames(ms)))+why)
			}
			continue
		}
		missing := slices.DeleteFunc(slices.Clone(ms), func(m model) bool { return djCreated[app][strings.ToLower(m.name)] })
		names := modelNames(missing)
		if len(names) == 0 {
			continue
		}
		what := fmt.Sprintf("model %s has no migration in %s/migrations", names[0], app)
		if len(names) > 1 {
			what = fmt.Sprintf("%d models of %s have no migration in %s/migrations (%s)", len(names), app, app, listNames(names))
		}
		sev, why := historySeverity(len(names), len(modelNames(ms)), "python manage.py makemigrations --check --dry-run")
		add(missing[0], sev, what+why)
	}
	return out
}

// modelNames returns the models' names in order, each once.
func modelNames(ms []model) []string {
	var names []string
	for _, m := range ms {
		if !slices.Contains(names, m.name) {
			names = append(names, m.name)
		}
	}
	return names
}

// listNames shows up to eight names and counts the rest.
func listNames(names []string) string {
	shown := names[:min(len(names), 8)]
	s := strings.Join(shown, ", ")
	if len(names) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(names)-len(shown))
	}
	return s
}

// historySeverity rates a history's missing models, said in one finding.
// A model added without its migration is one or two new classes beside
// many created ones. When most of a history's models have no migration
// that review can see, the likelier reading is a history kept where review
// does not look (another directory, generated or squashed operations), so
// the finding is low and names the tool's own check, which knows for sure.
func historySeverity(missing, total int, confirm string) (checklists.Severity, string) {
	if missing == total {
		// The history creates none of these models: nothing shows it is
		// the one they belong to.
		return checklists.Low, fmt.Sprintf("; the history here creates none of the %d models, so it may live where review "+
			"does not look: confirm with `%s`", total, confirm)
	}
	if missing >= 3 && 2*missing > total {
		return checklists.Low, fmt.Sprintf("; that is %d of the %d models here, so the history may live where review "+
			"does not look: confirm with `%s`", missing, total, confirm)
	}
	return checklists.High, ""
}

// classBody returns the span of the outermost class definition that holds
// off, from the syntax tree: a class's extent is where its indented block
// ends, which text cannot tell once docstrings are masked. When off is in no
// class, the span is empty.
func classBody(py *pySource, off int) (int, int) {
	t := py.tree
	start, end := off, off
	t.each(func(i int32) {
		if t.start(i) <= off && off < t.end(i) && (end == off || t.start(i) < start) {
			start, end = t.start(i), t.end(i)
		}
	}, "class_definition")
	return start, end
}

var (
	djangoMigration = lazyre.New(`^\d{4,}_\w+\.py$`)
)

var testFunc = lazyre.New(`(?m)^\s*(async\s+)?def\s+test\w*\s*\(|^class\s+Test\w*`)

func checkTests(p *Project) []Finding {
	source, testFiles, tests := 0, 0, 0
	for _, f := range p.Files {
		if f.facts == nil {
			continue
		}
		if !f.facts.test {
			source++
			continue
		}
		testFiles++
		if f.facts.testFunc {
			tests++
		}
	}
	anchor := &File{Path: "tests"}
	var fd Finding
	switch {
	case source == 0 || tests > 0:
		return nil
	case testFiles == 0:
		fd = testsCheck.finding(anchor, 0, checklists.High,
			fmt.Sprintf("the project has %s and no tests", plural(source, "Python file")), "")
	default:
		fd = testsCheck.finding(anchor, 0, checklists.Medium,
			fmt.Sprintf("%d test files, but none defines a test function", testFiles), "")
	}
	if p.wheel() {
		// A wheel ships the package, rarely its tests.
		fd.Severity, fd.Message = checklists.Low, fd.Message+" (this is a built wheel, which ships no tests: check the source repository)"
	}
	return []Finding{fd}
}

// wheel reports whether the project is an unpacked wheel: a *.dist-info
// directory with a WHEEL file at the top. Only the package is in it, not
// the repository's tests, .gitignore or CI.
func (p *Project) wheel() bool {
	m, _ := filepath.Glob(filepath.Join(p.walkRoot, "*.dist-info", "WHEEL"))
	return len(m) > 0
}
