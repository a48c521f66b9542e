package e2e

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// The sms integration is proven against a fake of Twilio's Messages API that
// this file starts on loopback: it answers 503 to the first message (the
// outbox must retry) and 201 afterwards, and records what it was sent.

const (
	smsAccountSID = "AC0123456789abcdef0123456789abcdef"
	smsAuthToken  = "e2e0twilio0auth0token0f1e2d3c4b5"
	smsFrom       = "+15005550006"
	smsPhone      = "+14155552671"
	// The public URL Twilio would call; the service sits "behind a proxy" on
	// 127.0.0.1, so a valid signature proves it checks the configured URL.
	smsCallbackURL = "https://sms-e2e.example.test/api/v1/sms/status"
)

type smsSent struct {
	form url.Values
	user string
	sid  string
	code int
}

type fakeTwilio struct {
	mu   sync.Mutex
	sent []smsSent
	srv  *httptest.Server
}

func (f *fakeTwilio) messages() []smsSent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]smsSent(nil), f.sent...)
}

var smsFakes sync.Map // project -> *fakeTwilio

func startFakeTwilio(t *testing.T) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{}
	path := "/2010-04-01/Accounts/" + smsAccountSID + "/Messages.json"
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != path {
			http.Error(w, `{"code": 20404, "message": "not found"}`, http.StatusNotFound)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, `{"code": 21100, "message": "bad form"}`, http.StatusBadRequest)
			return
		}
		user, _, _ := r.BasicAuth()
		f.mu.Lock()
		defer f.mu.Unlock()
		entry := smsSent{form: r.PostForm, user: user, code: http.StatusCreated}
		w.Header().Set("Content-Type", "application/json")
		if len(f.sent) == 0 {
			entry.code = http.StatusServiceUnavailable
			f.sent = append(f.sent, entry)
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"code": 20503, "message": "Service Unavailable", "status": 503}`))
			return
		}
		entry.sid = fmt.Sprintf("SM%032x", time.Now().UnixNano())
		f.sent = append(f.sent, entry)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"sid": entry.sid, "account_sid": smsAccountSID, "status": "queued",
			"to": r.PostForm.Get("To"), "from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body"),
			"direction": "outbound-api", "num_segments": "1",
		})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// twilioSignature is Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token,
// URL + each POST field's name and value, sorted by name)).
func twilioSignature(token, fullURL string, form url.Values) string {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, name := range names {
		b.WriteString(name)
		b.WriteString(form.Get(name))
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (c *client) postForm(path string, form url.Values, headers ...string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	return readResponse(res)
}

func init() {
	integrations["sms"] = integration{
		env: func(t *testing.T, project string) []string {
			f := startFakeTwilio(t)
			smsFakes.Store(project, f)
			t.Cleanup(func() { smsFakes.Delete(project) })
			return []string{
				"TWILIO_ACCOUNT_SID=" + smsAccountSID,
				"TWILIO_AUTH_TOKEN=" + smsAuthToken,
				"TWILIO_FROM_NUMBER=" + smsFrom,
				"TWILIO_API_BASE=" + f.srv.URL,
				"TWILIO_STATUS_CALLBACK_URL=" + smsCallbackURL,
				// Retries in a second, not in the production backoff's 10s and up.
				"OUTBOX_RETRY_BASE_SECONDS=0.2",
				"OUTBOX_RETRY_MAX_SECONDS=2",
				"OUTBOX_POLL_SECONDS=0.5",
			}
		},
		live: func(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string) {
			v, ok := smsFakes.Load(project)
			if !ok {
				t.Fatal("sms: the fake Twilio of this project is not running (env was not called)")
			}
			f := v.(*fakeTwilio)
			before := len(f.messages())

			r := c.expect(c.do("POST", "/api/v1/users/me/phone", map[string]any{"phone": smsPhone}, auth...), 202, "request phone verification")
			if pending, _ := r.body["pending"].(map[string]any); pending == nil || pending["phone"] != smsPhone {
				t.Fatalf("phone verification: no pending verification for %s in %s", smsPhone, r.raw)
			}
			c.expect(c.do("POST", "/api/v1/users/me/phone", map[string]any{"phone": "+1 415 555 2671"}, auth...), 422, "phone number outside E.164")

			// The first send gets the injected 503; the outbox retries it.
			var sent []smsSent
			deadline := time.Now().Add(30 * time.Second)
			for {
				sent = f.messages()[before:]
				if len(sent) >= 2 && sent[len(sent)-1].code == http.StatusCreated {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("sms: the fake Twilio got %d message(s) in 30s, want a 503 then a retried 201", len(sent))
				}
				time.Sleep(100 * time.Millisecond)
			}
			if before == 0 && sent[0].code != http.StatusServiceUnavailable {
				t.Fatalf("sms: the first send was answered %d, want the injected 503", sent[0].code)
			}
			last := sent[len(sent)-1]
			if last.form.Get("To") != smsPhone || last.form.Get("From") != smsFrom || last.user != smsAccountSID {
				t.Fatalf("sms: sent To=%q From=%q as %q", last.form.Get("To"), last.form.Get("From"), last.user)
			}
			code := regexp.MustCompile(`\b(\d{6})\b`).FindStringSubmatch(last.form.Get("Body"))
			if code == nil {
				t.Fatalf("sms: no 6-digit code in the body %q", last.form.Get("Body"))
			}
			callback, err := url.Parse(last.form.Get("StatusCallback"))
			if err != nil || !strings.HasPrefix(callback.String(), smsCallbackURL+"?") {
				t.Fatalf("sms: StatusCallback %q, want %s?...", last.form.Get("StatusCallback"), smsCallbackURL)
			}

			// Twilio's delivery report, signed for the public URL: accepted.
			report := url.Values{"MessageSid": {last.sid}, "MessageStatus": {"delivered"}, "AccountSid": {smsAccountSID}, "To": {smsPhone}}
			target := "/api/v1/sms/status?" + callback.RawQuery
			c.expect(c.postForm(target, report, "X-Twilio-Signature", twilioSignature(smsAuthToken, callback.String(), report)), 204, "signed status callback")
			c.expect(c.postForm(target, report), 403, "unsigned status callback")
			forged := url.Values{"MessageSid": {last.sid}, "MessageStatus": {"failed"}, "AccountSid": {smsAccountSID}, "To": {smsPhone}}
			c.expect(c.postForm(target, forged, "X-Twilio-Signature", twilioSignature(smsAuthToken, callback.String(), report)), 403, "status callback with a tampered field")
			state := c.expect(c.do("GET", "/api/v1/users/me/phone", nil, auth...), 200, "phone state")
			if pending, _ := state.body["pending"].(map[string]any); pending == nil || pending["delivery"] != "delivered" {
				t.Fatalf("phone state after the delivery report: %s", state.raw)
			}

			wrong := "000000"
			if code[1] == wrong {
				wrong = "111111"
			}
			c.expect(c.do("POST", "/api/v1/users/me/phone/verify", map[string]any{"code": wrong}, auth...), 403, "wrong verification code")
			c.expect(c.do("POST", "/api/v1/users/me/phone/verify", map[string]any{"code": code[1]}, auth...), 204, "verify phone")
			c.expect(c.do("POST", "/api/v1/users/me/phone/verify", map[string]any{"code": code[1]}, auth...), 409, "verification code used twice")
			state = c.expect(c.do("GET", "/api/v1/users/me/phone", nil, auth...), 200, "phone state")
			if state.body["phone"] != smsPhone {
				t.Fatalf("phone not verified: %s", state.raw)
			}
		},
	}
}
