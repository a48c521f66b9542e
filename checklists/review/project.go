package review

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/scaffoldtool/scaffold/checklists"
	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// maxFileSize bounds the files review reads: larger files are data or
// generated, not code a reviewer writes.
const maxFileSize = 1 << 20

// skipDirs are directories that hold tools' output, dependencies or VCS data.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".venv": true, "venv": true, "node_modules": true,
	"__pycache__": true, ".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true, ".tox": true,
	".nox": true, ".eggs": true, "site-packages": true, ".idea": true, ".vscode": true, "htmlcov": true,
	"dist": true, "build": true, ".cache": true, ".terraform": true,
}

// binaryExts are extensions never worth reading.
var binaryExts = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".webp": true, ".pdf": true,
	".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".7z": true, ".jar": true,
	".whl": true, ".pyc": true, ".pyo": true, ".so": true, ".dylib": true, ".dll": true, ".exe": true,
	".db": true, ".sqlite": true, ".sqlite3": true, ".woff": true, ".woff2": true, ".ttf": true,
	".mp4": true, ".mp3": true, ".mov": true,
}

// File is one file of the project under review. Its contents are read,
// checked and dropped by the file pass; what project checks need stays in
// facts (and Data, for the few files they read whole: see keepData).
type File struct {
	Path    string   // slash-separated, relative to the project root
	Data    []byte   // while the file is checked; nil for binary and oversized files
	pairs   *pairSet // of Data, made on first use by dataHas
	Text    bool     // read as text: not binary, not oversized
	py      *pySource
	facts   *pyFacts // of a Python file
	ignores []ignore // # scaffold: ignore[...] comments
	full    string   // the path to read; "" when it is not worth reading
	readErr error    // why the file could not be read, if it could not
}

// Project is the directory under review, read once.
type Project struct {
	Root   string
	Files  []*File // sorted by path
	byPath map[string]*File
	ignore atomic.Value // gitignore.Matcher: replaced while the walk finds .gitignore files
	// walkRoot is Root with symbolic links resolved.
	walkRoot string
	tracked  map[string]bool // paths in the git index; nil without a repository
	// unlisted are the entries the walk could not read (a directory
	// without permission, a file gone while listing), each as a finding:
	// a review that silently checks less would pass what it never saw.
	unlisted []Finding
}

// Load lists the project at root: every file outside skipped directories,
// with the git-ignore rules and the git index. Contents are read later, one
// file at a time per worker, by the review itself.
func Load(root string) (*Project, error) {
	p, err := newProject(root)
	if err != nil {
		return nil, err
	}
	if err := p.walk(nil); err != nil {
		return nil, err
	}
	return p, nil
}

// newProject checks root and reads the git index; walk lists the files.
func newProject(root string) (*Project, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("cannot review %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("cannot review %s: it is not a directory; pass the project's root directory", root)
	}
	p := &Project{Root: root, byPath: map[string]*File{}, walkRoot: root}
	// Walk the directory a symbolic link points to: WalkDir does not
	// descend into a root that is a link.
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		p.walkRoot = resolved
	}
	p.tracked = readIndex(filepath.Join(p.walkRoot, ".git", "index"))
	p.ignore.Store(gitignore.NewMatcher(nil))
	return p, nil
}

// walk lists the project's files. With emit, each file worth reading is
// handed over as soon as it is found, so that the file pass runs while the
// tree is still being listed: a directory's .gitignore is read when the
// directory is entered, before any of its files is handed over, so that
// Ignored already knows its rules. p.Files is complete and sorted when walk
// returns.
func (p *Project) walk(emit func(*File)) error {
	var patterns []gitignore.Pattern
	walkRoot := p.walkRoot
	walkErr := filepath.WalkDir(walkRoot, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			if full == walkRoot {
				return err
			}
			// Not fatal, but not silent either.
			rel, _ := filepath.Rel(walkRoot, full)
			p.unlisted = append(p.unlisted, unreadable(filepath.ToSlash(rel), err))
			return nil
		}
		rel, _ := filepath.Rel(walkRoot, full)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if full != walkRoot && (skipDirs[d.Name()] || strings.HasSuffix(d.Name(), ".egg-info") || isVenv(full)) {
				return filepath.SkipDir
			}
			dirRel := rel
			if full == walkRoot {
				dirRel = "."
			}
			if ps := readIgnore(filepath.Join(full, ".gitignore"), path.Join(dirRel, ".gitignore")); ps != nil {
				patterns = append(patterns, ps...)
				p.ignore.Store(gitignore.NewMatcher(slices.Clone(patterns)))
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f := &File{Path: rel}
		p.Files = append(p.Files, f)
		if binaryExts[strings.ToLower(path.Ext(rel))] {
			return nil
		}
		// The size is checked when the file is read (one fstat on the open
		// file): an lstat here for every file cost as much as the reading.
		f.full = full
		if emit != nil {
			emit(f)
		}
		return nil
	})
	if walkErr != nil {
		return fmt.Errorf("cannot review %s: %w", p.Root, walkErr)
	}
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Path < p.Files[j].Path })
	for _, f := range p.Files {
		p.byPath[f.Path] = f
	}
	return nil
}

