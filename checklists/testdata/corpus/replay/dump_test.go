package checklists

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestDumpReplay is copied into an old commit's checklists/ by make-replay.sh: it writes
// what that commit's rules extract from the round's files, and the corpus files of the time.
func TestDumpReplay(t *testing.T) {
	round, _ := os.ReadFile("../round.txt")
	all, _ := os.ReadFile("../all.txt")
	out := struct {
		Train []string
		Items map[string][]Item
	}{Items: map[string][]Item{}}
	roundSet := map[string]bool{}
	for _, f := range strings.Fields(string(round)) {
		roundSet[f] = true
		data, err := os.ReadFile("testdata/corpus/" + f)
		if err != nil {
			t.Fatal(err)
		}
		out.Items[f] = ParseGuidelines(f, data).Items
	}
	for _, f := range strings.Fields(string(all)) {
		if !roundSet[f] {
			out.Train = append(out.Train, f)
		}
	}
	b, _ := json.MarshalIndent(out, "", " ")
	if err := os.WriteFile("../dump.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
