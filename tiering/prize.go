package tiering

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// The words of CashPrize. cjkCash and signs are matched anywhere in a
// name, latinCash as whole words (so that "cashmere" is not cash), and
// latinPairs as two words in a row. voucherWords name a voucher or coupon,
// what the seed recommends even when it is counted in money ("50元代金券"
// is a voucher, "现金券" a cash voucher).
var (
	cjkCash      = []string{"现金", "红包", "转账", "零钱", "人民币", "¥", "$"}
	latinCash    = []string{"cash", "money", "hongbao", "rmb", "cny", "usd", "yuan"}
	latinPairs   = [][2]string{{"red", "packet"}, {"red", "packets"}, {"red", "envelope"}, {"red", "envelopes"}, {"bank", "transfer"}}
	voucherWords = []string{"券", "voucher", "coupon", "抵扣", "代金"}
)

// CashPrize reports whether a prize's name says it is money rather than a
// voucher, goods or a perk: seed F17 asks that referral and points rewards
// fit the group's purpose ("课程券而非现金", course vouchers, not cash), and
// seed F38 counts unusual transfers among the ban risks.
//
// The name is folded (full-width letters and signs to their ASCII forms,
// lower case, invisible format characters such as a zero-width space
// dropped). It is cash when it holds a word for money (现金, 红包, 转账,
// 零钱, 人民币, ¥, $ anywhere; cash, money, hongbao, RMB, CNY, USD, yuan,
// red packet, red envelope, bank transfer as words) or is a bare amount
// ("50元", "20块"), unless it also names a voucher (券, voucher, coupon,
// 抵扣, 代金): "现金红包" is cash, "50元课程代金券" and "cashmere scarf"
// are not. It reads names, not intentions: a cash prize named "gift" is
// not caught, and a course named "Money basics" is. Cost: linear in the
// name's length.
func CashPrize(item string) bool {
	var b strings.Builder
	for _, r := range width.Fold.String(item) {
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	for _, w := range voucherWords {
		if strings.Contains(s, w) {
			return false
		}
	}
	for _, w := range cjkCash {
		if strings.Contains(s, w) {
			return true
		}
	}
	// Words are runs of ASCII letters: digits split them too ("50rmb").
	words := strings.FieldsFunc(s, func(r rune) bool { return r >= unicode.MaxASCII || !unicode.IsLetter(r) })
	for i, w := range words {
		if slices.Contains(latinCash, w) {
			return true
		}
		for _, p := range latinPairs {
			if i+1 < len(words) && w == p[0] && words[i+1] == p[1] {
				return true
			}
		}
	}
	return bareAmount(strings.Join(strings.Fields(s), ""))
}

// bareAmount reports whether s is digits (with at most one decimal point)
// followed by 元 or 块, and nothing else.
func bareAmount(s string) bool {
	num, ok := strings.CutSuffix(s, "元")
	if !ok {
		num, ok = strings.CutSuffix(s, "块")
	}
	if !ok || num == "" {
		return false
	}
	dots := 0
	for _, r := range num {
		switch {
		case r == '.':
			dots++
		case r < '0' || r > '9':
			return false
		}
	}
	return dots <= 1 && num != "."
}