func isVenv(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil
}

// read loads the file's contents, and parses it when it is Python.
func (f *File) read(parser *pyParser) {
	if f.full == "" {
		return
	}
	data, err := readSmall(f.full)
	if err != nil {
		f.readErr = err
		return
	}
	if data == nil {
		return
	}
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return
	}
	f.Data, f.Text = data, true
	f.ignores = ignoresIn(data)
	if strings.HasSuffix(f.Path, ".py") {
		f.py = parsePython(parser, data)
		f.py.tree.path = f.Path
		f.ignores = waiversInCalls(waiversOnStringEnds(f.ignores, f.py), f.py)
	}
}

// readSmall reads a file of at most maxFileSize bytes; a larger one gives
// nil: it is data or generated, not code a reviewer writes.
func readSmall(name string) ([]byte, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFileSize {
		return nil, err
	}
	// One byte more than the size, so that a file that grew since the stat
	// still reads to its end in one call and io.ReadFull's EOF is expected.
	data := make([]byte, info.Size()+1)
	n, err := io.ReadFull(file, data)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	if n > maxFileSize {
		return nil, nil
	}
	return data[:n], nil
}

func readIgnore(full, rel string) []gitignore.Pattern {
	data, err := os.ReadFile(full)
	if err != nil {
		return nil
	}
	var domain []string
	if dir := path.Dir(rel); dir != "." {
		domain = strings.Split(dir, "/")
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// readIndex lists the paths git tracks, or nil when there is no readable index.
func readIndex(file string) map[string]bool {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var idx index.Index
	if err := index.NewDecoder(f).Decode(&idx); err != nil {
		return nil
	}
	out := map[string]bool{}
	for _, e := range idx.Entries {
		out[e.Name] = true
	}
	return out
}

// Ignored reports whether git would ignore the path (by the project's
// .gitignore files).
func (p *Project) Ignored(rel string) bool {
	m, _ := p.ignore.Load().(gitignore.Matcher)
	return m != nil && m.Match(strings.Split(rel, "/"), false)
}

// onDisk reports whether a regular file is at a slash-separated path. The
// file pass asks the disk, not File: the walk fills the index only when it
// ends, while the workers already check what it found (reading the index
// then raced with the walk's writes, and its answer depended on timing).
func (p *Project) onDisk(rel string) bool {
	info, err := os.Stat(filepath.Join(p.walkRoot, filepath.FromSlash(rel)))
	return err == nil && info.Mode().IsRegular()
}

// File returns the file at a slash-separated path, or nil. Only the
// project checks may call it: the index is complete after the walk.
func (p *Project) File(rel string) *File { return p.byPath[rel] }

// isTest reports whether a path is test code: test files hold fixtures
// (passwords, tokens, debug settings) on purpose.
func isTest(rel string) bool {
	base := path.Base(rel)
	if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" ||
		base == "tests.py" || strings.HasPrefix(base, "pytest_") {
		return true
	}
	// Modules that make test or demo data (create_test_data.py,
	// factories.py, fixtures.py), and files of fixtures named for what
	// they seed (example_fixtures.yaml, unittest_fixtures.yaml: the rows a
	// demo or test server is loaded with).
	stem := strings.TrimSuffix(base, path.Ext(base))
	if strings.Contains(stem, "test_data") || strings.Contains(stem, "testdata") || stem == "factories" || stem == "fixtures" ||
		strings.HasSuffix(stem, "_fixtures") || strings.HasSuffix(stem, "_fixture") {
		return true
	}
	// Modules of test support, named as the test directories are
	// (testcases.py: a project's TestCase bases, as django.test.testcases;
	// testing.py, testutils.py, test_helpers.py).
	switch stem {
	case "testcases", "testing", "testutils", "test_utils", "test_helpers", "testhelpers":
		return true
	}
	parts := strings.Split(path.Dir(rel), "/")
	// A top-level t/ is a test tree (celery, kombu: t/unit, t/integration).
	if parts[0] == "t" && len(parts) > 1 {
		return true
	}
	for _, part := range parts {
		switch part {
		case "tests", "test", "testing", "testutils", "test_utils", "testsupport", "test_support":
			return true
		}
		// A package named as a test module is (test_devpi_server: the
		// fixtures and functional tests a project ships for its plugins),
		// and so is one of a kind of tests (integration_tests,
		// heat_integrationtests, nova_functionaltests).
		if strings.HasPrefix(part, "test_") || strings.HasSuffix(part, "_tests") ||
			strings.HasSuffix(part, "_integrationtests") || strings.HasSuffix(part, "_functionaltests") {
			return true
		}
	}
	return false
}

// exampleCode reports whether a path is example, tutorial or documentation
// code shipped beside a project (examples/, docs_src/, docs/, tutorial/): it
// shows how to use the project and never serves its traffic. Names a
// service's own package could have (demo, example) count only below
// another package (piccolo_admin/example/, the library's demo app), not
// at the top or under src/, where they may be the service itself.
func exampleCode(rel string) bool {
	parts := strings.Split(path.Dir(rel), "/")
	for k, part := range parts {
		switch part {
		case "examples", "docs_src", "docs", "doc", "tutorial", "tutorials":
			return true
		case "example", "demo":
			if k > 0 && parts[k-1] != "src" {
				return true
			}
		}
	}
	return false
}

// isViewModule reports whether a path is where a Django project keeps
// views: a module or package named views, api or viewsets (views.py,
// api/users.py, account_views.py), or a single-module app (app.py, main.py).
func isViewModule(rel string) bool {
	parts := strings.Split(strings.TrimSuffix(rel, ".py"), "/")
	for k, part := range parts {
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '_' || r == '-' }) {
			switch w {
			case "views", "view", "api", "apis", "viewsets", "endpoints", "handlers", "routes":
				return true
			case "app", "main":
				if k == len(parts)-1 {
					return true
				}
			}
		}
	}
	return false
}

