package checklists

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// markdown is the CommonMark parser. GitHub tables are found in its
// paragraphs (tableAt) rather than by goldmark's extension package, whose
// package initialisation (linkify's and the table's regexps) every scaffold
// command would pay at start-up.
var markdown = goldmark.New()

// mdDoc is the body of a guideline file with what is needed to map goldmark's
// byte offsets back to lines.
type mdDoc struct {
	src    []byte
	starts []int // offsets of line starts
	lines  []string
	last   int // the last line placed, for blocks without text
}

func (d *mdDoc) lineOf(off int) int {
	return sort.Search(len(d.starts), func(i int) bool { return d.starts[i] > off })
}

// blockText joins the lines of a block, each trimmed, with spaces.
func (d *mdDoc) blockText(n ast.Node) string {
	var parts []string
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		if t := strings.TrimSpace(string(seg.Value(d.src))); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// firstLine is the 1-based line a block starts on, or 0 when it has no text.
func (d *mdDoc) firstLine(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			d.last = d.lineOf(c.Lines().At(0).Start)
			return d.last
		}
	}
	return 0
}

// unwrapTemplate removes the fence around a whole Markdown file shown as a
// template ("```markdown" over "# API Service: ..." with its own code
// blocks inside): CommonMark closes such a fence at the first inner fence,
// so the template would be read half as code and half as text. The wrapper
// is unwrapped only when its first line is a heading and it holds fences of
// its own; its closing fence is the last bare fence that leaves the inner
// ones paired.
func (p *guideParser) unwrapTemplate(lines []string) {
	for i := 0; i < len(lines); i++ {
		if !templateFence.MatchString(lines[i]) {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j == len(lines) || atxLevel(strings.TrimSpace(lines[j])) == 0 {
			continue
		}
		inner, end := 0, -1
		for k := j; k < len(lines); k++ {
			if !fenceRe.MatchString(lines[k]) {
				continue
			}
			if strings.TrimSpace(lines[k]) == "```" && inner%2 == 0 && inner > 0 {
				end = k
			}
			inner++
		}
		if end < 0 {
			continue
		}
		if r := reportTemplateEnd(lines, i); r > 0 {
			p.skip(i+1, "report template", fmt.Sprintf("lines %d to %d show the Markdown of the agent's report", i+1, r+1))
			for k := i; k <= r; k++ {
				lines[k] = ""
			}
			i = r
			continue
		}
		p.skip(i+1, "template wrapper", fmt.Sprintf("lines %d and %d fence a Markdown template, read as Markdown", i+1, end+1))
		lines[i], lines[end] = "", ""
		i = end
	}
}

// reportTemplateEnd returns the closing line of the Markdown fence that
// opens at lines[i] when it sits under a heading about the agent's output
// ("## Output Format" over "```markdown" and "## 🔒 Security Review") and
// holds no fence of its own: its headings and bullets are the report the
// agent writes, not sections of the file, and its end is its first fence,
// as CommonMark reads it, not the last bare fence of the file ("## Usage"
// over "```" after it). Such a fence is skipped whole rather than
// unwrapped. A report that shows code keeps the wrapper's reading. It
// returns -1 elsewhere.
func reportTemplateEnd(lines []string, i int) int {
	heading := ""
	for k := i - 1; k >= 0 && heading == ""; k-- {
		if t := strings.TrimSpace(lines[k]); atxLevel(t) > 0 {
			heading = headingWords(strings.TrimLeft(t, "# "))
		}
	}
	if !reportHeading.MatchString(heading) {
		return -1
	}
	for k := i + 1; k < len(lines); k++ {
		if !fenceRe.MatchString(lines[k]) {
			continue
		}
		if strings.TrimSpace(lines[k]) == "```" {
			return k
		}
		return -1
	}
	return -1
}

// reportHeading names a section about the format of the agent's output.
var reportHeading = lazyre.New(`(?i)\b(output|report|response) (format|structure|template)\b`)

// templateFence opens a fence that shows Markdown.
var templateFence = lazyre.New("^```\\s*(markdown|md)\\s*$")

// blankBlocks blanks, outside code fences, the parts CommonMark would read
// differently from how agent files mean them, recording each as skipped:
// HTML comments, and XML-like blocks (<example>, <commentary>, <details>)
// that run to their closing tag even across blank lines.
func (p *guideParser) blankBlocks(lines []string) {
	fence := ""
	level := 0 // of the last ATX heading, for a tag read as a section
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		trimmed := strings.TrimSpace(raw)
		if m := fenceRe.FindStringSubmatch(raw); m != nil {
			switch {
			case fence == "":
				fence = m[1][:3]
			case strings.HasPrefix(trimmed, fence):
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		var end int
		switch m := openTagRe.FindStringSubmatch(raw); {
		case strings.HasPrefix(trimmed, "<!--"):
			p.skip(i+1, "comment", excerpt(trimmed))
			end = p.blockEnd(lines, i, "-->")
		case m != nil && ruleTags[strings.ToLower(m[1])]:
			// Cursor rule files wrap their rules in <rule>...</rule> as YAML:
			// its messages are the guidance, the patterns and metadata are not.
			if end = p.blockEnd(lines, i, "</"+m[1]+">"); end > i {
				p.skip(i+1, "rule block", "<"+m[1]+">: messages kept, patterns and metadata skipped")
				ruleBlock(lines, i, end)
				i = end
				continue
			}
			p.skip(i+1, "example block", "<"+m[1]+">")
		case m != nil && trimmed == "<"+m[1]+">" && !exampleTags[strings.ToLower(m[1])]:
			// "<review_dimensions>" over headings and lists: a section of the
			// file under a tag, not an example. The tag becomes a heading
			// one level below the last one, its closing tag a blank line.
			if end = p.blockEnd(lines, i, "</"+m[1]+">"); end > i && markdownInside(lines[i+1:end]) {
				if strings.TrimSpace(lines[end]) == "</"+m[1]+">" {
					lines[end] = ""
					lines[i] = strings.Repeat("#", min(level+1, 6)) + " " + tagTitle(m[1])
					if level == 0 {
						level = 1
					}
					continue
				}
			}
			p.skip(i+1, "example block", "<"+m[1]+">")
		case m != nil:
			p.skip(i+1, "example block", "<"+m[1]+">")
			end = p.blockEnd(lines, i, "</"+m[1]+">")
		default:
			if h := atxLevel(trimmed); h > 0 {
				level = h
				// "## <critical-constraints>": a section named by a tag
				// written as a heading; its title is the tag's words.
				if t := headingTagRe.FindStringSubmatch(trimmed); t != nil {
					lines[i] = strings.Repeat("#", h) + " " + tagTitle(t[1])
				}
			} else if closeTagRe.MatchString(trimmed) {
				// The closing tag of such a section, or of a tag already
				// read as a heading: it ends the section and says nothing,
				// and must not run on into the list item above it.
				lines[i] = ""
			}
			continue
		}
		for j := i; j <= end; j++ {
			lines[j] = ""
		}
		i = end
	}
}

// parseMarkdown walks the CommonMark tree of the body (front matter, XML-like
// blocks and comments already blanked, so offsets still match lines) and
// feeds the blocks to the guideline heuristics.
func (p *guideParser) parseMarkdown(lines []string) {
	body := strings.Join(lines, "\n")
	d := &mdDoc{src: []byte(body), lines: lines}
	d.starts = append(d.starts, 0)
	for i, c := range d.src {
		if c == '\n' {
			d.starts = append(d.starts, i+1)
		}
	}
	root := markdown.Parser().Parse(text.NewReader(d.src))
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		p.block(d, n)
	}
}

func (p *guideParser) block(d *mdDoc, n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading:
		p.flush()
		p.level = n.Level
		title := clean(d.blockText(n))
		p.setHeading(n.Level, title)
		parent := p.parentHeading(n.Level)
		if codeOnlySection(n) && (requiredMark.MatchString(title) || (headingNumber.MatchString(title) || ruleHeading(title)) && parent != "" && requirementContext.MatchString(parent) ||
			crossHeading.MatchString(title) || ruleHeading(title) && !kindHeading.MatchString(headingWords(title)) && d.contrastsCode(n)) {
			// "## Critical Rules > ### 1. Type Hints (Required)" over a code
			// block and nothing else: a numbered heading under rules, one
			// worded as a rule ("## Security Rules > ### Never Hardcode
			// Secrets"), or one marked required, is the rule, the code its
			// example. So is a heading crossed out ("### ❌ Missing indexes
			// on foreign keys": what not to do), and one worded as a rule
			// over code that sets wrong lines beside right ones ("### Avoid
			// N+1 Queries" over "# ❌ BAD" and "# ✅ GOOD"), whatever its
			// parent: the marks say the code illustrates a rule.
			if line := d.firstLine(n); line > 0 && !p.example {
				w := headingWords(title)
				if crossHeading.MatchString(title) && !negativeRe.MatchString(w) {
					w = "Avoid: " + w
				}
				p.add(Item{Line: line, Section: p.section(), Title: w, Text: w})
			}
		}
	case *ast.ThematicBreak:
		p.flush()
	case *ast.FencedCodeBlock:
		p.flush()
		p.responseBlock(d, n)
		start := d.firstLine(n) - 1
		if n.Info != nil {
			start = d.lineOf(n.Info.Segment.Start)
		}
		if start < 1 {
			start = min(d.last+1, len(d.lines)) // an empty block with a bare fence
		}
		end := len(d.lines)
		if l := n.Lines(); l.Len() > 0 {
			end = d.lineOf(l.At(l.Len()-1).Start) + 1
		}
		end = max(min(end, len(d.lines)), start)
		d.last = end
		p.skip(start, "code block", fmt.Sprintf("lines %d-%d", start, end))
		if n.Info == nil && !p.example {
			p.textChecklist(d, n)
		} else if !p.example {
			p.markedComments(d, n)
		}
		if !p.example {
			p.proseComments(d, n)
			p.taskPrompts(d, n)
			p.gateComments(d, n)
		}
	case *ast.CodeBlock:
		p.flush()
		l := n.Lines()
		if l.Len() == 0 {
			return
		}
		start, end := d.lineOf(l.At(0).Start), d.lineOf(l.At(l.Len()-1).Start)
		p.skip(start, "code block", fmt.Sprintf("lines %d-%d", start, end))
	case *ast.Paragraph, *ast.TextBlock:
		lines, header := d.tableAt(n)
		if header != 0 {
			// The text before a table (or the whole paragraph) is prose.
			p.flushItem()
			p.stack = nil
			p.label = ""
			limit := n.Lines().Len()
			if header > 0 {
				limit = header
			}
			p.para, p.paraLines = d.lineTexts(n, limit)
			p.paraLine = d.firstLine(n)
			if header < 0 && (p.boldLabel(n) || p.plainTitle(n)) {
				return
			}
			p.overCode = header < 0 && d.codeFence(n.NextSibling())
			p.endParagraph()
			p.overCode = false
		}
		if header < 0 {
			return
		}
		p.flush()
		p.table = 0
		for i, line := range lines[header:] {
			if i != 1 && line > 0 && line <= len(d.lines) { // the delimiter row is not a row
				p.tableRow(strings.TrimSpace(d.lines[line-1]), line)
			}
		}
		p.table = 0
	case *ast.Blockquote:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			p.block(d, c)
		}
	case *ast.List:
		p.endParagraph()
		if p.numberedTitle(d, n) {
			return
		}
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			p.item(d, item)
		}
	case *ast.HTMLBlock:
		p.flush()
		if l := n.Lines(); l.Len() > 0 {
			line := d.lineOf(l.At(0).Start)
			p.skip(line, "example block", excerpt(strings.TrimSpace(d.lines[line-1])))
		}
	}
}

