// Package generator turns answers into a project on disk: answers -> plan
// (which files, from which pack, under which conditions) -> render (pure, in
// memory) -> stage in a temporary directory beside the target -> move into
// place. It knows nothing of flags or prompts.
package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/Masterminds/sprig/v3"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// PackageSegment is the path segment replaced by the project's Python package.
const PackageSegment = "__package__"

// TemplateSuffix marks files rendered with text/template; others are copied.
const TemplateSuffix = ".tmpl"

// RecordFile is the answers record written into every project.
const RecordFile = ".scaffold.yaml"

// Data is what templates see. It is the whole interface between the
// generator and the packs: packs use nothing else.
type Data struct {
	Name         string // directory and distribution name, "my-shop"
	Package      string // Python package, "my_shop"
	Title        string // "My Shop"
	Description  string
	Framework    string
	Database     string
	Auth         string
	RBAC         bool
	Integrations []string
	Version      string // generator version

	// Features are the pack features this project is made of, in order.
	Features []string
	// C holds the features' contributions, by extension point, in feature
	// order: templates range over .C.NAME.
	C map[string][]any

	caps map[string]bool
}

// Has reports whether a selected feature provides the capability: base
// templates ask capabilities, never compare option values.
func (d Data) Has(capability string) bool { return d.caps[capability] }

// File is one rendered file.
type File struct {
	Path string // slash-separated, relative to the project root
	Mode fs.FileMode
	Data []byte
}

// Extra produces files that come from code rather than a pack (the review
// checklist, for instance). It must be deterministic.
type Extra func(options.Answers) (map[string][]byte, error)

// planned is one pack file selected for the project.
type planned struct {
	src, dest string
	template  bool
	shared    bool // src is in the shared layer (_shared/), not the pack
}

// NewData derives the template data from validated answers: the features
// they select in the pack, the capabilities those provide and their merged
// contributions.
func NewData(pack templates.Pack, a options.Answers, version string) (Data, error) {
	n, err := options.ParseName(a.Name)
	if err != nil {
		return Data{}, err
	}
	d := Data{
		Name: n.Dir, Package: n.Package, Title: n.Title, Description: a.Description,
		Framework: a.Framework, Database: a.Database, Auth: a.Auth, RBAC: a.RBAC,
		Integrations: append([]string{}, a.Integrations...), Version: version,
		C: map[string][]any{}, caps: map[string]bool{},
	}
	for _, ep := range pack.ExtensionPoints {
		d.C[ep.Name] = []any{}
	}
	for _, f := range pack.Expand(Selected(pack, a)) {
		d.Features = append(d.Features, f.Name)
		for _, c := range f.Provides {
			d.caps[c] = true
		}
		contributes, err := f.Contributions()
		if err != nil {
			return Data{}, err
		}
		for _, ep := range pack.ExtensionPoints {
			d.C[ep.Name] = append(d.C[ep.Name], contributes[ep.Name]...)
		}
	}
	// A contributed mapping with `when: CAPABILITY` counts only when the
	// project has that capability (known once every feature is in).
	for name, items := range d.C {
		d.C[name] = slices.DeleteFunc(items, func(item any) bool {
			m, ok := item.(map[string]any)
			if !ok {
				return false
			}
			when, ok := m["when"].(string)
			return ok && !d.caps[when]
		})
	}
	return d, nil
}

// Selected names the features the answers choose, in option order: each
// choice's value, each yes/no option answered yes, each list item.
func Selected(pack templates.Pack, a options.Answers) []string {
	var out []string
	add := func(name string) {
		if pack.Features[name] != nil {
			out = append(out, name)
		}
	}
	add(a.Database)
	add(a.Auth)
	if a.RBAC {
		add(options.RBACOption.Key)
	}
	for _, i := range a.Integrations {
		add(i)
	}
	return out
}

// Render produces every file of the project in memory, sorted by path. The
// same answers and version always give the same bytes.
func Render(pack templates.Pack, a options.Answers, version string, extras ...Extra) ([]File, error) {
	return render(pack, a, version, nil, extras...)
}

