module github.com/qunops/qunops/adapters

go 1.26.0

require (
	github.com/go-telegram/bot v1.19.0
	github.com/google/go-cmp v0.7.0
	github.com/qunops/qunops v0.0.0
)

require golang.org/x/text v0.44.0 // indirect

replace github.com/qunops/qunops => ../
