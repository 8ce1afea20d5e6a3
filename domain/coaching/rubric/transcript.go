package rubric

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/domain"
)

// This file turns raw transcript entries into the analysed form every other
// file reads: turns sorted by time, sentences (verbatim slices of the
// original lines, so quotes taken from them are exact), lower-cased words,
// lexicon hits, and runs of consecutive turns by the same speaker.

// Word flags. flagPause is set by the tokenizer; the others come from the
// one lexicon lookup per word, so hot loops never consult another map.
const (
	flagPause   uint8 = 1 << iota // followed by a pause mark (comma, semicolon, colon, dash)
	flagStop                      // a stop word (carries no topic)
	flagMonth                     // a month name
	flagOrdinal                   // 1st..31st
)

// assumedWPM converts words to time when timestamps are missing. It sits
// between the ~100-120 wpm that scored best in recorded pitches (Objective
// Management Group) and the ~173 wpm average in calls (secondary sources).
const assumedWPM = 150

type sentence struct {
	text     string // verbatim slice of the line, trimmed
	turn     int    // index into transcript.turns
	w0, w1   int32  // transcript.spans[w0:w1]
	h0, h1   int32  // transcript.hits[h0:h1]
	question bool
	open     bool // an open question (what, how, why, tell me...)
	// terminated: the sentence ended with punctuation (speech-to-text
	// output without punctuation is judged from its first words instead).
	terminated bool
}

type turn struct {
	role    domain.Role
	content string
	at      int64 // the entry's own TimestampMs (quoted in key moments)
	ts      int64 // start used for timing: at when timed, else estimated from words
	endMs   int64 // next turn's start when timed, else an estimate
	s0, s1  int   // transcript.sentences[s0:s1]
	words   int
	run     int // index into transcript.runs
}

// run is a stretch of consecutive turns by one speaker: a speech-to-text
// engine often splits one monologue into several lines.
type run struct {
	role           domain.Role
	t0, t1         int // transcript.turns[t0:t1]
	words          int
	startMs, endMs int64
	repRank        int // rep runs in runs[0..this one], so 1 for the rep's first run
}

type transcript struct {
	turns     []turn
	sentences []sentence
	text      string     // every word, lower-cased, back to back
	spans     []wordSpan // where each word is in text
	flags     []uint8    // parallel to spans
	hits      []hit
	runs      []run

	timed         bool  // timestamps are usable for timing
	durationMs    int64 // measured when timed, estimated from words otherwise
	startMs       int64 // first timestamp
	repWords      int
	prospectWords int
}

func (t *transcript) rep(i int) bool { return t.turns[i].role == domain.RoleUser }

// wordSeq is a view of consecutive lower-cased words; it never allocates.
type wordSeq struct {
	text  string
	spans []wordSpan
	flags []uint8
}

func (w wordSeq) len() int { return len(w.spans) }

func (w wordSeq) at(i int) string {
	sp := w.spans[i]
	return w.text[sp.a:sp.b]
}

func (w wordSeq) has(i int, flag uint8) bool { return w.flags[i]&flag != 0 }

// content reports whether word i carries a topic: 4+ bytes and not a stop word.
func (w wordSeq) content(i int) bool {
	sp := w.spans[i]
	return sp.b-sp.a >= 4 && w.flags[i]&flagStop == 0
}

// word returns word i of the transcript.
func (t *transcript) word(i int) string {
	sp := t.spans[i]
	return t.text[sp.a:sp.b]
}

// sentenceWords returns the lower-cased words of sentence i.
func (t *transcript) sentenceWords(i int) wordSeq {
	s := t.sentences[i]
	return wordSeq{t.text, t.spans[s.w0:s.w1], t.flags[s.w0:s.w1]}
}

// sentenceHits returns the lexicon hits of sentence i.
func (t *transcript) sentenceHits(i int) []hit {
	s := t.sentences[i]
	return t.hits[s.h0:s.h1]
}

// runSentences returns the sentence index range of run r.
func (t *transcript) runSentences(r int) (int, int) {
	rr := t.runs[r]
	return t.turns[rr.t0].s0, t.turns[rr.t1-1].s1
}

