package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// The contract scenarios below are what outside testing of generated
// services checks under concurrency and with hostile clients (STANDARD.md
// §11). They speak only the HTTP contract every pack serves, so they run
// unchanged against any framework.
//
// Rate limits are per client address, so each scenario talks from its own
// loopback address (127.0.0.0/8 all reaches the server on 127.0.0.1): one
// scenario's attempts never eat another's budget, and the per-account limit
// can be proven across many addresses.

// from returns a client whose connections leave from the given loopback
// address.
func (c *client) from(ip string) *client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &client{t: c.t, base: c.base, http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 128},
	}}
}

// together sends n copies of one request, released at the same moment on n
// separate connections, and returns the answers.
func (c *client) together(n int, method, path string, body any, headers ...string) []response {
	c.t.Helper()
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	out := make([]response, n)
	errs := make([]error, n)
	var payload []byte
	if body != nil {
		payload, _ = json.Marshal(body)
	}
	for i := 0; i < n; i++ {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(payload))
			if payload != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			for j := 0; j+1 < len(headers); j += 2 {
				req.Header.Set(headers[j], headers[j+1])
			}
			ready.Done()
			<-start
			res, err := c.http.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = readResponse(res)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	for _, err := range errs {
		if err != nil {
			c.t.Fatalf("%s %s (one of %d parallel requests): %v", method, path, n, err)
		}
	}
	return out
}

func statuses(rs []response) map[int]int {
	m := map[int]int{}
	for _, r := range rs {
		m[r.status]++
	}
	return m
}

// contractRefreshRace: N parallel refreshes of one token give exactly one
// 200; the others are reuse, which revokes the family, so the token the
// winner received no longer refreshes either.
func contractRefreshRace(t *testing.T, c *client, refresh string) {
	const n = 8
	c = c.from("127.0.0.11")
	rs := c.together(n, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh})
	got := statuses(rs)
	if got[200] != 1 || got[401] != n-1 {
		t.Errorf("%d parallel refreshes of one token: statuses %v, want exactly one 200 and %d × 401", n, got, n-1)
	}
	for _, r := range rs {
		if r.status >= 500 {
			t.Errorf("parallel refresh answered %d: %s", r.status, r.raw)
		}
		if r.status == 200 {
			winner, _ := r.body["refresh_token"].(string)
			c.expect(c.do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": winner}), 401,
				"the token minted by the race's winner, after the losers revoked the family")
		}
	}
}

// contractParallelCreates: 100 parallel creates all succeed and all rows are
// there. A 503 problem with Retry-After is the only acceptable answer to
// contention the server cannot resolve, and this load must not cause any.
func contractParallelCreates(t *testing.T, c *client, auth []string) {
	const n = 100
	before := c.expect(c.do("GET", "/api/v1/items?limit=1&include_total=true", nil, auth...), 200, "list before parallel creates")
	rs := c.from("127.0.0.12").together(n, "POST", "/api/v1/items", map[string]any{"title": "parallel"}, auth...)
	if got := statuses(rs); got[201] != n {
		for _, r := range rs {
			if r.status != 201 {
				t.Errorf("%d parallel creates: statuses %v, want %d × 201; first other answer: %s", n, got, n, r.raw)
				break
			}
		}
	}
	after := c.expect(c.do("GET", "/api/v1/items?limit=1&include_total=true", nil, auth...), 200, "list after parallel creates")
	b, _ := before.body["total"].(float64)
	a, _ := after.body["total"].(float64)
	if a-b != n {
		t.Errorf("after %d parallel creates the total went from %v to %v", n, b, a)
	}
}

// contractRegistrationRace: one new address registered by several requests
// at once is one account: exactly one 201, the others 409, never a 500 from
// the unique index the losers run into.
func contractRegistrationRace(t *testing.T, c *client) {
	const n = 8
	rs := c.from("127.0.0.15").together(n, "POST", "/api/v1/users",
		map[string]any{"email": "race@example.com", "password": "a race for one address 5"})
	if got := statuses(rs); got[201] != 1 || got[409] != n-1 {
		t.Errorf("%d parallel registrations of one address: statuses %v, want one 201 and %d × 409", n, got, n-1)
		for _, r := range rs {
			if r.status >= 500 {
				t.Errorf("parallel registration answered %d: %s", r.status, r.raw)
				break
			}
		}
	}
}