// item handles one list item: its own text (paragraphs joined), then the
// lists and blocks nested in it.
func (p *guideParser) item(d *mdDoc, item ast.Node) {
	line := d.firstLine(item)
	var own []string
	var ownNodes []ast.Node
	var nested []ast.Node
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if _, header := d.tableAt(c); nested == nil && header < 0 {
				own = append(own, d.blockText(c))
				ownNodes = append(ownNodes, c)
				continue
			}
		}
		nested = append(nested, c)
	}
	// The marker's indent orders nesting, as the heuristics expect.
	indent := 0
	if line > 0 && line <= len(d.lines) {
		if m := listRe.FindStringSubmatch(d.lines[line-1]); m != nil {
			indent = len(m[1])
		}
	}
	if line == 0 {
		// An empty item ("-" alone): no text to place it by.
		line = d.last + 1
	}
	p.endParagraph()
	if len(ownNodes) == 1 {
		// "4. **Checks per Language**" over "Python: eval, pickle" and
		// "SQL: parameterized queries" on lines of their own: a title over
		// a list written without list marks, each line an entry under it.
		if texts, at := d.lineTexts(ownNodes[0], ownNodes[0].Lines().Len()); labelLines(texts) {
			p.listItem(indent, texts[0], line)
			for i := 1; i < len(texts); i++ {
				p.listItem(indent+2, texts[i], at[i])
			}
			own = nil
		}
	}
	if own != nil || len(ownNodes) == 0 {
		p.listItem(indent, strings.Join(own, " "), line)
	}
	for _, c := range nested {
		if l, ok := c.(*ast.List); ok {
			for it := l.FirstChild(); it != nil; it = it.NextSibling() {
				p.item(d, it)
			}
			continue
		}
		p.flushItem()
		p.block(d, c)
	}
}

