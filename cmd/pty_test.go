package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
)

// buildScaffold builds the real binary once per test run.
func buildScaffold(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "scaffold")
	out, err := exec.Command("go", "build", "-o", bin, "./scaffold").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startInTerminal runs scaffold on a pseudo-terminal the way a user's shell
// would, with a terminal emulator answering survey's cursor queries.
func startInTerminal(t *testing.T, bin, dir string, args ...string) (*expect.Console, *exec.Cmd) {
	t.Helper()
	ptm, pts, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal available: %v", err)
	}
	term := vt10x.New(vt10x.WithWriter(pts))
	c, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(term),
		expect.WithCloser(ptm, pts), expect.WithDefaultTimeout(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Tty(), c.Tty(), c.Tty()
	cmd.Env = append(os.Environ(), "TERM=xterm", "HOME="+dir)
	// Like a shell: the terminal is the process's controlling terminal, so a
	// Ctrl-C typed between questions arrives as SIGINT.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, cmd
}

func expectString(t *testing.T, c *expect.Console, s string) {
	t.Helper()
	if out, err := c.ExpectString(s); err != nil {
		t.Fatalf("waiting for %q: %v\nscreen so far:\n%s", s, err, out)
	}
}

func TestInteractiveNew(t *testing.T) {
	bin := buildScaffold(t)
	dir := t.TempDir()
	c, cmd := startInTerminal(t, bin, dir, "new", "--no-git", "--framework", "fastapi")

	expectString(t, c, "Project name")
	c.SendLine("Corner Shop")
	expectString(t, c, "One-line description")
	c.SendLine("Sells things on the corner.")
	expectString(t, c, "Database")
	c.Send("\x1b[B") // down: postgres
	c.SendLine("")
	expectString(t, c, "Authentication")
	c.SendLine("") // default: jwt
	expectString(t, c, "Roles and permissions")
	c.SendLine("n")
	expectString(t, c, "Integrations")
	c.Send("\x1b[B") // down: email
	c.Send(" ")      // select it
	c.SendLine("")
	expectString(t, c, "Created")
	expectString(t, c, "make test")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("scaffold exited with %v", err)
	}
	record, err := os.ReadFile(filepath.Join(dir, "corner-shop", ".scaffold.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: Corner Shop", "description: Sells things on the corner.", "database: postgres", "auth: jwt", "rbac: false", "integrations: [email]"} {
		if !strings.Contains(string(record), want) {
			t.Errorf(".scaffold.yaml lacks %q:\n%s", want, record)
		}
	}
}

func TestInteractiveInvalidNameIsAskedAgain(t *testing.T) {
	bin := buildScaffold(t)
	dir := t.TempDir()
	c, cmd := startInTerminal(t, bin, dir, "new", "--no-git", "--framework", "fastapi", "--database", "sqlite", "--auth", "none", "--description", "x")
	expectString(t, c, "Project name")
	c.SendLine("../evil")
	expectString(t, c, "path separator")
	// survey keeps the rejected text in the field: clear it, then type a good name.
	c.Send(strings.Repeat("\x7f", len("../evil")))
	c.SendLine("good")
	expectString(t, c, "Integrations")
	c.SendLine("") // none
	expectString(t, c, "Created")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("scaffold exited with %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "good", "pyproject.toml")); err != nil {
		t.Error(err)
	}
}

func TestInteractiveCtrlCWritesNothing(t *testing.T) {
	bin := buildScaffold(t)
	dir := t.TempDir()
	c, cmd := startInTerminal(t, bin, dir, "new", "shop", "--framework", "fastapi")
	expectString(t, c, "One-line description")
	c.SendLine("")
	expectString(t, c, "Database")
	expectString(t, c, "Use arrows")
	c.Send("\x03")
	err := cmd.Wait()
	exitErr, ok := err.(*exec.ExitError)
	if !ok || exitErr.ExitCode() != 130 {
		t.Fatalf("exit = %v, want code 130", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Ctrl-C left %v behind", entries)
	}
}
