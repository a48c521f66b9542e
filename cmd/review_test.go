package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReviewCommand(t *testing.T) {
	defects := writeProject(t, map[string]string{
		".gitignore":   "*.pyc\n",
		".env":         "SECRET_KEY=abc\n",
		".env.example": "DATABASE_URL=sqlite:///x.db\n",
		"openapi.yaml": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
		"app/main.py": "import os\n\nfrom fastapi import FastAPI\n\napp = FastAPI(debug=True)\n" +
			"SECRET_KEY = \"s3cr3t-Pr0duction-K3y\"\nTIMEOUT = os.getenv(\"HTTP_TIMEOUT\")\n",
		// f's argument is request input: search passes it the query.
		"app/db.py": "def f(c, x):\n    c.execute(f\"SELECT * FROM t WHERE id = {x}\")\n\n\n" +
			"def search(c, request):\n    f(c, request.query_params[\"q\"])\n",
		"tests/test_main.py": "def test_ok():\n    assert True\n",
	})
	mediumOnly := writeProject(t, map[string]string{
		".gitignore": ".env\n", "openapi.yaml": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
		"app/main.py": "import os\n\nURL = os.environ[\"SERVICE_URL\"]\n", "tests/test_main.py": "def test_ok():\n    pass\n",
	})
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"planted defects", []string{"review", defects}, 1, []string{"env-file-exposed", "hardcoded-secret", "debug-enabled",
			"sql-string-building", "env-example-incomplete", "app/db.py:2", "fix:", "Review by hand"}, nil},
		{"markdown", []string{"review", defects, "--format", "markdown"}, 1, []string{"| high | `app/db.py:2` |", "## Review by hand"}, nil},
		{"fail-on critical with only medium", []string{"review", mediumOnly, "--fail-on", "critical"}, 0, []string{"1 medium"}, nil},
		{"fail-on medium", []string{"review", mediumOnly}, 1, []string{"there is no .env.example"}, nil},
		{"fail-on none", []string{"review", defects, "--fail-on", "none"}, 0, []string{"sql-string-building"}, nil},
		{"bad format", []string{"review", defects, "--format", "xml"}, 2, nil, []string{"unknown format"}},
		{"bad fail-on", []string{"review", defects, "--fail-on", "severe"}, 2, nil, []string{"invalid --fail-on"}},
		{"missing directory", []string{"review", filepath.Join(defects, "nope")}, 2, nil, []string{"is not a directory"}},
		{"too many arguments", []string{"review", defects, defects}, 2, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectRun(t, tc.args, tc.code, tc.stdout, tc.stderr)
		})
	}

	// SARIF and JSON are valid, and fingerprints do not change between runs.
	var runs [2]string
	for i := range runs {
		code, out, _ := runBuffered("review", defects, "--format", "sarif")
		if code != 1 || !json.Valid([]byte(out)) || !strings.Contains(out, `"version": "2.1.0"`) {
			t.Fatalf("sarif run: exit %d, output %.200s", code, out)
		}
		runs[i] = out
	}
	if runs[0] != runs[1] {
		t.Error("two SARIF runs over the same project differ")
	}
	if code, out, _ := runBuffered("review", defects, "--format", "json"); code != 1 || !json.Valid([]byte(out)) {
		t.Errorf("json run: exit %d, valid %t", code, json.Valid([]byte(out)))
	}
}