// labelLines reports whether a block is a bold title on a line of its own
// over two or more lines that each open with a short plain label and its
// colon and go on with text ("Python: eval, pickle, yaml.load").
func labelLines(texts []string) bool {
	if len(texts) < 3 || !boldTitleLine.MatchString(texts[0]) && !bareBold.MatchString(texts[0]) {
		return false
	}
	for _, t := range texts[1:] {
		if !plainLabelLine.MatchString(t) || boldLineRe.MatchString(t) {
			return false
		}
	}
	return true
}

var (
	bareBold       = lazyre.New(`^(?:\*\*|__)[^*_]+(?:\*\*|__)$`)
	plainLabelLine = lazyre.New(`^\p{Lu}[\w.#+/-]*( [\w.#+/-]+){0,2}: \S`)
)

// parentHeading is the words of the nearest heading above the given level.
func (p *guideParser) parentHeading(level int) string {
	for i := min(level-1, len(p.headings)) - 1; i >= 0; i-- {
		if p.headings[i] != "" {
			return headingWords(p.headings[i])
		}
	}
	return ""
}

// requiredMark is a heading's mark that its subject is required ("Type
// Hints (Required)").
var requiredMark = lazyre.New(`(?i)\((required|mandatory|must)\b[^)]*\)|\b(MUST|REQUIRED)\b`)

// ruleHeading reports whether a heading is worded as a rule: it opens with
// an imperative or a prohibition ("Validate All Inputs", "Never Hardcode
// Secrets"), or says where it holds ("Async/Await Everywhere").
func ruleHeading(title string) bool {
	w := headingWords(title)
	return imperative.MatchString(w) || negativeRe.MatchString(w) || everywhere.MatchString(w)
}

var everywhere = lazyre.New(`(?i)\b(everywhere|throughout)$`)

