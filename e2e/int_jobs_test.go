package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// The jobs integration: a real Celery worker (`make worker`) against the
// real Redis from .ci/services.sh.

func init() {
	integrations["jobs"] = integration{env: redisEnv, live: jobsLive}
}

// redisEnv points the project at SCAFFOLD_TEST_REDIS_URL, on a database
// number of its own (1-15, from the project's name) so that variants running
// one after the other never see each other's queues or cache entries. It
// fails the variant when Redis does not answer.
func redisEnv(t *testing.T, project string) []string {
	t.Helper()
	raw := os.Getenv("SCAFFOLD_TEST_REDIS_URL")
	if raw == "" {
		raw = "redis://127.0.0.1:6379/0"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("SCAFFOLD_TEST_REDIS_URL %q: %v", raw, err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 3*time.Second)
	if err != nil {
		t.Fatalf("Redis is not reachable at %s (%v): start it with `bash .ci/services.sh` "+
			"(or `redis-server --port 6379`) and export SCAFFOLD_TEST_REDIS_URL", u.Host, err)
	}
	conn.Close()
	h := fnv.New32a()
	h.Write([]byte(filepath.Base(project)))
	u.Path = fmt.Sprintf("/%d", 1+h.Sum32()%15)
	// A key prefix of this run's own: rate-limit windows and queues left by an
	// earlier run of the same variant (on the same Redis) are not in play.
	prefix := fmt.Sprintf("e2e-%s-%d:", filepath.Base(project), time.Now().UnixNano())
	return []string{"REDIS_URL=" + u.String(), "TEST_REDIS_URL=" + u.String(), "REDIS_KEY_PREFIX=" + prefix}
}

// projectPackage is the generated project's Python package: the directory
// holding jobs_cli.py, which the jobs feature writes in every pack (FastAPI's
// package has main.py, Django's wsgi.py).
func projectPackage(t *testing.T, project string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(project, "*", "jobs_cli.py"))
	if len(matches) != 1 {
		t.Fatalf("cannot tell the package of %s: %v", project, matches)
	}
	return filepath.Base(filepath.Dir(matches[0]))
}

// startWorker runs `make worker` in its own process group; the returned
// function stops the group and returns the worker's output.
func startWorker(t *testing.T, project string, env []string) func() string {
	t.Helper()
	cmd := exec.Command("make", "worker")
	cmd.Dir = project
	cmd.Env = env
	var logs bytes.Buffer
	var mu sync.Mutex
	w := lockedWriter{&mu, &logs}
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() string {
		once.Do(func() { stopGroup(cmd, 15*time.Second) })
		mu.Lock()
		defer mu.Unlock()
		return string(tail(logs.Bytes(), 80))
	}
	t.Cleanup(func() { stop() })
	return stop
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// jobsCLI runs `python -m PACKAGE.jobs_cli ARGS...` in the project and
// decodes the job it prints last.
func jobsCLI(t *testing.T, project string, env []string, args ...string) (map[string]any, error) {
	t.Helper()
	cmd := exec.Command("uv", append([]string{"run", "python", "-m", projectPackage(t, project) + ".jobs_cli"}, args...)...)
	cmd.Dir = project
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var job map[string]any
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "{") {
		_ = json.Unmarshal([]byte(last), &job)
	}
	if err != nil {
		return job, fmt.Errorf("jobs_cli %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), tail(stderr.Bytes(), 30))
	}
	return job, nil
}

// waitJob polls GET /api/v1/jobs/ID until done(job) or the deadline.
func waitJob(c *client, id string, auth []string, seconds int, done func(map[string]any) bool) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	for {
		job := c.expect(c.do("GET", "/api/v1/jobs/"+id, nil, auth...), 200, "get job").body
		if done(job) || time.Now().After(deadline) {
			return job
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func jobsLive(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string) {
	stop := startWorker(t, project, env)

	// A job runs on the worker.
	item := c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": "to export"}, auth...), 201, "create item to export")
	id := fmt.Sprint(item.body["id"])
	started := c.expect(c.do("POST", "/api/v1/items/"+id+"/export", nil, auth...), 202, "start an export job")
	jobID, _ := started.body["id"].(string)
	if jobID == "" || started.header.Get("Location") != "/api/v1/jobs/"+jobID {
		t.Fatalf("export: no job id or Location: %s %v", started.raw, started.header)
	}
	job := waitJob(c, jobID, auth, 60, func(j map[string]any) bool { return j["status"] == "succeeded" })
	if job["status"] != "succeeded" {
		t.Fatalf("the export job did not succeed on the worker within 60 s: %v\nworker:\n%s", job, stop())
	}
	result, _ := job["result"].(map[string]any)
	exported, _ := result["item"].(map[string]any)
	if exported["title"] != "to export" || job["attempts"] != float64(1) {
		t.Errorf("export job: unexpected outcome %v", job)
	}

	// A duplicate delivery of the same message has no second effect.
	if _, err := jobsCLI(t, project, env, "redeliver", jobID); err != nil {
		t.Fatal(err)
	}
	again := waitJob(c, jobID, auth, 30, func(j map[string]any) bool { return j["duplicates"] == float64(1) })
	if again["duplicates"] != float64(1) || again["attempts"] != float64(1) || fmt.Sprint(again["result"]) != fmt.Sprint(job["result"]) {
		t.Errorf("a redelivered job ran again or was not counted as a duplicate: before %v, after %v", job, again)
	}

	// A failing job is retried (with backoff) until it succeeds.
	probe, err := jobsCLI(t, project, env, "probe", "--fail", "2", "--wait", "60")
	if err != nil {
		t.Fatalf("%v\nworker:\n%s", err, stop())
	}
	if probe["status"] != "succeeded" || probe["attempts"] != float64(3) {
		t.Errorf("probe failing twice: want succeeded after 3 attempts, got %v", probe)
	}
	logs := stop()
	if !strings.Contains(logs, "failed (retrying)") {
		t.Errorf("the worker's log does not show the retried attempts:\n%s", logs)
	}
}
