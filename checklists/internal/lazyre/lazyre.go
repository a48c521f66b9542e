// Package lazyre holds regular expressions that compile on first use, so
// that a command pays only for the patterns it runs: `scaffold version`
// compiles none of the review's.
package lazyre

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// Regexp is a regular expression compiled on first use; it panics then if
// the expression is invalid, as regexp.MustCompile does at init (the tests
// use every pattern).
type Regexp struct {
	expr string
	once sync.Once
	re   atomic.Pointer[regexp.Regexp]
}

var (
	mu  sync.Mutex
	all []*Regexp
)

// New returns a pattern for expr, not yet compiled.
func New(expr string) *Regexp {
	r := &Regexp{expr: expr}
	mu.Lock()
	all = append(all, r)
	mu.Unlock()
	return r
}

// CheckAll compiles every pattern made so far and returns the first error:
// a test calls it so that a bad pattern fails there, not in a user's run.
func CheckAll() error {
	mu.Lock()
	defer mu.Unlock()
	for _, r := range all {
		if _, err := regexp.Compile(r.expr); err != nil {
			return err
		}
	}
	return nil
}

// RE returns the compiled expression.
func (r *Regexp) RE() *regexp.Regexp {
	r.once.Do(func() { r.re.Store(regexp.MustCompile(r.expr)) })
	return r.re.Load()
}

// The methods of regexp.Regexp the checks use.

func (r *Regexp) Match(b []byte) bool                  { return r.RE().Match(b) }
func (r *Regexp) MatchString(s string) bool            { return r.RE().MatchString(s) }
func (r *Regexp) FindIndex(b []byte) []int             { return r.RE().FindIndex(b) }
func (r *Regexp) FindAllIndex(b []byte, n int) [][]int { return r.RE().FindAllIndex(b, n) }
func (r *Regexp) FindSubmatch(b []byte) [][]byte       { return r.RE().FindSubmatch(b) }
func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return r.RE().FindAllSubmatch(b, n)
}
func (r *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return r.RE().FindAllSubmatchIndex(b, n)
}
func (r *Regexp) FindString(s string) string             { return r.RE().FindString(s) }
func (r *Regexp) FindStringIndex(s string) []int         { return r.RE().FindStringIndex(s) }
func (r *Regexp) FindStringSubmatch(s string) []string   { return r.RE().FindStringSubmatch(s) }
func (r *Regexp) FindAllString(s string, n int) []string { return r.RE().FindAllString(s, n) }
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.RE().FindAllStringIndex(s, n)
}
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.RE().ReplaceAllString(src, repl) }
func (r *Regexp) ReplaceAll(src, repl []byte) []byte       { return r.RE().ReplaceAll(src, repl) }
func (r *Regexp) Split(s string, n int) []string           { return r.RE().Split(s, n) }
func (r *Regexp) String() string                           { return r.expr }