// kindHeading names a kind of example ("Anti-Patterns (What NOT to Do)",
// "Do's and Don'ts"), not one rule.
var kindHeading = lazyre.New(`(?i)^(anti-?patterns?|forbidden|prohibited|banned|(do'?s|dos) and don'?ts)\b|^(don'?ts|do nots)$`)

// crossHeading is a heading that opens with a cross mark.
var crossHeading = lazyre.New(`^\s*[❌✗✘]`)

// contrastsCode reports whether the code blocks a heading holds mark some
// lines wrong (❌, ✗) and others right (✅, ✓).
func (d *mdDoc) contrastsCode(h *ast.Heading) bool {
	wrong, right := false, false
	for n := h.NextSibling(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); ok {
			break
		}
		l := n.Lines()
		for i := range l.Len() {
			seg := l.At(i)
			v := seg.Value(d.src)
			wrong = wrong || bytes.ContainsAny(v, "❌✗✘")
			right = right || bytes.ContainsAny(v, "✅✓")
		}
	}
	return wrong && right
}

// codeOnlySection reports whether what a heading holds, up to the next
// heading, is one or more code blocks and nothing else.
func codeOnlySection(h *ast.Heading) bool {
	code := false
	for n := h.NextSibling(); n != nil; n = n.NextSibling() {
		switch n.(type) {
		case *ast.Heading, *ast.ThematicBreak:
			return code
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			code = true
		default:
			return false
		}
	}
	return code
}

// tableAt finds a GitHub table in a paragraph as goldmark's table extension
// does: a line followed by a delimiter row (cells of dashes, with colons for
// alignment, at least one pipe) with as many cells; every later line is a
// row. It returns the paragraph's line numbers and the index of the header
// row among them, or -1 when the paragraph holds no table.
func (d *mdDoc) tableAt(n ast.Node) ([]int, int) {
	segs := n.Lines()
	if segs.Len() < 2 {
		return nil, -1
	}
	for i := 1; i < segs.Len(); i++ {
		seg, prev := segs.At(i), segs.At(i-1)
		delim := strings.TrimSpace(string(seg.Value(d.src)))
		if !strings.Contains(delim, "|") || !isDelimiterRow(delim) {
			continue
		}
		header := strings.TrimSpace(string(prev.Value(d.src)))
		if len(tableCells(header)) != len(tableCells(delim)) {
			continue
		}
		lines := make([]int, segs.Len())
		for j := range segs.Len() {
			lines[j] = d.lineOf(segs.At(j).Start)
		}
		return lines, i - 1
	}
	return nil, -1
}

// lineTexts returns the first n lines of a block, each trimmed, and the
// line each is on, so that a sentence of a paragraph keeps its own line.
func (d *mdDoc) lineTexts(b ast.Node, n int) (texts []string, at []int) {
	lines := b.Lines()
	for i := range min(n, lines.Len()) {
		seg := lines.At(i)
		if t := strings.TrimSpace(string(seg.Value(d.src))); t != "" {
			texts = append(texts, t)
			at = append(at, d.lineOf(seg.Start))
		}
	}
	return texts, at
}

// boldLabel reads a paragraph that is only a bold phrase ("**CRITICAL
// VULNERABILITIES** (act now)") right above a list as the label of that
// list, as "Label:" would be: files that set their sections in bold rather
// than with headings label their lists this way.
func (p *guideParser) boldLabel(n ast.Node) bool {
	if len(p.para) != 1 || p.example {
		return false
	}
	if _, ok := n.NextSibling().(*ast.List); !ok {
		return false
	}
	m := boldParagraph.FindStringSubmatch(p.para[0])
	if lead := boldLeadParagraph.FindStringSubmatch(p.para[0]); m == nil && lead != nil {
		// "**SQLAlchemy**: schema definition and migrations only" above a
		// list: a rule, as a bold-lead item would be, and the label of the
		// list under it.
		p.para, p.paraLines = nil, nil
		p.flushItem()
		p.label, p.stack = "", nil
		title := clean(lead[1])
		p.add(Item{Line: p.paraLine, Section: p.section(), Title: title, Text: title + ": " + clean(lead[2])})
		p.label = title
		return true
	}
	if m == nil {
		// "Phase 2 Infrastructure as Code" above a list labels it the same way.
		if c := clean(p.para[0]); phaseLabel.MatchString(c) && len(strings.Fields(c)) <= 8 && !strings.HasSuffix(c, ".") {
			m = []string{c, c, ""}
		} else {
			return false
		}
	}
	p.para, p.paraLines = nil, nil
	p.flushItem()
	p.label = strings.TrimSuffix(clean(m[1]+" "+m[2]), ":")
	p.stack = nil
	if figureRule.MatchString(p.label) || capsModal.MatchString(p.label) || boldClaim(m[1]) {
		// "**Mandatory Requirement: 100% Test Coverage.**" over a list: a
		// requirement with its figure, and the label of the list; so is
		// "**No secret reaches a log.**": a sentence the list spells out.
		label := p.label
		p.label = ""
		title, _, _ := strings.Cut(label, ":")
		title = strings.TrimSpace(parenthetical.ReplaceAllString(title, ""))
		if boldClaim(m[1]) {
			title = strings.TrimSuffix(title, ".")
		}
		p.add(Item{Line: p.paraLine, Section: p.section(), Title: title, Text: label})
		p.label = label
		return true
	}
	p.skip(p.paraLine, "label", p.label)
	if valueRule.MatchString(p.label) {
		p.values.line, p.values.text, p.values.item = p.paraLine, p.label, -1
	}
	return true
}