// render is Render that also hands each file to emit (when not nil) as soon
// as it is made, so that writing can overlap rendering; an error from emit
// stops the render.
func render(pack templates.Pack, a options.Answers, version string, emit func(File) error, extras ...Extra) ([]File, error) {
	data, err := NewData(pack, a, version)
	if err != nil {
		return nil, err
	}
	plan, err := Plan(pack, data)
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(plan)+3)
	seen := map[string]bool{}
	add := func(f File) error {
		if err := checkPath(f.Path); err != nil {
			return err
		}
		if seen[f.Path] {
			return fmt.Errorf("template pack %s: %s is written twice", pack.Name, f.Path)
		}
		seen[f.Path] = true
		files = append(files, f)
		if emit != nil {
			return emit(f)
		}
		return nil
	}
	set, err := templateSet(pack, plan, data.Features)
	if err != nil {
		return nil, err
	}
	// The OpenAPI document is assembled while the files render: it is a
	// quarter of the work and needs nothing from them.
	type specResult struct {
		data []byte
		err  error
	}
	specDone := make(chan specResult, 1)
	go func() {
		spec, err := openAPI(set, data, pack.Contract)
		specDone <- specResult{spec, err}
	}()
	for _, p := range plan {
		var content []byte
		if p.template {
			name := p.src
			if p.shared {
				name = templates.SharedDir + "/" + p.src
			}
			var buf bytes.Buffer
			if err := set.ExecuteTemplate(&buf, name, data); err != nil {
				return nil, fmt.Errorf("template pack %s: %w", pack.Name, err)
			}
			content = buf.Bytes()
			if len(bytes.TrimSpace(content)) == 0 {
				// A template that renders to nothing is not written: a feature's
				// file can exist only with a capability ({{ if .Has "x" }} around it).
				continue
			}
		} else if content, err = fs.ReadFile(p.fsys(pack), p.src); err != nil {
			return nil, fmt.Errorf("template pack %s: %w", pack.Name, err)
		}
		if err := add(File{Path: p.dest, Mode: modeOf(content), Data: content}); err != nil {
			return nil, err
		}
	}
	r := <-specDone
	if r.err != nil {
		return nil, fmt.Errorf("template pack %s: OpenAPI: %w", pack.Name, r.err)
	}
	if r.data != nil {
		if err := add(File{Path: OpenAPIFile, Mode: 0o644, Data: r.data}); err != nil {
			return nil, err
		}
	}
	if err := add(File{Path: RecordFile, Mode: 0o644, Data: options.Record(a, version)}); err != nil {
		return nil, err
	}
	for _, extra := range extras {
		more, err := extra(a)
		if err != nil {
			return nil, err
		}
		for p, content := range more {
			if err := add(File{Path: p, Mode: 0o644, Data: content}); err != nil {
				return nil, err
			}
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// Plan lists the pack files this project gets and where each goes: the
// base tree and the shared file sets it names, then each selected feature's
// files and shared file sets.
func Plan(pack templates.Pack, data Data) ([]planned, error) {
	type root struct {
		dir    string
		shared bool
	}
	roots := []root{{"files", false}}
	for _, n := range pack.SharedFiles {
		roots = append(roots, root{path.Join(n, "files"), true})
	}
	for _, f := range data.Features {
		roots = append(roots, root{path.Join("features", f, "files"), false})
		for _, n := range pack.Features[f].SharedFiles {
			roots = append(roots, root{path.Join(n, "files"), true})
		}
	}
	var plan []planned
	for _, r := range roots {
		fsys := pack.FS
		if r.shared {
			fsys = pack.Shared
		}
		if _, err := fs.Stat(fsys, r.dir); err != nil {
			continue // a feature with no files of its own
		}
		err := fs.WalkDir(fsys, r.dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel := strings.TrimPrefix(p, r.dir+"/")
			dest := strings.TrimSuffix(rel, TemplateSuffix)
			segs := strings.Split(dest, "/")
			for i, s := range segs {
				if s == PackageSegment {
					segs[i] = data.Package
				}
			}
			plan = append(plan, planned{src: p, dest: strings.Join(segs, "/"), template: strings.HasSuffix(rel, TemplateSuffix), shared: r.shared})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("template pack %s: %w", pack.Name, err)
		}
	}
	return plan, nil
}

// fsys is the file system the planned file is read from.
func (p planned) fsys(pack templates.Pack) fs.FS {
	if p.shared {
		return pack.Shared
	}
	return pack.FS
}

// checkPath refuses any rendered path that could land outside the project.
func checkPath(p string) error {
	if p == "" || path.IsAbs(p) || strings.Contains(p, `\`) || path.Clean(p) != p ||
		p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, ".git/") {
		return fmt.Errorf("refusing to write %q: paths must stay inside the project", p)
	}
	return nil
}

func modeOf(content []byte) fs.FileMode {
	if bytes.HasPrefix(content, []byte("#!")) {
		return 0o755
	}
	return 0o644
}

// funcs is sprig's text function map without anything that reads the
// environment, the network, the clock or a random source: templates must give
// the same output on every machine and every run.
var funcs = func() template.FuncMap {
	m := sprig.TxtFuncMap()
	for _, name := range []string{
		"env", "expandenv", "getHostByName",
		"now", "date", "dateInZone", "date_in_zone", "dateModify", "date_modify", "mustDateModify",
		"must_date_modify", "ago", "duration", "durationRound", "htmlDate", "htmlDateInZone",
		"unixEpoch", "toDate", "mustToDate",
		"randAlpha", "randAlphaNum", "randAscii", "randNumeric", "randBytes", "randInt",
		"uuidv4", "shuffle", "genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert",
		"genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "encryptAES",
		"bcrypt", "htpasswd",
	} {
		delete(m, name)
	}
	m["requirements"] = requirements
	return m
}()

// tpl is registered here rather than in funcs' initializer, which it uses.
func init() { funcs["tpl"] = tpl }

// tpl renders a contribution's text as a template with the given data
// (`{{ tpl . $ }}` inside a range), so that a feature's contributed text can
// use the project's names and ask capabilities like any template.
func tpl(text string, data any) (string, error) {
	t, err := contributionTemplate(text)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// contributions caches tpl's parsed texts: the same text is rendered once
// per item of a range, in several files. They are parsed into one template
// set, so that the function map is bound once rather than once per text
// (binding sprig's two hundred functions costs twenty times the parse).
var (
	contributions   sync.Map // string -> *template.Template
	contributionsMu sync.Mutex
	contributionSet *template.Template
)

func contributionTemplate(text string) (*template.Template, error) {
	if v, ok := contributions.Load(text); ok {
		return v.(*template.Template), nil
	}
	contributionsMu.Lock()
	defer contributionsMu.Unlock()
	if v, ok := contributions.Load(text); ok {
		return v.(*template.Template), nil
	}
	if contributionSet == nil {
		contributionSet = template.New("contribution").Option("missingkey=error").Funcs(funcs)
	}
	t, err := contributionSet.New(fmt.Sprintf("contribution %d", len(contributionSet.Templates()))).Parse(text)
	if err != nil {
		return nil, err
	}
	contributions.Store(text, t)
	return t, nil
}

// resetCaches forgets every parsed template, as a new process starts
// (for the benchmarks).
func resetCaches() {
	sets.Clear()
	contributions.Clear()
	contributionsMu.Lock()
	contributionSet = nil
	contributionsMu.Unlock()
}

// requirements merges lists of Python requirement strings ("name>=1.2",
// "psycopg[binary]>=3"), drops repeats and sorts them by distribution
// name, the order pyproject files keep: a pack's base dependencies and its
// features' contributions come out as one list.
func requirements(lists ...any) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		items, _ := l.([]any)
		if ss, ok := l.([]string); ok {
			for _, s := range ss {
				items = append(items, s)
			}
		}
		for _, it := range items {
			s := fmt.Sprint(it)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	name := func(r string) string {
		return strings.ToLower(r[:strings.IndexFunc(r+" ", func(c rune) bool { return strings.ContainsRune("[<>=!~; ", c) })])
	}
	sort.SliceStable(out, func(i, j int) bool { return name(out[i]) < name(out[j]) })
	return out
}

// sets caches parsed template sets, keyed by the pack's file system and the
// project's features: a set is parsed and bound to the function map once per
// process.
var sets sync.Map // setKey -> *template.Template (or error)

type setKey struct {
	fsys     fs.FS
	features string
}

// templateSet parses the templates this project needs into one set, so that
// files can share partials ({{ define }} / {{ template }}) and the function
// map is bound once rather than once per file. A project needs the files it
// is planned to get and every template outside a files/ folder (partials,
// OpenAPI fragments) but the fragments of features it does not have:
// parsing the rest of the pack would be most of the work.
func templateSet(pack templates.Pack, plan []planned, features []string) (*template.Template, error) {
	// A file system of a map type (fstest.MapFS in tests) cannot be a key:
	// such packs are parsed each time.
	cacheable := reflect.TypeOf(pack.FS).Comparable()
	if !cacheable {
		return parseSet(pack, plan, features)
	}
	key := setKey{pack.FS, strings.Join(features, ",")}
	if v, ok := sets.Load(key); ok {
		if err, bad := v.(error); bad {
			return nil, err
		}
		return v.(*template.Template), nil
	}
	set, err := parseSet(pack, plan, features)
	if err != nil {
		sets.Store(key, err)
		return nil, err
	}
	sets.Store(key, set)
	return set, nil
}

// needed reports whether the template at p (a path in the pack, or in the
// shared layer with shared set) is parsed for a project with these planned
// files and features.
func needed(p string, shared bool, planned map[string]bool, features []string) bool {
	segs := strings.Split(p, "/")
	if slices.Contains(segs[:len(segs)-1], "files") {
		return planned[p]
	}
	switch {
	case !shared && len(segs) > 2 && segs[0] == "features":
		return slices.Contains(features, segs[1])
	case shared && len(segs) == 3 && segs[0] == templates.ContractDir && segs[1] == "features":
		return slices.Contains(features, strings.TrimSuffix(segs[2], ".yaml"+TemplateSuffix))
	}
	return true
}

func parseSet(pack templates.Pack, plan []planned, features []string) (*template.Template, error) {
	inPlan := map[bool]map[string]bool{false: {}, true: {}}
	for _, p := range plan {
		if p.template {
			inPlan[p.shared][p.src] = true
		}
	}
	// The files are parsed in parallel and added to the set in walk order,
	// the shared layer first, so that a pack's {{ define }} overrides a
	// shared {{ block }} as it would with one Parse after another.
	type source struct {
		name, text string
		trees      map[string]*parse.Tree
		err        error
	}
	var sources []*source
	collect := func(fsys fs.FS, prefix string, shared bool) error {
		return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, TemplateSuffix) || !needed(p, shared, inPlan[shared], features) {
				return err
			}
			text, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			sources = append(sources, &source{name: prefix + p, text: string(text)})
			return nil
		})
	}
	if pack.Shared != nil {
		if err := collect(pack.Shared, templates.SharedDir+"/", true); err != nil {
			return nil, fmt.Errorf("shared partials: %w", err)
		}
	}
	if err := collect(pack.FS, "", false); err != nil {
		return nil, fmt.Errorf("template pack %s: %w", pack.Name, err)
	}
	next := make(chan *source)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range next {
				src.trees, src.err = parse.Parse(src.name, src.text, "", "", funcs, builtinNames)
			}
		}()
	}
	for _, src := range sources {
		next <- src
	}
	close(next)
	wg.Wait()
	set := template.New(pack.Name).Option("missingkey=error").Funcs(funcs)
	for _, src := range sources {
		if src.err != nil {
			if strings.HasPrefix(src.name, templates.SharedDir+"/") {
				return nil, fmt.Errorf("shared partials: %w", src.err)
			}
			return nil, fmt.Errorf("template pack %s: %w", pack.Name, src.err)
		}
		// In a stable order; within one file the order does not matter, as
		// a name defined twice in one file is a parse error.
		for _, name := range slices.Sorted(maps.Keys(src.trees)) {
			if _, err := set.AddParseTree(name, src.trees[name]); err != nil {
				return nil, fmt.Errorf("template pack %s: %w", pack.Name, err)
			}
		}
	}
	return set, nil
}

// builtinNames are text/template's own functions, which a parse must know
// besides the function map (it only checks that a name exists).
var builtinNames = map[string]any{}

func init() {
	for _, name := range strings.Fields("and call html index slice js len not or print printf println urlquery eq ge gt le lt ne") {
		builtinNames[name] = true
	}
}
