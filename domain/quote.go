package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The quote rule. A key moment shows the rep words from their call, so a
// quote is kept only if it really is in the transcript. This is the one rule
// every scorer and the scoring chain apply (the rubric's own quotes and every
// model's pass through it):
//
// A quote is verbatim when, after trimming surrounding whitespace, quotation
// marks and ellipses ("...", "…") from it, it holds at least one letter or
// digit and occurs inside a single transcript line, comparing
//   - case-sensitively: "US" is not "us", and a model that changes case has
//     rewritten the words, not quoted them;
//   - with every run of whitespace (spaces, tabs, newlines, no-break spaces)
//     equal to one space;
//   - with typographic apostrophes and quotation marks equal to their ASCII
//     forms (’ = ', “ = "), en and em dashes equal to "-", and "…" equal to
//     "...": renderings a model or an editor changes without changing a word.
//
// Nothing else is forgiven: a paraphrase, a changed word or words stitched
// together from two lines do not match. A quote that passes is replaced by
// the line's own text for the matched span, so what is shown is always a
// byte-for-byte substring of a transcript line.

// QuoteMatch is where a quote was found by the quote rule.
type QuoteMatch struct {
	// Line is the index of the transcript line.
	Line int
	// Text is the quoted span exactly as the line has it.
	Text string
	// TimestampMs is the line's timestamp.
	TimestampMs int64
}

// FindQuote applies the quote rule to one quote. When several lines contain
// it, the one whose timestamp is preferMs wins, else the first.
func FindQuote(transcript []TranscriptEntry, quote string, preferMs int64) (QuoteMatch, bool) {
	f := quoteFinder{lines: transcript}
	return f.find(quote, preferMs)
}

// VerbatimKeyMoments returns, in order, the moments whose quote passes the
// quote rule, each with Quote replaced by the line's own text and TimestampMs
// by that line's timestamp (the claimed timestamp picks between lines that
// both contain the quote); dropped counts the others. The input is not
// modified; the result is never nil.
func VerbatimKeyMoments(moments []KeyMoment, transcript []TranscriptEntry) (kept []KeyMoment, dropped int) {
	f := quoteFinder{lines: transcript}
	kept = make([]KeyMoment, 0, len(moments))
	for _, m := range moments {
		match, ok := f.find(m.Quote, m.TimestampMs)
		if !ok {
			dropped++
			continue
		}
		m.Quote, m.TimestampMs = match.Text, match.TimestampMs
		kept = append(kept, m)
	}
	return kept, dropped
}

// quoteMarks and ellipses are trimmed from both ends of a quote.
const quoteTrim = "\"'`“”‘’‚„‛‟«»‹›…"

// quoteFinder normalises the transcript lines once, on first need.
type quoteFinder struct {
	lines []TranscriptEntry
	norm  []normalized
}

func (f *quoteFinder) find(quote string, preferMs int64) (QuoteMatch, bool) {
	q := trimQuote(quote)
	if !strings.ContainsFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return QuoteMatch{}, false
	}
	best, found := QuoteMatch{}, false
	take := func(i int, text string) bool {
		if !found || f.lines[i].TimestampMs == preferMs {
			best, found = QuoteMatch{Line: i, Text: text, TimestampMs: f.lines[i].TimestampMs}, true
		}
		return f.lines[i].TimestampMs == preferMs
	}
	// Fast path: the quote is an exact substring.
	for i, e := range f.lines {
		if strings.Contains(e.Content, q) && take(i, q) {
			return best, true
		}
	}
	if found {
		return best, true
	}
	nq := normalizeQuote(q).text
	if f.norm == nil {
		f.norm = make([]normalized, len(f.lines))
		for i, e := range f.lines {
			f.norm[i] = normalizeQuote(e.Content)
		}
	}
	for i, n := range f.norm {
		if p := strings.Index(n.text, nq); p >= 0 && take(i, n.original(f.lines[i].Content, p, len(nq))) {
			return best, true
		}
	}
	return best, found
}

// trimQuote strips surrounding whitespace, quotation marks and ellipses.
func trimQuote(s string) string {
	for {
		t := strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(quoteTrim, r) })
		t = strings.TrimSuffix(strings.TrimPrefix(t, "..."), "...")
		if t == s {
			return t
		}
		s = t
	}
}

// normalized is a line in the quote rule's canonical form, with the byte
// span of the original text each of its bytes came from.
type normalized struct {
	text       string
	start, end []int
}

// original returns the original text of the normalized span [p, p+n).
func (n normalized) original(s string, p, length int) string {
	return s[n.start[p]:n.end[p+length-1]]
}

var quoteFold = map[rune]string{
	'‘': "'", '’': "'", '‚': "'", '‛': "'",
	'“': `"`, '”': `"`, '„': `"`, '‟': `"`,
	'–': "-", '—': "-", '…': "...",
}

func normalizeQuote(s string) normalized {
	var b strings.Builder
	b.Grow(len(s))
	n := normalized{start: make([]int, 0, len(s)), end: make([]int, 0, len(s))}
	emit := func(t string, from, to int) {
		b.WriteString(t)
		for range len(t) {
			n.start = append(n.start, from)
			n.end = append(n.end, to)
		}
	}
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch t, fold := quoteFold[r]; {
		case unicode.IsSpace(r) && space: // extend the run's single space over this one
			n.end[len(n.end)-1] = i + size
		case unicode.IsSpace(r):
			emit(" ", i, i+size)
		case fold:
			emit(t, i, i+size)
		default:
			emit(string(r), i, i+size)
		}
		space = unicode.IsSpace(r)
		i += size
	}
	n.text = b.String()
	return n
}
