package checklists

import (
	"bytes"
	_ "embed"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

//go:embed seeds.yaml
var seedsYAML []byte

// SeedMapping says how one guideline item of a seed file is honoured.
type SeedMapping struct {
	Seed     string   `yaml:"seed"`
	Section  string   `yaml:"section"`
	Item     string   `yaml:"item"`
	Rules    []string `yaml:"rules"`
	Features []string `yaml:"features"`
}

// SeedMappings returns the mapping of the seed guideline files to rules.
// seeds.yaml is embedded, so it is read and checked once per process.
func SeedMappings() ([]SeedMapping, error) {
	seedMappings.once.Do(func() { seedMappings.list, seedMappings.err = readSeedMappings() })
	return slices.Clone(seedMappings.list), seedMappings.err
}

var seedMappings struct {
	once sync.Once
	list []SeedMapping
	err  error
}

func readSeedMappings() ([]SeedMapping, error) {
	var out []SeedMapping
	dec := yaml.NewDecoder(bytes.NewReader(seedsYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("seeds.yaml: %w", err)
	}
	for _, m := range out {
		for _, id := range m.Rules {
			if _, ok := Lookup(id); !ok {
				return nil, fmt.Errorf("seeds.yaml: item %q maps to unknown rule %s", m.Item, id)
			}
		}
	}
	return out, nil
}

// Outcome is what AddGuidelines did with one item.
type Outcome struct {
	Item   Item
	Action string   // "merged", "added" or "not applicable"
	Rules  []string // the rules it merged into or was added as
	// Possibly names the rule a weak match pointed at: the item was kept
	// as new rather than dropped or merged on that evidence.
	Possibly string
	// Why says what decided the action, for --explain.
	Why string
}

// Actions of an Outcome.
const (
	Merged        = "merged"
	Added         = "added"
	NotApplicable = "not applicable"
)

// AddGuidelines adds the items of a guideline file to the checklist. An item
// that restates a built-in rule (or an item added before) is merged into it,
// which records the file as one of the rule's sources; an item that restates
// only rules that do not apply to this project is left out; anything else is
// added as a new rule with an id G-NN, marked with its source.
func (c *Checklist) AddGuidelines(g Guideline) ([]Outcome, error) {
	builtin, err := Rules()
	if err != nil {
		return nil, err
	}
	seeds, err := SeedMappings()
	if err != nil {
		return nil, err
	}
	file := filepath.Base(g.File)
	// The word sets of the rules, beside the rules they describe: computed
	// once per process for the built-in rules and once per rule for the
	// checklist's own (tokenising, or even looking up, every rule's text
	// again for every item was most of the time spent here).
	words := builtinWords(builtin)
	builtinSets := make([][3]map[string]bool, len(builtin))
	for i, r := range builtin {
		builtinSets[i] = words[ruleKey(r)]
	}
	ownSets := make([][3]map[string]bool, len(c.Rules))
	for i, r := range c.Rules {
		if w, ok := words[ruleKey(r)]; ok {
			ownSets[i] = w
		} else {
			ownSets[i] = ruleWordSets(r)
		}
	}
	seedIdx := indexSeeds(seeds)
	added := 0 // G- rules in the checklist, for the next id
	for _, r := range c.Rules {
		if strings.HasPrefix(r.ID, "G-") {
			added++
		}
	}
	var out []Outcome
	for _, it := range g.Items {
		src := Source{File: file, Line: it.Line}
		ids := seedIdx.rules(it)
		why := "the seed mapping (seeds.yaml) lists it"
		var weak match
		if ids == nil {
			// A merge drops the item's own wording, and "not applicable"
			// drops the item: both need strong evidence. A weak match
			// keeps the item as a new rule, marked.
			texts := [2]map[string]bool{wordSet(it.Title), wordSet(it.Text)}
			for k, rules := range [][]Rule{builtin, c.Rules} {
				sets := builtinSets
				if k == 1 {
					sets = ownSets
				}
				m := bestMatch(rules, sets, texts)
				if k == 1 && strings.HasPrefix(m.rule.ID, "G-") && m.strong() && (!samePredicate(it.Title, m.rule.Title) || otherMethods(it.Text, m.rule.Why)) {
					// Two items of guideline files that each say something
					// of their subject are one rule only if what they say
					// shares a word: "Every ServiceImpl class must be
					// annotated with @Service" is not "Every service method
					// is implemented in a ServiceImpl class".
					if weak.rule.ID == "" {
						weak = m
					}
					continue
				}
				if m.strong() {
					ids, why = []string{m.rule.ID}, m.explain()
					break
				}
				if m.weak() && weak.rule.ID == "" {
					weak = m
				}
			}
		}
		if ids == nil {
			added++
			r := c.newRule(it, src, added)
			o := Outcome{Item: it, Action: Added, Rules: []string{r.ID}, Why: "no rule shares enough of its words"}
			if weak.rule.ID != "" {
				o.Possibly = weak.rule.ID
				o.Why = "only a weak match: " + weak.explain() + "; kept as new"
				r.Why += " (Possibly the same as " + weak.rule.ID + ".)"
			}
			c.Rules = append(c.Rules, r)
			ownSets = append(ownSets, ruleWordSets(r))
			out = append(out, o)
			continue
		}
		var present []string
		for i := range c.Rules {
			if slices.Contains(ids, c.Rules[i].ID) {
				c.Rules[i].Sources = append(c.Rules[i].Sources, src)
				present = append(present, c.Rules[i].ID)
			}
		}
		if present == nil {
			out = append(out, Outcome{Item: it, Action: NotApplicable, Rules: ids,
				Why: why + "; the rule does not apply to these options"})
		} else {
			out = append(out, Outcome{Item: it, Action: Merged, Rules: present, Why: why})
		}
	}
	c.sortByArea()
	return out, nil
}

// seedRules finds the item among the seed mappings by its nearest section
// and title.
func seedRules(seeds []SeedMapping, it Item) []string { return indexSeeds(seeds).rules(it) }

// seedIndex holds the seed mappings by normalized section and item, so that
// looking an item up does not normalize every mapping again.
type seedIndex map[[2]string][]string

func indexSeeds(seeds []SeedMapping) seedIndex {
	idx := seedIndex{}
	for _, m := range seeds {
		key := [2]string{normalize(m.Section), normalize(m.Item)}
		if _, dup := idx[key]; !dup {
			idx[key] = m.Rules
		}
	}
	return idx
}

func (idx seedIndex) rules(it Item) []string {
	section := it.Section
	if i := strings.LastIndex(section, " > "); i >= 0 {
		section = section[i+3:]
	}
	return idx[[2]string{normalize(section), normalize(it.Title)}]
}

// match is the best rule for an item and how much they share.
type match struct {
	rule   Rule
	shared int     // stemmed words in common
	score  float64 // the share of the item's words the rule covers
	title  float64 // the share of the rule's title words the item has
	pred   bool    // the item has a word of what the rule's title says of its subject
}

// strong: most of the item's words, and at least three, are the rule's,
// and the item names a good part of what the rule's title is about. Words
// shared only with a rule's explanation are a common area, not the same
// intent: "Transactions that roll back on failure" shares "transaction"
// with a rule about enqueueing jobs after commit.
//
// The item must also share a word of what the title says of its subject,
// when the title says it after "is", "are", "have" and the like: "Business
// logic in services" names the subject of "Business logic and endpoints
// have tests", not the tests.
func (m match) strong() bool { return m.shared >= 3 && m.score >= 0.75 && m.title >= 0.4 && m.pred }

// weak: some overlap, not enough to merge on.
func (m match) weak() bool { return m.rule.ID != "" && m.shared >= 2 && m.score >= 0.5 }

func (m match) explain() string {
	return fmt.Sprintf("%d words and %.0f%% of the item shared with %s (%s), %.0f%% of its title", m.shared, 100*m.score, m.rule.ID, m.rule.Title, 100*m.title)
}

// bestMatch finds the rule an item most likely restates: most of the item's
// words (stemmed, without filler) appear in the rule's title and reason.
// sets holds each rule's word sets (title and reason, title alone); texts
// the item's title and text.
func bestMatch(rules []Rule, sets [][3]map[string]bool, texts [2]map[string]bool) match {
	var best match
	bestSpecific := 0.0
	for _, words := range texts {
		for i, r := range rules {
			rw, tw, pw := sets[i][0], sets[i][1], sets[i][2]
			shared, inTitle := 0, 0
			pred := len(pw) == 0
			for w := range words {
				if rw[w] {
					shared++
				}
				if tw[w] {
					inTitle++
				}
				pred = pred || pw[w]
			}
			if shared < 2 {
				continue
			}
			// How much of the item the rule covers decides; on a tie, the
			// rule the item covers more of (the more specific one) wins.
			score := float64(shared) / float64(len(words))
			specific := float64(shared) / float64(len(rw))
			title := 0.0
			if len(tw) > 0 {
				title = float64(inTitle) / float64(len(tw))
			}
			if score > best.score || score == best.score && specific > bestSpecific {
				best, bestSpecific = match{r, shared, score, title, pred}, specific
			}
		}
	}
	return best
}

func ruleKey(r Rule) string { return r.Title + "\x00" + r.Why }

func ruleWordSets(r Rule) [3]map[string]bool {
	return [3]map[string]bool{wordSet(r.Title + " " + r.Why), wordSet(r.Title), predicateWords(r.Title)}
}

// predicateWords are the words of a rule's title after its first verb of
// being or having ("Business logic and endpoints have tests" -> tests): what
// the rule says of its subject. A title without such a verb has none.
func predicateWords(title string) map[string]bool {
	ws := words(strings.ToLower(title))
	for i, w := range ws {
		if copulas[w] {
			return wordSet(strings.Join(ws[i+1:], " "))
		}
	}
	return nil
}

// samePredicate reports whether an item and a rule that both say something
// of their subject (after "is", "must be" and the like) say something that
// shares a word; when either says nothing so, they may be the same.
func samePredicate(item, rule string) bool {
	a, b := predicateWords(item), predicateWords(rule)
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for w := range a {
		if b[w] {
			return true
		}
	}
	return false
}

// otherMethods reports whether two items each name HTTP methods and share
// none: "Delete resource: DELETE; /api/v1/articles/:id; 200 OK" and "Get
// one resource: GET; /api/v1/articles/:id; 200 OK" are two routes, however
// many words they share.
func otherMethods(a, b string) bool {
	ma, mb := httpMethods.FindAllString(a, -1), httpMethods.FindAllString(b, -1)
	if len(ma) == 0 || len(mb) == 0 {
		return false
	}
	for _, m := range ma {
		if slices.Contains(mb, m) {
			return false
		}
	}
	return true
}

var httpMethods = lazyre.New(`\b(GET|POST|PUT|PATCH|DELETE)\b`)

var copulas = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "has": true,
	"have": true, "must": true, "should": true, "never": true, "does": true, "do": true}

var builtinWordSets struct {
	once sync.Once
	sets map[string][3]map[string]bool
}

// builtinWords returns the word sets of the built-in rules, computed on the
// first call; rules.yaml is embedded, so they never change.
func builtinWords(rules []Rule) map[string][3]map[string]bool {
	builtinWordSets.once.Do(func() {
		builtinWordSets.sets = make(map[string][3]map[string]bool, len(rules))
		for _, r := range rules {
			builtinWordSets.sets[ruleKey(r)] = ruleWordSets(r)
		}
	})
	return builtinWordSets.sets
}

// newRule makes the checklist's n-th rule from guidelines (G-n).
func (c *Checklist) newRule(it Item, src Source, n int) Rule {
	why := it.Text
	if normalize(why) == normalize(it.Title) {
		why = "From " + src.File + "."
	}
	area := guessArea(it.Section + " " + it.Text)
	sev := Medium
	if area == "security" || area == "auth" {
		sev = High
	}
	return Rule{ID: fmt.Sprintf("G-%02d", n), Title: it.Title, Why: why, Area: area, Severity: sev,
		Sources: []Source{src}}
}

func (c *Checklist) sortByArea() {
	order := map[string]int{}
	for i, a := range Areas {
		order[a.Key] = i
	}
	slices.SortStableFunc(c.Rules, func(a, b Rule) int { return order[a.Area] - order[b.Area] })
}

// areaWords are word stems that suggest an area, for items that match no rule.
var areaWords = map[string][]string{
	"api":          {"endpoint", "rest", "http", "rout", "paginat", "graphql", "request", "respons"},
	"data":         {"databas", "schema", "migrat", "model", "column", "index", "transact", "query", "sql", "orm"},
	"auth":         {"auth", "login", "password", "jwt", "oauth", "session", "token", "role", "permiss", "rbac"},
	"security":     {"secur", "secret", "inject", "xss", "csrf", "cor", "sensitiv", "encrypt", "sanitiz", "vulnerab"},
	"errors":       {"error", "except", "log", "monitor", "track", "alert"},
	"config":       {"config", "environ", "env", "setting", "deploy", "docker"},
	"docs":         {"document", "comment", "readme", "openapi", "swagger", "spec"},
	"async":        {"async", "queue", "background", "job", "retry", "timeout", "worker", "celery"},
	"testing":      {"test", "coverag", "lint", "quality", "convent", "review", "typ"},
	"performance":  {"perform", "cach", "optimi", "scal", "bottleneck", "latency", "memory"},
	"integrations": {"payment", "stripe", "email", "sms", "third", "webhook", "provider", "integrat"},
}

func guessArea(text string) string {
	words := tokens(text)
	best, bestN := "testing", 0
	for _, a := range Areas {
		n := 0
		for _, w := range words {
			for _, stem := range areaWords[a.Key] {
				if strings.HasPrefix(w, stem) {
					n++
					break
				}
			}
		}
		if n > bestN {
			best, bestN = a.Key, n
		}
	}
	return best
}

var (
	wordRe = lazyre.New(`[a-z0-9]+`)
	// pathRe also takes a dotted call ("Model.query.first(") as one name:
	// "Model.query.first()" and "Model.query.all()" are different calls,
	// not two words in common.
	pathRe    = lazyre.New(`(?i)\b[\w.-]+(?:/[\w.-]+)+/?|\b[\w-]+\.(?:sql|py|md|json|ya?ml|toml|txt|ts|js|go|env|cfg|ini)\b|\b\w+(?:\.\w+)+\(`)
	stopWords = map[string]bool{}
	suffixes  = []string{"ations", "ation", "ating", "ated", "ates", "izing", "ising", "ized", "ised",
		"izes", "ises", "ings", "ing", "ize", "ise", "ate", "ed", "es", "s", "ly"}
)

func init() {
	for _, w := range strings.Fields(`a an and are as at be by can do for from has have in into is it its
		of on or that the their them then there these this to was were what when where which while who
		will with you your all any each every some such not no never always use using used make ensure
		proper properly appropriate appropriately implement implementing implemented include including
		provide providing follow following good best practice practices should must may also only
		than via per well clear clearly consider considering etc e g i put add keep write apply give
		one ones them they we our it's don t`) {
		stopWords[w] = true
	}
}

func tokens(s string) []string {
	var out []string
	for _, w := range words(strings.ToLower(s)) {
		if !stopWords[w] {
			out = append(out, stem(w))
		}
	}
	return out
}

// words splits lower-case text into its runs of letters and digits, as
// wordRe would, without a regexp (it runs for every item and rule).
func words(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		alnum := i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9')
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	return out
}

func wordSet(s string) map[string]bool {
	// A rule id ("G-SEC-5") is a cross-reference, and a path
	// ("backend/db/schema.sql") one name: neither is words of the rule.
	if strings.ContainsAny(s, "-/.") {
		s = ruleIDRe.ReplaceAllString(s, " ")
		s = pathRe.RE().ReplaceAllStringFunc(s, func(p string) string {
			return strings.Map(func(r rune) rune {
				if r == '/' || r == '.' || r == '_' || r == '-' {
					return -1
				}
				return r
			}, p)
		})
	}
	m := map[string]bool{}
	for _, w := range tokens(s) {
		m[w] = true
	}
	return m
}

// stem strips common English suffixes so that "queries", "query" and
// "parameterised", "parameterized" compare equal. It is crude on purpose:
// it only has to make the same word in two spellings look alike.
func stem(w string) string {
	if strings.HasSuffix(w, "ies") && len(w) > 4 {
		return w[:len(w)-3] + "y"
	}
	for _, s := range suffixes {
		if strings.HasSuffix(w, s) && len(w)-len(s) >= 3 {
			w = w[:len(w)-len(s)]
			break
		}
	}
	if len(w) > 3 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	return w
}

func normalize(s string) string {
	return strings.Join(wordRe.FindAllString(strings.ToLower(s), -1), " ")
}
