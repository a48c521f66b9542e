package e2e

import (
	"slices"
	"testing"

	"github.com/scaffoldtool/scaffold/options"
)

// integration is what the suite knows of one integration feature. Each
// integration registers itself from its own file (e2e/int_NAME_test.go).
type integration struct {
	// env returns the variables the project's checks and its running service
	// need for this integration: provider URLs on loopback, credentials for
	// the local stand-ins. It may start fakes; it stops them with t.Cleanup.
	// It fails the test when a real local service the integration is proven
	// against (stripe-mock, Mailpit, Redis) is not reachable.
	env func(t *testing.T, project string) []string
	// live runs over HTTP against the running service, after the items
	// checks and before the contract and the fuzzer. env is the service's.
	live func(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string)
}

var integrations = map[string]integration{}

// integrationEnv gathers the chosen integrations' environments, in a fixed
// order; an integration the suite cannot prove fails the variant.
func integrationEnv(t *testing.T, project string, a options.Answers) []string {
	t.Helper()
	var env []string
	for _, name := range sortedIntegrations(a) {
		in, ok := integrations[name]
		if !ok {
			t.Fatalf("integration %s has no end-to-end checks: register them in e2e/int_%s_test.go", name, name)
		}
		if in.env != nil {
			env = append(env, in.env(t, project)...)
		}
	}
	return env
}

func integrationLive(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string) {
	t.Helper()
	names := sortedIntegrations(a)
	// With jobs, the Celery worker delivers the outbox (emails, SMS): it runs
	// while the other integrations are checked, and is stopped before the jobs
	// checks, which start their own worker and read its log.
	if slices.Contains(names, "jobs") {
		names = append(slices.DeleteFunc(names, func(n string) bool { return n == "jobs" }), "jobs")
		if len(names) > 1 {
			stopWorker := startWorker(t, project, env)
			defer stopWorker()
			for _, name := range names[:len(names)-1] {
				liveChecks(t, c, project, env, a, auth, name)
			}
			stopWorker()
			names = names[len(names)-1:]
		}
	}
	for _, name := range names {
		liveChecks(t, c, project, env, a, auth, name)
	}
}

func liveChecks(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string, name string) {
	t.Helper()
	if in := integrations[name]; in.live != nil {
		t.Logf("live checks of integration %s", name)
		in.live(t, c, project, env, a, auth)
	}
}

func sortedIntegrations(a options.Answers) []string {
	names := slices.Clone(a.Integrations)
	slices.Sort(names)
	return names
}
