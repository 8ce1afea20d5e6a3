package transcriptfile

import (
	"regexp"
	"strings"
)

// voiceTag matches a WebVTT voice span's opening tag, "<v Ada>" or "<v.loud Ada Lovelace>".
var voiceTag = regexp.MustCompile(`^<v(?:\.[^ >]*)?[ \t]+([^>]+)>`)

// otherTags matches any remaining cue markup (<i>, </v>, <00:00:01.000>, <c.yellow>).
var otherTags = regexp.MustCompile(`<[^>]*>`)

// parseCues reads WebVTT (vtt) or SRT cues: an optional identifier line (SRT: a number), a timing line
// "start --> end", then the payload lines up to a blank line. Each cue's payload is one turn; a cue without a
// speaker continues the speaker before it (captioners name a speaker only when it changes).
func parseCues(lines []string, vtt bool) ([]Line, error) {
	var out []Line
	i := 0
	if vtt {
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
		if i >= len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[i]), "WEBVTT") {
			return nil, parseErr(i+1, `a WebVTT file starts with "WEBVTT"`)
		}
		i++
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" { // header lines
			i++
		}
	}
	speaker := ""
	for i < len(lines) {
		s := strings.TrimSpace(lines[i])
		if s == "" {
			i++
			continue
		}
		if vtt && (strings.HasPrefix(s, "NOTE") || s == "STYLE" || s == "REGION") {
			for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
				i++
			}
			continue
		}
		start := i + 1
		if !strings.Contains(s, "-->") { // a cue identifier
			if !vtt && !isCueIndex(s) {
				return nil, parseErr(i+1, "expected a cue number or a timing line (00:00:01,000 --> 00:00:04,000), found %q", clip(s))
			}
			i++
			if i >= len(lines) {
				return nil, parseErr(i, "the cue has no timing line")
			}
			s = strings.TrimSpace(lines[i])
		}
		ms, err := cueStart(s, i+1, vtt)
		if err != nil {
			return nil, err
		}
		i++
		var payload []string
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			payload = append(payload, strings.TrimSpace(lines[i]))
			i++
		}
		if len(payload) == 0 {
			continue // an empty cue says nothing
		}
		text := strings.Join(payload, " ")
		who := ""
		if vtt {
			if m := voiceTag.FindStringSubmatch(text); m != nil {
				who = strings.TrimSpace(m[1])
				text = text[len(m[0]):]
			}
		}
		text = strings.TrimSpace(otherTags.ReplaceAllString(text, ""))
		text = unescapeEntities(text)
		if who == "" {
			if sp, rest, ok := splitSpeaker(text); ok {
				who, text = sp, rest
			}
		}
		if who == "" {
			who = speaker
		}
		if who == "" {
			return nil, parseErr(start, `the cue names no speaker: write "Speaker: text"%s`, map[bool]string{true: ` or "<v Speaker>text"`, false: ""}[vtt])
		}
		if len([]rune(who)) > MaxSpeakerName {
			return nil, parseErr(start, "the speaker's name is longer than %d characters", MaxSpeakerName)
		}
		speaker = who
		if text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Speaker == who {
			out[n-1].Text += " " + text // a sentence split over cues
			continue
		}
		out = append(out, Line{Speaker: who, Text: text, StartMs: ms, Timed: true, SourceLine: start})
	}
	return out, nil
}

// cueStart reads the start of a timing line "00:00:01.000 --> 00:00:04.000 [settings]".
func cueStart(s string, line int, vtt bool) (int64, error) {
	a, b, ok := strings.Cut(s, "-->")
	sep := "."
	if !vtt {
		sep = ","
	}
	if !ok {
		return 0, parseErr(line, "expected a timing line (00:00:01%s000 --> 00:00:04%s000), found %q", sep, sep, clip(s))
	}
	start, ok1 := clockMs(strings.TrimSpace(a))
	endField := strings.Fields(b)
	ok2 := len(endField) > 0
	var end int64
	if ok2 {
		end, ok2 = clockMs(endField[0])
	}
	if !ok1 || !ok2 {
		return 0, parseErr(line, "expected a timing line (00:00:01%s000 --> 00:00:04%s000), found %q", sep, sep, clip(s))
	}
	if end < start {
		return 0, parseErr(line, "the cue ends before it starts")
	}
	return start, nil
}

func isCueIndex(s string) bool { return digits(s) && len(s) <= 9 }

var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&nbsp;", " ", "&lrm;", "", "&rlm;", "")

func unescapeEntities(s string) string { return entities.Replace(s) }
