package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/options"
)

// The files below cannot run here (no Docker engine, no GitHub runner), so
// they are checked statically: they parse, name the right services, and every
// command and path they point at exists in the project.

// appReference is a "package.module:name" reference to the application a
// server runs (uvicorn's pkg.main:create_app); mainModule is a module run
// with `python -m pkg.module` (the WSGI packs' pkg.serve).
var (
	appReference = regexp.MustCompile(`\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*):([a-z_]+)`)
	mainModule   = regexp.MustCompile(`-m"?,? "?([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b`)
)

// staticChecks returns one message per problem found in project.
func staticChecks(project string, a options.Answers) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(project, name))
		if err != nil {
			add("%s: %v", name, err)
		}
		return string(b)
	}
	// appTarget checks that a "pkg.module:name" reference names a real
	// function or module-level name.
	appTarget := func(where, text string) {
		m := appReference.FindStringSubmatch(text)
		if m == nil {
			if m = mainModule.FindStringSubmatch(text); m == nil {
				add("%s: no application reference (package.module:name or -m package.module) found in %q", where, text)
				return
			}
			src, err := os.ReadFile(filepath.Join(project, m[1], m[2]+".py"))
			if err != nil || !bytes.Contains(src, []byte(`if __name__ == "__main__":`)) {
				add("%s: runs %s.%s, which is not a module with a main block", where, m[1], m[2])
			}
			return
		}
		src, err := os.ReadFile(filepath.Join(project, m[1], m[2]+".py"))
		if err != nil {
			add("%s: points at %s.%s, which does not exist", where, m[1], m[2])
			return
		}
		if !regexp.MustCompile(`(?m)^(def ` + m[3] + `\(|` + m[3] + `(: [^=]+)? = )`).Match(src) {
			add("%s: %s/%s.py has no function or name %s", where, m[1], m[2], m[3])
		}
	}

	// Dockerfile: multi-stage, non-root final stage, healthcheck on a real
	// endpoint, CMD on a real application, every COPY source present.
	docker := read("Dockerfile")
	stages := regexp.MustCompile(`(?m)^FROM `).FindAllStringIndex(docker, -1)
	if len(stages) < 2 {
		add("Dockerfile: not multi-stage")
	}
	final := docker
	if len(stages) > 0 {
		final = docker[stages[len(stages)-1][0]:]
	}
	if m := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindStringSubmatch(final); m == nil || m[1] == "root" || m[1] == "0" {
		add("Dockerfile: the final stage does not switch to a non-root USER")
	}
	hc := regexp.MustCompile(`(?ms)^HEALTHCHECK .*?CMD (.*?)$`).FindStringSubmatch(final)
	switch {
	case hc == nil:
		add("Dockerfile: no HEALTHCHECK in the final stage")
	case !strings.Contains(hc[1], "/health/live"):
		add("Dockerfile: HEALTHCHECK does not probe /health/live: %s", hc[1])
	case strings.Contains(hc[1], "curl") && !strings.Contains(final, "curl"):
		add("Dockerfile: HEALTHCHECK uses curl, which the final stage does not install")
	}
	if m := regexp.MustCompile(`(?m)^CMD (\[.*\])$`).FindStringSubmatch(final); m == nil {
		add("Dockerfile: no exec-form CMD in the final stage")
	} else {
		var argv []string
		if err := json.Unmarshal([]byte(m[1]), &argv); err != nil {
			add("Dockerfile: CMD is not a JSON array: %v", err)
		}
		appTarget("Dockerfile CMD", m[1])
	}
	for _, m := range regexp.MustCompile(`(?m)^COPY\s+(.+)$`).FindAllStringSubmatch(docker, -1) {
		fields := strings.Fields(m[1])
		if strings.HasPrefix(fields[0], "--from") {
			continue
		}
		for _, src := range fields[:len(fields)-1] {
			if strings.HasPrefix(src, "--") || strings.ContainsAny(src, "*?") {
				continue
			}
			if _, err := os.Stat(filepath.Join(project, src)); err != nil {
				add("Dockerfile: COPY source %s does not exist in the project", src)
			}
		}
	}
	if ignore := read(".dockerignore"); !regexp.MustCompile(`(?m)^\.env$`).MatchString(ignore) {
		add(".dockerignore: .env is not excluded from the image")
	}

	// docker-compose.yml: the app, and the chosen database as a healthy dependency.
	var compose struct {
		Services map[string]struct {
			Image       string         `yaml:"image"`
			Build       any            `yaml:"build"`
			Command     any            `yaml:"command"`
			Environment map[string]any `yaml:"environment"`
			DependsOn   any            `yaml:"depends_on"`
			Healthcheck any            `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(read("docker-compose.yml")), &compose); err != nil {
		add("docker-compose.yml: %v", err)
	}
	app, ok := compose.Services["app"]
	if !ok || app.Build == nil {
		add("docker-compose.yml: no app service built from the Dockerfile")
	} else {
		appTarget("docker-compose.yml app command", fmt.Sprint(app.Command))
		dbURL := fmt.Sprint(app.Environment["DATABASE_URL"])
		wantScheme := map[string]string{"sqlite": "sqlite:", "postgres": "postgresql", "mysql": "mysql"}[a.Database]
		if !strings.HasPrefix(dbURL, wantScheme) {
			add("docker-compose.yml: app DATABASE_URL %q is not a %s URL", dbURL, a.Database)
		}
	}
	if a.Database != "sqlite" {
		db, ok := compose.Services["db"]
		wantImage := map[string]string{"postgres": "postgres:", "mysql": "mariadb:"}[a.Database]
		switch {
		case !ok:
			add("docker-compose.yml: no db service for %s", a.Database)
		case !strings.HasPrefix(db.Image, wantImage) && !(a.Database == "mysql" && strings.HasPrefix(db.Image, "mysql:")):
			add("docker-compose.yml: db image %q is not %s", db.Image, a.Database)
		case db.Healthcheck == nil:
			add("docker-compose.yml: db has no healthcheck")
		case !strings.Contains(fmt.Sprint(app.DependsOn), "db"):
			add("docker-compose.yml: app does not depend on db")
		}
	}

	// The CI workflow: lint, types and tests, with a PostgreSQL service.
	var wf struct {
		On   any `yaml:"on"`
		Jobs map[string]struct {
			Services map[string]struct {
				Image string `yaml:"image"`
			} `yaml:"services"`
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(read(".github/workflows/ci.yml")), &wf); err != nil {
		add(".github/workflows/ci.yml: %v", err)
	}
	var runs, images []string
	for _, j := range wf.Jobs {
		for _, s := range j.Services {
			images = append(images, s.Image)
		}
		for _, s := range j.Steps {
			runs = append(runs, s.Run)
		}
	}
	all := strings.Join(runs, "\n")
	for _, want := range []string{"ruff check", "mypy", "make test"} {
		if !strings.Contains(all, want) {
			add(".github/workflows/ci.yml: no step runs %q", want)
		}
	}
	if !strings.Contains(strings.Join(images, " "), "postgres") {
		add(".github/workflows/ci.yml: no PostgreSQL service container")
	}
	if wf.On == nil {
		add(".github/workflows/ci.yml: no trigger (on:)")
	}

	var precommit struct {
		Repos []any `yaml:"repos"`
	}
	if err := yaml.Unmarshal([]byte(read(".pre-commit-config.yaml")), &precommit); err != nil || len(precommit.Repos) == 0 {
		add(".pre-commit-config.yaml: no hooks (%v)", err)
	}
	if gi := read(".gitignore"); !regexp.MustCompile(`(?m)^\.env$`).MatchString(gi) {
		add(".gitignore: .env is not ignored")
	}
	return problems
}
