package discordspec_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/internal/discordspec"
)

// toySpec is a small OpenAPI description, written for these tests, that
// uses every keyword the validator supports, including some Discord's
// description does not use on request bodies (additionalProperties: false).
const toySpec = `{
  "openapi": "3.1.0",
  "paths": {
    "/things/{thing_id}": {
      "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Snowflake"}}],
      "put": {"operationId": "put_thing", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}},
      "get": {"operationId": "get_thing"}
    },
    "/things/@special": {
      "post": {"operationId": "special", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["special"]}}}}}
    },
    "/pets": {
      "post": {"operationId": "post_pet", "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
        {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}}}}}
    },
    "/loose": {
      "post": {"operationId": "loose", "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
        {"type": "object"}, {"type": "object", "properties": {"a": {"type": "integer"}}}]}}}}}
    }
  },
  "components": {
    "schemas": {
      "Snowflake": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "format": "snowflake"},
      "Thing": {
        "type": "object",
        "title": "A thing",
        "x-vendor": true,
        "additionalProperties": false,
        "required": ["name"],
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 4},
          "kind": {"const": "thing"},
          "size": {"type": ["integer", "null"], "minimum": 1, "maximum": 10, "format": "int32"},
          "weight": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
          "count": {"type": "integer", "format": "int32"},
          "bits": {"type": ["integer", "null"], "minimum": 0, "maximum": 18014398509481983},
          "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2, "uniqueItems": true},
          "labels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 2}, "minProperties": 1, "maxProperties": 2},
          "when": {"type": "string", "format": "date-time"},
          "link": {"type": "string", "format": "uri"},
          "parent": {"$ref": "#/components/schemas/Thing"},
          "colour": {"enum": ["red", "green"]},
          "a/b~c": {"type": "boolean"}
        }
      },
      "Cat": {"type": "object", "required": ["type"], "properties": {"type": {"const": "cat"}, "lives": {"type": "integer", "maximum": 9}}},
      "Dog": {"type": "object", "required": ["type"], "properties": {"type": {"const": "dog"}, "good": {"type": "boolean"}}}
    }
  }
}`

func loadToy(t *testing.T, doc string) (*discordspec.Spec, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return discordspec.Load(path)
}

