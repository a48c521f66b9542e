package checklists

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Training of the content model (content.go). The examples are the items
// the heuristics were offered in each corpus file, kept or skipped, that
// have a label; the model is a multinomial logistic regression fitted by
// stochastic gradient descent in a fixed order, so that the same corpus
// gives the same model.
const (
	contentEpochs        = 20
	contentRate          = 0.1
	contentL2            = 3e-3
	contentMinCount      = 2    // a feature seen in fewer training examples is dropped
	contentFolds         = 5    // cross-validation folds, grouped by author
	contentBudget        = 0.02 // the share of actionable items the model may skip, held out
	contentStrong        = 0.99 // the threshold for an item with strong signals
	contentSectionBudget = 0.01 // the share of actionable items the section rule may skip besides, held out
	contentAuthorSize    = 30   // an author with this many examples weighs 1 an example; see trainContentModel
	contentRescue        = 0.1  // see contentModel.Rescue
)

type contentExample struct {
	feats   []string
	class   int
	strong  bool   // strongSignals
	section string // the item's section
	author  string // authorOf its file
}

// corpusDoc is one corpus file with what the heuristics alone make of it.
type corpusDoc struct {
	name, author string
	examples     []contentExample // the items offered to the heuristics, kept or not, that have a label
}

// authorOf groups the corpus files by author: the name's first word
// ("voltagent-backend-developer.md"). Files from sources the index does
// not name that share a first word ("backend-...") fall into one group,
// which only makes the held-out folds stricter.
func authorOf(file string) string {
	a, _, _ := strings.Cut(strings.TrimSuffix(file, ".md"), "-")
	return a
}

func loadCorpusDocs(t testing.TB, labels corpusLabels) []corpusDoc {
	t.Helper()
	var docs []corpusDoc
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		var offered []Item
		parseGuidelines(name, data, nil, &offered)
		d := corpusDoc{name: name, author: authorOf(name)}
		feats := contentFeaturesOf(offered)
		for i, it := range offered {
			if lab, ok := labels.label(name, it); ok {
				d.examples = append(d.examples, contentExample{feats[i], classOf(lab.kind), strongSignals(it), it.Section, d.author})
			}
		}
		docs = append(docs, d)
	}
	return docs
}

func classOf(kind string) int {
	return slices.Index(contentClasses[:], kind)
}

func contentExamples(docs []corpusDoc) []contentExample {
	var ex []contentExample
	for _, d := range docs {
		ex = append(ex, d.examples...)
	}
	return ex
}

// trainContentModel fits the model to the examples. Each example weighs
// sqrt(contentAuthorSize / n), n the examples of its author: a family of
// files of one author (VoltAgent's dozen subagents) would otherwise teach
// the model its own headings and phrasing, which no unseen file shares;
// held out by author and on the replay it ranks better so.
func trainContentModel(ex []contentExample) *contentModel {
	count, perAuthor := map[string]int{}, map[string]int{}
	for _, e := range ex {
		perAuthor[e.author]++
		for _, f := range e.feats {
			count[f]++
		}
	}
	var names []string
	for f, n := range count {
		if n >= contentMinCount {
			names = append(names, f)
		}
	}
	slices.Sort(names)
	index := make(map[string]int, len(names))
	for i, f := range names {
		index[f] = i
	}
	xs := make([][]int, len(ex))
	for i, e := range ex {
		for _, f := range e.feats {
			if j, ok := index[f]; ok {
				xs[i] = append(xs[i], j)
			}
		}
	}
	w := make([][numClasses]float64, len(names))
	var bias [numClasses]float64
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(11, 28))
	for epoch := range contentEpochs {
		rate := contentRate / (1 + 0.2*float64(epoch))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			z := bias
			for _, f := range xs[i] {
				for c := range z {
					z[c] += w[f][c]
				}
			}
			p := softmax(z)
			weight := math.Sqrt(contentAuthorSize / float64(perAuthor[ex[i].author]))
			for c := range p {
				g := weight * p[c]
				if c == ex[i].class {
					g -= weight
				}
				bias[c] -= rate * g
				for _, f := range xs[i] {
					w[f][c] -= rate * (g + contentL2*w[f][c])
				}
			}
		}
	}
	m := &contentModel{Classes: contentClasses[:], Threshold: 1, Strong: 1, Bias: round4(bias), Weights: map[string][numClasses]float64{}}
	for i, f := range names {
		m.Weights[f] = round4(w[i])
	}
	return m
}

