package rubric

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/domain"
)

// Quotes: a key moment is only shown if its quote really is in the
// transcript. Like emellor/cold-call-coach, every quoted line is checked
// against the transcript before it is shown; the built-in scorer takes its
// quotes from the lines themselves, and LLM scorers pass theirs through
// VerifyQuotes too.

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

// quoteMarks are stripped from both ends of a quote before it is looked up:
// a model often wraps the words it quotes.
const quoteMarks = "\"'“”‘’«»`"

// VerifyQuotes returns the moments whose quote occurs verbatim in one
// transcript line, in their original order, and drops the rest (including
// every moment with an empty quote). The comparison is case-sensitive; runs of
// whitespace compare equal to one space, and surrounding whitespace and
// quotation marks are ignored (the returned quote is trimmed of them). A
// moment's TimestampMs is kept when a matching line has that timestamp and is
// otherwise set to the first matching line's. The input is not modified; the
// result is never nil.
func VerifyQuotes(moments []KeyMoment, turns []domain.TranscriptEntry) []KeyMoment {
	out := make([]KeyMoment, 0, len(moments))
	var normalized []string // built on first need
	for _, m := range moments {
		q := strings.TrimFunc(m.Quote, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(quoteMarks, r) })
		if q == "" {
			continue
		}
		found, ts := -1, int64(0)
		for i, e := range turns {
			if strings.Contains(e.Content, q) {
				if found < 0 || e.TimestampMs == m.TimestampMs {
					found, ts = i, e.TimestampMs
				}
				if ts == m.TimestampMs {
					break
				}
			}
		}
		if found < 0 {
			nq := collapseSpace(q)
			if normalized == nil {
				normalized = make([]string, len(turns))
				for i, e := range turns {
					normalized[i] = collapseSpace(e.Content)
				}
			}
			for i, line := range normalized {
				if strings.Contains(line, nq) {
					if found < 0 || turns[i].TimestampMs == m.TimestampMs {
						found, ts = i, turns[i].TimestampMs
					}
					if ts == m.TimestampMs {
						break
					}
				}
			}
		}
		if found < 0 {
			continue
		}
		m.Quote = q
		m.TimestampMs = ts
		out = append(out, m)
	}
	return out
}

// collapseSpace trims s and replaces every run of whitespace with one space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
