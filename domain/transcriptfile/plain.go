package transcriptfile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// parsePlain reads "Speaker: text" lines. A line with no speaker continues the turn before it; a blank line
// ends nothing (turns end at the next speaker).
func parsePlain(lines []string) ([]Line, error) {
	var out []Line
	for i, raw := range lines {
		n := i + 1
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		ms, timed, rest := leadingTimestamp(s)
		speaker, text, ok := splitSpeaker(rest)
		if !ok {
			if len(out) == 0 {
				return nil, parseErr(n, `expected "Speaker: text" (for example "Rep: Hi, this is Sam"), found %q`, clip(s))
			}
			out[len(out)-1].Text += " " + s
			continue
		}
		if text == "" {
			return nil, parseErr(n, "%s says nothing", speaker)
		}
		out = append(out, Line{Speaker: speaker, Text: text, StartMs: ms, Timed: timed, SourceLine: n})
	}
	return out, nil
}

// splitSpeaker splits "Speaker: text". A speaker is 1-6 words with a letter, at most MaxSpeakerName
// characters, with no URL or time in it ("10:30 works" and "https://x" are text, not speakers).
func splitSpeaker(s string) (speaker, text string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return "", "", false
	}
	speaker = strings.TrimSpace(s[:i])
	text = strings.TrimSpace(s[i+1:])
	if strings.HasPrefix(s[i:], "://") || utf8.RuneCountInString(speaker) > MaxSpeakerName || len(strings.Fields(speaker)) > 6 {
		return "", "", false
	}
	if !strings.ContainsFunc(speaker, unicode.IsLetter) {
		return "", "", false
	}
	return speaker, text, true
}

// leadingTimestamp strips "[hh:mm:ss]", "[mm:ss]", "hh:mm:ss" or "mm:ss" (optionally with a fraction) from the
// start of s.
func leadingTimestamp(s string) (ms int64, ok bool, rest string) {
	t := s
	bracket := strings.HasPrefix(t, "[") || strings.HasPrefix(t, "(")
	if bracket {
		t = t[1:]
	}
	end := strings.IndexFunc(t, func(r rune) bool { return !(r >= '0' && r <= '9' || r == ':' || r == '.' || r == ',') })
	if end <= 0 {
		return 0, false, s
	}
	ms, ok = clockMs(t[:end])
	if !ok {
		return 0, false, s
	}
	t = t[end:]
	if bracket {
		if !strings.HasPrefix(t, "]") && !strings.HasPrefix(t, ")") {
			return 0, false, s
		}
		t = t[1:]
	} else if t != "" && t[0] != ' ' && t[0] != '\t' {
		return 0, false, s
	}
	return ms, true, strings.TrimLeft(strings.TrimLeft(strings.TrimSpace(t), "-–—"), " ")
}

func isBracketTimestampLine(s string) bool {
	_, ok, _ := leadingTimestamp(s)
	return ok && strings.HasPrefix(s, "[")
}

// clockMs reads "hh:mm:ss[.fff]" or "mm:ss[.fff]" (a comma may stand for the dot, as in SRT).
func clockMs(s string) (int64, bool) {
	s = strings.Replace(s, ",", ".", 1)
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var frac int64
	last := parts[len(parts)-1]
	if i := strings.IndexByte(last, '.'); i >= 0 {
		f := last[i+1:]
		last = last[:i]
		if f == "" || len(f) > 3 || !digits(f) {
			return 0, false
		}
		for len(f) < 3 {
			f += "0"
		}
		frac = atoi(f)
	}
	parts[len(parts)-1] = last
	var total int64
	for j, p := range parts {
		if p == "" || len(p) > 2 && !(j == 0 && len(p) <= 3) || !digits(p) {
			return 0, false
		}
		v := atoi(p)
		if j > 0 && v > 59 {
			return 0, false
		}
		total = total*60 + v
	}
	return total*1000 + frac, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int64 {
	var v int64
	for _, r := range s {
		v = v*10 + int64(r-'0')
	}
	return v
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:60]) + "..."
}