func round4(v [numClasses]float64) [numClasses]float64 {
	for c := range v {
		v[c] = math.Round(v[c]*1e4) / 1e4
		if v[c] == 0 {
			v[c] = 0 // no "-0"
		}
	}
	return v
}

// scoredItem is an item with a model's probability that it is not
// actionable.
type scoredItem struct {
	not        float64
	strong     bool
	actionable bool
	section    string // the file and the section
}

func scoreOffered(m *contentModel, d corpusDoc) []scoredItem {
	var out []scoredItem
	for _, e := range d.examples {
		pr := m.probsOf(e.feats)
		out = append(out, scoredItem{pr[classVague] + pr[classJunk], e.strong, e.class == classActionable, d.name + "\x00" + e.section})
	}
	return out
}

// chooseThreshold picks the lowest threshold at which the model, held
// out, skips at most contentBudget of the actionable items (an item with
// strong signals only above contentStrong as well); 1 (skip nothing) when
// even the highest skips more.
func chooseThreshold(items []scoredItem) float64 {
	actionable := 0
	for _, s := range items {
		if s.actionable {
			actionable++
		}
	}
	best := 1.0
	for i := 99; i >= 50; i-- {
		tau := float64(i) / 100
		lost := 0
		for _, s := range items {
			limit := tau
			if s.strong {
				limit = max(tau, contentStrong)
			}
			if s.actionable && s.not > limit {
				lost++
			}
		}
		if float64(lost) > contentBudget*float64(actionable) {
			break
		}
		best = tau
	}
	return best
}

// chooseSection picks the lowest limit at which the section rule
// (unlikelySections), held out, skips at most contentSectionBudget of the
// actionable items besides those the threshold already skips; 1 (never)
// when even the highest skips more.
func chooseSection(items []scoredItem, tau float64) float64 {
	sections, not, strong := make([]string, len(items)), make([]float64, len(items)), make([]bool, len(items))
	actionable := 0
	for i, s := range items {
		sections[i], not[i], strong[i] = s.section, s.not, s.strong
		if s.actionable {
			actionable++
		}
	}
	best := 1.0
	for i := 99; i >= 50; i-- {
		limit := float64(i) / 100
		whole := unlikelySections(sections, not, strong, limit)
		lost := 0
		for _, s := range items {
			if s.actionable && whole[s.section] && s.not <= tau {
				lost++
			}
		}
		if float64(lost) > contentSectionBudget*float64(actionable) {
			break
		}
		best = limit
	}
	return best
}

// contentFoldsOf assigns each author to one of contentFolds folds: the
// authors with the most labelled items first, each to the fold with the
// fewest so far.
func contentFoldsOf(docs []corpusDoc) map[string]int {
	size := map[string]int{}
	for _, d := range docs {
		size[d.author] += len(d.examples)
	}
	var authors []string
	for a := range size {
		authors = append(authors, a)
	}
	slices.SortFunc(authors, func(a, b string) int {
		if size[a] != size[b] {
			return size[b] - size[a]
		}
		return strings.Compare(a, b)
	})
	fold, load := map[string]int{}, make([]int, contentFolds)
	for _, a := range authors {
		f := slices.Index(load, slices.Min(load))
		fold[a], load[f] = f, load[f]+size[a]
	}
	return fold
}

func docsWhere(docs []corpusDoc, keep func(corpusDoc) bool) []corpusDoc {
	return slices.DeleteFunc(slices.Clone(docs), func(d corpusDoc) bool { return !keep(d) })
}

