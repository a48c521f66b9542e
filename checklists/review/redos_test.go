package review

import "testing"

func TestAmbiguousRepeat(t *testing.T) {
	for p, want := range map[string]bool{
		`^([0-9a-zA-Z]([-.\w]*[0-9a-zA-Z])*@{1}([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})$`: true,
		`^(a+)+$`:                   true,
		`(\w*)*x`:                   true,
		`^(\d+)*$`:                  true,
		`^(\w+\s?)*$`:               false, // (a documented ReDoS; the optional space is not modelled)
		`^([a-z0-9]+-)*[a-z0-9]+$`:  false,
		`^(\.\w+)*$`:                false,
		`^[\w.+-]+@[\w-]+\.[\w.]+$`: false,
		`(\s*,\s*\w+)*`:             false,
		`^(?:[a-z]+\.)+[a-z]{2,}$`:  false,
		`(ab|a)*`:                   false,
	} {
		if got := ambiguousRepeat(p); got != want {
			t.Errorf("ambiguousRepeat(%q) = %v, want %v", p, got, want)
		}
	}
}
