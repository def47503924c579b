package jsonx

import (
	"encoding/json"
	"testing"
)

// FuzzUnmarshal checks that the strict decoder never panics and is never
// looser than encoding/json: what it accepts, encoding/json accepts too, with
// the same result.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","replies":[{"keywords":["x"],"wait":"15m"}]}`,
		`{"name":"a","name":"b"}`,
		`{"names":{"g1":"a"},"extra":{"x":[1,{"y":null}]}}`,
		`{"replies":[{"wait":"1.5s"}]} `,
		`[`, `{"limit":1e400}`, `{"name":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var strict, loose outer
		if err := Unmarshal(data, &strict); err != nil {
			return
		}
		if err := json.Unmarshal(data, &loose); err != nil {
			t.Fatalf("strict accepted what encoding/json rejects: %v", err)
		}
		a, _ := json.Marshal(strict)
		b, _ := json.Marshal(loose)
		if string(a) != string(b) {
			t.Fatalf("strict decoded %s, encoding/json %s", a, b)
		}
	})
}