// TestReviewSuppressAndBaseline: a comment silences one finding and the
// report says so; a baseline written today hides today's findings and
// shows a new one.
func TestReviewSuppressAndBaseline(t *testing.T) {
	project := writeProject(t, map[string]string{
		".gitignore":   ".env\n",
		".env.example": "X=1\n",
		"openapi.yaml": "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
		"app/db.py": "def f(c, x):\n" +
			"    # scaffold: ignore[sql-string-building] x is an int checked by the caller\n" +
			"    c.execute(f\"SELECT * FROM t WHERE id = {x}\")\n" +
			"    c.execute(f\"SELECT * FROM u WHERE id = {x}\")  # scaffold: ignore[SEC-03] same\n",
		// A security linter's waiver (bandit's nosec, ruff's noqa with an S
		// code) silences one finding on its own line; other noqa codes do not.
		"app/legacy.py": "import pickle\n\n\ndef load(blob):\n" +
			"    a = pickle.loads(blob)  # nosec B301 blobs come from our own cache\n" +
			"    b = pickle.loads(blob)  # noqa: E501, S301\n" +
			"    return a, b\n",
		// ruff's waiver after a multi-line string stands where the string
		// closes; the finding is where it opens.
		"app/report.py": "def count(c, table):\n" +
			"    c.execute(f\"\"\"\n" +
			"        SELECT count(*) FROM {table}\n" +
			"    \"\"\")  # noqa: S608 table comes from our own settings\n",
		// bandit's waiver on any line of a call that spans lines covers the
		// call, reported where it starts.
		"app/build.py": "import subprocess\n\n\ndef run(request):\n    return subprocess.run(\n" +
			"        request.GET[\"cmd\"],\n        shell=True,  # nosec B602 staff-only view\n    )\n",
		// and so does one on the value of an assignment that spans lines,
		// reported on the name's line.
		"app/keys.py": "RESET_SECRET = (\n    \"kq8Vd2mZpL4xR7tN\"  # nosec: B105 a sample for the docs\n)\n",
		// and one on the closing line covers a finding on a line between
		// (the mode, an inner call's argument).
		"app/otp.py": "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n\n" +
			"def static_password(key):\n    cipher = Cipher(\n        algorithms.AES(key), modes.ECB()\n" +
			"    )  # nosec B305 one fixed block, as the token format prescribes\n    return cipher.encryptor()\n",
		"tests/test_db.py": "def test_ok():\n    pass\n",
	})
	expectRun(t, []string{"review", project}, 0,
		[]string{"no findings; 8 suppressed", "app/otp.py:6", "# nosec B305 one fixed block", "app/keys.py:1", "# nosec: B105 a sample for the docs", "app/build.py:5", "# nosec B602 staff-only view", "app/report.py:2", "# noqa: S608 table comes from our own settings", "app/db.py:3", "x is an int checked by the caller", "app/db.py:4", "same",
			"app/legacy.py:5", "# nosec B301 blobs come from our own cache", "app/legacy.py:6", "# noqa: E501, S301"}, nil)
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(project, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app/legacy.py", "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)  # noqa: E501\n\n\n"+
		"def restore(request):\n    return load(request.body)\n")
	expectRun(t, []string{"review", project}, 1, []string{"app/legacy.py:5"}, nil)
	write("app/legacy.py", "")

	baseline := filepath.Join(t.TempDir(), "baseline.json")
	write("app/old.py", "DEBUG = True\n")
	expectRun(t, []string{"review", project, "--write-baseline", baseline}, 0, []string{"wrote 1 finding to"}, nil)
	expectRun(t, []string{"review", project, "--baseline", baseline}, 0, []string{"1 in the baseline"}, nil)
	write("app/new.py", "import os\nos.system(os.environ[\"CMD\"])\n")
	expectRun(t, []string{"review", project, "--baseline", baseline}, 1, []string{"app/new.py:2", "1 in the baseline"}, nil)
	expectRun(t, []string{"review", project, "--baseline", filepath.Join(project, "missing.json")}, 1, nil,
		[]string{"cannot read the baseline"})
}

// TestReviewGeneratedProject generates the default project and reviews it:
// what scaffold writes must pass its own review.
func TestReviewGeneratedProject(t *testing.T) {
	out := t.TempDir()
	if code, _, errOut := runBuffered("new", "demo", "--yes", "--no-git", "--output", out); code != 0 {
		t.Fatalf("new failed (%d): %s", code, errOut)
	}
	code, stdout, stderr := runBuffered("review", filepath.Join(out, "demo"))
	if code != 0 {
		t.Fatalf("the generated project does not review clean (exit %d):\n%s%s", code, stdout, stderr)
	}
}