// heldOutScores splits the docs' authors into contentFolds folds and
// scores each fold's offered items with a model trained on the other
// folds. The threshold is chosen on them rather than on the items today's
// rules keep: those are the residue of rules tuned on these very files
// (85 % actionable), while a file nobody tuned on reaches the model with
// about half its items not actionable.
func heldOutScores(docs []corpusDoc) []scoredItem {
	fold := contentFoldsOf(docs)
	var out []scoredItem
	for k := range contentFolds {
		m := trainContentModel(contentExamples(docsWhere(docs, func(d corpusDoc) bool { return fold[d.author] != k })))
		for _, d := range docsWhere(docs, func(d corpusDoc) bool { return fold[d.author] == k }) {
			out = append(out, scoreOffered(m, d)...)
		}
	}
	return out
}

// trainContent trains a model on the docs, with the threshold chosen on
// their held-out scores; content_model.json is trainContent of the whole
// corpus.
func trainContent(docs []corpusDoc) *contentModel {
	m := trainContentModel(contentExamples(docs))
	held := heldOutScores(docs)
	m.Threshold, m.Strong = chooseThreshold(held), contentStrong
	m.Section = chooseSection(held, m.Threshold)
	m.Rescue = contentRescue
	return m
}

// crossValidateContent trains one model per fold of authors on the other
// folds, its threshold chosen by cross-validation inside them, so that no
// held-out file has a say in its own model or threshold.
func crossValidateContent(docs []corpusDoc) (models []*contentModel, fold map[string]int) {
	fold = contentFoldsOf(docs)
	for k := range contentFolds {
		models = append(models, trainContent(docsWhere(docs, func(d corpusDoc) bool { return fold[d.author] != k })))
	}
	return models, fold
}

// encodeContentModel writes a model as JSON with one weight a line,
// sorted, so that a retrained model's diff is readable.
func encodeContentModel(m *contentModel) []byte {
	var b bytes.Buffer
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	vec := func(v [numClasses]float64) string {
		return "[" + num(v[0]) + ", " + num(v[1]) + ", " + num(v[2]) + "]"
	}
	classes, _ := json.Marshal(m.Classes)
	fmt.Fprintf(&b, "{\n\"classes\": %s,\n\"threshold\": %s,\n\"strong\": %s,\n\"section\": %s,\n\"rescue\": %s,\n\"bias\": %s,\n\"weights\": {\n", classes, num(m.Threshold), num(m.Strong), num(m.Section), num(m.Rescue), vec(m.Bias))
	keys := make([]string, 0, len(m.Weights))
	for k := range m.Weights {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		name, _ := json.Marshal(k)
		sep := ","
		if i == len(keys)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s: %s%s\n", name, vec(m.Weights[k]), sep)
	}
	b.WriteString("}\n}\n")
	return b.Bytes()
}

