package review

import (
	"bytes"
	"sort"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// pySource is a Python file prepared for the checks: tree is its syntax
// tree; code has comments blanked and the contents of string literals masked
// (same length, newlines kept), so the text patterns some checks still use
// never match inside strings or comments and offsets still point into the
// original; lits holds the literals themselves.
type pySource struct {
	src   []byte
	tree  *pyTree
	code  []byte
	lower []byte // code in lower case, for cheap case-insensitive pre-checks
	lits  []strLit
	lines []int // offsets of line starts
	// codePairs and lowerPairs hold which pairs of adjacent bytes code and
	// lower contain: most pre-checks ask for strings a file does not
	// have, and a missing pair answers that without scanning the file.
	codePairs, lowerPairs pairSet
}

// pairSet is the set of adjacent byte pairs in a text, hashed into 4,096
// bits: a pair the set lacks is not in the text; a pair it has may be
// (another pair can share its bit), and the scan decides.
type pairSet [pairBits / 64]uint64

const pairBits = 1 << 12

func pairKey(a, b byte) uint {
	return (uint(a&0x7f)<<5 ^ uint(b&0x7f)) % pairBits
}

func (s *pairSet) fill(b []byte) {
	for i := 1; i < len(b); i++ {
		k := pairKey(b[i-1], b[i])
		s[k/64] |= 1 << (k % 64)
	}
}

// mayHold reports whether b, whose pairs are s, can contain sub.
func (s *pairSet) mayHold(sub string) bool {
	for i := 1; i < len(sub); i++ {
		k := pairKey(sub[i-1], sub[i])
		if s[k/64]&(1<<(k%64)) == 0 {
			return false
		}
	}
	return true
}

// codeHas is hasAny on the masked code, skipping the strings whose byte
// pairs the code does not have.
func (p *pySource) codeHas(subs ...string) bool {
	return hasAnyIn(p.code, &p.codePairs, subs)
}

// lowerHas is codeHas on the lower-cased code.
func (p *pySource) lowerHas(subs ...string) bool {
	return hasAnyIn(p.lower, &p.lowerPairs, subs)
}

// dataHas is hasAny on the file's bytes, with their pair set made on the
// first call (a file is checked by one worker at a time).
func (f *File) dataHas(subs ...string) bool {
	if f.pairs == nil {
		f.pairs = new(pairSet)
		f.pairs.fill(f.Data)
	}
	return hasAnyIn(f.Data, f.pairs, subs)
}

func hasAnyIn(b []byte, pairs *pairSet, subs []string) bool {
	for _, s := range subs {
		if pairs.mayHold(s) && bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// strLit is one string literal.
type strLit struct {
	start, end int // the whole literal, prefix and quotes included
	value      string
	fstring    bool
	line       int
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parsePython parses src with parser (see newPyParser).
func parsePython(parser *pyParser, src []byte) *pySource {
	t := parsePyTree(parser, src)
	p := &pySource{src: src, tree: t, lines: t.lines}
	p.code, p.lits = t.maskedCode()
	p.lower = bytes.ToLower(p.code)
	p.codePairs.fill(p.code)
	p.lowerPairs.fill(p.lower)
	return p
}

// hasAny reports whether b contains any of the strings: a cheap test that
// lets a file skip a pattern that cannot match.
func hasAny(b []byte, subs ...string) bool {
	for _, s := range subs {
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of offset off.
func (p *pySource) lineOf(off int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

func lineAt(src []byte, starts []int, line int) string {
	if line < 1 || line > len(starts) {
		return ""
	}
	end := len(src)
	if line < len(starts) {
		end = starts[line] - 1
	}
	return string(bytes.TrimRight(src[starts[line-1]:end], "\r"))
}

// litAt returns the literal starting at or just after offset off (skipping
// spaces), if any.
func (p *pySource) litAt(off int) (strLit, bool) {
	for off < len(p.code) && (p.code[off] == ' ' || p.code[off] == '\t' || p.code[off] == '\n') {
		off++
	}
	i := sort.Search(len(p.lits), func(i int) bool { return p.lits[i].start >= off })
	if i < len(p.lits) && p.lits[i].start == off {
		return p.lits[i], true
	}
	return strLit{}, false
}

// callSpan returns the end of the call whose opening parenthesis is at open
// (the offset after the matching close), using the masked code so that
// parentheses in strings and comments do not count.
func (p *pySource) callSpan(open int) int {
	depth := 0
	for i := open; i < len(p.code); i++ {
		switch p.code[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(p.code)
}

// lineCode returns the masked code of a 1-based line, without its newline.
func (p *pySource) lineCode(line int) string {
	return lineAt(p.code, p.lines, line)
}

// lineMatches runs re over the lines of text (the masked code or the
// source, same offsets) whose lower-case code contains one of the needles,
// and returns the matches with offsets into the whole text. Without
// needles it matches the whole text.
func (p *pySource) lineMatches(text []byte, re *lazyre.Regexp, needles []string) [][]int {
	if len(needles) == 0 {
		return re.FindAllSubmatchIndex(text, -1)
	}
	return windowMatches(text, p.lines, p.lower, re, needles)
}

// windowMatches runs re over the lines of text (whose line starts are given)
// on which hay, a text with the same offsets, contains one of the needles.
// Offsets of the matches are into the whole text.
func windowMatches(text []byte, starts []int, hay []byte, re *lazyre.Regexp, needles []string) [][]int {
	lineOf := func(off int) int { return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) }
	var lines []int
	for _, n := range needles {
		needle := []byte(n)
		for off := 0; ; {
			i := bytes.Index(hay[off:], needle)
			if i < 0 {
				break
			}
			line := lineOf(off + i)
			lines = append(lines, line)
			// Continue after this line: one hit per line is enough.
			if line >= len(starts) {
				break
			}
			off = starts[line]
		}
	}
	sort.Ints(lines)
	var out [][]int
	for i, line := range lines {
		if i > 0 && lines[i-1] == line {
			continue
		}
		start, end := starts[line-1], len(text)
		if line < len(starts) {
			end = starts[line]
		}
		for _, m := range re.FindAllSubmatchIndex(text[start:end], -1) {
			for j := range m {
				if m[j] >= 0 {
					m[j] += start
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// lineStartOf returns the offset of the start of the line holding off.
func (p *pySource) lineStartOf(off int) int {
	return p.lines[p.lineOf(off)-1]
}

// enclosingCall returns the span of the innermost call (or bracket) that
// contains off, or the line holding off when there is none.
func (p *pySource) enclosingCall(off int) (int, int) {
	if i := p.openBracket(off); i >= 0 {
		return p.lineStartOf(i), p.callSpan(i)
	}
	start := p.lineStartOf(off)
	end := off
	for end < len(p.code) && p.code[end] != '\n' {
		end++
	}
	return start, end
}

// openParen returns the offset of the innermost unclosed parenthesis before
// off, or -1 (also when the innermost unclosed bracket is [ or {).
func (p *pySource) openParen(off int) int {
	if i := p.openBracket(off); i >= 0 && p.code[i] == '(' {
		return i
	}
	return -1
}

// openBracket returns the offset of the innermost unclosed bracket of any
// kind before off, or -1.
func (p *pySource) openBracket(off int) int {
	depth := 0
	for i := off - 1; i >= 0; i-- {
		switch p.code[i] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}
