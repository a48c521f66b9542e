package checklists

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// The content model is a second opinion on the items the heuristics keep:
// a multinomial logistic regression over an item's words, its section's
// words and a few shape features, trained on the labelled corpus
// (testdata/corpus/labels.txt) by `go test ./checklists -run
// TestContentModelUpToDate -update`, which rewrites content_model.json.
// It skips an item only when it is confident the item is not actionable
// (junk: the agent's own work, output, tooling; or vague), at a threshold
// chosen by cross-validation grouped by author, an item with strong
// signals of a rule (a modal, a code span, a named defect, or an
// imperative about a security part, data control or test) only when it is
// very confident, and never an item seeds.yaml maps to rules. A section of
// three items or more that all read as not actionable above a lower limit,
// none with strong signals, is skipped whole (the limit also chosen held
// out, at a budget of its own).
// docs/checklist.md has the held-out figures.
//
//go:embed content_model.json
var contentModelJSON []byte

// The classes of the corpus labels, in the model's order.
const (
	classActionable = iota
	classVague
	classJunk
	numClasses
)

var contentClasses = [numClasses]string{"actionable", "vague", "junk"}

type contentModel struct {
	Classes []string `json:"classes"`
	// Threshold is the probability of "not actionable" above which an
	// item is skipped; Strong is the same for an item with strong signals.
	// A threshold of 1 or more skips nothing.
	Threshold float64 `json:"threshold"`
	Strong    float64 `json:"strong"`
	// Section is the probability above which a whole section is skipped
	// when every item of it reads as not actionable, three items at least
	// and none with strong signals (unlikelySections); 0 or 1: never.
	Section float64 `json:"section"`
	// Rescue is the probability of "not actionable" at or below which an
	// item the heuristics read as the agent's own (a workflow step, a
	// persona's duty) is kept all the same: "Put every route under
	// /api/v1/" in "Development Workflow". 0: never.
	Rescue  float64                        `json:"rescue,omitempty"`
	Bias    [numClasses]float64            `json:"bias"`
	Weights map[string][numClasses]float64 `json:"weights"`
}

var embeddedContentModel = sync.OnceValue(func() *contentModel {
	m, err := decodeContentModel(contentModelJSON)
	if err != nil {
		panic("checklists: content_model.json: " + err.Error())
	}
	return m
})

// decodeContentModel reads content_model.json. The file is written by
// encodeContentModel with one weight per line ("key": [a, b, c]), and
// those lines are read directly: encoding/json's reflection over ten
// thousand map entries was a fifth of a small file's whole checklist run.
// Anything else in a weight line falls back to encoding/json.
func decodeContentModel(data []byte) (*contentModel, error) {
	var m contentModel
	head, body, ok := bytes.Cut(data, []byte("\"weights\": {\n"))
	if !ok {
		err := json.Unmarshal(data, &m)
		return &m, err
	}
	header := append(bytes.Clone(bytes.TrimRight(head, ",\n")), '}') // a copy: data is the embedded file
	if err := json.Unmarshal(header, &m); err != nil {
		return nil, err
	}
	m.Weights = make(map[string][numClasses]float64, bytes.Count(body, []byte("\n")))
	for line := range bytes.Lines(body) {
		line = bytes.TrimRight(line, ",\n")
		if len(line) == 0 || line[0] == '}' {
			continue
		}
		key, vec, ok := bytes.Cut(line, []byte(": ["))
		var name string
		var err error
		if ok && len(key) >= 2 && key[0] == '"' && key[len(key)-1] == '"' && bytes.IndexByte(key, '\\') < 0 {
			name = string(key[1 : len(key)-1])
		} else if name, err = strconv.Unquote(string(key)); err != nil || !ok {
			var full contentModel
			err := json.Unmarshal(data, &full)
			return &full, err
		}
		var w [numClasses]float64
		rest, ok := bytes.CutSuffix(vec, []byte("]"))
		for c := range w {
			var f []byte
			if c < numClasses-1 {
				f, rest, ok = bytes.Cut(rest, []byte(", "))
			} else {
				f, ok = rest, ok && bytes.IndexByte(rest, ',') < 0
			}
			if !ok {
				return nil, fmt.Errorf("weight %q: want %d values", name, numClasses)
			}
			if w[c], err = strconv.ParseFloat(string(f), 64); err != nil {
				return nil, fmt.Errorf("weight %q: %w", name, err)
			}
		}
		m.Weights[name] = w
	}
	return &m, nil
}

func (m *contentModel) probsOf(features []string) [numClasses]float64 {
	z := m.Bias
	for _, f := range features {
		if w, ok := m.Weights[f]; ok {
			for c := range z {
				z[c] += w[c]
			}
		}
	}
	return softmax(z)
}

