package prospect

import "github.com/sparrow-coach/sparrow/domain"

// act is one kind of thing a prospect says; lines gives each act a few
// phrasings per personality so replies vary (seeded) and sound like the persona.
type act int

const (
	actGreeting act = iota
	actBadOpener
	actRamble
	actEarlyPitch
	actLatePitch
	actValueLink
	actHint
	actGeneralAnswer
	actReveal
	actDeflect
	actImplication
	actClosedAnswer
	actSmallTalk
	actFiller
	actRepeat
	actRaiseObjection
	actRaiseNext
	actRaiseOnClose
	actObjectionHandled
	actObjectionPartial
	actPushBack
	actObjectionIgnored
	actGauntletDone
	actAskSpecifics
	actAskTime
	actVagueRefuse
	actPremature
	actNoDiscovery
	actBooked
	actHangUp
	actOutOfTime
	actSilence
)

// Shorthands for the personalities in the table below.
const (
	pSkeptical = domain.PersonalitySkeptical
	pBusy      = domain.PersonalityBusy
	pFriendly  = domain.PersonalityFriendly
	pTechnical = domain.PersonalityTechnical
	pHostile   = domain.PersonalityHostile
)

// lineTable returns the phrasings. Placeholders: {pain}, {fragment},
// {objection}, {slot}, {day}. An entry for the empty personality is the fallback.
func lineTable() map[act]map[domain.Personality][]string {
	return map[act]map[domain.Personality][]string{
		actGreeting: {
			pSkeptical: {"Okay. What's this about?", "Alright... and what is this regarding?"},
			pBusy:      {"Okay, you've got a minute.", "Fine, quickly."},
			pFriendly:  {"Oh, hi! Sure, what's up?", "Hi there. Sure, go ahead."},
			pTechnical: {"Alright. What exactly do you do?", "Okay. Go on."},
			pHostile:   {"Fine. Talk.", "You've got ten seconds."},
			"":         {"Okay, go ahead."},
		},
		actBadOpener: {
			pSkeptical: {"Sorry, who is this?", "Who are you with, exactly?"},
			pBusy:      {"Who is this? I'm in the middle of something."},
			pFriendly:  {"Sorry, I didn't catch who this is?"},
			pTechnical: {"Who is this, and what is this about?"},
			pHostile:   {"Who gave you this number?", "Who is this?"},
			"":         {"Who is this?"},
		},
		actRamble: {
			pSkeptical: {"That's a lot of words.", "Okay, slow down."},
			pBusy:      {"Can you get to the point?", "I don't have time for a speech."},
			pFriendly:  {"Sorry, you kind of lost me there.", "Wow, okay, that's a lot."},
			pTechnical: {"That was a lot of marketing. What does it actually do?", "Too much at once."},
			pHostile:   {"Stop. You're talking at me.", "Are you going to let me talk?"},
			"":         {"That's a lot."},
		},
		actEarlyPitch: {
			pSkeptical: {"You don't even know what we do yet.", "Every vendor says that."},
			pBusy:      {"I don't need the brochure.", "I don't have time for a pitch."},
			pFriendly:  {"Hm, okay. I'm not sure that's really relevant to us.", "Oh. Well, I don't know if we need that."},
			pTechnical: {"You haven't asked a single thing about our setup.", "Buzzwords. What problem are you solving?"},
			pHostile:   {"I didn't ask for a sales pitch.", "Here we go, the pitch."},
			"":         {"I didn't ask for a pitch."},
		},
		actLatePitch: {
			pSkeptical: {"Mm. Everyone says that."},
			pBusy:      {"Okay. And?"},
			pFriendly:  {"Okay, sure."},
			pTechnical: {"That's a claim, not an explanation."},
			pHostile:   {"Sure it does."},
			"":         {"Okay."},
		},
		actValueLink: {
			pSkeptical: {"If it really does that, I'd want to see it.", "Okay, that's at least relevant."},
			pBusy:      {"Okay, that would matter.", "That's the part I care about."},
			pFriendly:  {"Oh, that would really help us.", "Now that would make a difference."},
			pTechnical: {"Okay, that's the right problem. I'd need to see how.", "That would be useful, if it works."},
			pHostile:   {"Hm. If that's true, maybe.", "Fine. That part's relevant."},
			"":         {"That would help."},
		},
		actHint: {
			pSkeptical: {"Well, {fragment}... but I'm not sure that's your business.", "There's {fragment}... but everyone has problems."},
			pBusy:      {"{Fragment}... it's a whole thing.", "Honestly, {fragment}... no time to fix it."},
			pFriendly:  {"Oh, where to start. {Fragment}... it's a long story.", "Well, {fragment}... that's been on my mind."},
			pTechnical: {"There's {fragment}... among other things.", "{Fragment}... that's one area."},
			pHostile:   {"{Fragment}... why do you care?", "Sure, {fragment}... so what?"},
			"":         {"Well, {fragment}..."},
		},
		actGeneralAnswer: {
			pSkeptical: {"Things are fine. We manage.", "Same as everyone else, I suppose."},
			pBusy:      {"Busy. Same as always.", "Lots going on."},
			pFriendly:  {"Oh, you know, it's busy, lots going on!", "Pretty good, all things considered."},
			pTechnical: {"We have a fairly standard setup.", "Depends which part you mean."},
			pHostile:   {"Fine. Why?", "That's not something I discuss with strangers."},
			"":         {"It's fine."},
		},
		actReveal: {
			pSkeptical: {"Honestly? {pain}.", "Since you ask: {pain}."},
			pBusy:      {"Fine. {pain}.", "Short version: {pain}."},
			pFriendly:  {"Oh, that's a big one. {pain}. It's been stressful.", "Honestly? {pain}. It's been tough."},
			pTechnical: {"Specifically: {pain}.", "The real issue is this. {pain}."},
			pHostile:   {"You really want to know? {pain}.", "Fine. {pain}. Happy?"},
			"":         {"{pain}."},
		},
		actDeflect: {
			pSkeptical: {"I'd rather not get into that with someone I just met.", "It's complicated."},
			pBusy:      {"It's complicated. No time to get into it.", "Not now."},
			pFriendly:  {"Oh, it's a long story. Maybe another time.", "Hm, it's a bit complicated."},
			pTechnical: {"It's more complicated than that.", "That's a simplification."},
			pHostile:   {"That's none of your business.", "Why would I tell you that?"},
			"":         {"It's complicated."},
		},
		actImplication: {
			pSkeptical: {"It costs us, put it that way. Real money.", "More than I'd like to admit."},
			pBusy:      {"It costs us time we don't have.", "It's on my list for this year."},
			pFriendly:  {"Honestly, it's the thing I'd fix first if I could.", "It affects everyone, really. The team feels it."},
			pTechnical: {"It compounds. Every month it gets harder to fix.", "Measurably. We've tracked it."},
			pHostile:   {"It's a problem. That's all you need to know.", "Enough that I'm still on the phone."},
			"":         {"It matters."},
		},
		actClosedAnswer: {
			pSkeptical: {"Maybe.", "Sort of."},
			pBusy:      {"Yep.", "No."},
			pFriendly:  {"Yes, I think so!", "Hm, kind of."},
			pTechnical: {"Depends what you mean.", "Partly."},
			pHostile:   {"Maybe. Why?", "No."},
			"":         {"Maybe."},
		},
		actSmallTalk: {
			pSkeptical: {"Fine. What's this about?"},
			pBusy:      {"Good, busy. What do you need?"},
			pFriendly:  {"Good, thanks for asking!", "Oh, can't complain."},
			pTechnical: {"Fine. What's the question?"},
			pHostile:   {"Get to the point."},
			"":         {"Fine."},
		},
		actFiller: {
			pSkeptical: {"Okay.", "And?"},
			pBusy:      {"Okay.", "Go on."},
			pFriendly:  {"Mm-hm.", "Sure."},
			pTechnical: {"Okay.", "Go on."},
			pHostile:   {"So?", "And?"},
			"":         {"Okay."},
		},
		actRepeat: {
			pSkeptical: {"You already asked me that."},
			pBusy:      {"You asked that already."},
			pFriendly:  {"I think I already answered that one."},
			pTechnical: {"Same question as before."},
			pHostile:   {"Are you even listening? You asked that."},
			"":         {"You asked that already."},
		},
		actRaiseObjection: {
			pSkeptical: {"Look, {objection}", "Here's my problem: {objection}"},
			pBusy:      {"Look, {objection}", "Bottom line: {objection}"},
			pFriendly:  {"I have to be honest, {objection}", "The thing is, {objection}"},
			pTechnical: {"First question: {objection}", "Here's my concern: {objection}"},
			pHostile:   {"Let me stop you. {Objection}", "Listen. {Objection}"},
			"":         {"{Objection}"},
		},
		actRaiseNext: {
			pSkeptical: {"Next problem: {objection}", "And another thing. {Objection}"},
			pBusy:      {"Next. {Objection}", "Also, {objection}"},
			pFriendly:  {"Okay, my other worry is that {objection}", "And, um, {objection}"},
			pTechnical: {"Next question: {objection}", "Another concern: {objection}"},
			pHostile:   {"Next. {Objection}", "And don't forget: {objection}"},
			"":         {"Also, {objection}"},
		},
		actRaiseOnClose: {
			pSkeptical: {"Hold on. Before I agree to anything: {objection}"},
			pBusy:      {"Not so fast. {Objection}"},
			pFriendly:  {"Oh, before we book anything, {objection}"},
			pTechnical: {"Before we schedule anything: {objection}"},
			pHostile:   {"Slow down. {Objection}"},
			"":         {"Before that: {objection}"},
		},
		actObjectionHandled: {
			pSkeptical: {"Okay, that's fair.", "Alright, I can accept that."},
			pBusy:      {"Fine, that helps.", "Okay, good answer."},
			pFriendly:  {"Oh, that's good to hear.", "Okay, that makes me feel better."},
			pTechnical: {"Okay, that answers it.", "Reasonable."},
			pHostile:   {"Hm. Fine.", "Okay. That's not a terrible answer."},
			"":         {"Okay, fair."},
		},
		actObjectionPartial: {
			pSkeptical: {"That doesn't really answer it. {objection}", "You're dancing around it. {objection}"},
			pBusy:      {"That's not an answer. {objection}"},
			pFriendly:  {"Hm, I'm still not sure. {objection}"},
			pTechnical: {"That's vague. {objection}"},
			pHostile:   {"Nice try. {objection}"},
			"":         {"That doesn't answer it. {objection}"},
		},
		actPushBack: {
			pSkeptical: {"I've heard that before. Everyone says that.", "That's what the last vendor said."},
			pBusy:      {"Sounds rehearsed. Give me the real answer.", "Heard it before."},
			pFriendly:  {"Hm, I'd like to believe that, but I'm not sure yet.", "That sounds nice, but I'm still a bit worried."},
			pTechnical: {"That's marketing. How does it work in practice?", "Too vague. Be specific."},
			pHostile:   {"Heard that a hundred times.", "That's a script. Try again."},
			"":         {"I've heard that before."},
		},
		actObjectionIgnored: {
			pSkeptical: {"You skipped right past what I said. {objection}"},
			pBusy:      {"You're not listening. {objection}"},
			pFriendly:  {"Sorry, but you didn't answer my question. {objection}"},
			pTechnical: {"You didn't address my question. {objection}"},
			pHostile:   {"Are you even listening? {objection}"},
			"":         {"You didn't answer me. {objection}"},
		},
		actGauntletDone: {
			pSkeptical: {"Okay. Those were my big concerns."},
			pBusy:      {"Fine. That's all I had."},
			pFriendly:  {"Okay, I think that covers my worries."},
			pTechnical: {"Alright, that covers my list."},
			pHostile:   {"Fine. That's everything."},
			"":         {"That's all my concerns."},
		},
		actAskSpecifics: {
			pSkeptical: {"Next week is a big window. Give me a day and a time.", "When, exactly?"},
			pBusy:      {"When? Give me a day and time.", "Be specific. What day, what time?"},
			pFriendly:  {"Sure, maybe! What day and time were you thinking?"},
			pTechnical: {"Propose a specific slot and I'll check."},
			pHostile:   {"Vague. Give me a day and a time or don't bother."},
			"":         {"What day and time?"},
		},
		actAskTime: {
			pSkeptical: {"What time on {day}?"},
			pBusy:      {"{Day} what time?"},
			pFriendly:  {"{Day} could work. What time?"},
			pTechnical: {"What time on {day}?"},
			pHostile:   {"{Day} when?"},
			"":         {"What time on {day}?"},
		},
		actVagueRefuse: {
			pSkeptical: {"I don't think so. Not yet.", "Let's not get ahead of ourselves."},
			pBusy:      {"I don't have time for another call.", "No."},
			pFriendly:  {"Hm, I don't think we're there yet.", "Maybe, but I'm not sure yet."},
			pTechnical: {"I don't see a reason for another call yet."},
			pHostile:   {"No.", "Not a chance."},
			"":         {"Not yet."},
		},
		actPremature: {
			pSkeptical: {"Not yet. I'm not convinced this is worth an hour.", "Why would I meet you? I still don't see the point."},
			pBusy:      {"I don't have an hour for something I'm not sure I need.", "No. Not yet."},
			pFriendly:  {"Oh, I'm not sure we're at that point yet.", "Hm, let's not rush it."},
			pTechnical: {"I don't know enough yet to justify a meeting.", "Too early for that."},
			pHostile:   {"No. You haven't earned that.", "Not happening."},
			"":         {"Not yet."},
		},
		actNoDiscovery: {
			pSkeptical: {"You haven't asked me a single thing about our business, and you want a meeting?"},
			pBusy:      {"A meeting? You don't even know what we do."},
			pFriendly:  {"Oh, um, you don't really know much about us yet, do you?"},
			pTechnical: {"You know nothing about our setup. What would we even meet about?"},
			pHostile:   {"A meeting? You don't know the first thing about us."},
			"":         {"You don't know anything about us yet."},
		},
		actBooked: {
			pSkeptical: {"Okay. {Slot} works. Send me the invite, and come prepared.", "{Slot}. Fine. Don't waste it."},
			pBusy:      {"{Slot} works. Send the invite. Gotta run.", "Fine, {slot}. Send it over."},
			pFriendly:  {"{Slot} works for me! Looking forward to it.", "Sure, {slot} is great. Send me an invite!"},
			pTechnical: {"{Slot} works. Send the agenda and the docs beforehand.", "Okay, {slot}. Bring someone technical."},
			pHostile:   {"Fine. {Slot}. Don't be late.", "{Slot}. This better be good."},
			"":         {"{Slot} works."},
		},
		actHangUp: {
			pSkeptical: {"I don't think this is a fit. Goodbye.", "I'm going to stop you there. Not interested. Bye."},
			pBusy:      {"I've got to go. Bye.", "I'm done, I have a meeting. Bye."},
			pFriendly:  {"I'm sorry, I really have to go. Take care.", "I don't think this is for us. Have a good day."},
			pTechnical: {"This isn't productive. I'm going to drop off.", "I don't see this going anywhere. Bye."},
			pHostile:   {"We're done here.", "Don't call me again."},
			"":         {"Goodbye."},
		},
		actOutOfTime: {
			pSkeptical: {"I have to jump to another meeting. Send me an email."},
			pBusy:      {"I'm out of time. Email me."},
			pFriendly:  {"Oh, I'm so sorry, I have to run to another meeting. Send me an email?"},
			pTechnical: {"I'm out of time. Send me something in writing."},
			pHostile:   {"Time's up."},
			"":         {"I have to go."},
		},
		actSilence: {
			"": {"Hello? Are you still there?", "Hello?"},
		},
	}
}
