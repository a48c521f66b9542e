package options

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxNameLength bounds project names: long enough for any real service name,
// short enough to stay readable as a directory, a package and a container name.
const MaxNameLength = 64

// pythonKeywords are Python 3.11's keywords and soft keywords: a package with
// one of these names cannot be imported.
var pythonKeywords = wordSet(`
	False None True _ and as assert async await break case class continue def del elif else
	except finally for from global if import in is lambda match nonlocal not or pass raise
	return try while with yield
`)

// stdlibModules are the public modules of the Python 3.11 standard library
// (sys.stdlib_module_names): a project package with one of these names would
// shadow the module for the whole application.
var stdlibModules = wordSet(`
	abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64
	bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs
	codeop collections colorsys compileall concurrent configparser contextlib contextvars
	copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis
	distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp
	fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob
	graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib
	inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox
	mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis
	nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb
	pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile
	pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline
	reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil
	signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile
	sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau
	symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this
	threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty
	turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave
	weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport
	zlib zoneinfo
`)

// dependencyModules are import names of the libraries generated projects use
// or commonly add, and names that confuse tools (test runners, packaging).
var dependencyModules = wordSet(`
	alembic anyio argon2 asgiref authlib celery click cryptography django email_validator
	fastapi flask httpx itsdangerous jinja2 jwt kombu mypy pip pkg_resources psycopg psycopg2
	pwdlib pydantic pydantic_settings pymysql pytest redis rest_framework ruff setuptools
	sqlalchemy starlette stripe test tests twilio typing_extensions uv uvicorn werkzeug wheel
	yaml app src lib migrations
`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// Name is a validated project name in the three forms the templates need.
type Name struct {
	Dir     string // directory and distribution name: "my-shop"
	Package string // Python import name: "my_shop"
	Title   string // human title: "My Shop"
}

var (
	nameChars   = regexp.MustCompile(`^[A-Za-z0-9 _-]+$`)
	invalidRuns = regexp.MustCompile(`[^a-z0-9]+`)
)

// ParseName checks a project name as typed by the user and derives its forms.
// "My Shop", "my-shop" and "my_shop" all give the directory "my-shop" and the
// package "my_shop". The error message always suggests a name that would pass.
func ParseName(raw string) (Name, error) {
	fail := func(why string) (Name, error) {
		msg := fmt.Sprintf("invalid project name %q: %s", raw, why)
		if s := SuggestName(raw); s != "" {
			msg += fmt.Sprintf("; try %q", s)
		}
		return Name{}, &ValidationError{Msg: msg}
	}
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		return fail("it is empty")
	case strings.ContainsAny(name, `/\`):
		return fail("it contains a path separator (use --output to choose the parent directory)")
	case strings.Contains(name, ".."):
		return fail(`it contains ".."`)
	case strings.HasPrefix(name, "-"), strings.HasPrefix(name, "."):
		return fail("it starts with '-' or '.'")
	case len(name) > MaxNameLength:
		return fail(fmt.Sprintf("it is longer than %d characters", MaxNameLength))
	case !nameChars.MatchString(name):
		return fail("only ASCII letters, digits, spaces, '-' and '_' are allowed (the name becomes a Python package)")
	case !unicode.IsLetter(rune(name[0])):
		return fail("it must start with a letter")
	}
	dir := strings.Trim(invalidRuns.ReplaceAllString(strings.ToLower(name), "-"), "-")
	pkg := strings.ReplaceAll(dir, "-", "_")
	switch {
	case pythonKeywords[pkg]:
		return fail(fmt.Sprintf("%q is a Python keyword", pkg))
	case stdlibModules[pkg]:
		return fail(fmt.Sprintf("the package %q would shadow Python's standard library module", pkg))
	case dependencyModules[pkg]:
		return fail(fmt.Sprintf("the package %q would shadow a library the project uses", pkg))
	}
	return Name{Dir: dir, Package: pkg, Title: titleOf(name, dir)}, nil
}

// titleOf keeps a title the user typed with spaces or capitals and otherwise
// derives one from the directory name.
func titleOf(raw, dir string) string {
	if strings.ContainsRune(raw, ' ') || strings.ToLower(raw) != raw {
		return strings.Join(strings.Fields(raw), " ")
	}
	words := strings.Split(dir, "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// SuggestName turns anything into a name ParseName accepts, or "" when the
// input has nothing usable in it.
func SuggestName(raw string) string {
	s := strings.Trim(invalidRuns.ReplaceAllString(strings.ToLower(withoutAccents(raw)), "-"), "-")
	if s == "" {
		return ""
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "svc-" + s
	}
	if len(s) > MaxNameLength-8 {
		s = strings.TrimRight(s[:MaxNameLength-8], "-")
	}
	pkg := strings.ReplaceAll(s, "-", "_")
	if pythonKeywords[pkg] || stdlibModules[pkg] || dependencyModules[pkg] {
		s += "-service"
	}
	return s
}

// withoutAccents spells letters with diacritics as their base letters ("Café"
// becomes "Cafe"), so that a suggestion keeps the word the user typed.
func withoutAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