func softmax(z [numClasses]float64) [numClasses]float64 {
	top := max(z[0], z[1], z[2])
	var sum float64
	for c := range z {
		z[c] = math.Exp(z[c] - top)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
	return z
}

// filter moves the items the model is confident are not actionable to
// Skipped, with the probability.
func (m *contentModel) filter(p *guideParser) {
	if m == nil || m.Threshold >= 1 {
		return
	}
	seeded := seededItems()
	feats := contentFeaturesOf(p.g.Items)
	n := len(p.g.Items)
	probs, not, sections := make([][numClasses]float64, n), make([]float64, n), make([]string, n)
	seed, strong := make([]bool, n), make([]bool, n)
	for i, it := range p.g.Items {
		probs[i] = m.probsOf(feats[i])
		not[i] = probs[i][classVague] + probs[i][classJunk]
		seed[i] = seeded.rules(it) != nil
		strong[i] = seed[i] || strongSignals(it)
		sections[i] = it.Section
	}
	whole := unlikelySections(sections, not, strong, m.Section)
	kept := p.g.Items[:0]
	for i, it := range p.g.Items {
		if it.agent != "" {
			if not[i] <= m.Rescue {
				kept = append(kept, it)
			} else {
				p.skip(it.Line, "agent section", it.agent+": "+excerpt(it.Text))
			}
			continue
		}
		if seed[i] {
			kept = append(kept, it) // seeds.yaml says which rules it restates
			continue
		}
		pr := probs[i]
		limit := m.Threshold
		if strong[i] {
			limit = max(limit, m.Strong)
		}
		if not[i] <= limit && !whole[it.Section] {
			kept = append(kept, it)
			continue
		}
		why := "the agent's own work or not a rule of the code"
		if pr[classVague] > pr[classJunk] {
			why = "vague, nothing a reviewer can check"
		}
		if not[i] <= limit {
			why += ", as does every item of its section"
		}
		p.skip(it.Line, "content model", fmt.Sprintf("%s (reads as %s, p=%.2f)", excerpt(it.Text), why, not[i]))
	}
	p.g.Items = kept
}

// unlikelySections lists the sections of three items or more in which
// every item reads as not actionable with a probability above limit and
// none has strong signals: a skills list, a persona's boundaries, the
// agent's protocol, where one item alone would stay under the threshold.
// A limit of 0 or 1 or more lists none.
func unlikelySections(sections []string, not []float64, strong []bool, limit float64) map[string]bool {
	if limit <= 0 || limit >= 1 {
		return nil
	}
	count, low := map[string]int{}, map[string]bool{}
	for i, s := range sections {
		count[s]++
		if not[i] <= limit || strong[i] {
			low[s] = true
		}
	}
	out := map[string]bool{}
	for s, n := range count {
		if n >= 3 && !low[s] {
			out[s] = true
		}
	}
	return out
}

// seededItems indexes the seed mappings once: an item they map is never
// skipped by the model. An error in seeds.yaml is AddGuidelines' to report.
var seededItems = sync.OnceValue(func() seedIndex {
	seeds, _ := SeedMappings()
	return indexSeeds(seeds)
})

// strongSignals reports whether an item carries the marks of a rule the
// heuristics trust most: a modal or "by default", a code span, a named
// defect, an imperative about a security part, a data control or tests, or
// a sentence that says what every member of a part of the system is or does
// ("Monorepo: every microservice sits in this one repository", "Each
// microservice is its own Gradle project").
func strongSignals(it Item) bool {
	t := it.Text
	return ruleEvidence.MatchString(t) || strings.Contains(t, "`") || defectName.MatchString(t) ||
		imperative.MatchString(t) && (securityNoun.MatchString(t) || dataControl.MatchString(t) || testWords.MatchString(t)) ||
		slices.ContainsFunc(sentences(t), quantifiedSentence)
}

// quantifiedSentence reports whether a sentence, after any "Label: " lead,
// states what every member of a part of the system is or does; "All code
// follows the project conventions" names a body of conventions, not what
// they require.
func quantifiedSentence(s string) bool {
	if _, rest, ok := strings.Cut(s, ": "); ok {
		s = rest
	}
	if !quantifiedLabel.MatchString(s) {
		return false
	}
	_, verb, _ := strings.Cut(s, " ")
	for range 3 {
		if bareFollow.MatchString(verb) {
			return false
		}
		_, verb, _ = strings.Cut(verb, " ")
	}
	return !bareFollow.MatchString(verb)
}

var (
	// codeNoun names a part of a service; agentNoun the agent's own work.
	codeNoun  = lazyre.New(`(?i)\b(endpoints?|routes?|quer(y|ies)|tokens?|migrations?|schemas?|tables?|index(es)?|columns?|requests?|responses?|headers?|status codes?|functions?|class(es)?|modules?|apis?|databases?|models?|fields?|exceptions?|errors?|logs?|logging|cache|sessions?|cookies?|passwords?|secrets?|keys?|config\w*|env\w*|handlers?|views?|serializers?|transactions?|connections?|inputs?|payloads?|uploads?)\b`)
	agentNoun = lazyre.New(`(?i)\b(agents?|assistant|claude|copilot|user|reports?|findings?|reviews?|reviewers?|feedback|workflow|tasks?|commits?|pull requests?|prs?|tickets?|summary|summaries|output|deliverables?|expertise|experience|speciali[sz]\w*|responsibilit\w+|collaborat\w+|coordinat\w+)\b`)
	selfWord  = lazyre.New(`(?i)\b(i|we|my|our|me|us)\b`)
	youWord   = lazyre.New(`(?i)\b(you|your|yourself)\b`)
)

// contentFeatures lists an item's features: its words as written and
// stemmed, its pairs of words as written, the words of its section, its
// first word, and its shape. The word as written keeps its form ("use"
// against "using", "uses", "used": an imperative, a topic, a description),
// which the stem loses; held out, both together rank better than either.
// The nearest heading's words are not a feature of their own: they are in
// the section's already, and counting them twice fitted the training
// authors' headings.
func contentFeatures(it Item) []string {
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	raw := words(strings.ToLower(it.Text))
	var prev string
	for _, w := range raw {
		if stopWords[w] {
			continue
		}
		add("w:" + w)
		add("st:" + stem(w))
		if prev != "" {
			add("b:" + prev + "_" + w)
		}
		prev = w
	}
	for _, w := range tokens(it.Section) {
		add("s:" + w)
	}
	if len(raw) > 0 {
		add("first:" + stem(raw[0]))
	}
	switch n := len(raw); {
	case n <= 3:
		add("len:1-3")
	case n <= 8:
		add("len:4-8")
	case n <= 20:
		add("len:9-20")
	default:
		add("len:21+")
	}
	t := strings.TrimSpace(it.Text)
	shape := []struct {
		name string
		on   bool
	}{
		{"imperative", imperative.MatchString(t)},
		{"you", youWord.MatchString(t)},
		{"self", selfWord.MatchString(t)},
		{"colon", strings.HasSuffix(t, ":")},
		{"question", strings.HasSuffix(t, "?")},
		{"bold", it.Title != "" && it.Title != t && strings.HasPrefix(t, it.Title)},
		{"code", strings.Contains(t, "`")},
		{"digit", strings.ContainsAny(t, "0123456789")},
		{"modal", ruleEvidence.MatchString(t)},
		{"defect", defectName.MatchString(t)},
		{"security", securityNoun.MatchString(t)},
		{"data", dataControl.MatchString(t)},
		{"test", testWords.MatchString(t)},
		{"codenoun", codeNoun.MatchString(t)},
		{"agentnoun", agentNoun.MatchString(t)},
		{"agentsection", agentNoun.MatchString(it.Section)},
		{"titlecase", titleCase(t)},
	}
	for _, s := range shape {
		if s.on {
			add("f:" + s.name)
		}
	}
	return out
}

// contentFeaturesOf gives each item its own features (contentFeatures)
// and those of its section: how many items it holds, and what share of
// them are imperatives, bare noun phrases, about the agent's work, or say
// "you". A skills list, a deliverables list or a persona's protocol shows
// in the shape of all its items, where one item alone ("Error handling and
// logging") could be a check. The items are those the model is given: at run time what the
// heuristics keep, in training every item they are offered.
func contentFeaturesOf(items []Item) [][]string {
	kinds := []string{"imp", "bare", "agent", "you"}
	type tally struct{ n, of [4]int }
	bySection := map[string]*tally{}
	for _, it := range items {
		t := strings.TrimSpace(it.Text)
		imp := imperative.MatchString(t)
		bare := !imp && !ruleEvidence.MatchString(t) && len(words(t)) <= 6 && !strings.ContainsAny(strings.TrimRight(t, ".:"), ".!?")
		s := bySection[it.Section]
		if s == nil {
			s = &tally{}
			bySection[it.Section] = s
		}
		for k, on := range []bool{imp, bare, agentNoun.MatchString(t), youWord.MatchString(t)} {
			s.n[k]++
			if on {
				s.of[k]++
			}
		}
	}
	share := func(of, n int) string {
		switch {
		case of == 0:
			return "none"
		case of == n:
			return "all"
		case 2*of >= n:
			return "most"
		}
		return "some"
	}
	out := make([][]string, len(items))
	for i, it := range items {
		f := contentFeatures(it)
		s := bySection[it.Section]
		size := "1"
		switch n := s.n[0]; {
		case n >= 8:
			size = "8+"
		case n >= 4:
			size = "4-7"
		case n >= 2:
			size = "2-3"
		}
		f = append(f, "sec:size:"+size)
		for k, kind := range kinds {
			f = append(f, "sec:"+kind+":"+share(s.of[k], s.n[k]))
		}
		out[i] = f
	}
	return out
}
