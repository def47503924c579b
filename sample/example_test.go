package sample_test

import (
	"fmt"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
)

func ExampleEvents() {
	perGroup := map[string]int{}
	joins := 0
	for _, e := range sample.Events() {
		perGroup[e.Group]++
		if e.Type == qunops.Join {
			joins++
		}
	}
	for _, g := range sample.Groups() {
		fmt.Printf("%s (%s): %d events\n", g.ID, g.Kind, perGroup[g.ID])
	}
	fmt.Println("joins:", joins)
	// Output:
	// 20001@chatroom (service): 1435 events
	// 20002@chatroom (perks): 6783 events
	// 20003@chatroom (interest): 1011 events
	// joins: 95
}