var negation = lazyre.New(`(?i)\b(no|nothing|none|nobody)\b`)

// boldClaim reports whether a bold title over a list is a whole sentence
// about the code ("No secret reaches a log.", "Access control is on unless
// switched off."): its full stop and its length make it a claim, which the
// list under it spells out, not a name for the list ("Transport and
// boundaries.", "Step 2: Review the code.", "Be thorough, you are the last
// check.").
func boldClaim(title string) bool {
	t := strings.TrimSpace(title)
	if !strings.HasSuffix(t, ".") || strings.ContainsAny(t, ":") || strings.Count(t, ". ") > 0 {
		return false
	}
	t = clean(strings.TrimSuffix(t, "."))
	return len(strings.Fields(t)) >= 4 && (verbish.MatchString(t) || negation.MatchString(t)) && !agentProse.MatchString(t) && !agentUse.MatchString(t) &&
		!describes.MatchString(t) && !phaseLabel.MatchString(t)
}

// markedComments reads the comments of a code block that mark the code
// under them right or wrong ("# ✅ CORRECT: Use a lifespan context
// manager", "# ❌ WRONG: Hardcoded secrets"): files that teach by example
// state their rules there. A wrong one is a prohibition.
// proseComments reads a code block made only of comments that are
// sentences ("# Hash passwords with bcrypt and return tokens securely."):
// instructions written as code comments, each an item. A block with any
// code, or with comments marked right or wrong (markedComments), is not.
func (p *guideParser) proseComments(d *mdDoc, n *ast.FencedCodeBlock) {
	l := n.Lines()
	var texts []string
	var lines []int
	for i := range l.Len() {
		seg := l.At(i)
		raw := strings.TrimSpace(string(seg.Value(d.src)))
		if raw == "" {
			continue
		}
		m := proseComment.FindStringSubmatch(raw)
		if m == nil || strings.ContainsAny(raw, "✅❌✓✗✘") || len(strings.Fields(m[1])) < 4 {
			return
		}
		texts, lines = append(texts, m[1]), append(lines, d.lineOf(seg.Start))
	}
	if len(texts) < 2 {
		return
	}
	for i, text := range texts {
		text = clean(text)
		p.add(Item{Line: lines[i], Section: p.section(), Title: firstSentence(text), Text: text})
	}
}

// gateComments reads a shell block whose comments state what the command
// under each must give ("# Lint (must pass with no violations)" over "ruff
// check ."): each such comment and its command are a quality gate, a rule
// the project's checks must meet. Comments that only name the command stay
// code.
func (p *guideParser) gateComments(d *mdDoc, n *ast.FencedCodeBlock) {
	if n.Info == nil || !shellInfo.MatchString(string(n.Info.Segment.Value(d.src))) {
		return
	}
	l := n.Lines()
	for i := range l.Len() {
		seg := l.At(i)
		raw := strings.TrimSpace(string(seg.Value(d.src)))
		m := shellComment.FindStringSubmatch(raw)
		if m == nil || !passCondition.MatchString(m[1]) {
			continue
		}
		for j := i + 1; j < l.Len(); j++ {
			cseg := l.At(j)
			cmd := strings.TrimSpace(string(cseg.Value(d.src)))
			if cmd == "" {
				continue
			}
			if !strings.HasPrefix(cmd, "#") {
				title := clean(strings.TrimSpace(parenthetical.ReplaceAllString(m[1], "")))
				p.add(Item{Line: d.lineOf(seg.Start), Section: p.section(), Title: title, Text: clean(m[1]) + ": " + cmd})
			}
			break
		}
	}
}

var (
	shellInfo     = lazyre.New(`(?i)^(bash|sh|shell|zsh|console|terminal)\b`)
	shellComment  = lazyre.New(`^#\s+(\S.*)$`)
	passCondition = lazyre.New(`(?i)\b(must|should|has to|have to) (pass|succeed|be clean|stay green)\b|\b(zero|no) (errors|violations|warnings|failures|findings|issues)\b|\b(finish(es)?|build(s)?|complete(s)?) clean(ly)?\b`)
)

// proseComment is a comment line that holds a sentence: a capital letter
// first.
var proseComment = lazyre.New(`^(?:#|//)\s+(\p{Lu}.*)$`)

