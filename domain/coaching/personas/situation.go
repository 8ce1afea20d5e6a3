package personas

import (
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// painFact is a hidden pain as the persona states it, and what it looks like
// day to day: a few concrete first-person sentences the prospect says when a
// rep asks it to describe the pain ("what does that look like day to day?",
// "walk me through a typical release").
type painFact struct {
	text  string
	scene string
}

func painTexts(ps []painFact) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.text
	}
	return out
}

// Situation is what a persona can tell about its work beyond the text of its
// profile: how each hidden pain plays out day to day, and who has a say in a
// purchase and how it gets bought.
type Situation struct {
	// Scenes maps hidden pains (the profile's own texts) to what they look
	// like day to day, in the persona's voice. A pain this package does not
	// know has no entry.
	Scenes map[string]string
	// Decision says who weighs in, who signs and how buying works, in the
	// persona's voice. It is never empty.
	Decision string
}

// SituationOf returns the situation of a persona. A preset gets its own
// hand-written facts; a generated persona those of the knowledge tables its
// pains and its role family come from (a role the generator does not know
// gets the generic role's). It reads only the profile, because stored
// profiles (PersonaCreated events) predate these facts and never carry them:
// a preset is recognised by IsPreset, name and company, and a pain by its
// text. It is pure, and builds a new value on every call.
//
// The facts are written as facts, not as objections or pains: the rubric
// hears no objection in them, and a scene tells no other pain of the persona
// (both checked by the rubric's tests), so the scorer and the prospect keep
// agreeing on what was raised and what was uncovered.
func SituationOf(p domain.PersonaProfile) Situation {
	known := map[string]string{}
	fill := strings.NewReplacer("{industry}", casual(strings.TrimSpace(p.Industry)))
	for _, k := range append(industries(), genericIndustry()) {
		for _, f := range k.pains {
			known[fill.Replace(f.text)] = f.scene
		}
	}
	for _, f := range append(roleFamilies(), genericRole()) {
		for _, pf := range f.pains {
			known[pf.text] = pf.scene
		}
	}
	decision := matchRole(p.Role).decision
	if p.IsPreset {
		for _, s := range presetSeeds() {
			if s.name == p.Name && s.company == p.Company {
				for _, f := range s.pains {
					known[f.text] = f.scene
				}
				decision = s.decision
				break
			}
		}
	}
	out := Situation{Scenes: map[string]string{}, Decision: decision}
	for _, pain := range p.HiddenPains {
		if scene, ok := known[strings.TrimSpace(pain)]; ok {
			out.Scenes[pain] = scene
		}
	}
	return out
}