// contractDeleteRace: an item deleted by several requests at once is deleted
// once: one 204, the others 404.
func contractDeleteRace(t *testing.T, c *client, auth []string) {
	const n = 8
	created := c.expect(c.do("POST", "/api/v1/items", map[string]any{"title": "deleted by a race"}, auth...), 201, "create an item to delete")
	id, ok := created.body["id"].(float64)
	if !ok {
		t.Fatalf("create an item to delete: no numeric id in %s", created.raw)
	}
	rs := c.from("127.0.0.16").together(n, "DELETE", fmt.Sprintf("/api/v1/items/%d", int64(id)), nil, auth...)
	if got := statuses(rs); got[204] != 1 || got[404] != n-1 {
		t.Errorf("%d parallel deletes of one item: statuses %v, want one 204 and %d × 404", n, got, n-1)
	}
}

// contractEmails: the same address in composed and decomposed Unicode or in
// another letter case is one account, an accented address is another
// account, and all of it behaves the same on every database.
func contractEmails(t *testing.T, c *client) {
	c = c.from("127.0.0.13")
	plain := map[string]any{"email": "jose@example.com", "password": "plain jose password 1"}
	accented := map[string]any{"email": "jos\u00e9@example.com", "password": "accented jose password 2"}
	c.expect(c.do("POST", "/api/v1/users", plain), 201, "register jose@")
	c.expect(c.do("POST", "/api/v1/users", accented), 201, "register josé@ (composed): a different address from jose@")
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"email": "jose\u0301@example.com", "password": "decomposed password 3"}), 409, "register josé@ in decomposed Unicode: the same address")
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"email": "JOS\u00c9@EXAMPLE.COM", "password": "upper case password 4"}), 409, "register JOSÉ@EXAMPLE.COM: the same address in another case")
	c.expect(c.do("POST", "/api/v1/auth/login", map[string]any{"email": "jos\u00e9@example.com", "password": plain["password"]}), 401, "log in as josé@ with jose@'s password")
	c.expect(c.do("POST", "/api/v1/auth/login", map[string]any{"email": "jose\u0301@example.com", "password": accented["password"]}), 200, "log in as josé@ written decomposed")
	c.expect(c.do("POST", "/api/v1/auth/login", plain), 200, "log in as jose@")
}

