package llm

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/sparrow-coach/sparrow/domain"
)

// QuoteChecker reports whether a quote the model attributes to the call
// appears verbatim in its transcript.
type QuoteChecker func(quote string) bool

// VerbatimIn returns the default QuoteChecker: the quote must appear inside a
// single transcript line, comparing case-insensitively with runs of
// whitespace collapsed and typographic quotes and dashes folded to ASCII.
// Surrounding quote marks and a trailing ellipsis are ignored; nothing else
// is forgiven, so a paraphrase or a stitched-together quote fails.
func VerbatimIn(transcript []domain.TranscriptEntry) QuoteChecker {
	lines := make([]string, len(transcript))
	for i, e := range transcript {
		lines[i] = normalizeQuote(e.Content)
	}
	return func(quote string) bool {
		q := normalizeQuote(quote)
		q = strings.Trim(q, ` "'`)
		q = strings.TrimSuffix(q, "...")
		q = strings.TrimSpace(strings.Trim(q, ` "'`))
		if !strings.ContainsFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return false
		}
		for _, l := range lines {
			if strings.Contains(l, q) {
				return true
			}
		}
		return false
	}
}

var quoteFolder = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201A", "'", "\u201B", "'",
	"\u201C", `"`, "\u201D", `"`, "\u201E", `"`, "\u201F", `"`,
	"\u2013", "-", "\u2014", "-", "\u2026", "...", "\u00A0", " ",
)

func normalizeQuote(s string) string {
	s = strings.ToLower(quoteFolder.Replace(s))
	return strings.Join(strings.Fields(s), " ")
}

// speaker names a transcript role for the models.
func speaker(r domain.Role) string {
	if r == domain.RoleUser {
		return "Rep"
	}
	return "Prospect"
}

// formatTranscript renders the transcript one line per entry:
// "[12345ms] Rep: text".
func formatTranscript(t []domain.TranscriptEntry) string {
	var b strings.Builder
	for _, e := range t {
		fmt.Fprintf(&b, "[%dms] %s: %s\n", e.TimestampMs, speaker(e.Role), strings.TrimSpace(e.Content))
	}
	return b.String()
}

// modeBrief tells the model what the rep was practising.
func modeBrief(m domain.Mode) string {
	switch m {
	case domain.ModeColdCall:
		return "cold_call: an unannounced first call; the rep must earn attention quickly and book a next step."
	case domain.ModeDiscovery:
		return "discovery: a scheduled discovery call; the rep should uncover pains, impact and decision process with open questions."
	case domain.ModeObjectionGauntlet:
		return "objection_gauntlet: the prospect raises objection after objection; the rep should acknowledge, probe and reframe."
	}
	return string(m)
}

// personaBrief summarises the prospect for the scorer.
func personaBrief(p *domain.PersonaProfile) string {
	if p == nil {
		return "(not given)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s at %s (%s industry); personality %s; difficulty %s.", p.Name, p.Role, p.Company, p.Industry, p.Personality, p.Difficulty)
	if len(p.HiddenPains) > 0 {
		fmt.Fprintf(&b, "\nHidden pains a good rep would uncover: %s.", strings.Join(p.HiddenPains, "; "))
	}
	if len(p.Objections) > 0 {
		fmt.Fprintf(&b, "\nObjections the prospect was ready to raise: %s.", strings.Join(p.Objections, "; "))
	}
	return b.String()
}
