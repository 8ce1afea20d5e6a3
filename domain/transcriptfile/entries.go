package transcriptfile

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/domain"
)

// wordsPerMinute paces the turns of an untimed file: a turn starts when the one before it would have been said.
const wordsPerMinute = 150

// Speakers lists the speakers of lines in the order they first speak.
func Speakers(lines []Line) []string {
	var out []string
	for _, l := range lines {
		if !slices.Contains(out, l.Speaker) {
			out = append(out, l.Speaker)
		}
	}
	return out
}

// Entries turns lines into transcript entries: rep's lines become "user" lines, everyone else's "assistant"
// lines (speakers are matched without regard to case or surrounding space). Timestamps come from the file when
// it has them and never go backwards; an untimed file is paced at 150 words a minute. A turn longer than
// domain.MaxTranscriptContent is split. It fails when rep is not one of the speakers, or when nobody else speaks.
func Entries(lines []Line, rep string) ([]domain.TranscriptEntry, error) {
	speakers := Speakers(lines)
	idx := slices.IndexFunc(speakers, func(s string) bool { return sameSpeaker(s, rep) })
	if idx < 0 {
		return nil, &domain.FieldError{Field: "repSpeaker", Err: fmt.Errorf("%w: %q is not a speaker of the transcript (speakers: %s)",
			domain.ErrInvalid, rep, strings.Join(speakers, ", "))}
	}
	if len(speakers) < 2 {
		return nil, &domain.FieldError{Field: "file", Err: fmt.Errorf("%w: only %s speaks; a call needs the rep and the prospect", domain.ErrInvalid, speakers[idx])}
	}
	out := make([]domain.TranscriptEntry, 0, len(lines))
	var at, next int64 // the last timestamp given; when an untimed turn would start
	for _, l := range lines {
		role := domain.RoleAssistant
		if sameSpeaker(l.Speaker, rep) {
			role = domain.RoleUser
		}
		if l.Timed {
			at = max(at, l.StartMs)
		} else {
			at = max(at, next)
		}
		for i, part := range splitRunes(strings.TrimSpace(l.Text), domain.MaxTranscriptContent) {
			if i > 0 {
				at = next
			}
			out = append(out, domain.TranscriptEntry{Role: role, Content: part, TimestampMs: at})
			next = at + int64(len(strings.Fields(part)))*60_000/wordsPerMinute
		}
	}
	return out, nil
}

func sameSpeaker(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// splitRunes cuts s into pieces of at most max runes, at a space where one is near.
func splitRunes(s string, max int) []string {
	var out []string
	for utf8.RuneCountInString(s) > max {
		r := []rune(s)
		cut := max
		for i := max; i > max*3/4; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimSpace(string(r[:cut])))
		s = strings.TrimSpace(string(r[cut:]))
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
