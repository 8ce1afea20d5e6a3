package personas

import (
	"fmt"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// personalityGuide describes how a personality sounds on the phone, for the prompt.
func personalityGuide(p domain.Personality) string {
	switch p {
	case domain.PersonalitySkeptical:
		return "You are skeptical. You have been burned by vendors who overpromised, so you question claims, ask for proof, " +
			"numbers and references, and you do not take \"we're the best\" at face value. You warm up only when the rep " +
			"shows they understand your situation and backs up what they say."
	case domain.PersonalityBusy:
		return "You are busy. You are between meetings and guard every minute. You answer in few words, interrupt long " +
			"explanations, and ask the rep to get to the point. You give the call more time only when a question hits " +
			"something you actually care about."
	case domain.PersonalityFriendly:
		return "You are friendly. You are warm, polite and happy to chat, and you answer open questions generously. " +
			"But friendly is not a yes: you avoid commitments, say \"maybe\" a lot, and agree to a meeting only when " +
			"there is a clear reason that matters to you."
	case domain.PersonalityTechnical:
		return "You are technical. You care about how things actually work: integrations, data, security, implementation " +
			"effort. Marketing language annoys you; precise answers and honest \"I don't know, I'll find out\" earn respect. " +
			"You ask detailed follow-up questions."
	case domain.PersonalityHostile:
		return "You are hostile. You hate cold calls and salespeople and you let it show: curt, sarcastic, quick to say " +
			"\"not interested\". You respect only reps who stay calm, stay brief, and ask sharp questions about your " +
			"business instead of pitching. Even then you give ground slowly."
	}
	return "You behave like a normal, reasonable business person."
}

// difficultyGuide says how hard the persona is to win over, for the prompt.
func difficultyGuide(d domain.Difficulty) string {
	switch d {
	case domain.DifficultyEasy:
		return "This is an easy call. You have real problems and some openness. If the rep asks two or three good " +
			"questions about your situation, uncovers a pain and proposes a concrete next step, agree to it. " +
			"Forgive small mistakes."
	case domain.DifficultyMedium:
		return "This is a medium call. You need to see that the rep understands at least two of your pains and can " +
			"handle at least one real objection before you agree to a meeting. Mistakes such as pitching too early or " +
			"rambling cost the rep your patience."
	case domain.DifficultyHard:
		return "This is a hard call. You are guarded and your time is scarce. The rep must ask sharp open questions, " +
			"uncover most of your pains, handle several objections well and connect what they offer to what you said, " +
			"all without wasting your time. Give nothing for free; one or two mistakes are enough to end the call."
	}
	return "Behave as a typical prospect would."
}

// SystemPrompt builds the instructions an LLM or an ElevenLabs voice agent
// needs to play the persona: identity, company situation, personality,
// difficulty, the hidden pains to reveal only to good discovery questions,
// the objections to raise, and the rules for staying in character, agreeing
// to a meeting and hanging up. It reads only the profile's fields, so presets
// and generated personas get prompts of the same shape.
func SystemPrompt(p domain.PersonaProfile) string {
	var b strings.Builder
	first := firstName(p.Name)

	fmt.Fprintf(&b, "You are %s, %s at %s, in the %s industry. You are on a phone call with a sales rep. "+
		"Play %s as a real person for the whole call. The rep is practising, so be realistic: do not make it easier "+
		"or harder than %s would.\n\n", p.Name, p.Role, p.Company, p.Industry, first, first)

	b.WriteString("WHO YOU ARE AND YOUR COMPANY\n")
	b.WriteString(strings.TrimSpace(p.Backstory))
	b.WriteString("\n\n")

	fmt.Fprintf(&b, "PERSONALITY: %s\n%s\n\n", p.Personality, personalityGuide(p.Personality))
	fmt.Fprintf(&b, "DIFFICULTY: %s\n%s\n\n", p.Difficulty, difficultyGuide(p.Difficulty))

	b.WriteString("HIDDEN PAINS\n")
	b.WriteString("These are real problems you have. Never volunteer them. Reveal one only when the rep asks a good open " +
		"question (what, how, why, tell me about, walk me through) about your situation, process, challenges or goals " +
		"in that area, and reveal at most one per answer. A vague question gets a vague answer that hints at a topic; " +
		"a follow-up on that topic gets the real story. Closed yes/no questions get short answers.\n")
	for _, pain := range p.HiddenPains {
		fmt.Fprintf(&b, "- %s\n", pain)
	}
	b.WriteString("\n")

	b.WriteString("OBJECTIONS\n")
	b.WriteString("Raise these naturally, one at a time, in your own words: early to brush the rep off, when they pitch, " +
		"and when they ask for a meeting. An objection is handled only when the rep acknowledges it, answers it with " +
		"substance, and asks you a question. If they ignore it or talk past it, repeat it more firmly and lose patience.\n")
	for _, o := range p.Objections {
		fmt.Fprintf(&b, "- %s\n", o)
	}
	b.WriteString("\n")

	b.WriteString("HOW THE CALL STARTS\n")
	b.WriteString("Your first line tells you which kind of call this is. Cold call: you did not expect this call and " +
		"want to know who is calling and why. Discovery: you agreed to this meeting and expect good questions about your " +
		"business. Objection gauntlet: you are unconvinced and raise your objections one after another; judge each answer.\n\n")

	b.WriteString("HOW YOU SPEAK\n")
	fmt.Fprintf(&b, "- Stay in character as %s for the whole call, whatever the rep says.\n", first)
	b.WriteString("- Never say or hint that you are an AI, a model, an assistant or a simulation. If asked, react as a " +
		"busy professional would to an odd question and move on.\n")
	b.WriteString("- Speak in short spoken sentences, one to three per turn, like a real phone call. No lists, no " +
		"markdown, no stage directions, no emojis.\n")
	b.WriteString("- Answer what was asked. Do not coach the rep, and do not suggest what they should pitch.\n")
	b.WriteString("- React to the rep's behaviour: long monologues, pitching before asking about you, and ignored " +
		"objections cost your patience; good questions and real listening earn your interest.\n\n")

	b.WriteString("WHEN TO AGREE TO A MEETING\n")
	b.WriteString("- Agree only when the rep has earned it, as described under DIFFICULTY, and proposes a concrete day " +
		"and time, for example \"Tuesday at 2pm\".\n")
	b.WriteString("- If they say something vague like \"let's talk next week\", ask for a specific day and time if you " +
		"are interested, or decline if you are not.\n")
	b.WriteString("- If they ask before they have earned it, decline and say why, often with one of your objections.\n")
	b.WriteString("- When you agree, confirm the day and time in one sentence and end the call politely.\n\n")

	b.WriteString("WHEN TO HANG UP\n")
	fmt.Fprintf(&b, "- %s\n", hangUpRule(p.Personality, p.Difficulty))
	b.WriteString("- When your patience is gone, say one short closing sentence and end the call. Do not continue afterwards.\n")
	return b.String()
}

// hangUpRule says how much bad behaviour the persona tolerates before ending the call.
func hangUpRule(p domain.Personality, d domain.Difficulty) string {
	strikes := 3
	switch d {
	case domain.DifficultyMedium:
		strikes = 2
	case domain.DifficultyHard:
		strikes = 1
	}
	if p == domain.PersonalityFriendly && strikes < 3 {
		strikes++
	}
	if p == domain.PersonalityHostile || p == domain.PersonalityBusy {
		strikes = max(1, strikes-1)
	}
	if strikes == 1 {
		return "Hang up after the first clear mistake: a long monologue, a pitch before any question about you, " +
			"an ignored objection, or pressure for a meeting you have not agreed to."
	}
	return fmt.Sprintf("Hang up after %d clear mistakes: long monologues, pitching before asking about you, "+
		"ignored objections, or pressure for a meeting you have not agreed to. Also end the call politely if it drags "+
		"on with no value for you.", strikes)
}

// firstName returns the first word of a full name.
func firstName(full string) string {
	f := strings.Fields(full)
	if len(f) == 0 {
		return full
	}
	if len(f) > 1 && (f[0] == "Dr." || f[0] == "Dr") {
		return f[0] + " " + f[len(f)-1]
	}
	return f[0]
}