// runHas reports whether any sentence of run r has a hit of cue c.
func (t *transcript) runHas(r int, c cue) bool {
	s0, s1 := t.runSentences(r)
	for s := s0; s < s1; s++ {
		if hasCue(t.sentenceHits(s), c) {
			return true
		}
	}
	return false
}

// runQuestions counts the questions in run r.
func (t *transcript) runQuestions(r int) int {
	s0, s1 := t.runSentences(r)
	n := 0
	for s := s0; s < s1; s++ {
		if t.sentences[s].question {
			n++
		}
	}
	return n
}

// maxTextBytes bounds the text analysed for one call (word offsets are
// int32, and memory matters): text past it, in time order of input, is
// ignored. A real call has well under 1 MiB.
const maxTextBytes = 256 << 20

// analyze builds the analysed transcript. Entries with a role other than
// user or assistant are ignored; the rest are sorted stably by timestamp.
func analyze(entries []domain.TranscriptEntry) *transcript {
	t := &transcript{}
	t.turns = make([]turn, 0, len(entries))
	total := 0
	for _, e := range entries {
		if e.Role != domain.RoleUser && e.Role != domain.RoleAssistant {
			continue
		}
		content := clip(e.Content, maxTextBytes-total)
		t.turns = append(t.turns, turn{role: e.Role, content: content, at: e.TimestampMs, ts: max(e.TimestampMs, 0)})
		total += len(content)
	}
	slices.SortStableFunc(t.turns, func(a, b turn) int {
		switch {
		case a.ts < b.ts:
			return -1
		case a.ts > b.ts:
			return 1
		}
		return 0
	})

	// Tokenise every line into one shared buffer, then convert it to a
	// string once so words are cheap slices of it.
	buf := make([]byte, 0, total+total/8)
	spans := make([]wordSpan, 0, total/5+1)
	t.flags = make([]uint8, 0, total/5+1)
	t.sentences = make([]sentence, 0, len(t.turns)*2)
	for ti := range t.turns {
		tu := &t.turns[ti]
		tu.s0 = len(t.sentences)
		splitSentences(tu.content, func(text string, terminated bool) {
			w0 := len(spans)
			buf, spans, t.flags = appendWords(buf, spans, t.flags, text)
			if len(spans) == w0 {
				return // no words: punctuation or symbols only
			}
			q := isQuestionMark(text)
			t.sentences = append(t.sentences, sentence{turn: ti, text: text, w0: int32(w0), w1: int32(len(spans)), question: q, terminated: terminated})
		})
		tu.s1 = len(t.sentences)
		tu.words = 0
		for s := tu.s0; s < tu.s1; s++ {
			tu.words += int(t.sentences[s].w1 - t.sentences[s].w0)
		}
		if tu.role == domain.RoleUser {
			t.repWords += tu.words
		} else {
			t.prospectWords += tu.words
		}
	}
	t.text, t.spans = string(buf), spans

	t.hits = make([]hit, 0, len(spans)/4+1)
	for si := range t.sentences {
		s := &t.sentences[si]
		words := wordSeq{t.text, t.spans[s.w0:s.w1], t.flags[s.w0:s.w1]}
		if !s.terminated && !s.question && words.len() <= 25 && startsLikeQuestion(words) {
			s.question = true
		}
		request := false
		if !s.question && t.rep(s.turn) && startsWithRequest(words) {
			s.question, request = true, true
		}
		s.h0 = int32(len(t.hits))
		t.hits = matchLexicon(t.hits, words, int(s.w0))
		s.h1 = int32(len(t.hits))
		if s.question && t.rep(s.turn) {
			s.open = request || isOpenQuestion(t.hits[s.h0:s.h1], int(s.w0))
		}
	}

	t.buildRuns()
	t.measureTime()
	return t
}

