// Package bench measures rules/keyword against Go peer libraries on seeded
// synthetic chat data, and checks the peers against the conformance table
// of rules/keyword. It is a separate module so that the peers never enter
// the main module's dependencies.
package bench

import (
	"math/rand/v2"
	"strings"
)

// Seed is the fixed seed of the benchmark data.
const Seed = 20260302

// Data is a pattern dictionary and a corpus of chat messages.
type Data struct {
	Patterns []string
	Messages []string
	Planted  int // messages that had a pattern planted in them
}

// Bytes returns the total size of the messages.
func (d *Data) Bytes() int {
	n := 0
	for _, m := range d.Messages {
		n += len(m)
	}
	return n
}

var (
	cjkPunct   = []string{"，", "。", "！", "？", "、", "：", "“", "”", "（", "）", "～", "……"}
	asciiPunct = []string{",", ".", "!", "?", ":", "~", "(", ")", "-", "*"}
	emoji      = []string{"😀", "😂", "👍", "👍🏻", "🙏", "🔥", "❤️", "🎉", "🌹", "💰", "👨‍👩‍👧"}
	// chatWords are the Latin words of the messages: short and common, so
	// that the 4-8 letter random Latin patterns rarely occur by chance.
	chatWords = []string{"ok", "OK", "hi", "hello", "thx", "lol", "app", "vip", "wifi", "ppt",
		"pdf", "http", "www", "com", "iPhone", "good", "yes", "no", "bye", "nice"}
)

// hanPool draws size distinct Han characters from the CJK Unified
// Ideographs block; the first ones are the most frequent in messages.
func hanPool(r *rand.Rand, size int) []string {
	seen := make(map[rune]bool, size)
	pool := make([]string, 0, size)
	for len(pool) < size {
		c := rune(0x4E00 + r.IntN(0x9FA5-0x4E00))
		if !seen[c] {
			seen[c] = true
			pool = append(pool, string(c))
		}
	}
	return pool
}

// Generate makes nPatterns patterns (about 70% Chinese words of 2-6
// characters, 30% Latin words of 4-8 letters, a fifth of those with a
// digit) and nMessages messages of 5-64 tokens (Han characters drawn with a
// Zipf law, some Latin words, digits, Chinese and ASCII punctuation and
// emoji), about 1% of them with a pattern planted.
func Generate(seed uint64, nPatterns, nMessages int) *Data {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	pool := hanPool(r, 3500)
	zipf := rand.NewZipf(r, 1.1, 1, uint64(len(pool)-1))

	d := &Data{}
	seen := make(map[string]bool)
	for len(d.Patterns) < nPatterns {
		var b strings.Builder
		if r.IntN(10) < 7 {
			for n := 2 + r.IntN(5); n > 0; n-- {
				b.WriteString(pool[r.IntN(len(pool))])
			}
		} else {
			n := 4 + r.IntN(5)
			digit := r.IntN(5) == 0
			for i := 0; i < n; i++ {
				if digit && i == n-1 {
					b.WriteByte(byte('0' + r.IntN(10)))
				} else {
					b.WriteByte(byte('a' + r.IntN(26)))
				}
			}
		}
		if p := b.String(); !seen[p] {
			seen[p] = true
			d.Patterns = append(d.Patterns, p)
		}
	}

	for len(d.Messages) < nMessages {
		n := 5 + r.IntN(60)
		tokens := make([]string, 0, n+1)
		for i := 0; i < n; i++ {
			switch x := r.IntN(100); {
			case x < 78:
				tokens = append(tokens, pool[zipf.Uint64()])
			case x < 85:
				tokens = append(tokens, " "+chatWords[r.IntN(len(chatWords))]+" ")
			case x < 88:
				tokens = append(tokens, string(rune('0'+r.IntN(10))))
			case x < 93:
				tokens = append(tokens, cjkPunct[r.IntN(len(cjkPunct))])
			case x < 96:
				tokens = append(tokens, asciiPunct[r.IntN(len(asciiPunct))])
			default:
				tokens = append(tokens, emoji[r.IntN(len(emoji))])
			}
		}
		if r.IntN(100) == 0 {
			p := d.Patterns[r.IntN(len(d.Patterns))]
			if p[0] < 0x80 {
				p = " " + p + " "
			}
			at := r.IntN(len(tokens) + 1)
			tokens = append(tokens[:at], append([]string{p}, tokens[at:]...)...)
			d.Planted++
		}
		d.Messages = append(d.Messages, strings.Join(tokens, ""))
	}
	return d
}
