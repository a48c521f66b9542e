package lazyre

import "testing"

func TestLazy(t *testing.T) {
	r := New(`a+b`)
	if r.re.Load() != nil {
		t.Fatal("compiled before use")
	}
	if !r.MatchString("xaab") || r.re.Load() == nil {
		t.Fatal("no match, or not compiled after use")
	}
	if err := CheckAll(); err != nil {
		t.Fatal(err)
	}
	New(`(`)
	if CheckAll() == nil {
		t.Error("CheckAll accepted an invalid pattern")
	}
}
