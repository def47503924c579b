package qunops

import (
	"encoding/json"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestRatioJSON(t *testing.T) {
	tests := []struct {
		r    Ratio
		json string
	}{
		{Ratio{47, 200}, `{"num":47,"den":200,"value":0.235}`},
		{Ratio{0, 0}, `{"num":0,"den":0,"value":null}`},
		{Ratio{3, 0}, `{"num":3,"den":0,"value":null}`},
		{Ratio{1, 3}, `{"num":1,"den":3,"value":0.3333333333333333}`},
		{Ratio{-2, 4}, `{"num":-2,"den":4,"value":-0.5}`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.r)
		if err != nil || string(b) != tc.json {
			t.Errorf("Marshal(%#v) = %s, %v; want %s", tc.r, b, err, tc.json)
		}
		var back Ratio
		if err := json.Unmarshal([]byte(tc.json), &back); err != nil || back != tc.r {
			t.Errorf("Unmarshal(%s) = %#v, %v; want %#v", tc.json, back, err, tc.r)
		}
	}
}

func TestRatioJSONRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"num":1,"den":2,"value":0.4}`, "value 0.4 is not 1/2"},
		{`{"num":1,"den":0,"value":0}`, "undefined ratio"},
		{`{"num":1,"num":2,"den":4}`, `duplicate key "num"`},
		{`{"num":1,"den":2,"share":0.5}`, `unknown key "share"`},
		{`{"num":1}`, `"num" and "den" are required`},
		{`{"num":1.5,"den":2}`, "num"},
		{`"50%"`, "ratio"},
	}
	for _, tc := range tests {
		r := Ratio{7, 9}
		err := json.Unmarshal([]byte(tc.in), &r)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Unmarshal(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
		if r != (Ratio{7, 9}) {
			t.Errorf("Unmarshal(%s) failed but changed the ratio to %#v", tc.in, r)
		}
	}
}

func TestRatioJSONRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := Ratio{rapid.Int64().Draw(t, "num"), rapid.Int64().Draw(t, "den")}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Ratio
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if back != r {
			t.Fatalf("round trip of %#v gave %#v", r, back)
		}
		b2, _ := json.Marshal(back)
		if string(b2) != string(b) {
			t.Fatalf("second marshal %s differs from %s", b2, b)
		}
	})
}

func TestRatioStringUndefined(t *testing.T) {
	if got := (Ratio{}).String(); got != "undefined" {
		t.Errorf("undefined ratio prints %q, want \"undefined\"", got)
	}
}
