package keyword

import (
	"testing"
)

// TestFoldRune pins the per-rune fold on the evasions issue 3 names: full
// width (ＶＸ), enclosed (ⓥⓧ), mathematical styled (𝐯𝐱) letters and case.
// The expected values come from the Unicode Character Database
// (compatibility decompositions, case folding), not from this code.
func TestFoldRune(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ascii upper", "VX", "vx"},
		{"fullwidth upper", "ＶＸ", "vx"},
		{"circled", "ⓥⓧ", "vx"},
		{"math bold", "𝐯𝐱", "vx"},
		{"math bold upper", "𝐕𝐗", "vx"},
		{"fullwidth digits", "１２３", "123"},
		{"circled digit", "①", "1"},
		{"halfwidth katakana", "ｶ", "カ"},
		{"cjk compatibility ideograph", "\uF900", "\u8C48"},
		{"greek final sigma", "Σς", "σσ"},
		{"ligature stays one rune", "ﬁ", "ﬁ"},
		{"sharp s stays one rune", "ß", "ß"},
		{"cjk unchanged", "加微信", "加微信"},
		{"fullwidth punctuation", "！，", "!,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNoiseRunes(t *testing.T) {
	tests := []struct {
		name  string
		r     rune
		noise bool
	}{
		{"space", ' ', true},
		{"ideographic space", '\u3000', true},
		{"asterisk", '*', true},
		{"chinese comma", '，', true},
		{"zero width space", '\u200b', true},
		{"zero width joiner", '\u200d', true},
		{"variation selector 16", '\ufe0f', true},
		{"emoji fire", '🔥', true},
		{"skin tone modifier", '\U0001F3FB', true},
		{"keycap", '\u20e3', true},
		{"tag latin small a", '\U000E0061', true},
		{"combining ring", '\u030a', true},
		{"han", '微', false},
		{"latin", 'v', false},
		{"digit", '7', false},
		{"prolonged sound mark", 'ー', false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isNoiseRune(tt.r); got != tt.noise {
				t.Errorf("isNoiseRune(%U) = %v, want %v", tt.r, got, tt.noise)
			}
		})
	}
}
