package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scaffoldtool/scaffold/options"
)

// The payments integration is proven against stripe-mock (started by
// .ci/services.sh): the project's own tests create PaymentIntents there, and
// the live run starts a payment over HTTP, twice with one Idempotency-Key,
// then delivers webhooks signed with the endpoint secret, as Stripe would.

const (
	e2eStripeKey           = "sk_test_123"
	e2eStripeWebhookSecret = "whsec_e2eWebhookSecret"
)

func init() {
	integrations["payments"] = integration{env: paymentsEnv, live: paymentsLive}
}

func paymentsEnv(t *testing.T, project string) []string {
	t.Helper()
	base := os.Getenv("SCAFFOLD_TEST_STRIPE_URL")
	if base == "" {
		base = "http://127.0.0.1:12111"
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		t.Fatalf("SCAFFOLD_TEST_STRIPE_URL=%q is not a URL", base)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 3*time.Second)
	if err != nil {
		t.Fatalf("stripe-mock is not reachable at %s (%v): start it with `eval \"$(bash .ci/services.sh)\"`", base, err)
	}
	conn.Close()
	return []string{
		"STRIPE_API_BASE=" + strings.TrimSuffix(base, "/"),
		"STRIPE_API_KEY=" + e2eStripeKey,
		"STRIPE_WEBHOOK_SECRET=" + e2eStripeWebhookSecret,
	}
}

func paymentsLive(t *testing.T, c *client, project string, env []string, a options.Answers, auth []string) {
	t.Helper()
	// Its own client address, so the fuzzer's and the contract's requests do
	// not share this run's rate-limit budget.
	c = c.from("127.0.0.21")
	body := map[string]any{"amount": 1999, "currency": "eur"}
	withKey := append([]string{"Idempotency-Key", "e2e-order-1"}, auth...)

	c.expect(c.do("POST", "/api/v1/payments", body, auth...), 400, "payment without an Idempotency-Key")
	first := c.expect(c.do("POST", "/api/v1/payments", body, withKey...), 201, "start a payment")
	again := c.expect(c.do("POST", "/api/v1/payments", body, withKey...), 200, "the same payment again (same key)")
	id, _ := first.body["id"].(string)
	stripeID, _ := first.body["stripe_id"].(string)
	if id == "" || !strings.HasPrefix(stripeID, "pi_") {
		t.Fatalf("start a payment: no id or PaymentIntent id in %s", first.raw)
	}
	if again.body["id"] != id || again.body["stripe_id"] != stripeID {
		t.Errorf("the same Idempotency-Key gave another payment: %s, then %s", first.raw, again.raw)
	}
	c.expect(c.do("POST", "/api/v1/payments", map[string]any{"amount": 1, "currency": "eur"}, withKey...), 409,
		"the same key for another amount")
	paymentsRace(t, c, body, auth)
	if a.Auth != "none" {
		c.expect(c.do("GET", "/api/v1/payments/"+id, nil), 401, "a payment without credentials")
	}

	event := map[string]any{
		"id": "evt_e2e_" + id[4:], "object": "event", "type": "payment_intent.succeeded",
		"created": time.Now().Unix(),
		"data":    map[string]any{"object": map[string]any{"id": stripeID, "object": "payment_intent", "status": "succeeded"}},
	}
	payload, _ := json.Marshal(event)
	signature := stripeSignature(payload, e2eStripeWebhookSecret, time.Now().Unix())

	r := c.expect(postWebhook(t, c, payload, signature), 200, "a signed webhook")
	if r.body["outcome"] != "applied" {
		t.Errorf("a signed webhook: outcome %v, want applied: %s", r.body["outcome"], r.raw)
	}
	got := c.expect(c.do("GET", "/api/v1/payments/"+id, nil, auth...), 200, "the payment after its webhook")
	if got.body["status"] != "succeeded" {
		t.Errorf("after payment_intent.succeeded the payment is %v, want succeeded", got.body["status"])
	}
	r = c.expect(postWebhook(t, c, payload, signature), 200, "the same webhook again")
	if r.body["outcome"] != "duplicate" {
		t.Errorf("a replayed webhook: outcome %v, want duplicate (no second effect): %s", r.body["outcome"], r.raw)
	}
	tampered := bytes.Replace(payload, []byte(`"succeeded"`), []byte(`"canceled"`), 1)
	c.expect(postWebhook(t, c, tampered, signature), 403, "a tampered webhook")
	c.expect(postWebhook(t, c, payload, ""), 403, "an unsigned webhook")
	stale := time.Now().Add(-time.Hour).Unix()
	c.expect(postWebhook(t, c, payload, stripeSignature(payload, e2eStripeWebhookSecret, stale)), 403, "a webhook signed an hour ago")
	got = c.expect(c.do("GET", "/api/v1/payments/"+id, nil, auth...), 200, "the payment after the refused webhooks")
	if got.body["status"] != "succeeded" {
		t.Errorf("refused webhooks changed the payment to %v", got.body["status"])
	}
}

// stripeSignature is the Stripe-Signature header Stripe would send:
// t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" under the secret>.
func stripeSignature(payload []byte, secret string, at int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", at)
	mac.Write(payload)
	return fmt.Sprintf("t=%d,v1=%s", at, hex.EncodeToString(mac.Sum(nil)))
}

func postWebhook(t *testing.T, c *client, payload []byte, signature string) response {
	t.Helper()
	req, err := http.NewRequest("POST", c.base+"/api/v1/payments/webhook", bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("POST /api/v1/payments/webhook: %v", err)
	}
	return readResponse(res)
}

// paymentsRace: a client that retries before its first answer arrives sends
// one Idempotency-Key several times at once. Exactly one request starts the
// payment (201); every other one answers that same payment (200), never a
// second payment, a 409 or a 500.
func paymentsRace(t *testing.T, c *client, body map[string]any, auth []string) {
	const n = 8
	rs := c.together(n, "POST", "/api/v1/payments", body, append([]string{"Idempotency-Key", "e2e-order-race"}, auth...)...)
	got := statuses(rs)
	if got[201] != 1 || got[200] != n-1 {
		for _, r := range rs {
			if r.status != 200 && r.status != 201 {
				t.Errorf("%d parallel starts with one key: statuses %v, want one 201 and %d × 200; first other answer: %s", n, got, n-1, r.raw)
				return
			}
		}
		t.Errorf("%d parallel starts with one key: statuses %v, want one 201 and %d × 200", n, got, n-1)
	}
	ids := map[any]bool{}
	for _, r := range rs {
		ids[r.body["id"]] = true
	}
	if len(ids) != 1 {
		t.Errorf("%d parallel starts with one key answered %d different payments: %v", n, len(ids), ids)
	}
}