func TestSpec_ValidateRequest_keywords(t *testing.T) {
	spec, err := loadToy(t, toySpec)
	if err != nil {
		t.Fatal(err)
	}
	const thing = "/api/v10/things/42"
	tests := []struct {
		name, method, path, body string
		want                     []at
	}{
		{"valid", "PUT", thing, `{"name":"abcd","kind":"thing","size":null,"weight":1.25,"tags":["x","y"],"labels":{"en":"ok"},
			"when":"2024-05-01T12:00:00.5+02:00","link":"attachment://a.png","parent":{"name":"p"},"colour":"red","a/b~c":true,"count":-2147483648}`, nil},
		{"four emoji are four characters", "PUT", thing, `{"name":"🎬🎬🎬🎬"}`, nil},
		{"unknown property", "PUT", thing, `{"name":"a","nmae":"b"}`, []at{{"/nmae", "additionalProperties"}}},
		{"missing required", "PUT", thing, `{}`, []at{{"/name", "required"}}},
		{"too short and too long", "PUT", thing, `{"name":"","parent":{"name":"abcde"}}`,
			[]at{{"/name", "minLength"}, {"/parent/name", "maxLength"}}},
		{"const", "PUT", thing, `{"name":"a","kind":"other"}`, []at{{"/kind", "const"}}},
		{"enum", "PUT", thing, `{"name":"a","colour":"blue"}`, []at{{"/colour", "enum"}}},
		{"integer bounds", "PUT", thing, `{"name":"a","size":11}`, []at{{"/size", "maximum"}}},
		{"integer lower bound", "PUT", thing, `{"name":"a","size":0}`, []at{{"/size", "minimum"}}},
		{"a fraction is not an integer", "PUT", thing, `{"name":"a","size":2.5}`, []at{{"/size", "type"}}},
		{"2.0 is an integer", "PUT", thing, `{"name":"a","size":2.0}`, nil},
		{"exclusive bounds", "PUT", thing, `{"name":"a","weight":1.5}`, []at{{"/weight", "exclusiveMaximum"}}},
		{"exclusive lower bound", "PUT", thing, `{"name":"a","weight":0}`, []at{{"/weight", "exclusiveMinimum"}}},
		{"int32 format", "PUT", thing, `{"name":"a","count":2147483648}`, []at{{"/count", "format"}}},
		{"a big integer as a decimal string", "PUT", thing, `{"name":"a","bits":"18014398509481983"}`, nil},
		{"a big integer past its maximum", "PUT", thing, `{"name":"a","bits":"18014398509481984"}`, []at{{"/bits", "maximum"}}},
		{"a big integer past its maximum as a number", "PUT", thing, `{"name":"a","bits":18014398509481984}`, []at{{"/bits", "maximum"}}},
		{"a non-decimal string for a big integer", "PUT", thing, `{"name":"a","bits":"0x10"}`, []at{{"/bits", "type"}}},
		{"items", "PUT", thing, `{"name":"a","tags":[1]}`, []at{{"/tags/0", "type"}}},
		{"too few items", "PUT", thing, `{"name":"a","tags":[]}`, []at{{"/tags", "minItems"}}},
		{"too many items", "PUT", thing, `{"name":"a","tags":["a","b","c"]}`, []at{{"/tags", "maxItems"}}},
		{"unique items", "PUT", thing, `{"name":"a","tags":["a","a"]}`, []at{{"/tags", "uniqueItems"}}},
		{"map values", "PUT", thing, `{"name":"a","labels":{"en":"toolong"}}`, []at{{"/labels/en", "maxLength"}}},
		{"too few properties", "PUT", thing, `{"name":"a","labels":{}}`, []at{{"/labels", "minProperties"}}},
		{"too many properties", "PUT", thing, `{"name":"a","labels":{"a":"","b":"","c":""}}`, []at{{"/labels", "maxProperties"}}},
		{"date-time", "PUT", thing, `{"name":"a","when":"yesterday"}`, []at{{"/when", "format"}}},
		{"uri", "PUT", thing, `{"name":"a","link":"not a link"}`, []at{{"/link", "format"}}},
		{"pointer escaping", "PUT", thing, `{"name":"a","a/b~c":1}`, []at{{"/a~1b~0c", "type"}}},
		{"path parameter", "PUT", "/api/v10/things/0042", `{"name":"a"}`, []at{{"{thing_id}", "pattern"}}},
		{"a literal segment wins over a parameter", "POST", "/api/things/@special", `{}`, []at{{"/special", "required"}}},
		{"no body where none is required", "POST", "/api/things/@special", ``, nil},
		{"oneOf picks the alternative its type names", "POST", "/pets", `{"type":"cat","lives":10}`, []at{{"/lives", "maximum"}}},
		{"oneOf with no matching type", "POST", "/pets", `{"type":"cow"}`, []at{{"/type", "enum"}}},
		{"oneOf matched twice", "POST", "/loose", `{"a":1}`, []at{{"", "oneOf"}}},
		{"oneOf matched once", "POST", "/loose", `{"a":"x"}`, nil},
		{"trailing data", "POST", "/pets", `{"type":"cat"} {}`, []at{{"", "body"}}},
		{"multipart without payload_json", "POST", "/pets",
			"--XyZ\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n", []at{{"", "body"}}},
		{"multipart payload_json", "POST", "/pets",
			"--XyZ\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n{\"type\":\"dog\",\"good\":1}\r\n--XyZ--\r\n",
			[]at{{"/good", "type"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := spec.ValidateRequest(tc.method, tc.path, []byte(tc.body))
			if diff := cmp.Diff(tc.want, places(err)); diff != "" {
				t.Errorf("violations (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestLoad_badSpecs(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", `{`, ""},
		{"no paths", `{"openapi":"3.1.0"}`, "no paths"},
		{"unsupported keyword", `{"paths":{"/a":{"post":{"requestBody":{"content":{"application/json":{"schema":{"type":"string","multipleOf":2}}}}}}}}`,
			`"multipleOf"`},
		{"dangling $ref", `{"paths":{"/a":{"post":{"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}`,
			"Nope"},
		{"bad pattern", `{"paths":{"/a":{"post":{"requestBody":{"content":{"application/json":{"schema":{"pattern":"("}}}}}}}}`,
			"pattern"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadToy(t, tc.doc)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

func TestSpec_ValidateRequest_toyUnknown(t *testing.T) {
	spec, err := loadToy(t, toySpec)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path string }{{"DELETE", "/things/1"}, {"GET", "/things"}, {"GET", "/things/1/more"}, {"GET", "/things//"}} {
		if err := spec.ValidateRequest(c.method, c.path, nil); !errors.Is(err, discordspec.ErrUnknownOperation) {
			t.Errorf("%s %s: got %v, want ErrUnknownOperation", c.method, c.path, err)
		}
	}
	if err := spec.ValidateRequest("get", "/api/v9/things/1", nil); err != nil {
		t.Errorf("GET of a known path: %v", err)
	}
}
