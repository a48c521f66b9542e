package review

import "strings"

// reSubject is, for each function of re that matches a pattern against a
// string, the position of that string.
var reSubject = map[string]int{
	"re.match": 1, "re.search": 1, "re.fullmatch": 1, "re.findall": 1, "re.finditer": 1, "re.split": 1,
	"re.sub": 2, "re.subn": 2,
}

// ambiguousMatch returns the string that call i matches against a literal
// pattern with an ambiguous repeated group (ambiguousRepeat).
func (t *pyTree) ambiguousMatch(i int32) (int32, bool) {
	pos, ok := reSubject[t.callee(i)]
	if !ok {
		return -1, false
	}
	v, isString := t.evalString(t.arg(i, 0, "pattern"), 0)
	if !isString || v.how != "" || !ambiguousRepeat(v.text) {
		return -1, false
	}
	subject := t.arg(i, pos, "string")
	return subject, subject >= 0
}

// ambiguousRepeat reports whether a regular expression has a repeated
// group whose body can match the same text in more than one way: the body
// is one repeated atom ((a+)+, (\w*)*), or it ends in an atom whose
// characters the repeated atom before it also matches (([-.\w]*[0-9a-z])*).
// A backtracking engine then tries exponentially many splits of a long
// string that almost matches (ReDoS). Groups with groups inside are judged
// by their inner groups only.
func ambiguousRepeat(p string) bool {
	var open []int
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '[':
			i = classEnd(p, i)
		case '(':
			open = append(open, i)
		case ')':
			if len(open) == 0 {
				return false
			}
			start := open[len(open)-1]
			open = open[:len(open)-1]
			if i+1 < len(p) && unbounded(p[i+1:]) && ambiguousBody(p[start+1:i]) {
				return true
			}
		}
	}
	return false
}

// unbounded reports whether a quantifier that repeats without limit starts
// rest: *, + or {n,}.
func unbounded(rest string) bool {
	switch {
	case rest[0] == '*' || rest[0] == '+':
		return true
	case rest[0] == '{':
		end := strings.IndexByte(rest, '}')
		return end > 0 && strings.HasSuffix(rest[:end], ",")
	}
	return false
}

// regexAtom is one atom of a group's body: the characters it matches and
// how it repeats.
type regexAtom struct {
	set  *[128]bool
	many bool // *, + or {n,}
	opt  bool // ? or {0,n}: may match nothing
}

func ambiguousBody(body string) bool {
	body = strings.TrimPrefix(body, "?:")
	if strings.HasPrefix(body, "?") || strings.ContainsAny(body, "()|") {
		return false
	}
	var atoms []regexAtom
	for i := 0; i < len(body); {
		set, next := atomSet(body, i)
		if set == nil {
			return false
		}
		a := regexAtom{set: set}
		if next < len(body) {
			switch q := body[next]; {
			case q == '*':
				a.many, a.opt = true, true
				next++
			case q == '+':
				a.many = true
				next++
			case q == '?':
				a.opt = true
				next++
			case q == '{':
				end := strings.IndexByte(body[next:], '}')
				if end < 0 {
					return false
				}
				spec := body[next+1 : next+end]
				a.many = strings.HasSuffix(spec, ",")
				a.opt = strings.HasPrefix(spec, "0")
				next += end + 1
			}
			if next < len(body) && (body[next] == '?' || body[next] == '+') {
				next++ // lazy or possessive
			}
		}
		atoms = append(atoms, a)
		i = next
	}
	if len(atoms) == 1 {
		return atoms[0].many
	}
	last, before := atoms[len(atoms)-1], atoms[len(atoms)-2]
	return before.many && !last.opt && subset(last.set, before.set)
}

// atomSet returns the characters the atom at i matches and where it ends;
// nil for what this reading does not model (anchors, back references).
func atomSet(s string, i int) (*[128]bool, int) {
	var set [128]bool
	switch c := s[i]; c {
	case '^', '$':
		return nil, i
	case '.':
		for j := range set {
			set[j] = j != '\n'
		}
		return &set, i + 1
	case '[':
		end := classEnd(s, i)
		if end >= len(s) {
			return nil, i
		}
		body := s[i+1 : end]
		neg := strings.HasPrefix(body, "^")
		if neg {
			body = body[1:]
		}
		for j := 0; j < len(body); j++ {
			lo := body[j]
			if lo == '\\' && j+1 < len(body) {
				if escapeSet(body[j+1], &set) {
					j++
					continue
				}
				j++
				lo = body[j]
			}
			if j+2 < len(body) && body[j+1] == '-' {
				hi := body[j+2]
				for c := int(lo); c <= int(hi) && c < 128; c++ {
					set[c] = true
				}
				j += 2
				continue
			}
			if lo < 128 {
				set[lo] = true
			}
		}
		if neg {
			for j := range set {
				set[j] = !set[j]
			}
		}
		return &set, end + 1
	case '\\':
		if i+1 >= len(s) {
			return nil, i
		}
		if !escapeSet(s[i+1], &set) {
			if s[i+1] >= '0' && s[i+1] <= '9' || strings.IndexByte("bBAZ", s[i+1]) >= 0 {
				return nil, i
			}
			if s[i+1] < 128 {
				set[s[i+1]] = true
			}
		}
		return &set, i + 2
	default:
		if c < 128 {
			set[c] = true
		}
		return &set, i + 1
	}
}

// escapeSet adds the characters of a class escape (\w, \d, \s) to set.
func escapeSet(c byte, set *[128]bool) bool {
	switch c {
	case 'w':
		for j := range set {
			set[j] = set[j] || j >= 'a' && j <= 'z' || j >= 'A' && j <= 'Z' || j >= '0' && j <= '9' || j == '_'
		}
	case 'd':
		for j := '0'; j <= '9'; j++ {
			set[j] = true
		}
	case 's':
		for _, j := range " \t\n\r\f\v" {
			set[j] = true
		}
	default:
		return false
	}
	return true
}

// classEnd returns the index of the ] that closes the class opened at i.
func classEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '^' {
		j++
	}
	if j < len(s) && s[j] == ']' {
		j++
	}
	for ; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case ']':
			return j
		}
	}
	return len(s)
}

func subset(a, b *[128]bool) bool {
	found := false
	for j := range a {
		if a[j] {
			found = true
			if !b[j] {
				return false
			}
		}
	}
	return found
}