// TestContentModelUpToDate retrains the content model on the corpus and
// compares it with content_model.json; -update rewrites the file (then run
// -update once more: the golden files are made with the embedded model).
// Weights are compared to 0.001, so that a last-digit difference in
// floating point between machines does not fail it.
func TestContentModelUpToDate(t *testing.T) {
	labels := readCorpusLabels(t)
	docs := loadCorpusDocs(t, labels)
	m := trainContent(docs)
	t.Logf("%d examples, %d features, threshold %.2f", len(contentExamples(docs)), len(m.Weights), m.Threshold)
	if *update {
		if err := os.WriteFile("content_model.json", encodeContentModel(m), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	e := embeddedContentModel()
	stale := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("content_model.json is stale (%s): run go test ./checklists -run TestContentModelUpToDate -update, then go test ./checklists -update", fmt.Sprintf(format, args...))
	}
	if e.Threshold != m.Threshold || e.Strong != m.Strong || e.Section != m.Section || e.Rescue != m.Rescue {
		stale("thresholds %v / %v / %v / %v, retrained %v / %v / %v / %v", e.Threshold, e.Strong, e.Section, e.Rescue, m.Threshold, m.Strong, m.Section, m.Rescue)
	}
	if len(e.Weights) != len(m.Weights) {
		stale("%d features, retrained %d", len(e.Weights), len(m.Weights))
	}
	within := func(a, b [numClasses]float64) bool {
		for c := range a {
			if math.Abs(a[c]-b[c]) > 1e-3 {
				return false
			}
		}
		return true
	}
	if !within(e.Bias, m.Bias) {
		stale("bias %v, retrained %v", e.Bias, m.Bias)
	}
	for f, w := range m.Weights {
		if ew, ok := e.Weights[f]; !ok || !within(ew, w) {
			stale("feature %q: %v, retrained %v", f, ew, w)
		}
	}
}

// TestGuidelineCorpusCrossValidated is the first-contact estimate of the
// content model: the authors are split into five folds, each fold's files
// are run through the whole pipeline with a model trained on the other
// folds (its threshold chosen inside them), and the figures are compared
// with the heuristics alone on the same files. The heuristics themselves
// were tuned on every file, so both figures are in-sample for them; the
// difference is the model's, held out. It fails if the model lowers the
// pooled precision, or takes recall below the goal.
func TestGuidelineCorpusCrossValidated(t *testing.T) {
	labels := readCorpusLabels(t)
	docs := loadCorpusDocs(t, labels)
	models, fold := crossValidateContent(docs)
	var alone, with corpusScore
	for k, m := range models {
		in := func(file string) bool { return fold[authorOf(file)] == k }
		a := scoreCorpusWith(t, labels, in, func(file string, data []byte) Guideline { return parseGuidelines(file, data, nil, nil) }, true)
		w := scoreCorpusWith(t, labels, in, func(file string, data []byte) Guideline { return parseGuidelines(file, data, m, nil) }, true)
		t.Logf("fold %d (threshold %.2f, section %.2f): heuristics %s", k, m.Threshold, m.Section, a)
		t.Logf("fold %d (threshold %.2f, section %.2f): with model %s", k, m.Threshold, m.Section, w)
		alone, with = alone.plus(a), with.plus(w)
	}
	comparePooled(t, "held out", alone, with)
	_, rw, ww := with.figures()
	if rw < goalRecall {
		t.Errorf("held-out recall with the model is %.1f %%, below %.0f %%", 100*rw, 100*goalRecall)
	}
	if ww > goalWrongMerge {
		t.Errorf("held out with the model, %.1f %% of merges are wrong", 100*ww)
	}
	if with.weakDrops > 0 {
		t.Errorf("%d items merged or dropped on a weak match", with.weakDrops)
	}
}

// replayRound is what the rules of the time extracted from one held-out
// round's files at first contact, and the files the corpus held then
// (testdata/corpus/replay, made by its make-replay.sh from the commit
// that added the round, before the round's fixes).
type replayRound struct {
	Train []string
	Items map[string][]Item
}

// TestContentModelReplay replays first contact: for each held-out round
// (16 to 28, 30 and 31), a model trained only on the files the corpus held before
// the round (its threshold chosen by cross-validation among them) filters
// what the rules of the time extracted from the round's files, and both
// extractions are merged and scored against the labels. This is the
// closest the corpus comes to files nobody tuned on: neither the rules
// nor the model saw the round. The extraction of the training files is
// today's, so the model's examples are what today's rules offer. It fails
// if the model lowers pooled first-contact precision or costs more
// actionable items than it removes other items.
func TestContentModelReplay(t *testing.T) {
	labels := readCorpusLabels(t)
	docs := loadCorpusDocs(t, labels)
	byName := map[string]corpusDoc{}
	for _, d := range docs {
		byName[d.name] = d
	}
	dumps, err := filepath.Glob("testdata/corpus/replay/*.json")
	if err != nil || len(dumps) == 0 {
		t.Fatalf("no replay rounds in testdata/corpus/replay: %v", err)
	}
	var alone, with corpusScore
	for _, path := range dumps {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var r replayRound
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var train []corpusDoc
		for _, f := range r.Train {
			d, ok := byName[f]
			if !ok {
				t.Fatalf("%s: training file %s is not in the corpus", path, f)
			}
			train = append(train, d)
		}
		m := trainContent(train)
		replay := func(m *contentModel) func(string, []byte) Guideline {
			return func(file string, _ []byte) Guideline {
				p := &guideParser{g: Guideline{File: file, Items: slices.Clone(r.Items[file])}}
				m.filter(p)
				return p.g
			}
		}
		in := func(file string) bool { _, ok := r.Items[file]; return ok }
		a := scoreCorpusWith(t, labels, in, replay(nil), false)
		w := scoreCorpusWith(t, labels, in, replay(m), false)
		round := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Logf("%s (%d training files, threshold %.2f, section %.2f): rules of the time %s; %d unlabelled", round, len(train), m.Threshold, m.Section, a, a.unlabelled)
		t.Logf("%s: with the model %s; %d unlabelled", round, w, w.unlabelled)
		alone, with = alone.plus(a), with.plus(w)
	}
	comparePooled(t, "first contact", alone, with)
	_, ra, _ := alone.figures()
	_, rw, _ := with.figures()
	lostActionable := alone.captured - with.captured
	removedOther := (alone.extracted - alone.actionable) - (with.extracted - with.actionable)
	if lostActionable > removedOther {
		t.Errorf("the model costs %d actionable items to remove %d others (recall %.1f %% against %.1f %%)", lostActionable, removedOther, 100*rw, 100*ra)
	}
}

// comparePooled logs the pooled figures of the heuristics alone and with
// the model, and fails if the model lowers precision.
func comparePooled(t *testing.T, what string, alone, with corpusScore) {
	t.Helper()
	t.Logf("pooled %s: heuristics alone %s", what, alone)
	t.Logf("pooled %s: with the model %s", what, with)
	pa, _, _ := alone.figures()
	pw, _, _ := with.figures()
	if pw < pa {
		t.Errorf("the model lowers %s precision: %.1f %% against %.1f %% for the heuristics alone", what, 100*pw, 100*pa)
	}
}

// TestContentFeaturesOfContext checks the context features: a list of bare
// noun phrases is one in every item's features, and a section of one
// imperative is another.
func TestContentFeaturesOfContext(t *testing.T) {
	items := []Item{
		{Text: "API development (REST, GraphQL)", Section: "Agent > Core Skills"},
		{Text: "Caching strategies (Redis)", Section: "Agent > Core Skills"},
		{Text: "Error handling and logging", Section: "Agent > Core Skills"},
		{Text: "Use parameterised queries for every database call", Section: "Agent > Rules"},
	}
	feats := contentFeaturesOf(items)
	has := func(i int, f string) bool { return slices.Contains(feats[i], f) }
	for i := range 3 {
		for _, f := range []string{"sec:size:2-3", "sec:bare:all", "sec:imp:none", "sec:agent:none"} {
			if !has(i, f) {
				t.Errorf("item %d (%q) lacks %s: %v", i, items[i].Text, f, feats[i])
			}
		}
	}
	for _, f := range []string{"sec:size:1", "sec:imp:all", "sec:bare:none"} {
		if !has(3, f) {
			t.Errorf("item 3 lacks %s: %v", f, feats[3])
		}
	}
	if own := contentFeatures(items[3]); !slices.Equal(own, feats[3][:len(own)]) {
		t.Errorf("the item's own features come first: %v against %v", own, feats[3])
	}
}

// TestUnlikelySections checks the section rule: a section of three items
// or more, every one above the limit and none with strong signals, is
// listed; a section with one item under the limit or with strong signals,
// or of two items, is not, and a limit of 1 lists nothing.
func TestUnlikelySections(t *testing.T) {
	sections := []string{"skills", "skills", "skills", "rules", "rules", "rules", "pair", "pair", "protocol", "protocol", "protocol"}
	not := []float64{0.9, 0.95, 0.85, 0.9, 0.5, 0.95, 0.99, 0.99, 0.9, 0.9, 0.9}
	strong := []bool{false, false, false, false, false, false, false, false, false, true, false}
	got := unlikelySections(sections, not, strong, 0.8)
	if !got["skills"] || got["rules"] || got["pair"] || got["protocol"] || len(got) != 1 {
		t.Errorf("limit 0.8: got %v, want only skills", got)
	}
	if got := unlikelySections(sections, not, strong, 0.9); len(got) != 0 {
		t.Errorf("limit 0.9 (0.9 is not above it): got %v, want none", got)
	}
	if got := unlikelySections(sections, not, strong, 1); len(got) != 0 {
		t.Errorf("limit 1: got %v, want none", got)
	}
}

// TestContentRescue: an item of a section the heuristics read as the
// agent's own goes on to the model, which keeps it only when it is
// confident it is a rule of the code (Rescue); without a model, or with
// Rescue 0, the section's items are skipped as before.
func TestContentRescue(t *testing.T) {
	doc := []byte("## Workflow\n- Put every route under the versioned prefix\n- Open the ticket first\n")
	m := &contentModel{Classes: contentClasses[:], Threshold: 0.9, Strong: 0.99, Rescue: 0.1,
		Bias:    [numClasses]float64{0, 0, 1},
		Weights: map[string][numClasses]float64{"w:route": {8, 0, 0}}}
	kept := func(m *contentModel) (titles []string) {
		for _, it := range parseGuidelines("x.md", doc, m, nil).Items {
			titles = append(titles, it.Title)
		}
		return titles
	}
	if got, want := kept(m), []string{"Put every route under the versioned prefix"}; !slices.Equal(got, want) {
		t.Errorf("with rescue: kept %q, want %q", got, want)
	}
	// A threshold of 1 turns the model off, rescue included: the agent's
	// sections are skipped as with the heuristics alone.
	m.Threshold = 1
	if got := kept(m); got != nil {
		t.Errorf("with the model off: kept %q, want none", got)
	}
	m.Threshold, m.Rescue = 0.9, 0
	if got := kept(m); got != nil {
		t.Errorf("without rescue: kept %q, want none", got)
	}
	if got := kept(nil); got != nil {
		t.Errorf("heuristics alone: kept %q, want none", got)
	}
}

// TestDecodeContentModel checks the direct reading of content_model.json
// against encoding/json's, and that a file in another layout still reads.
func TestDecodeContentModel(t *testing.T) {
	var want contentModel
	if err := json.Unmarshal(contentModelJSON, &want); err != nil {
		t.Fatal(err)
	}
	got, err := decodeContentModel(contentModelJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("decodeContentModel differs from encoding/json: %d weights against %d, threshold %v against %v",
			len(got.Weights), len(want.Weights), got.Threshold, want.Threshold)
	}
	compact, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := decodeContentModel(compact); err != nil || !reflect.DeepEqual(got, &want) {
		t.Errorf("a compact file: %v, equal %v", err, reflect.DeepEqual(got, &want))
	}
	if _, err := decodeContentModel([]byte("{\n\"weights\": {\n\"a\": [1, 2]\n}\n}\n")); err == nil {
		t.Error("a weight with two values: no error")
	}
}

// BenchmarkContentModelDecode reads the embedded model directly (direct)
// and with encoding/json (json), the floor it replaces.
func BenchmarkContentModelDecode(b *testing.B) {
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeContentModel(contentModelJSON); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			var m contentModel
			if err := json.Unmarshal(contentModelJSON, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestStrongQuantifiedStatement: a sentence that says what every member of a
// part of the system is or does is a rule the model must be surer of before
// it skips it, even after a "Label: " lead; one that names a body of
// conventions is not ("All code follows the project conventions").
func TestStrongQuantifiedStatement(t *testing.T) {
	for text, want := range map[string]bool{
		"Monorepo: every microservice sits in this one repository.":           true,
		"Each microservice is its own single-module Gradle project.":          true,
		"All code follows the project conventions":                            false,
		"Shared code is copied into each service. Do not create shared code.": false,
	} {
		if got := strongSignals(Item{Text: text, Title: text}); got != want {
			t.Errorf("strongSignals(%q) = %v, want %v", text, got, want)
		}
	}
}
