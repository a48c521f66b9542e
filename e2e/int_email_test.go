package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// Email is proven against a real Mailpit: the service sends through its SMTP
// port and the live checks read the delivered message back from its API.
func init() {
	integrations["email"] = integration{env: emailEnv, live: emailLive}
}

// emailStarted records when each project's environment was made, so that a
// message left in Mailpit by an earlier run is never taken for this one's.
var emailStarted sync.Map // project -> time.Time

func mailpitURLs() (smtpAddr, api string) {
	smtpAddr = os.Getenv("SCAFFOLD_TEST_SMTP")
	if smtpAddr == "" {
		smtpAddr = "127.0.0.1:1025"
	}
	api = strings.TrimSuffix(os.Getenv("SCAFFOLD_TEST_MAILPIT_URL"), "/")
	if api == "" {
		api = "http://127.0.0.1:8025"
	}
	return smtpAddr, api
}

func emailEnv(t *testing.T, project string) []string {
	t.Helper()
	smtpAddr, api := mailpitURLs()
	host, port, err := net.SplitHostPort(smtpAddr)
	if err != nil {
		t.Fatalf("SCAFFOLD_TEST_SMTP=%q: want host:port: %v", smtpAddr, err)
	}
	conn, err := net.DialTimeout("tcp", smtpAddr, 3*time.Second)
	if err != nil {
		t.Fatalf("Mailpit's SMTP port %s is not reachable (%v): start it with `eval \"$(bash .ci/services.sh)\"`", smtpAddr, err)
	}
	conn.Close()
	res, err := (&http.Client{Timeout: 5 * time.Second}).Get(api + "/api/v1/info")
	if err != nil {
		t.Fatalf("Mailpit's API %s is not reachable (%v): start it with `eval \"$(bash .ci/services.sh)\"`", api, err)
	}
	res.Body.Close()
	emailStarted.Store(project, time.Now().Add(-time.Second))
	return []string{
		"SMTP_HOST=" + host, "SMTP_PORT=" + port,
		// The project's own integration test (tests/test_email_mailpit.py).
		"TEST_SMTP_URL=" + smtpAddr, "TEST_MAILPIT_URL=" + api,
		// Emails that no request nudges the deliverer for (a welcome) go out at the next scan.
		"OUTBOX_POLL_SECONDS=1",
	}
}

// mailpitMessage is the part of Mailpit's message API the checks read.
type mailpitMessage struct {
	ID        string
	MessageID string
	Subject   string
	Text      string
	HTML      string
	Created   time.Time
}

// awaitMail waits for a message to `to` whose subject starts with `subject`,
// delivered after this project's environment was made, and returns it.
func awaitMail(t *testing.T, project, to, subject string) mailpitMessage {
	t.Helper()
	_, api := mailpitURLs()
	started, _ := emailStarted.Load(project)
	since, _ := started.(time.Time)
	httpc := &http.Client{Timeout: 5 * time.Second}
	get := func(path string, v any) error {
		res, err := httpc.Get(api + path)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: status %d", path, res.StatusCode)
		}
		return json.NewDecoder(res.Body).Decode(v)
	}
	query := url.QueryEscape(fmt.Sprintf("to:%q", to))
	deadline := time.Now().Add(30 * time.Second)
	for {
		var found struct{ Messages []mailpitMessage }
		if err := get("/api/v1/search?query="+query, &found); err != nil {
			t.Fatalf("Mailpit search for mail to %s: %v", to, err)
		}
		for _, m := range found.Messages {
			if strings.HasPrefix(m.Subject, subject) && !m.Created.Before(since) {
				var full mailpitMessage
				if err := get("/api/v1/message/"+m.ID, &full); err != nil {
					t.Fatalf("Mailpit message %s: %v", m.ID, err)
				}
				return full
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no email %q to %s reached Mailpit within 30s (found %d other messages)", subject, to, len(found.Messages))
		}
		time.Sleep(300 * time.Millisecond)
	}
}

var resetToken = regexp.MustCompile(`#token=([A-Za-z0-9_-]+)`)

func emailLive(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string) {
	t.Helper()
	name, err := options.ParseName(filepath.Base(project))
	if err != nil {
		t.Fatal(err)
	}
	if a.Auth == "oauth2" {
		// The live run's login created the account: its welcome email is on its way.
		m := awaitMail(t, project, fakeIssuerEmail, "Welcome to "+name.Title)
		if !strings.HasPrefix(m.MessageID, "outbox-") || !strings.Contains(m.HTML, "<h1>Welcome to") {
			t.Errorf("welcome email: Message-ID %q, HTML %q", m.MessageID, m.HTML)
		}
		return
	}
	// Another client address than the live run's, whose per-IP budgets are spent elsewhere;
	// a unique recipient, since variants share one Mailpit.
	c = c.from("127.0.0.16")
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	email := "reset-" + hex.EncodeToString(suffix) + "@example.com"
	oldPassword, newPassword := "an old but long passphrase", "a brand new passphrase"
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"email": email, "password": oldPassword}), 201, "register for the password reset")
	welcome := awaitMail(t, project, email, "Welcome to "+name.Title)
	if !strings.Contains(welcome.Text, email) {
		t.Errorf("welcome email does not name the account: %q", welcome.Text)
	}

	r := c.expect(c.do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "nobody-" + email}), 202, "password reset for an unknown address")
	if len(r.raw) != 0 {
		t.Errorf("password reset for an unknown address has a body: %s", r.raw)
	}
	c.expect(c.do("POST", "/api/v1/auth/password-reset", map[string]any{"email": email}), 202, "password reset")
	m := awaitMail(t, project, email, "Reset your")
	token := resetToken.FindStringSubmatch(m.Text)
	if token == nil {
		t.Fatalf("the reset email has no #token= link: %q", m.Text)
	}
	if !strings.HasPrefix(m.MessageID, "outbox-") || !strings.Contains(m.HTML, "#token="+token[1]) {
		t.Errorf("reset email: Message-ID %q, HTML without the link: %q", m.MessageID, m.HTML)
	}
	confirm := map[string]any{"token": token[1], "new_password": newPassword}
	c.expect(c.do("POST", "/api/v1/auth/password-reset/confirm", confirm), 204, "confirm the password reset")
	c.expect(c.do("POST", "/api/v1/auth/password-reset/confirm", confirm), 403, "the reset token used twice")
	c.expect(c.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": oldPassword}), 401, "login with the old password")
	c.expect(c.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": newPassword}), 200, "login with the new password")
}

// fakeIssuerEmail is the verified address the fake issuer (issuer_test.go)
// gives every login: the account the oauth2 live run creates has it.
const fakeIssuerEmail = "oidc.user@example.com"