func (p *guideParser) markedComments(d *mdDoc, n *ast.FencedCodeBlock) {
	l := n.Lines()
	for i := range l.Len() {
		seg := l.At(i)
		line := seg.Value(d.src)
		if w := wordMarkedComment.FindStringSubmatch(strings.TrimRight(string(line), "\r\n")); w != nil && len(strings.Fields(w[2])) >= 2 {
			text := strings.TrimSpace(w[2])
			if w[1] == "BAD" || w[1] == "WRONG" || w[1] == "AVOID" {
				text = "Avoid: " + text
			}
			p.add(Item{Line: d.lineOf(seg.Start), Section: p.section(), Title: firstSentence(text), Text: text})
			continue
		}
		if !bytes.ContainsAny(line, "✅❌✓✗✘") {
			continue
		}
		m := markedComment.FindStringSubmatch(strings.TrimRight(string(line), "\r\n"))
		if m == nil || len(strings.Fields(m[3])) < 2 {
			continue
		}
		text := strings.TrimSpace(m[3])
		if m[1] == "❌" || m[1] == "✗" || m[1] == "✘" {
			text = "Avoid: " + text
		}
		p.add(Item{Line: d.lineOf(seg.Start), Section: p.section(), Title: firstSentence(text), Text: text})
	}
}

// textChecklist reads a fenced block without a language that draws a
// checklist in plain text ("BACKUP STRATEGY" over "[ ] Backups
// encrypted", "WHEN TO INDEX:" over "✓ Foreign key columns"): its boxes
// and ticks are items, its capitalised lines their labels.
// Any other block stays code.
func (p *guideParser) textChecklist(d *mdDoc, n *ast.FencedCodeBlock) {
	l := n.Lines()
	if p.decisionLines(d, n) {
		return
	}
	boxes := 0
	for i := range l.Len() {
		seg := l.At(i)
		if textBox.MatchString(strings.TrimSpace(string(seg.Value(d.src)))) {
			boxes++
		}
	}
	dashed := boxes < 2 && dashChecklist(d, n)
	if boxes < 2 && !dashed {
		return
	}
	label := p.label
	for i := range l.Len() {
		seg := l.At(i)
		t := strings.TrimSpace(string(seg.Value(d.src)))
		m := textBox.FindStringSubmatch(t)
		if dashed {
			m = textDash.FindStringSubmatch(t)
		}
		switch {
		case m != nil:
			// A box or a tick ("✓ Foreign key columns") marks the line as
			// one to hold, so a noun phrase there is a requirement, not a
			// topic. A dash does not: the steps of a block drawn as
			// "SECURITY AUDIT:" over "- Verify ..." lines are read like
			// any other list under that label.
			p.label = label
			p.boxed = !dashed
			p.add(Item{Line: d.lineOf(seg.Start), Section: p.section(), Title: m[1], Text: m[1]})
			p.boxed = false
		case capsLine(t):
			label = strings.TrimSuffix(t, ":")
		}
	}
	p.label = ""
}

// decisionLine is a line of a decision table drawn in plain text: a
// question, an arrow, and what to do when the answer is yes ("Need
// pagination? → Add limit/offset Query params").
var decisionLine = lazyre.New(`^(\S[^?]*\?)\s*(?:→|->|=>)\s*(\S.*)$`)

// decisionLines reads a fenced block without a language whose lines are
// all "Question? → action", two at least: each line is a rule that holds
// in the case the question names. It reports whether it read the block.
func (p *guideParser) decisionLines(d *mdDoc, n *ast.FencedCodeBlock) bool {
	l := n.Lines()
	var lines []int
	for i := range l.Len() {
		seg := l.At(i)
		t := strings.TrimSpace(string(seg.Value(d.src)))
		if t == "" {
			continue
		}
		if !decisionLine.MatchString(t) {
			return false
		}
		lines = append(lines, i)
	}
	if len(lines) < 2 {
		return false
	}
	for _, i := range lines {
		seg := l.At(i)
		m := decisionLine.FindStringSubmatch(strings.TrimSpace(string(seg.Value(d.src))))
		p.add(Item{Line: d.lineOf(seg.Start), Section: p.section(), Title: firstSentence(m[2]), Text: m[1] + " " + m[2]})
	}
	return true
}

// taskPrompt is the prompt an orchestrator hands a subagent, written in a
// code block as Task(..., prompt="...") or a prompt: "..." field, on one line.
var taskPrompt = lazyre.New(`\bprompt\s*[=:]\s*(?:f|r)?"([^"]{12,})"|\bprompt\s*[=:]\s*(?:f|r)?'([^']{12,})'`)

// taskPrompts reads the prompts an orchestration playbook hands its
// subagents (Task(subagent_type=..., prompt="Write the tests with
// repository fixtures. Keep coverage at 80% or more.")): each sentence is an
// item, judged as any other, under the block's section.
func (p *guideParser) taskPrompts(d *mdDoc, n *ast.FencedCodeBlock) {
	l := n.Lines()
	for i := range l.Len() {
		seg := l.At(i)
		m := taskPrompt.FindStringSubmatch(string(seg.Value(d.src)))
		if m == nil {
			continue
		}
		prompt := m[1] + m[2]
		for _, sentence := range promptSentence.Split(prompt, -1) {
			sentence = strings.TrimSpace(strings.TrimRight(sentence, "."))
			if promptTask.MatchString(sentence) {
				// "Build the FastAPI endpoints for workout logging": the
				// task handed over, not a rule of how to do it.
				p.skip(d.lineOf(seg.Start), "agent section", "the task an orchestrator hands a subagent: "+excerpt(sentence))
				continue
			}
			if sentence != "" {
				p.add(Item{Line: d.lineOf(seg.Start), Section: p.section(), Title: sentence, Text: sentence})
			}
		}
	}
}