// clip returns the longest prefix of s of at most limit bytes that does not
// split a character (a prefix, so quotes taken from it stay verbatim).
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := max(limit, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func (t *transcript) buildRuns() {
	t.runs = make([]run, 0, len(t.turns))
	rank := 0
	for i := range t.turns {
		if i == 0 || t.turns[i].role != t.turns[i-1].role {
			if t.turns[i].role == domain.RoleUser {
				rank++
			}
			t.runs = append(t.runs, run{role: t.turns[i].role, t0: i, t1: i, repRank: rank})
		}
		r := &t.runs[len(t.runs)-1]
		r.t1 = i + 1
		r.words += t.turns[i].words
		t.turns[i].run = len(t.runs) - 1
	}
}

// measureTime decides whether timestamps are usable and fills turn ends,
// run bounds and the call duration. Timestamps are usable when at least two
// differ and at least half the turns have a distinct one; otherwise (all zero,
// mostly duplicated) time is estimated from words at assumedWPM.
func (t *transcript) measureTime() {
	n := len(t.turns)
	if n == 0 {
		return
	}
	distinct := 1
	for i := 1; i < n; i++ {
		if t.turns[i].ts != t.turns[i-1].ts {
			distinct++
		}
	}
	t.timed = distinct >= 2 && 2*distinct >= n
	if t.timed {
		t.startMs = t.turns[0].ts
		for i := range t.turns {
			if i+1 < n {
				t.turns[i].endMs = t.turns[i+1].ts
			} else {
				t.turns[i].endMs = t.turns[i].ts + wordsToMs(t.turns[i].words)
			}
		}
		t.durationMs = t.turns[n-1].endMs
	} else {
		var at int64
		for i := range t.turns {
			t.turns[i].ts, t.turns[i].endMs = at, at+wordsToMs(t.turns[i].words)
			at = t.turns[i].endMs
		}
		t.durationMs = at
	}
	for i := range t.runs {
		r := &t.runs[i]
		r.startMs, r.endMs = t.turns[r.t0].ts, t.turns[r.t1-1].endMs
	}
}

func wordsToMs(words int) int64 { return int64(words) * 60_000 / assumedWPM }

// isQuestionMark reports whether a trimmed sentence ends with a question mark.
func isQuestionMark(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '?' || r == '？'
}

// splitSentences calls fn with each trimmed sentence of s, in order; each is
// a slice of s. terminated says whether it ended with punctuation.
func splitSentences(s string, fn func(text string, terminated bool)) {
	start := 0
	emit := func(end int, terminated bool) {
		if txt := strings.TrimSpace(s[start:end]); txt != "" {
			fn(txt, terminated)
		}
		start = end
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '?', '!', '？', '！', '。':
			j := i + size
			for j < len(s) && (s[j] == '?' || s[j] == '!' || s[j] == '.') {
				j++
			}
			emit(j, true)
			i = j
			continue
		case '\n', '\r':
			emit(i+size, false)
		case '.', '…':
			j := i + size
			for j < len(s) && s[j] == '.' {
				j++
			}
			if (j == len(s) || isSpaceByte(s[j])) && !abbreviationBefore(s, i) {
				emit(j, true)
				i = j
				continue
			}
		}
		i += size
	}
	emit(len(s), false)
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// abbreviationBefore reports whether the dot at s[i] closes an abbreviation
// (p.m., e.g., Mr.) rather than a sentence.
func abbreviationBefore(s string, i int) bool {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !unicode.IsLetter(r) {
			break
		}
		j -= size
	}
	word := strings.ToLower(s[j:i])
	if utf8.RuneCountInString(word) == 1 {
		return true // a.m., p.m., e.g., initials
	}
	switch word {
	case "mr", "mrs", "ms", "dr", "st", "vs", "etc", "inc", "jr", "sr", "approx":
		return true
	}
	return false
}

// soloScript reports runes of scripts written without spaces; each counts as a word.
func soloScript(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

// wordSpan locates a word in the shared lower-cased buffer. int32 offsets
// bound one transcript to 2 GiB of text, far above any real call.
type wordSpan struct{ a, b int32 }

// asciiClass classifies ASCII bytes for appendWords.
var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for b := range utf8.RuneSelf {
		switch {
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9':
			c[b] = classWord
		case 'A' <= b && b <= 'Z':
			c[b] = classUpper
		case b == '\'':
			c[b] = classApostrophe
		case b == ',' || b == ';' || b == ':':
			c[b] = classPause
		case b == '-':
			c[b] = classHyphen
		}
	}
	return c
}()

const (
	classBreak uint8 = iota
	classWord
	classUpper
	classApostrophe
	classPause
	classHyphen
)