// contractForwardedFor: an untrusted peer rotating X-Forwarded-For gets no
// extra login attempts; and the per-account limit holds when every attempt
// comes from another address.
func contractForwardedFor(t *testing.T, c *client) {
	spoof := c.from("127.0.0.14")
	if !limitedWithin(c, 12, "login rate limit with a rotating X-Forwarded-For", func(i int) response {
		return spoof.do("POST", "/api/v1/auth/login",
			map[string]any{"email": fmt.Sprintf("nobody%d@example.com", i), "password": "wrong password 123"},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
	}) {
		t.Errorf("12 bad logins from one untrusted peer, each with another X-Forwarded-For, were never rate limited")
	}
	if !limitedWithin(c, 20, "per-account login limit", func(i int) response {
		return c.from(fmt.Sprintf("127.0.0.%d", 100+i)).do("POST", "/api/v1/auth/login",
			map[string]any{"email": "Target@Example.com", "password": "wrong password 123"})
	}) {
		t.Errorf("20 bad logins for one account from 20 addresses were never rate limited: logins need a per-account limit")
	}
}

// limitedWithin makes up to n bad logins and reports whether one was
// refused with a 429 problem (with Retry-After); until then each must be a
// 401 problem.
func limitedWithin(c *client, n int, what string, attempt func(i int) response) bool {
	c.t.Helper()
	for i := 0; i < n; i++ {
		r := attempt(i)
		if r.status != 429 {
			c.expect(r, 401, "bad login")
			continue
		}
		c.expect(r, 429, what)
		if r.header.Get("Retry-After") == "" {
			c.t.Errorf("%s: 429 without Retry-After", what)
		}
		return true
	}
	return false
}

// contractHTTPEdges: a streamed body over the cap is 413 like a declared
// one; 405 lists every allowed method.
func contractHTTPEdges(t *testing.T, c *client, auth []string) {
	big := bytes.Repeat([]byte("x"), 2<<20)
	req, _ := http.NewRequest("POST", c.base+"/api/v1/items", io.MultiReader(bytes.NewReader([]byte(`{"title":"`)), bytes.NewReader(big), bytes.NewReader([]byte(`"}`))))
	req.ContentLength = -1 // chunked: the size is not announced
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(auth); i += 2 {
		req.Header.Set(auth[i], auth[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("chunked 2 MiB body: %v", err)
	}
	c.expect(readResponse(res), 413, "chunked body over the 1 MiB cap")

	r := c.expect(c.do("DELETE", "/api/v1/items", nil, auth...), 405, "DELETE on the collection")
	allow := strings.ToUpper(r.header.Get("Allow"))
	if !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("405 on /api/v1/items: Allow %q, want both GET and POST", r.header.Get("Allow"))
	}
}

// contractForgedSubjects: validly signed access tokens whose subject is not
// a user id the database can hold are refused with 401, never a 500.
func contractForgedSubjects(t *testing.T, c *client, secret, issuer, audience string) {
	now := time.Now().Unix()
	for _, sub := range []string{"99999999999999999999999", "9223372036854775808", "-1", "0", "abc", "1.5", ""} {
		tok := signHS256(secret, map[string]any{
			"sub": sub, "iat": now, "exp": now + 300, "iss": issuer, "aud": audience, "jti": "e2e-" + sub,
		})
		c.expect(c.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+tok), 401, fmt.Sprintf("signed token with sub %q", sub))
	}
}

func signHS256(secret string, claims map[string]any) string {
	enc := base64.RawURLEncoding
	header, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	signing := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// runContract runs the scenarios that apply to the variant's options.
// contractSlowClients: clients that send their request a few bytes at a
// time and never finish (slowloris) hold connections, not the server's
// workers. With 48 of them open, half stuck in the head and half in a body,
// the service still answers other clients at once.
func contractSlowClients(t *testing.T, c *client, auth []string) {
	const n = 48
	host := strings.TrimPrefix(c.base, "http://")
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.18")}, Timeout: 5 * time.Second}
	var slow []net.Conn
	defer func() {
		for _, conn := range slow {
			conn.Close()
		}
	}()
	for i := 0; i < n; i++ {
		conn, err := dialer.Dial("tcp", host)
		if err != nil {
			t.Fatalf("slow client %d: %v", i, err)
		}
		slow = append(slow, conn)
		start := "GET /api/v1/items HTTP/1.1\r\nHost: " + host + "\r\n"
		if i%2 == 1 {
			start = "POST /api/v1/items HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"
		}
		if _, err := conn.Write([]byte(start)); err != nil {
			t.Fatalf("slow client %d: %v", i, err)
		}
	}
	for round := 0; round < 3; round++ {
		for i, conn := range slow {
			drip := "X-Slow: 1\r\n"
			if i%2 == 1 {
				drip = " "
			}
			_, _ = conn.Write([]byte(drip)) // a server may close a slow client: that is allowed
		}
		for _, probe := range []string{"/health/live", "/api/v1/items?limit=1"} {
			began := time.Now()
			r := c.do("GET", probe, nil, auth...)
			if r.status != 200 {
				t.Errorf("GET %s with %d slow clients open: status %d, want 200", probe, n, r.status)
			}
			if took := time.Since(began); took > 3*time.Second {
				t.Errorf("GET %s with %d slow clients open took %v: the slow clients hold the server's workers", probe, n, took.Round(time.Millisecond))
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func runContract(t *testing.T, c *client, a options.Answers, auth []string, secrets liveSecrets, fresh func() string) {
	contractHTTPEdges(t, c, auth)
	contractSlowClients(t, c, auth)
	contractParallelCreates(t, c, auth)
	contractDeleteRace(t, c, auth)
	if a.Auth == "jwt" || a.Auth == "oauth2" {
		contractRefreshRace(t, c, fresh())
		contractForgedSubjects(t, c, secrets.key, secrets.issuer, secrets.audience)
	}
	if a.Auth == "jwt" || a.Auth == "session" {
		contractEmails(t, c)
		contractRegistrationRace(t, c)
		contractForwardedFor(t, c)
	}
}

// liveSecrets are the signing settings the live run gives the service, so
// that the contract can forge validly signed tokens.
type liveSecrets struct{ key, issuer, audience string }

// withJar returns a client leaving from c's address with a cookie jar, the way a
// browser keeps cookies between the login redirect and the callback.
func (c *client) withJar() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Timeout: 10 * time.Second, Transport: c.http.Transport, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}
