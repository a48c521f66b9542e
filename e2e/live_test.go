package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// The live run starts the generated service the way its README says
// (`make run` with HOST and PORT) on a loopback port and uses it the way a
// client developer would on day one. The flows are written against the API
// contract every pack shares (/api/v1, /health, RFC 9457 problems).

type client struct {
	t    *testing.T
	base string
	http *http.Client
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (c *client) do(method, path string, body any, headers ...string) response {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return readResponse(res)
}

// readResponse reads and closes an answer's body, decoding it when it is
// JSON.
func readResponse(res *http.Response) response {
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// expect checks the status and, for errors, that the body is a problem.
func (c *client) expect(r response, status int, what string) response {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("%s: status %d, want %d; body: %s", what, r.status, status, r.raw)
	}
	if status >= 400 {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			c.t.Fatalf("%s: Content-Type %q, want application/problem+json", what, ct)
		}
		if r.body["status"] != float64(status) || r.body["title"] == nil {
			c.t.Fatalf("%s: not an RFC 9457 problem: %s", what, r.raw)
		}
	}
	return r
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// stopGroup ends a process started in its own process group: SIGTERM, then
// SIGKILL when the group has not emptied within grace. It returns only when
// no process of the group is left: `make` exits at once on SIGTERM, while
// what it started (a Celery worker finishing its warm shutdown, a server
// draining) would otherwise run on beside the variant's next steps.
func stopGroup(cmd *exec.Cmd, grace time.Duration) {
	group := -cmd.Process.Pid
	_ = syscall.Kill(group, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	deadline := time.After(grace)
	killed := false
	kill := func() {
		_ = syscall.Kill(group, syscall.SIGKILL)
		killed = true
		deadline = time.After(grace)
	}
	select {
	case <-done:
	case <-deadline:
		kill()
		<-done
	}
	// The group outlives `make` while any member lives; signal 0 reports
	// ESRCH once the last one has exited. A member that survives SIGKILL (a
	// zombie nobody reaps) ends the wait after one more grace period.
	for syscall.Kill(group, 0) == nil {
		select {
		case <-deadline:
			if killed {
				return
			}
			kill()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// startService runs `make run` and waits for /health/ready. The returned
// function stops the whole process group.
func startService(t *testing.T, project string, env []string, port int) (*client, func()) {
	t.Helper()
	cmd := exec.Command("make", "run")
	cmd.Dir = project
	cmd.Env = append(env, "HOST=127.0.0.1", fmt.Sprintf("PORT=%d", port))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() { once.Do(func() { stopGroup(cmd, 10*time.Second) }) }
	c := &client{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port), http: &http.Client{Timeout: 10 * time.Second}}
	deadline := time.Now().Add(90 * time.Second)
	for {
		res, err := c.http.Get(c.base + "/health/ready")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return c, stop
			}
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("`make run` did not become ready on port %d in 90s; its output:\n%s", port, tail(logs.Bytes(), 60))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// liveRun exercises a running service; it returns a one-line load figure
// when load is requested.
func liveRun(t *testing.T, project string, env []string, a options.Answers, seed *sql.DB) string {
	port := freePort(t)
	var issuer *fakeIssuer
	if a.Auth == "oauth2" {
		issuer = startFakeIssuer(t)
		env = append(env,
			"OIDC_DISCOVERY_URL="+issuer.URL+"/.well-known/openid-configuration",
			"OIDC_CLIENT_ID="+issuer.ClientID,
			"OIDC_CLIENT_SECRET="+issuer.ClientSecret,
			fmt.Sprintf("OIDC_REDIRECT_URI=http://127.0.0.1:%d/api/v1/auth/oauth2/callback", port))
	}
	name := filepath.Base(project)
	secrets := liveSecrets{key: "e2e-signing-key-" + strings.Repeat("k", 40), issuer: name, audience: name + "-api"}
	env = append(env, "SECRET_KEY="+secrets.key, "JWT_ISSUER="+secrets.issuer, "JWT_AUDIENCE="+secrets.audience)
	c, stop := startService(t, project, env, port)
	defer stop()

	c.expect(c.do("GET", "/health/live", nil), 200, "liveness")
	r := c.do("GET", "/health/ready", nil, "X-Request-ID", "e2e-request-1")
	c.expect(r, 200, "readiness")
	if got := r.header.Get("X-Request-ID"); got != "e2e-request-1" {
		t.Errorf("X-Request-ID not echoed: got %q", got)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("no X-Content-Type-Options: nosniff on responses")
	}
	r = c.expect(c.do("GET", "/no/such/path", nil), 404, "unknown path")
	if r.header.Get("X-Request-ID") == "" {
		t.Errorf("no generated X-Request-ID on a 404")
	}
	c.expect(c.do("DELETE", "/health/live", nil), 405, "wrong method")

	var auth []string
	switch a.Auth {
	case "none":
	case "jwt":
		auth = jwtFlow(t, c, a)
	case "oauth2":
		auth = oauth2Flow(t, c, a, issuer)
	case "session":
		auth = sessionFlow(t, c, a)
	default:
		t.Fatalf("the live run has no flow for auth=%s: add one in e2e/live_test.go", a.Auth)
	}

	created := c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": "first item"}, auth...), 201, "create item")
	if created.header.Get("Location") == "" {
		t.Errorf("POST /api/v1/items: no Location header")
	}
	c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": strings.Repeat("x", 10000)}, auth...), 422, "oversized title")
	injection := "Robert'); DROP TABLE items;--"
	stored := c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": injection}, auth...), 201, "SQL-looking title")
	if stored.body["title"] != injection {
		t.Errorf("a SQL-looking title was not stored literally: %s", stored.raw)
	}
	c.expect(c.do("GET", "/api/v1/items?limit=1000", nil, auth...), 422, "limit above the maximum")
	list := c.expect(c.do("GET", "/api/v1/items?include_total=true", nil, auth...), 200, "list items")
	if total, _ := list.body["total"].(float64); total < 2 {
		t.Errorf("list: total %v, want at least 2: %s", list.body["total"], list.raw)
	}
	c.expect(c.do("GET", "/api/v1/items?sort=password", nil, auth...), 422, "sort on a field outside the allow-list")
	integrationLive(t, c, project, env, a, auth)

	// The contract runs before the fuzzer, which may end the session (a
	// schema-valid logout) and spends the per-address budgets of 127.0.0.1.
	runContract(t, c, a, auth, secrets, func() string {
		switch a.Auth {
		case "oauth2":
			tokens, _, _ := oauth2Login(t, c.from("127.0.0.15"), issuer)
			return tokens.body["refresh_token"].(string)
		default:
			login := c.expect(c.from("127.0.0.15").do("POST", "/api/v1/auth/login", jwtCreds), 200, "login for the refresh race")
			return login.body["refresh_token"].(string)
		}
	})
	fuzzAPI(t, c, project, auth)

	figure := ""
	if seed != nil && a.Auth == "jwt" {
		figure = loadRun(t, c, seed, a, auth)
	}
	if a.Auth == "jwt" || a.Auth == "session" {
		// Last, because it locks this client out of logging in for a while.
		if !limitedWithin(c, 30, "rate-limited login", func(int) response {
			return c.do("POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.com", "password": "wrong password 123"})
		}) {
			t.Errorf("30 bad logins in a row were never rate limited")
		}
	}
	return figure
}

// jwtCreds is the account the jwt flow registers.
var jwtCreds = map[string]any{"email": "Ada@Example.com", "password": "correct horse battery staple"}

func jwtFlow(t *testing.T, c *client, a options.Answers) []string {
	creds := jwtCreds
	reg := c.expect(c.do("POST", "/api/v1/users", creds), 201, "register")
	if reg.header.Get("Location") == "" {
		t.Errorf("register: no Location header")
	}
	if reg.body["email"] != "ada@example.com" {
		t.Errorf("register: email not normalised: %s", reg.raw)
	}
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"email": "ADA@example.com", "password": "another long password"}), 409, "duplicate email, other case")
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"email": "bob@example.com", "password": "short"}), 422, "short password")
	c.expect(c.do("POST", "/api/v1/auth/login", map[string]any{"email": "ada@example.com", "password": "wrong password!!"}), 401, "wrong password")
	login := c.expect(c.do("POST", "/api/v1/auth/login", creds), 200, "login")
	access, _ := login.body["access_token"].(string)
	refresh, _ := login.body["refresh_token"].(string)
	if access == "" || refresh == "" {
		t.Fatalf("login: no tokens: %s", login.raw)
	}
	bearer := []string{"Authorization", "Bearer " + access}
	c.expect(c.do("GET", "/api/v1/users/me", nil, bearer...), 200, "me")
	c.expect(c.do("GET", "/api/v1/users/me", nil), 401, "me without a token")
	c.expect(c.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+access[:len(access)-3]+"abc"), 401, "tampered token")
	c.expect(c.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0."), 401, "alg none token")

	checkTokenPair(t, c, a, refresh, bearer)
	return bearer
}

