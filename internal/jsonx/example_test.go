package jsonx_test

import (
	"fmt"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

func ExampleUnmarshal() {
	var policy struct {
		Admins []string       `json:"admins"`
		Window jsonx.Duration `json:"window,omitempty"`
	}
	err := jsonx.Unmarshal([]byte(`{"admins":["wxid_a"],"admins":[]}`), &policy)
	fmt.Println(err)
	err = jsonx.Unmarshal([]byte(`{"admins":["wxid_a"],"window":"168h"}`), &policy)
	fmt.Println(err, policy.Admins, time.Duration(policy.Window))
	// Output:
	// duplicate key "admins"
	// <nil> [wxid_a] 168h0m0s
}
