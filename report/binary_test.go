package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
	"pgregory.net/rapid"
)

// TestBinaryMergeProperty: a log split into shards, each shard's Builder
// marshalled and read back into a new Builder (as if shipped to another
// machine), merged in order, gives the report of one Builder over the
// whole log.
func TestBinaryMergeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawReplays(t)
		o := Options{TermsWindow: rapid.SampledFrom([]time.Duration{0, 36 * time.Hour}).Draw(t, "terms window")}
		shards := drawShards(t, events)
		whole := build(t, events, o)
		merged := mustNew(t, o)
		for _, s := range shards {
			shard := mustNew(t, o)
			addAll(t, shard, s)
			data, err := shard.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			shipped := mustNew(t, o)
			if err := shipped.UnmarshalBinary(data); err != nil {
				t.Fatal(err)
			}
			// The tracker's form lists IDs in its table's order, so the
			// bytes may differ; what was shipped must build the same.
			if want, got := buildOf(t, shard), buildOf(t, shipped); !bytes.Equal(want, got) {
				t.Fatalf("a shard read back builds another report (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
			if err := merged.Merge(shipped); err != nil {
				t.Fatal(err)
			}
		}
		if got := buildOf(t, merged); !bytes.Equal(whole, got) {
			t.Fatalf("shipped and merged shards differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
	})
}

// TestUnmarshalBinaryRejects: bad data is an error naming the problem and
// leaves the receiver unchanged; every truncation of good data is an
// error, never a panic.
func TestUnmarshalBinaryRejects(t *testing.T) {
	src := mustNew(t, Options{Kinds: sampleKinds()})
	for _, e := range sample.Events()[:3000] {
		src.Add(e)
	}
	good, _ := src.MarshalBinary()
	before := func(b *Builder) []byte { data, _ := b.MarshalBinary(); return data }
	for _, tc := range []struct {
		name string
		data []byte
		into Options
		want string
	}{
		{"empty", nil, Options{Kinds: sampleKinds()}, `not a report builder (no "QRPT" header)`},
		{"other version", append([]byte("QRPT\x02"), good[5:]...), Options{Kinds: sampleKinds()}, "version 2, want 1"},
		{"other options", good, Options{}, "the options differ"},
		{"other zone", good, Options{Kinds: sampleKinds(), Location: time.UTC}, "the options differ"},
		{"trailing byte", append(slices.Clone(good), 0), Options{Kinds: sampleKinds()}, "1 bytes after the builder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustNew(t, tc.into)
			b.Add(qunops.Event{Type: qunops.Roster, Group: "kept", Member: "m", Time: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)})
			was := before(b)
			err := b.UnmarshalBinary(tc.data)
			if err == nil || !strings.HasPrefix(err.Error(), "report: unmarshal binary: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UnmarshalBinary: %v, want %q", err, tc.want)
			}
			if !bytes.Equal(was, before(b)) {
				t.Error("a failed UnmarshalBinary changed the builder")
			}
		})
	}
	for n := 0; n < len(good); n += 1 + n/50 {
		b := mustNew(t, Options{Kinds: sampleKinds()})
		if err := b.UnmarshalBinary(good[:n]); err == nil {
			t.Fatalf("%d of %d bytes: no error", n, len(good))
		}
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	b := mustNew(f, Options{})
	for _, e := range sample.Events()[:200] {
		b.Add(e)
	}
	good, _ := b.MarshalBinary()
	empty, _ := mustNew(f, Options{}).MarshalBinary()
	f.Add(good)
	f.Add(empty)
	f.Add([]byte("QRPT\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := mustNew(t, Options{})
		if err := b.UnmarshalBinary(data); err != nil {
			return
		}
		// What decodes builds (or fails with an error) and marshals back.
		if _, err := b.Build(); err != nil && !strings.HasPrefix(err.Error(), "report: ") {
			t.Fatalf("Build: %v", err)
		}
		if _, err := b.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	})
}
