package generator

import (
	"bytes"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// hunk is one change of a side against the base: base lines [start, end)
// become lines.
type hunk struct {
	start, end int
	lines      []string
	side       int // 0: the project's, 1: scaffold's
}

// splitLines cuts text after each newline; a last line without one is kept.
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// hunks lists the changes that turn base into other, by base line.
func hunks(base, other string, side int) []hunk {
	var out []hunk
	line := 0
	var cur *hunk
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, d := range diff.Do(base, other) {
		n := splitLines(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			line += len(n)
		case diffmatchpatch.DiffDelete:
			if cur == nil {
				cur = &hunk{start: line, end: line, side: side}
			}
			line += len(n)
			cur.end = line
		case diffmatchpatch.DiffInsert:
			if cur == nil {
				cur = &hunk{start: line, end: line, side: side}
			}
			cur.lines = append(cur.lines, n...)
		}
	}
	flush()
	return out
}

// apply replaces base[start:end) by the hunks of one side that fall in it.
func apply(base []string, start, end int, hs []hunk) []string {
	var out []string
	at := start
	for _, h := range hs {
		out = append(out, base[at:h.start]...)
		out = append(out, h.lines...)
		at = h.end
	}
	return append(out, base[at:end]...)
}

// Merge3 merges the changes from base to ours and from base to theirs, line
// by line, as `git merge-file` does. Changes of one side, or the same change
// on both, are taken; different changes to the same or touching lines are a
// conflict, written between markers with both versions and the base's. It
// reports whether a conflict was written.
func Merge3(base, ours, theirs []byte, oursLabel, theirsLabel string) ([]byte, bool) {
	b := string(base)
	baseLines := splitLines(b)
	all := append(hunks(b, string(ours), 0), hunks(b, string(theirs), 1)...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })

	var out bytes.Buffer
	conflict := false
	at := 0
	for i := 0; i < len(all); {
		// A region grows while the next change starts at or before its end:
		// changes that overlap or touch are decided together. Two changes of
		// one side never touch (an unchanged line separates them), so a region
		// holds both sides' changes or one change.
		start, end := all[i].start, all[i].end
		j := i + 1
		for j < len(all) && all[j].start <= end {
			end = max(end, all[j].end)
			j++
		}
		region := all[i:j]
		for _, l := range baseLines[at:start] {
			out.WriteString(l)
		}
		var mine, other []hunk
		for _, h := range region {
			if h.side == 0 {
				mine = append(mine, h)
			} else {
				other = append(other, h)
			}
		}
		switch {
		case len(other) == 0:
			writeLines(&out, apply(baseLines, start, end, mine))
		case len(mine) == 0:
			writeLines(&out, apply(baseLines, start, end, other))
		default:
			a, t := apply(baseLines, start, end, mine), apply(baseLines, start, end, other)
			if strings.Join(a, "") == strings.Join(t, "") {
				writeLines(&out, a)
				break
			}
			conflict = true
			writeMarked(&out, "<<<<<<< "+oursLabel, a)
			writeMarked(&out, "||||||| before", baseLines[start:end])
			writeMarked(&out, "=======", t)
			out.WriteString(">>>>>>> " + theirsLabel + "\n")
		}
		at = end
		i = j
	}
	for _, l := range baseLines[at:] {
		out.WriteString(l)
	}
	return out.Bytes(), conflict
}

func writeLines(out *bytes.Buffer, lines []string) {
	for _, l := range lines {
		out.WriteString(l)
	}
}

// writeMarked writes a marker line and lines, ending the last one with a
// newline so that the next marker starts a line.
func writeMarked(out *bytes.Buffer, marker string, lines []string) {
	out.WriteString(marker + "\n")
	for _, l := range lines {
		out.WriteString(l)
	}
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		out.WriteString("\n")
	}
}
