package e2e

import (
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// The cache integration: cache-aside reads against the real Redis, and rate
// limits that two server processes share through it.

func init() {
	integrations["cache"] = integration{env: redisEnv, live: cacheLive}
}

func cacheLive(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string) {
	// A cached read is invalidated by a write.
	created := c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": "cached"}, auth...), 201, "create item to cache")
	path := fmt.Sprintf("/api/v1/items/%v", created.body["id"])
	c.expect(c.do("GET", path, nil, auth...), 200, "read (fills the cache)")
	if r := c.expect(c.do("GET", path, nil, auth...), 200, "read (from the cache)"); r.body["title"] != "cached" {
		t.Errorf("cached read: %s", r.raw)
	}
	// Keys are PREFIX item:DATABASE-SCOPE:ID.
	redisCLI(t, env, "cached entry", envValue(env, "REDIS_KEY_PREFIX")+"item:*:"+fmt.Sprint(created.body["id"]))
	c.expect(c.do("PATCH", path, map[string]any{"title": "changed"}, auth...), 200, "update a cached item")
	if r := c.expect(c.do("GET", path, nil, auth...), 200, "read after the change"); r.body["title"] != "changed" {
		t.Errorf("a read after PATCH returned the stale cached copy: %s", r.raw)
	}
	c.expect(c.do("DELETE", path, nil, auth...), 204, "delete a cached item")
	c.expect(c.do("GET", path, nil, auth...), 404, "read after the delete")

	if a.Auth == "none" {
		return // no users, no rate-limited paths
	}
	// Two server processes share one rate limit: 4 attempts allowed in all,
	// spread over both, then both refuse. A fresh key prefix gives them a
	// window of their own (the main service spent 127.0.0.1's budget).
	prefix := fmt.Sprintf("e2e-shared-%d:", freePort(t))
	shared := append(append([]string{}, env...), "RATE_LIMIT_LOGIN=4/minute", "REDIS_KEY_PREFIX="+prefix)
	one, stopOne := startService(t, project, shared, freePort(t))
	defer stopOne()
	two, stopTwo := startService(t, project, shared, freePort(t))
	defer stopTwo()
	attempt := func(c *client, i int) response {
		if a.Auth == "oauth2" {
			// The login start is the rate-limited step of an OpenID Connect login.
			r := c.do("GET", "/api/v1/auth/oauth2/login", nil)
			if r.status != 429 {
				r.status = 401 // counted like a refused password below
			}
			return r
		}
		// A new address each time: only the per-IP limit is in play.
		return c.do("POST", "/api/v1/auth/login", map[string]any{"email": fmt.Sprintf("shared-%d@example.com", i), "password": "wrong password 123"})
	}
	clients := []*client{noRedirects(one), noRedirects(two)}
	for i := 0; i < 4; i++ {
		if r := attempt(clients[i%2], i); r.status == 429 {
			t.Fatalf("attempt %d of 4 (process %d) was already limited: %s", i+1, i%2+1, r.raw)
		}
	}
	for i, c := range clients {
		r := attempt(c, 10+i)
		c.expect(r, 429, fmt.Sprintf("attempt beyond the shared limit on process %d", i+1))
		if r.header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After on process %d", i+1)
		}
	}
}

// noRedirects is c without following redirects: an OpenID Connect login
// start answers 302 to the issuer, which would send the client on to the
// callback of the service it was configured for.
func noRedirects(c *client) *client {
	return &client{t: c.t, base: c.base, http: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// envValue is the last value of NAME in env.
func envValue(env []string, name string) string {
	value := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			value = v
		}
	}
	return value
}

// redisCLI checks that a key matching pattern exists in the project's
// Redis (REDIS_URL).
func redisCLI(t *testing.T, env []string, what, pattern string) {
	t.Helper()
	redisURL := envValue(env, "REDIS_URL")
	out, err := exec.Command("redis-cli", "-u", redisURL, "--scan", "--pattern", pattern).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --scan --pattern %s: %v: %s", pattern, err, out)
	}
	if strings.TrimSpace(string(out)) == "" {
		t.Errorf("%s: no key matches %s in %s", what, pattern, redisURL)
	}
}
