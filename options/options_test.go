package options

import (
	"strings"
	"testing"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		in                  string
		dir, pkg, title     string
		errPart, suggestion string
	}{
		{in: "demo", dir: "demo", pkg: "demo", title: "Demo"},
		{in: "My Shop", dir: "my-shop", pkg: "my_shop", title: "My Shop"},
		{in: "my-shop", dir: "my-shop", pkg: "my_shop", title: "My Shop"},
		{in: "my_shop", dir: "my-shop", pkg: "my_shop", title: "My Shop"},
		{in: "Order Service 2", dir: "order-service-2", pkg: "order_service_2", title: "Order Service 2"},
		{in: "", errPart: "empty"},
		{in: "   ", errPart: "empty"},
		{in: "a/b", errPart: "path separator", suggestion: "a-b"},
		{in: `a\b`, errPart: "path separator", suggestion: "a-b"},
		{in: "..", errPart: `".."`},
		{in: "../escape", errPart: "path separator", suggestion: "escape"},
		{in: "-rf", errPart: "starts with", suggestion: "rf"},
		{in: ".hidden", errPart: "starts with", suggestion: "hidden"},
		{in: strings.Repeat("a", 65), errPart: "longer than 64"},
		{in: "shop;rm -rf ~", errPart: "only ASCII letters", suggestion: "shop-rm-rf"},
		{in: "$(whoami)", errPart: "only ASCII letters", suggestion: "whoami"},
		{in: "2fast", errPart: "start with a letter", suggestion: "svc-2fast"},
		{in: "class", errPart: "keyword", suggestion: "class-service"},
		{in: "test", errPart: "shadow", suggestion: "test-service"},
		{in: "email", errPart: "standard library", suggestion: "email-service"},
		{in: "fastapi", errPart: "library the project uses", suggestion: "fastapi-service"},
		{in: "Django", errPart: "library the project uses", suggestion: "django-service"},
		{in: "naïve", errPart: "only ASCII letters", suggestion: "naive"},
		{in: "Café Crème", errPart: "only ASCII letters", suggestion: "cafe-creme"},
		{in: "ünïcode", errPart: "only ASCII letters", suggestion: "unicode"},
		{in: "日本", errPart: "only ASCII letters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := ParseName(tt.in)
			if tt.errPart != "" {
				if err == nil {
					t.Fatalf("ParseName(%q) = %+v, want an error", tt.in, n)
				}
				if !strings.Contains(err.Error(), tt.errPart) {
					t.Errorf("error %q does not say %q", err, tt.errPart)
				}
				if !IsValidation(err) {
					t.Errorf("error is not a ValidationError")
				}
				if tt.suggestion != "" {
					if !strings.Contains(err.Error(), `try "`+tt.suggestion+`"`) {
						t.Errorf("error %q does not suggest %q", err, tt.suggestion)
					}
					if _, err := ParseName(tt.suggestion); err != nil {
						t.Errorf("the suggestion %q is itself invalid: %v", tt.suggestion, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.Dir != tt.dir || n.Package != tt.pkg || n.Title != tt.title {
				t.Errorf("ParseName(%q) = %+v", tt.in, n)
			}
		})
	}
}

func values(names ...string) []OfferedValue {
	var out []OfferedValue
	for _, n := range names {
		v := OfferedValue{Name: n, Help: n + " help"}
		if n == "jwt" || n == "session" {
			v.Traits.Provides = []string{"users"}
		}
		out = append(out, v)
	}
	return out
}

var testCatalog = Catalog{
	{Name: "fastapi", Summary: "FastAPI", Default: true, Offers: map[string]Offer{
		"database":     {Default: "sqlite", Values: values("sqlite", "postgres", "mysql")},
		"auth":         {Default: "jwt", Values: values("jwt", "none")},
		"rbac":         {Default: "true", Traits: Traits{Requires: []string{"users"}}},
		"integrations": {Values: append(values("cache"), OfferedValue{Name: "jobs", Traits: Traits{Conflicts: []string{"cache-only"}}}, OfferedValue{Name: "lite", Traits: Traits{Provides: []string{"cache-only"}}})},
	}},
	{Name: "flask", Summary: "Flask", Offers: map[string]Offer{
		"database": {Values: values("sqlite")},
		"auth":     {Values: values("jwt", "session")},
	}},
}

func TestValidate(t *testing.T) {
	ok := Answers{Name: "demo", Framework: "fastapi", Database: "sqlite", Auth: "jwt", RBAC: true}
	tests := []struct {
		name    string
		change  func(*Answers)
		errPart string
	}{
		{"valid", func(*Answers) {}, ""},
		{"unknown framework", func(a *Answers) { a.Framework = "rails" }, `unknown framework "rails"; choose one of: fastapi, flask`},
		{"database not in pack", func(a *Answers) { a.Framework = "flask"; a.Database = "mysql" }, "database=mysql is not available with framework=flask; it offers: sqlite"},
		{"unknown database", func(a *Answers) { a.Database = "oracle" }, `unknown database "oracle"`},
		{"auth not offered yet", func(a *Answers) { a.Auth = "session" }, "auth=session is not available with framework=fastapi"},
		{"rbac without users", func(a *Answers) { a.Auth = "none" }, "rbac=true needs users, which auth=none does not provide: choose auth=jwt, or set rbac=false"},
		{"rbac not offered", func(a *Answers) { a.Framework = "flask" }, "rbac is not offered by framework=flask"},
		{"integration not offered", func(a *Answers) { a.Integrations = []string{"payments"} }, `unknown integrations "payments"`},
		{"integration of another pack", func(a *Answers) { a.Framework = "flask"; a.RBAC = false; a.Integrations = []string{"cache"} }, "integrations=cache is not available with framework=flask; it offers: none yet"},
		{"conflicting integrations", func(a *Answers) { a.Integrations = []string{"jobs", "lite"} }, "integrations=jobs cannot be combined with integrations=lite"},
		{"multi-line description", func(a *Answers) { a.Description = "a\nb" }, "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.change(&a)
			err := testCatalog.Validate(a)
			if tt.errPart == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errPart)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	if got := testCatalog.DefaultFor(&RBACOption, Answers{Framework: "fastapi", Auth: "none"}); got != "false" {
		t.Errorf("rbac default with auth=none = %s, want false", got)
	}
	if got := testCatalog.DefaultFor(&RBACOption, Answers{Framework: "fastapi", Auth: "jwt"}); got != "true" {
		t.Errorf("rbac default with auth=jwt = %s, want true", got)
	}
	if got := testCatalog.DefaultFramework(); got != "fastapi" {
		t.Errorf("default framework = %s", got)
	}
}

func TestParseAnswers(t *testing.T) {
	tests := []struct {
		name, doc, errPart string
	}{
		{"complete", "scaffold_version: 0.1.0\nname: demo\nframework: fastapi\ndatabase: mysql\nauth: jwt\nrbac: false\nintegrations: []\n", ""},
		{"partial", "database: postgres\n", ""},
		{"bad yaml", "name: [demo\n", "answers.yaml: not valid YAML"},
		{"unknown key", "name: demo\ndatabse: mysql\n", "answers.yaml:2: unknown key \"databse\" (did you mean \"database\"?); accepted keys: scaffold_version, name, description, framework, database"},
		{"wrong type bool", "rbac: maybe\n", "answers.yaml:1: rbac must be true or false"},
		{"wrong type list", "integrations: payments\n", "answers.yaml:1: integrations must be a list"},
		{"not a mapping", "- a\n- b\n", "answers.yaml:1: expected a mapping"},
		{"empty", "", "answers.yaml:1: the file is empty"},
		{"duplicate", "name: a\nname: b\n", "answers.yaml:2"},
		{"null name", "name:\n", "answers.yaml:1: name must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseAnswers("answers.yaml", []byte(tt.doc))
			if tt.errPart == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tt.name == "complete" && (p.Answers.Database != "mysql" || p.Answers.RBAC || len(p.Missing()) != 1 || p.Missing()[0] != "description") {
					t.Errorf("parsed %+v, missing %v", p.Answers, p.Missing())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errPart)
			}
		})
	}
}

// TestCheckGivenNamesFileAndLine: values no pack offers are refused with
// the answers file's line and the values that exist.
func TestCheckGivenNamesFileAndLine(t *testing.T) {
	tests := []struct{ doc, errPart string }{
		{"database: oracle\n", "answers.yaml:1: unknown database \"oracle\"; accepted values: sqlite, postgres, mysql"},
		{"integrations:\n  - cache\n  - fax\n", "answers.yaml:3: unknown integrations \"fax\"; accepted values: cache, jobs, lite"},
		{"framework: rails\n", "answers.yaml:1: unknown framework \"rails\"; accepted values: fastapi, flask"},
		{"database: postgres\nauth: session\n", ""},
	}
	for _, tt := range tests {
		p, err := ParseAnswers("answers.yaml", []byte(tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		err = testCatalog.CheckGiven(p)
		if tt.errPart == "" && err != nil || tt.errPart != "" && (err == nil || !strings.Contains(err.Error(), tt.errPart)) {
			t.Errorf("%q: err = %v, want %q", tt.doc, err, tt.errPart)
		}
	}
}

func TestRecordRoundTrips(t *testing.T) {
	a := Normalize(Answers{Name: "My Shop", Description: `Sells "things": fast & cheap`, Framework: "fastapi",
		Database: "postgres", Auth: "jwt", RBAC: true, Integrations: []string{"email", "cache"}})
	p, err := ParseAnswers(".scaffold.yaml", Record(a, "1.2.3"))
	if err != nil {
		t.Fatal(err)
	}
	got := Normalize(p.Answers)
	if got.Name != a.Name || got.Description != a.Description || got.Database != a.Database ||
		got.RBAC != a.RBAC || strings.Join(got.Integrations, ",") != "cache,email" {
		t.Errorf("round trip gave %+v, want %+v", got, a)
	}
	if len(p.Missing()) != 0 {
		t.Errorf("record leaves %v unanswered", p.Missing())
	}
}

func TestDidYouMean(t *testing.T) {
	keys := []string{"name", "description", "framework", "database", "auth", "rbac", "integrations"}
	for _, tt := range []struct{ in, want string }{
		{"framwork", "framework"},
		{"Framework", "framework"},
		{"databse", "database"},
		{"auht", "auth"},
		{"integration", "integrations"},
		{"colour", ""},
		{"db", ""},
		{"", ""},
	} {
		got := didYouMean(tt.in, keys)
		want := ""
		if tt.want != "" {
			want = ` (did you mean "` + tt.want + `"?)`
		}
		if got != want {
			t.Errorf("didYouMean(%q) = %q, want %q", tt.in, got, want)
		}
	}
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "abc", 3}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"kitten", "sitting", 3}, {"flask", "fastapi", 5}} {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
