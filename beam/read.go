package beam

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // paths without a scheme

	"github.com/qunops/qunops"
)

// badLines counts the lines that the decoder rejected, over all files.
var badLines = beam.NewCounter("qunops", "bad_lines")

// Read reads the JSON Lines event logs that glob matches (any scheme the
// pipeline's Beam file systems know: a local path, gs://..., s3://...; a
// file ending in .gz is decompressed) and returns their events keyed for
// the combine, a PCollection<KV<string, qunops.Event>> (pass it to
// Combine), and the dead
// letters, a PCollection<string> with one element per bad line:
//
//	FILE:LINE: problem
//
// as `qunops report` prints them on standard error, with the exact line
// number in the file. A glob that matches nothing is an error of the
// pipeline when it runs.
//
// Files are matched and opened by Beam's fileio, the layer under textio
// (same globs; ReadableFile.Open picks gzip by the ".gz" extension: Beam
// v2.78.0, sdks/go/pkg/beam/io/fileio/file.go). Read does not use
// textio.Read itself: textio splits a file into 64 MiB byte ranges
// (io/textio/textio.go, readBaseFn.SplitRestriction) and gives lines
// without their numbers, while a dead letter must name its line and a line
// must be decoded by the root codec, whose errors say "line N". So each
// file is decoded from its start by one qunops.Decoder, and a pipeline
// reads as many files at once as it has workers: split a month of logs
// into many files (as object stores hold them anyway).
func Read(s beam.Scope, glob string, o Options) (events, dead beam.PCollection, err error) {
	set, err := o.encode()
	if err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	if err := validateScheme(glob); err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	s = s.Scope("qunops.Read")
	files := fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow())
	readable := fileio.ReadMatches(s, files, fileio.ReadAutoCompression())
	events, dead = beam.ParDo2(s, &readFn{Shards: set.Shards}, readable)
	return events, dead, nil
}

// readFn decodes one file with the root codec: events go out keyed by
// shard and group, bad lines to the dead letters.
type readFn struct {
	Shards int `json:"shards"`
}

// shardGroup is the key of readFn's cache of shard keys.
type shardGroup struct {
	shard int
	group string
}

func (f *readFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(string, qunops.Event), dead func(string)) error {
	name := file.Metadata.Path
	rc, err := file.Open(ctx)
	if err != nil {
		return fmt.Errorf("beam: %s: %w", name, err)
	}
	defer rc.Close()
	shards := max(f.Shards, 1)
	// A file's blocks start at a shard of their own, so that the first
	// block of every file does not land on shard 0.
	h := fnv.New32a()
	h.Write([]byte(name))
	base := int(h.Sum32() % uint32(shards))
	// One key string per group and shard, not per event.
	keys := map[shardGroup]string{}
	dec := qunops.NewDecoder(rc)
	for {
		e, err := dec.Decode()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var le *qunops.LineError
			if !errors.As(err, &le) {
				// A read error (a truncated gzip stream, a failing disk)
				// fails the bundle, which the runner retries; the lines
				// already read are then read again, not twice counted.
				return fmt.Errorf("beam: %s: %w", name, err)
			}
			badLines.Inc(ctx, 1)
			dead(DeadLetter(name, le))
			continue
		}
		k := shardGroup{shard: (base + (dec.Line()-1)/BlockLines) % shards, group: e.Group}
		key, ok := keys[k]
		if !ok {
			key = shardKey(k.shard, k.group)
			keys[k] = key
		}
		emit(key, e)
	}
}

// DeadLetter formats a bad line of the named input as `qunops report`
// prints it on standard error: "NAME:LINE: problem".
func DeadLetter(name string, le *qunops.LineError) string {
	return name + ":" + strconv.Itoa(le.Line) + ": " + strings.TrimPrefix(le.Error(), "qunops: line "+strconv.Itoa(le.Line)+": ")
}

// shardKey is the key of the events of one group in one shard: the shard
// in decimal, a slash, the group. The shard has no slash, so the group
// is everything after the first.
func shardKey(shard int, group string) string {
	return strconv.Itoa(shard) + "/" + group
}

// groupOf returns the group of a shardKey.
func groupOf(key string) (string, error) {
	i := strings.IndexByte(key, '/')
	if i < 0 {
		return "", fmt.Errorf("beam: shard key %q has no '/'", key)
	}
	return key[i+1:], nil
}

// validateScheme returns an error when no Beam file system is registered
// for the scheme of path (filesystem.ValidateScheme panics).
func validateScheme(path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("beam: %s: %v", path, r)
		}
	}()
	filesystem.ValidateScheme(path)
	return nil
}
