package api_test

import (
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"
)

const specPath = "../../docs/openapi.yaml"

type openAPI struct {
	OpenAPI  string                          `yaml:"openapi"`
	Security []map[string][]string           `yaml:"security"`
	Paths    map[string]map[string]yaml.Node `yaml:"paths"`
}

type operation struct {
	Security   *[]map[string][]string `yaml:"security"`
	Parameters []struct {
		Name     string `yaml:"name"`
		In       string `yaml:"in"`
		Required bool   `yaml:"required"`
	} `yaml:"parameters"`
	Responses map[string]yaml.Node `yaml:"responses"`
}

var specMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadSpec returns the operations of docs/openapi.yaml by "METHOD path".
func loadSpec(t *testing.T) (openAPI, map[string]operation) {
	t.Helper()
	raw, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPI
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", specPath, err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Fatalf("%s: openapi %q, want 3.0.3", specPath, doc.OpenAPI)
	}
	ops := map[string]operation{}
	for path, item := range doc.Paths {
		for key, node := range item {
			if !slices.Contains(specMethods, key) {
				continue // parameters, summary, ...
			}
			var op operation
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return doc, ops
}

var echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// routes returns the registered routes of the API as "METHOD path" in
// OpenAPI's path syntax.
func routes(t *testing.T, e *echo.Echo) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound {
			continue // a catch-all, not an operation
		}
		out[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	return out
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	_, ops := loadSpec(t)
	registered := routes(t, newFixture(t).e)
	var missing, extra []string
	for r := range registered {
		if _, ok := ops[r]; !ok {
			missing = append(missing, r)
		}
	}
	for op := range ops {
		if !registered[op] {
			extra = append(extra, op)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from %s:\n\t%s", specPath, strings.Join(missing, "\n\t"))
	}
	if len(extra) > 0 {
		t.Errorf("operations in %s with no route:\n\t%s", specPath, strings.Join(extra, "\n\t"))
	}
}

var specParam = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIPathParameters(t *testing.T) {
	_, ops := loadSpec(t)
	for key, op := range ops {
		var inPath, declared []string
		for _, m := range specParam.FindAllStringSubmatch(key, -1) {
			inPath = append(inPath, m[1])
		}
		for _, p := range op.Parameters {
			if p.In == "path" {
				if !p.Required {
					t.Errorf("%s: path parameter %s not required", key, p.Name)
				}
				declared = append(declared, p.Name)
			}
		}
		slices.Sort(inPath)
		slices.Sort(declared)
		if !slices.Equal(inPath, declared) {
			t.Errorf("%s: path has parameters %v, operation declares %v", key, inPath, declared)
		}
	}
}

// The spec's security must be what the API enforces: an operation is
// described as needing the bearer token exactly when it answers 401
// without one.
func TestOpenAPISecurityMatchesAuth(t *testing.T) {
	doc, ops := loadSpec(t)
	f := newFixture(t)
	example := strings.NewReplacer("{dataset}", "victims", "{period}", "2025-Q1", "{version}", "latest", "{table}", "overlap")
	for key, op := range ops {
		security := doc.Security
		if op.Security != nil {
			security = *op.Security
		}
		secured := len(security) > 0
		method, path, _ := strings.Cut(key, " ")
		rec := serve(t, f.e, method, example.Replace(path), "")
		if got := rec.Code == http.StatusUnauthorized; got != secured {
			t.Errorf("%s: spec says secured=%v, API answers %d without a token", key, secured, rec.Code)
		}
		if _, documented := op.Responses["401"]; documented != secured {
			t.Errorf("%s: secured=%v but 401 documented=%v", key, secured, documented)
		}
	}
}

// The query parameters the spec declares are those the handlers read.
func TestOpenAPIQueryParameters(t *testing.T) {
	_, ops := loadSpec(t)
	for key, want := range map[string][]string{
		"GET /healthz":            nil,
		"GET /readyz":             nil,
		"GET /api/v1/submissions": {"after", "limit", "partner", "status"},
		"GET /api/v1/quarantine":  {"after", "limit", "unsettled"},
		"GET /api/v1/gaps":        nil,
		"GET /api/v1/datasets/{dataset}/periods/{period}/records": {"format"},
		"GET /api/v1/merges":                          nil,
		"GET /api/v1/merges/{version}":                nil,
		"GET /api/v1/merges/{version}/tables":         {"audience", "format"},
		"GET /api/v1/merges/{version}/tables/{table}": {"audience", "format"},
		"GET /api/v1/merges/{version}/victims":        nil,
		"GET /api/v1/audit":                           {"action", "after", "decision", "kind", "limit", "since", "subject", "until"},
		"GET /api/v1/merges/{version}/records":        {"format"},
		"GET /api/v1/completeness":                    {"format"},
	} {
		op, ok := ops[key]
		if !ok {
			t.Errorf("%s: not in the spec", key)
			continue
		}
		var got []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				got = append(got, p.Name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: query parameters %v, want %v", key, got, want)
		}
	}
}