// promptTask opens the task a prompt hands over: the work to do, where
// the sentences after it ("Use the repository pattern", "Keep coverage at
// 80% or more") say how it must be done.
var promptTask = lazyre.New(`(?i)^(build|create|implement|fix|debug|investigate|review|audit|analy[sz]e|refactor|design|plan|research|explore|find|summari[sz]e|document|you are)\b`)

// promptSentence ends a sentence of a prompt.
var promptSentence = lazyre.New(`[.!?]\s+|\\n`)

// textDash is a dash line in a plain-text block ("- Verify authentication
// on protected endpoints").
var textDash = lazyre.New(`^-\s+(\S.*)$`)

// capsLine is a line of capitals ("SECURITY AUDIT:", "BACKUP STRATEGY").
func capsLine(t string) bool {
	return t != "" && strings.ToUpper(t) == t && strings.IndexFunc(t, unicode.IsLetter) >= 0
}

// dashChecklist reports whether a block without a language is a list
// drawn in plain text: nothing but capitalised label lines ending in a
// colon and the dash lines under them, with a label first and two dashes
// at least. Steps written as "Step 1: Analysis" over dashes, or a block
// with any other line, stay code.
func dashChecklist(d *mdDoc, n *ast.FencedCodeBlock) bool {
	l := n.Lines()
	labels, dashes := 0, 0
	for i := range l.Len() {
		seg := l.At(i)
		t := strings.TrimSpace(string(seg.Value(d.src)))
		switch {
		case t == "":
		case capsLine(t) && strings.HasSuffix(t, ":"):
			labels++
		case textDash.MatchString(t) && labels > 0:
			dashes++
		default:
			return false
		}
	}
	return labels > 0 && dashes >= 2
}

// plainTitle reads a short line of words right above a list, with no
// punctuation at its end ("Environment and Setup", "Code Style Guidelines
// (Python)"), as a heading one level below the last real one: files written
// without Markdown headings title their lists this way.
func (p *guideParser) plainTitle(n ast.Node) bool {
	if len(p.para) != 1 || p.example {
		return false
	}
	if _, ok := n.NextSibling().(*ast.List); !ok {
		return false
	}
	c := clean(p.para[0])
	r := []rune(c)
	if len(r) == 0 || !unicode.IsUpper(r[0]) || len(strings.Fields(parenthetical.ReplaceAllString(c, ""))) > 6 ||
		strings.ContainsAny(string(r[len(r)-1]), ".:;!?,") || strings.Contains(p.para[0], "**") {
		return false
	}
	p.para, p.paraLines = nil, nil
	p.flushItem()
	p.setHeading(p.level+1, c)
	return true
}

// numberedTitle opens a section at a numbered list of one short title with
// nothing under it, right above another list ("1) Preferred code style" over
// "- Package names are lowercase"): files that number their sections rather
// than give them headings; as plainTitle, a few words that end without a
// sentence's punctuation.
func (p *guideParser) numberedTitle(d *mdDoc, n *ast.List) bool {
	// Unlike a plain title it also ends an example section that an earlier
	// numbered title opened ("5) Examples" then "6) Testing guidance").
	if !n.IsOrdered() || n.ChildCount() != 1 {
		return false
	}
	// Over a paragraph instead of a list ("1. Prime Directive" over "Edit
	// one file at a time."), a file without any Markdown marks numbers its
	// sections so (round 57); there the title must name a part, not open
	// with a verb ("1. Use HTTPS" over its reason stays a rule).
	overProse := false
	switch next := n.NextSibling().(type) {
	case *ast.List:
		if next.IsOrdered() {
			return false
		}
	case *ast.Paragraph:
		overProse = true
	default:
		return false
	}
	item := n.FirstChild()
	if item.ChildCount() != 1 {
		return false
	}
	para := item.FirstChild()
	switch para.(type) {
	case *ast.Paragraph, *ast.TextBlock:
	default:
		return false
	}
	if para.Lines().Len() != 1 {
		return false
	}
	text := d.blockText(para)
	c := clean(text)
	r := []rune(c)
	if len(r) == 0 || !unicode.IsUpper(r[0]) || len(strings.Fields(parenthetical.ReplaceAllString(c, ""))) > 6 ||
		strings.ContainsAny(string(r[len(r)-1]), ".:;!?,") || strings.Contains(text, "**") {
		return false
	}
	if overProse && (!titleCase(strings.NewReplacer(" & ", " and ", " / ", " and ").Replace(c)) || imperative.MatchString(c) || verbish.MatchString(c)) {
		return false
	}
	p.flushItem()
	p.setHeading(p.level+1, c)
	return true
}

// tableCells splits a table row at its pipes (not escaped ones), without
// the optional pipes at either end.
func tableCells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = strings.TrimSuffix(row, "|")
	}
	var cells []string
	start := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			cells = append(cells, row[start:i])
			start = i + 1
		}
	}
	return append(cells, row[start:])
}

// isDelimiterRow reports whether every cell is dashes with optional colons
// at either end: "| :--- | ---: |".
func isDelimiterRow(row string) bool {
	for _, c := range tableCells(row) {
		c = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(c), ":"), ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return true
}

