package rubric

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotes: the built-in scorer takes its quotes from the lines themselves
// (excerpt), and Score still passes them through the domain's one quote rule
// (domain.VerbatimKeyMoments), as every LLM scorer does.

// maxQuoteBytes bounds a quote taken from a long line.
const maxQuoteBytes = 200

// excerpt returns s, or its first words up to maxQuoteBytes, as a prefix of s
// (so still verbatim). s is already trimmed.
func excerpt(s string) string {
	if len(s) <= maxQuoteBytes {
		return s
	}
	cut := strings.LastIndexByte(s[:maxQuoteBytes], ' ')
	if cut < maxQuoteBytes/4 {
		cut = maxQuoteBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace)
}
