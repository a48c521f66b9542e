package cmd

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"scaffold": func() { os.Exit(Execute(NewFactory(), os.Args[1:])) },
	})
}

// TestScripts runs whole command lines from testdata/script/*.txtar: the
// command, its expected output and the files it must (not) write.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "../testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"cmptree":  cmdCmpTree,
			"exitcode": cmdExitCode,
		},
		Setup: func(env *testscript.Env) error {
			// A fixed git identity, so the initial commit does not depend on
			// the machine's configuration.
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".local", "share"))
			packs, err := filepath.Abs("../testdata/packs")
			if err != nil {
				return err
			}
			env.Setenv("PACKS", packs)
			return nil
		},
	})
}

// cmdCmpTree compares two directory trees byte for byte, ignoring .git.
func cmdCmpTree(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmptree dir1 dir2")
	}
	a, b := readTree(ts, ts.MkAbs(args[0])), readTree(ts, ts.MkAbs(args[1]))
	var diffs []string
	for p, d := range a {
		if e, ok := b[p]; !ok {
			diffs = append(diffs, "only in "+args[0]+": "+p)
		} else if !bytes.Equal(d, e) {
			diffs = append(diffs, "differs: "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, "only in "+args[1]+": "+p)
		}
	}
	sort.Strings(diffs)
	if neg && len(diffs) == 0 {
		ts.Fatalf("trees are identical")
	}
	if !neg && len(diffs) > 0 {
		ts.Fatalf("trees differ:\n%s", strings.Join(diffs, "\n"))
	}
}

func readTree(ts *testscript.TestScript, root string) map[string][]byte {
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(rel)] = data
		}
		return nil
	})
	ts.Check(err)
	return out
}

// cmdExitCode runs scaffold and checks its exit code: exitcode N args...
// Its output is kept as stdout/stderr for the next assertions.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: exitcode N [args...]")
	}
	var want int
	if _, err := fmt.Sscan(args[0], &want); err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err := ts.Exec("scaffold", args[1:]...)
	got := 0
	if err != nil {
		if _, scanErr := fmt.Sscanf(err.Error(), "exit status %d", &got); scanErr != nil {
			ts.Fatalf("exitcode: %v", err)
		}
	}
	if got != want {
		ts.Fatalf("scaffold %s: exit code %d, want %d\nstderr: %s", strings.Join(args[1:], " "), got, want, ts.ReadFile("stderr"))
	}
}