// checkTokenPair proves refresh rotation and reuse detection, and RBAC, for
// the modes that end in the app's own token pair.
func checkTokenPair(t *testing.T, c *client, a options.Answers, refresh string, bearer []string) {
	rotated := c.expect(c.do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh}), 200, "refresh")
	newRefresh, _ := rotated.body["refresh_token"].(string)
	c.expect(c.do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh}), 401, "reused refresh token")
	c.expect(c.do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": newRefresh}), 401, "refresh after reuse revoked the family")

	if a.RBAC {
		c.expect(c.do("GET", "/api/v1/admin/users", nil, bearer...), 403, "admin endpoint as a plain user")
	}
}

// sessionFlow registers, logs in for a session cookie and proves the
// cookie's attributes, CSRF protection, id rotation and logout.
func sessionFlow(t *testing.T, c *client, a options.Answers) []string {
	creds := map[string]any{"email": "Ada@Example.com", "password": "correct horse battery staple"}
	c.expect(c.do("POST", "/api/v1/users", creds), 201, "register")
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"email": "ada@EXAMPLE.com", "password": "another long password"}), 409, "duplicate email, other case")
	c.expect(c.do("POST", "/api/v1/auth/login", map[string]any{"email": "ada@example.com", "password": "wrong password!!"}), 401, "wrong password")
	login := func() (cookie, csrf string) {
		r := c.expect(c.do("POST", "/api/v1/auth/login", creds), 200, "login")
		csrf, _ = r.body["csrf_token"].(string)
		for _, ck := range (&http.Response{Header: r.header}).Cookies() {
			if ck.Value == "" {
				continue
			}
			cookie = ck.Name + "=" + ck.Value
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %s: HttpOnly=%t SameSite=%v, want HttpOnly and Lax", ck.Name, ck.HttpOnly, ck.SameSite)
			}
		}
		if cookie == "" || csrf == "" {
			t.Fatalf("login: no session cookie or CSRF token: %v %s", r.header, r.raw)
		}
		return cookie, csrf
	}
	cookie, csrf := login()
	auth := []string{"Cookie", cookie, "X-CSRF-Token", csrf}
	c.expect(c.do("GET", "/api/v1/users/me", nil, "Cookie", cookie), 200, "me with the session cookie")
	c.expect(c.do("GET", "/api/v1/users/me", nil), 401, "me without a cookie")
	c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": "no csrf"}, "Cookie", cookie), 403, "unsafe method without the CSRF token")
	c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": "bad csrf"}, "Cookie", cookie, "X-CSRF-Token", csrf+"x"), 403, "unsafe method with a wrong CSRF token")

	other, otherCSRF := login()
	if other == cookie {
		t.Errorf("a second login reused the session id; it must rotate")
	}
	c.expect(c.do("POST", "/api/v1/auth/logout", nil, "Cookie", other, "X-CSRF-Token", otherCSRF), 204, "logout")
	c.expect(c.do("GET", "/api/v1/users/me", nil, "Cookie", other), 401, "me after logout")
	c.expect(c.do("GET", "/api/v1/users/me", nil, "Cookie", cookie), 200, "the first session survives the other's logout")

	if a.RBAC {
		c.expect(c.do("GET", "/api/v1/admin/users", nil, auth...), 403, "admin endpoint as a plain user")
	}
	return auth
}