// exampleTags are the XML-like tags that hold examples, asides or the
// agent's own answers, whatever they contain.
var exampleTags = map[string]bool{"example": true, "examples": true, "commentary": true, "details": true,
	"summary": true, "sample": true, "samples": true, "thinking": true, "output": true, "response": true,
	"answer": true, "user": true, "assistant": true, "input": true, "context": true, "template": true}

// markdownInside reports whether the lines of a tagged block hold Markdown
// structure (a heading, a list item or a bold label) outside code fences:
// a section of the file written under a tag.
func markdownInside(lines []string) bool {
	fence := false
	for _, l := range lines {
		if fenceRe.MatchString(l) {
			fence = !fence
			continue
		}
		if t := strings.TrimSpace(l); !fence && (atxLevel(t) > 0 || listRe.MatchString(l) || strings.HasPrefix(t, "**")) {
			return true
		}
	}
	return false
}

// atxLevel is the level of an ATX heading line, or 0.
func atxLevel(t string) int {
	n := len(t) - len(strings.TrimLeft(t, "#"))
	if n == 0 || n > 6 || len(t) > n && t[n] != ' ' {
		return 0
	}
	return n
}

// tagTitle turns a tag name into a heading ("core_principles" -> "Core
// Principles").
func tagTitle(tag string) string {
	words := strings.FieldsFunc(tag, func(r rune) bool { return r == '_' || r == '-' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// ruleTags are the XML-like tags that hold rules rather than examples.
var ruleTags = map[string]bool{"rule": true, "rules": true}

var (
	yamlMessage = lazyre.New(`^(\s*)(?:-\s+)?message:\s*(.*)$`)
	yamlKey     = lazyre.New(`^\s*(?:-\s+)?[A-Za-z_][\w-]*:(\s|$)`)
)

// ruleBlock rewrites, in place, a <rule> block written as YAML (the shape
// of many Cursor rule files) into Markdown on the same lines: a one-line
// message becomes a list item, a "message: |" block scalar is kept,
// dedented, as Markdown; everything else (name, filters, patterns,
// metadata, YAML comments, the tags) is blanked. Line numbers stay.
func ruleBlock(lines []string, start, end int) {
	for j := start; j <= end; j++ {
		m := yamlMessage.FindStringSubmatch(lines[j])
		if m == nil {
			lines[j] = ""
			continue
		}
		value := strings.TrimSpace(m[2])
		if value != "|" && value != ">" && value != "|-" && value != ">-" {
			lines[j] = "- " + strings.Trim(value, `"'`)
			continue
		}
		// A block scalar: the lines indented deeper than the key.
		keyIndent := len(m[1])
		lines[j] = ""
		indent := -1
		k := j + 1
		for ; k <= end; k++ {
			l := lines[k]
			if strings.TrimSpace(l) == "" {
				continue
			}
			n := len(l) - len(strings.TrimLeft(l, " "))
			if n <= keyIndent {
				break
			}
			if indent < 0 || n < indent {
				indent = n
			}
		}
		for x := j + 1; x < k; x++ {
			if len(lines[x]) >= indent && indent > 0 {
				lines[x] = lines[x][indent:]
			} else {
				lines[x] = strings.TrimLeft(lines[x], " ")
			}
		}
		j = k - 1
	}
}

// codeFence reports whether n is a fenced block of code, not of shell
// commands or their output.
func (d *mdDoc) codeFence(n ast.Node) bool {
	f, ok := n.(*ast.FencedCodeBlock)
	if !ok {
		return false
	}
	if f.Info == nil {
		return true
	}
	info := strings.ToLower(strings.TrimSpace(string(f.Info.Segment.Value(d.src))))
	return !shellFence.MatchString(info)
}

var shellFence = lazyre.New(`^(bash|sh|shell|zsh|console|terminal|powershell|ps1|cmd|bat|text|txt|plaintext)\b`)

// responseBlock reads a JSON block right under a one-word label ("Error:")
// in a section about responses as the shape of that kind of answer: the
// label, skipped as one, becomes an item with the block's first line.
func (p *guideParser) responseBlock(d *mdDoc, n *ast.FencedCodeBlock) {
	if p.example || n.Info == nil || n.Lines().Len() == 0 {
		return
	}
	if info := n.Info.Segment; !strings.EqualFold(strings.TrimSpace(string(info.Value(d.src))), "json") {
		return
	}
	k := len(p.g.Skipped) - 1
	if k < 0 || p.g.Skipped[k].Kind != "label" || p.g.Skipped[k].Line != d.lineOf(n.Info.Segment.Start)-1 {
		return
	}
	label := strings.TrimSuffix(strings.TrimSpace(p.g.Skipped[k].Text), ":")
	if !responseLabel.MatchString(label) || !responseHeading.MatchString(p.section()) {
		return
	}
	l := n.Lines()
	first := l.At(0)
	body := strings.TrimSpace(string(first.Value(d.src)))
	if !strings.HasPrefix(body, "{") {
		return
	}
	line := p.g.Skipped[k].Line
	p.g.Skipped = p.g.Skipped[:k]
	p.add(Item{Line: line, Section: p.section(), Title: label + " response", Text: label + ": " + body})
}
