package beam

import (
	"context"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/qunops/qunops"
)

// The registrations that let a worker find the transforms and coders by
// name and call them without reflection (Beam's register package).
func init() {
	beam.RegisterCoder(reflect.TypeOf(qunops.Event{}), encodeEvent, decodeEvent)
	beam.RegisterCoder(reflect.TypeOf((*accum)(nil)), encodeAccum, decodeAccum)
	beam.RegisterType(reflect.TypeOf(GroupReport{}))

	register.DoFn4x1[context.Context, fileio.ReadableFile, func(string, qunops.Event), func(string), error](&readFn{})
	register.Emitter2[string, qunops.Event]()
	register.Emitter1[string]()
	register.Combiner3[*accum, qunops.Event, *accum](&addFn{})
	register.Combiner3[*accum, *accum, GroupReport](&mergeFn{})
	register.Function2x3(regroup)
	register.DoFn5x1[context.Context, []byte, func(*GroupReport) bool, func(*string) bool, func(string), error](&writeFn{})
	register.Iter1[GroupReport]()
	register.Iter1[string]()
}