// oauth2Flow logs in through the fake issuer the way a browser would:
// login redirect, issuer approval, callback; then checks replay protection.
func oauth2Flow(t *testing.T, c *client, a options.Answers, issuer *fakeIssuer) []string {
	tokens, path, browser := oauth2Login(t, c, issuer)
	access, _ := tokens.body["access_token"].(string)
	refresh, _ := tokens.body["refresh_token"].(string)
	if r := c.do("GET", path, nil); r.status < 400 || r.status >= 500 {
		t.Errorf("replayed oauth2 callback: status %d, want a 4xx", r.status)
	}
	if res, err := browser.Get(c.base + path); err != nil || res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Errorf("oauth2 callback replayed by the browser that logged in: %v %v, want a 4xx", res.Status, err)
	} else {
		res.Body.Close()
	}
	bearer := []string{"Authorization", "Bearer " + access}
	me := c.expect(c.do("GET", "/api/v1/users/me", nil, bearer...), 200, "me after oauth2 login")
	if me.body["email"] != issuer.Email {
		t.Errorf("me: email %v, want %s from the ID token", me.body["email"], issuer.Email)
	}
	c.expect(c.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+access[:len(access)-3]+"abc"), 401, "tampered token")
	checkTokenPair(t, c, a, refresh, bearer)

	// A callback URL presented by another browser (one that did not start
	// the login) must not log anyone in: login CSRF, or a leaked URL.
	other := c.from("127.0.0.16")
	_, stolen := oauth2Start(t, other, issuer, other.withJar())
	if r := c.do("GET", stolen, nil); r.status < 400 || r.status >= 500 {
		t.Errorf("oauth2 callback from a browser that did not start the login: status %d, want a 4xx", r.status)
	}
	return bearer
}