// devStems are the names of settings modules and files for development,
// tests and image builds (settings/dev.py, local_settings.py, config/testing.yaml,
// settings/unittest.py, _build_settings.py for collectstatic in an image build), and the
// examples a deployment copies and edits (settings_example.py): they hold
// throwaway values on purpose and never serve production traffic as they are.
var devStems = map[string]bool{"dev": true, "devel": true, "development": true, "local": true, "test": true, "testing": true,
	"unittest": true, "unittests": true, "build": true, "example": true, "sample": true}

// devProjectDir names a directory that holds a throwaway project beside
// the real one: devproject/, test_project/, sample_project/, example-site/,
// demo_project/, the developers' workbench (shuup_workbench/) and a
// library's demo project named after it (ckeditor_demo/). A bare demo/ may
// be the service itself (exampleCode).
var devProjectDir = lazyre.New(`^(dev|development|local|test|testing|sample|example|demo)[_-]?(project|site|app|settings|config)$|^(\w+_)?workbench$|^\w+_demo$`)

// inDevProject reports whether a path is inside such a directory.
func inDevProject(rel string) bool {
	return slices.ContainsFunc(strings.Split(path.Dir(rel), "/"), devProjectDir.MatchString)
}

// translationSettings reports whether a path is a settings module in a
// folder of translations (translations/, locale/, i18n/, l10n/): the
// settings a library keeps to run makemessages and compilemessages, which
// no site serves.
func translationSettings(rel string) bool {
	if !settingsModule.MatchString(rel) {
		return false
	}
	return slices.ContainsFunc(strings.Split(path.Dir(rel), "/"), func(d string) bool {
		return d == "translations" || d == "locale" || d == "i18n" || d == "l10n"
	})
}

// isDevSettings reports whether a path is development or test settings, or
// the development server a CLI starts (dev_server.py, devserver.py) or a
// module named for debugging runs (zou's debug.py).
func isDevSettings(rel string) bool {
	if inDevProject(rel) || translationSettings(rel) {
		return true
	}
	base := path.Base(rel)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if devStems[stem] || stem == "devserver" || stem == "debug" {
		return true
	}
	// A profiling or load-test script run by hand (profiler.py wraps the
	// app in a profiler and runs it on a fixed port; locustfile.py drives a
	// local server).
	switch stem {
	case "profiler", "profiling", "benchmark", "benchmarks", "loadtest", "locustfile":
		return true
	}
	// Settings of a load-test or profiling harness (server/profiling/
	// settings_mixin.py, added only for a dummy-runner run).
	if strings.Contains(stem, "settings") && slices.ContainsFunc(strings.Split(path.Dir(rel), "/"), func(d string) bool {
		return d == "profiling" || d == "benchmarks" || d == "benchmark" || d == "loadtest" || d == "loadtests"
	}) {
		return true
	}
	for _, part := range strings.FieldsFunc(stem, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if devStems[part] && strings.Contains(stem, "settings") || devStems[part] && strings.Contains(stem, "config") {
			return true
		}
		// The development server a CLI starts (strawberry's dev_server.py).
		if (part == "dev" || part == "devel" || part == "development") && strings.Contains(stem, "server") {
			return true
		}
	}
	return false
}

// unreadable is the finding for a file or directory review could not read:
// info, so it does not fail the gate by itself, but listed with the others.
func unreadable(path string, err error) Finding {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is the finding's own
	}
	return Finding{Check: "review-error", Severity: checklists.Info, Path: path,
		Message: fmt.Sprintf("this could not be read (%v), so it was not checked", err),
		Fix:     "Make it readable by the user running review (or remove it), then review again."}
}

// holdsPackage reports whether a top-level module or package is in the
// tree (at its root or under src/), as a directory or a .py file.
func (p *Project) holdsPackage(top string) bool {
	for _, dir := range []string{"", "src"} {
		base := filepath.Join(p.walkRoot, dir, top)
		if info, err := os.Stat(base); err == nil && info.IsDir() {
			return true
		}
		if p.onDisk(path.Join(dir, top+".py")) {
			return true
		}
	}
	return false
}
