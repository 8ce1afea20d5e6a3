package rubric

// Filler words. Gong (~500k calls) found no measurable effect of fillers on
// outcomes, so they are reported in full but weigh lightly in the score.
// Ambiguous fillers are only counted in filler position: "like" when followed
// by a pause or another filler ("it was, like, slow"), not "I'd like to" or
// "tools like Salesforce"; "kind of" not after "what", "the", "a"...;
// "you know" not in "do you know"; "I mean" not in "what I mean".

var (
	kindOfNotAfter  = wordSet("what which this that the a any some every same other what's one no different right wrong first only these those")
	youKnowNotAfter = wordSet("do did does don't didn't if would what how whether let as")
	iMeanNotAfter   = wordSet("what you do did")
	hesitations     = wordSet("um umm uh uhh uhm er erm hmm")
)

// isFiller reports whether filler hit h in sentence si is used as a filler.
func (t *transcript) isFiller(si int, h hit) bool {
	s := t.sentences[si]
	pos := int(h.pos)
	prev := ""
	if pos > int(s.w0) {
		prev = t.word(pos - 1)
	}
	switch lexiconPhrases[h.ph] {
	case "like":
		return t.flags[pos]&flagPause != 0 || hesitations[prev]
	case "sort of", "kind of":
		return !kindOfNotAfter[prev]
	case "you know":
		return !youKnowNotAfter[prev]
	case "i mean":
		return !iMeanNotAfter[prev]
	}
	return true
}