// oauth2Start runs a login up to the issuer's redirect back to the app and
// returns the browser (with any cookies the app set) and the callback path.
func oauth2Start(t *testing.T, c *client, issuer *fakeIssuer, browser *http.Client) (*http.Client, string) {
	t.Helper()
	get := func(u string) *http.Response {
		res, err := browser.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	login := get(c.base + "/api/v1/auth/oauth2/login")
	if login.StatusCode != http.StatusFound && login.StatusCode != http.StatusTemporaryRedirect && login.StatusCode != http.StatusSeeOther {
		t.Fatalf("oauth2 login: status %d, want a redirect to the issuer", login.StatusCode)
	}
	authorize, err := url.Parse(login.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(authorize.String(), issuer.URL+"/authorize") {
		t.Fatalf("oauth2 login redirects to %q, not the issuer's authorization endpoint", login.Header.Get("Location"))
	}
	q := authorize.Query()
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if q.Get(k) == "" {
			t.Errorf("authorization request has no %s", k)
		}
	}
	if q.Get("code_challenge_method") != "S256" {
		t.Errorf("code_challenge_method = %q, want S256", q.Get("code_challenge_method"))
	}
	approved := get(authorize.String())
	callback := approved.Header.Get("Location")
	if approved.StatusCode != http.StatusFound || callback == "" {
		t.Fatalf("fake issuer did not approve: status %d", approved.StatusCode)
	}
	cb, _ := url.Parse(callback)
	return browser, cb.RequestURI()
}

// oauth2Login completes a login in one browser and returns the callback's
// answer (the app's token pair), the callback path and the browser, for
// replay tests.
func oauth2Login(t *testing.T, c *client, issuer *fakeIssuer) (response, string, *http.Client) {
	t.Helper()
	browser, path := oauth2Start(t, c, issuer, c.withJar())
	res, err := browser.Get(c.base + path)
	if err != nil {
		t.Fatalf("oauth2 callback: %v", err)
	}
	tokens := c.expect(readResponse(res), 200, "oauth2 callback")
	if tokens.body["access_token"] == nil || tokens.body["refresh_token"] == nil {
		t.Fatalf("oauth2 callback: no tokens: %s", tokens.raw)
	}
	return tokens, path, browser
}

// loadRun seeds 100,000 items for the logged-in user and measures the
// authenticated list endpoint with a bounded loopback load: a fixed number
// of requests from a few workers, stopped after at most 20 seconds.
func loadRun(t *testing.T, c *client, db *sql.DB, a options.Answers, auth []string) string {
	me := c.expect(c.do("GET", "/api/v1/users/me", nil, auth...), 200, "me")
	id := int64(me.body["id"].(float64))
	stmt := "INSERT INTO items (title, description, done, owner_id) " +
		"SELECT concat('item ', g), '', false, $1 FROM generate_series(1, 100000) AS g"
	if _, err := db.Exec(stmt, id); err != nil {
		t.Fatalf("seeding 100,000 items: %v", err)
	}
	const workers, requests = 4, 1000
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	jobs := make(chan struct{}, requests)
	for i := 0; i < requests; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	var mu sync.Mutex
	var latencies []time.Duration
	failures := 0
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if ctx.Err() != nil {
					return
				}
				req, _ := http.NewRequestWithContext(ctx, "GET", c.base+"/api/v1/items?limit=20", nil)
				req.Header.Set(auth[0], auth[1])
				t0 := time.Now()
				res, err := hc.Do(req)
				d := time.Since(t0)
				if ctx.Err() != nil {
					return // the time bound ended the run; this request does not count
				}
				ok := err == nil && res.StatusCode == 200
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				mu.Lock()
				if ok {
					latencies = append(latencies, d)
				} else {
					failures++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failures > 0 || len(latencies) == 0 {
		t.Fatalf("load run: %d of %d requests failed", failures, failures+len(latencies))
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	p50 := latencies[len(latencies)/2]
	p99 := latencies[len(latencies)*99/100]
	figure := fmt.Sprintf("%s: GET /api/v1/items (jwt, 100,000 rows, %d workers): %d requests in %.1fs = %.0f req/s, p50 %.1f ms, p99 %.1f ms",
		a.Name, workers, len(latencies), elapsed.Seconds(), float64(len(latencies))/elapsed.Seconds(),
		float64(p50.Microseconds())/1000, float64(p99.Microseconds())/1000)
	fmt.Fprintln(os.Stderr, figure)
	return figure
}
