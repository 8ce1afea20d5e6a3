package rubric

import (
	"math/bits"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// Hidden pains: a persona may carry pains the prospect only reveals to good
// discovery. A pain counts as uncovered when, in one prospect answer, the
// prospect uses at least half of the pain's content words (crudely stemmed,
// so "reconciling invoices" matches "reconcile invoice").

// maxPainWords bounds the content words kept per pain (bits in a uint64).
const maxPainWords = 64

// hiddenPains returns the pains the prospect revealed and those never revealed.
func (t *transcript) hiddenPains(pains []string) (found, missed []string) {
	type ref struct{ pain, bit int }
	index := map[string][]ref{}
	need := make([]int, len(pains))
	for i, p := range pains {
		n := 0
	words:
		for _, w := range wordsOf(p) {
			if n == maxPainWords || !isContentWord(w) {
				continue
			}
			s := stem(w)
			for _, r := range index[s] {
				if r.pain == i {
					continue words // repeated word
				}
			}
			index[s] = append(index[s], ref{i, n})
			n++
		}
		need[i] = (n + 1) / 2
	}
	revealed := make([]bool, len(pains))
	seen := make([]uint64, len(pains))
	for r, rr := range t.runs {
		if rr.role != domain.RoleAssistant {
			continue
		}
		clear(seen)
		s0, s1 := t.runSentences(r)
		for s := s0; s < s1; s++ {
			ws := t.sentenceWords(s)
			for k := range ws.len() {
				if !ws.content(k) {
					continue
				}
				w := ws.at(k)
				for _, ref := range index[stem(w)] {
					seen[ref.pain] |= 1 << ref.bit
				}
			}
		}
		for i := range pains {
			if need[i] > 0 && bits.OnesCount64(seen[i]) >= need[i] {
				revealed[i] = true
			}
		}
	}
	for i, p := range pains {
		if revealed[i] {
			found = append(found, p)
		} else {
			missed = append(missed, p)
		}
	}
	return found, missed
}

// stem strips a possessive and one common suffix from words of 5+ bytes.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	if len(w) < 5 {
		return w
	}
	for _, suf := range [...]string{"ing", "ies", "ed", "es", "s", "e"} {
		if strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}