// appendWords appends the lower-cased words of s to buf, recording each
// word's span and flags. Apostrophes inside a word are kept (normalised to
// '), so "don't" is one word; hyphens split ("follow-up" is two words).
// flagPause marks a word followed by a comma, semicolon, colon or dash.
func appendWords(buf []byte, spans []wordSpan, flags []uint8, s string) ([]byte, []wordSpan, []uint8) {
	start := len(buf)
	for i := 0; i < len(s); {
		c := s[i]
		pause := false
		if c < utf8.RuneSelf {
			i++
			switch asciiClass[c] {
			case classWord:
				j := i
				for j < len(s) && s[j] < utf8.RuneSelf && asciiClass[s[j]] == classWord {
					j++
				}
				buf = append(buf, s[i-1:j]...)
				i = j
				continue
			case classUpper:
				buf = append(buf, c+'a'-'A')
				continue
			case classApostrophe:
				if len(buf) > start && i < len(s) && isLetterAt(s, i) {
					buf = append(buf, '\'')
					continue
				}
			case classPause:
				pause = true
			case classHyphen:
				// "follow-up" splits without a pause; " - " is a pause.
				pause = i > 1 && s[i-2] == ' '
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case r == '’' || r == 'ʼ':
				if len(buf) > start && i < len(s) && isLetterAt(s, i) {
					buf = append(buf, '\'')
					continue
				}
			case r == '—' || r == '–' || r == '，' || r == '、':
				pause = true
			case soloScript(r):
				if len(buf) > start {
					spans, flags = append(spans, wordSpan{int32(start), int32(len(buf))}), append(flags, 0)
				}
				start = len(buf)
				buf = utf8.AppendRune(buf, r)
			case unicode.IsLetter(r) || unicode.IsDigit(r) || (unicode.IsMark(r) && len(buf) > start):
				buf = utf8.AppendRune(buf, unicode.ToLower(r))
				continue
			}
		}
		// A word ends here.
		if len(buf) > start {
			f := uint8(0)
			if pause {
				f = flagPause
			}
			spans, flags = append(spans, wordSpan{int32(start), int32(len(buf))}), append(flags, f)
			start = len(buf)
		}
	}
	if len(buf) > start {
		spans, flags = append(spans, wordSpan{int32(start), int32(len(buf))}), append(flags, 0)
	}
	return buf, spans, flags
}

// wordsOf returns the lower-cased words of s (for phrases and short texts).
func wordsOf(s string) []string {
	buf, spans, _ := appendWords(nil, nil, nil, s)
	ws := wordSeq{string(buf), spans, nil}
	out := make([]string, ws.len())
	for i := range out {
		out[i] = ws.at(i)
	}
	return out
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// discourse words skipped before deciding what a sentence starts with.
var discourseWords = map[string]bool{
	"so": true, "and": true, "ok": true, "okay": true, "great": true, "well": true, "but": true, "now": true,
	"just": true, "then": true, "right": true, "alright": true, "sure": true, "yeah": true, "yes": true,
	"cool": true, "perfect": true, "understood": true, "got": true, "it": true, "thanks": true, "gotcha": true,
	"curious": true, "i'm": true, "also": true, "um": true, "uh": true, "hmm": true, "oh": true,
}

// interrogatives open a question; "whats", "hows" and "whos" are how people type
// them without an apostrophe.
var interrogatives = map[string]bool{
	"what": true, "what's": true, "whats": true, "how": true, "how's": true, "hows": true, "why": true, "who": true,
	"who's": true, "whos": true,
	"where": true, "when": true, "which": true, "do": true, "does": true, "did": true, "is": true, "are": true,
	"can": true, "could": true, "would": true, "will": true, "should": true, "have": true, "has": true,
	"was": true, "were": true, "shall": true, "may": true,
}

// startsLikeQuestion reports whether an unpunctuated sentence opens like a
// question once leading discourse words are skipped.
func startsLikeQuestion(words wordSeq) bool {
	for i := range words.len() {
		w := words.at(i)
		if i >= 4 {
			return false
		}
		if interrogatives[w] {
			return true
		}
		if !discourseWords[w] {
			return false
		}
	}
	return false
}

// isOpenQuestion reports whether a question invites an open answer: it uses
// what, how, why, tell me, walk me through... within its first words.
func isOpenQuestion(hits []hit, w0 int) bool {
	for _, h := range hits {
		if h.cue == cueOpenQ && int(h.pos)-w0 < 8 {
			return true
		}
	}
	return false
}
