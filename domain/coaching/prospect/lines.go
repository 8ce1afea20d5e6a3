package prospect

import "github.com/sparrow-coach/sparrow/domain"

// act is one kind of thing a prospect says; lines gives each act a few
// phrasings per personality so replies vary (seeded) and sound like the
// persona, and a shared pool (the "" entry) used once the persona's own
// phrasings have all been said in the call, so a prospect does not repeat
// itself.
type act int

const (
	actGreeting act = iota
	actBadOpener
	actRamble
	actEarlyPitch
	actLatePitch
	actValueLink
	actHint
	actHintVague
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
	actGuarded  // a short answer to a question asked while an objection is pending
	actMoveOn   // the prospect gives up on an objection the rep never answered
	actGiveUp   // ... and ends the call over it
	actOffTopic // a line that has nothing to do with the call
	actIdentity // "Am I speaking with Maya?"
	actClarify  // "What do you mean?" with nothing specific to explain
	actIntroHeard
	actDiscoveryStart // the first reply of a discovery meeting
	actQuantify       // a number put on a pain the prospect voiced
	actScene          // what a voiced pain looks like day to day
	actSceneAgain     // ... asked again about the same pain
	actDecision       // who has a say in buying and how it works
	actDecisionAgain  // ... asked again
	actStatusQuo      // what is done about a voiced pain today
	actStatusQuoAgain // ... asked again
)

// Shorthands for the personalities in the table below.
const (
	pSkeptical = domain.PersonalitySkeptical
	pBusy      = domain.PersonalityBusy
	pFriendly  = domain.PersonalityFriendly
	pTechnical = domain.PersonalityTechnical
	pHostile   = domain.PersonalityHostile
)

// lineTable returns the phrasings. Placeholders: {pain}, {topic},
// {objection}, {slot}, {day}, {name}, {scene}, {decision} (the last two are
// whole sentences, always after a full stop or a question mark). The entry for the empty personality is
// the shared pool: the fallback for an unknown personality, and extra
// phrasings once a persona's own are used up.
func lineTable() map[act]map[domain.Personality][]string {
	return map[act]map[domain.Personality][]string{
		actGreeting: {
			pSkeptical: {"Okay. What's this about?", "Alright... and what is this regarding?"},
			pBusy:      {"Okay, you've got a minute.", "Fine, quickly."},
			pFriendly:  {"Oh, hi! Sure, what's up?", "Hi there. Sure, go ahead."},
			pTechnical: {"Alright. What exactly do you do?", "Okay. Go on."},
			pHostile:   {"Fine. Talk.", "You've got ten seconds."},
			"":         {"Okay, go ahead.", "Alright, I'm listening.", "Sure. What can I do for you?"},
		},
		actIntroHeard: {
			pSkeptical: {"Okay. And why are you calling me?", "Alright. I'm listening, for now."},
			pBusy:      {"Fine. What do you need?", "Okay, go. Quickly."},
			pFriendly:  {"Oh, okay! Nice to meet you. What can I do for you?", "Ah, got it. Sure, go ahead."},
			pTechnical: {"Okay. What's the reason for the call?", "Alright. What is it you do, exactly?"},
			pHostile:   {"Never heard of you. What do you want?", "Okay. Get to it."},
			"":         {"Okay. What's this about?", "Alright, go ahead."},
		},
		actDiscoveryStart: {
			pSkeptical: {"Fine by me. Ask away.", "Okay. Let's see where this goes."},
			pBusy:      {"Works. Go.", "Fine. Keep it moving."},
			pFriendly:  {"Sounds good to me! Go ahead.", "Sure, happy to. Where do you want to start?"},
			pTechnical: {"Fine. Ask what you need.", "Okay. Go ahead."},
			pHostile:   {"Whatever. Ask your questions.", "Fine. Clock's running."},
			"":         {"Okay, go ahead.", "Sure, ask away."},
		},
		actBadOpener: {
			pSkeptical: {"Sorry, who is this?", "Who are you with, exactly?"},
			pBusy:      {"Who is this? I'm in the middle of something."},
			pFriendly:  {"Sorry, I didn't catch who this is?"},
			pTechnical: {"Who is this, and what is this about?"},
			pHostile:   {"Who gave you this number?", "Who is this?"},
			"":         {"Who is this?", "Sorry, who am I talking to?"},
		},
		actIdentity: {
			pSkeptical: {"Yes, this is {name}. Who's asking?"},
			pBusy:      {"Yes, {name}. What is it?"},
			pFriendly:  {"Yes, this is {name}! Who's this?"},
			pTechnical: {"Speaking. This is {name}. What's it about?"},
			pHostile:   {"Yeah, it's {name}. What do you want?"},
			"":         {"Yes, that's me.", "Speaking."},
		},
		actRamble: {
			pSkeptical: {"That's a lot of words.", "Okay, slow down."},
			pBusy:      {"Can you get to the point?", "I don't have time for a speech."},
			pFriendly:  {"Sorry, you kind of lost me there.", "Wow, okay, that's a lot."},
			pTechnical: {"That was a lot of marketing. What does it actually do?", "Too much at once."},
			pHostile:   {"Stop. You're talking at me.", "Are you going to let me talk?"},
			"":         {"That's a lot.", "Hang on, that was a mouthful.", "Can you say that in one sentence?"},
		},
		actEarlyPitch: {
			pSkeptical: {"You don't even know what we do yet.", "Every vendor says that."},
			pBusy:      {"I don't need the brochure.", "I don't have time for a pitch."},
			pFriendly:  {"Hm, okay. I'm not sure that's really relevant to us.", "Oh. Well, I don't know if we need that."},
			pTechnical: {"You haven't asked a single thing about our setup.", "Buzzwords. What problem are you solving?"},
			pHostile:   {"I didn't ask for a sales pitch.", "Here we go, the pitch."},
			"":         {"I didn't ask for a pitch.", "You're selling before you know anything about us.", "That's a pitch, and I haven't heard a question yet."},
		},
		actLatePitch: {
			pSkeptical: {"Mm. Everyone says that.", "That's what they all claim."},
			pBusy:      {"Okay. And?", "Sure. What else?"},
			pFriendly:  {"Okay, sure.", "Oh, interesting."},
			pTechnical: {"That's a claim, not an explanation.", "How, specifically?"},
			pHostile:   {"Sure it does.", "Right."},
			"":         {"Okay.", "Noted.", "If you say so.", "Alright."},
		},
		actValueLink: {
			pSkeptical: {"If it really does that, I'd want to see it.", "Okay, that's at least relevant."},
			pBusy:      {"Okay, that would matter.", "That's the part I care about."},
			pFriendly:  {"Oh, that would really help us.", "Now that would make a difference."},
			pTechnical: {"Okay, that's the right problem. I'd need to see how.", "That would be useful, if it works."},
			pHostile:   {"Hm. If that's true, maybe.", "Fine. That part's relevant."},
			"":         {"That would help.", "Okay, that's closer to what we need.", "That part I'd want to hear more about."},
		},
		actHint: {
			pSkeptical: {"Well, there's {topic}, for one. But I'm not sure that's your business.", "{Topic}, for one. But everyone has problems."},
			pBusy:      {"{Topic}, for one. It's a whole thing.", "Honestly? {Topic}, for one. No time to fix it."},
			pFriendly:  {"Oh, where to start. {Topic}, for one. It's a long story.", "Well, there's {topic}, for one. That's been on my mind."},
			pTechnical: {"There's {topic}, for one, among other things.", "Take {topic}, for one. That's an area."},
			pHostile:   {"{Topic}, for one. Why do you care?", "Sure, there's {topic}, for one. So what?"},
			"":         {"Well, there's {topic}, for one.", "{Topic}, for one. It's not great."},
		},
		actHintVague: {
			pSkeptical: {"There are one or two things I'm not happy about. I don't know you well enough yet.", "Let's just say not everything runs the way it should."},
			pBusy:      {"There's always something on fire. Pick a day.", "A couple of things are slipping. Nothing I have time for."},
			pFriendly:  {"Oh, there's a thing or two that's been bugging me, honestly.", "Well, not everything is perfect, let's put it that way."},
			pTechnical: {"There are a couple of areas I'm not happy with.", "Some parts work, some don't."},
			pHostile:   {"I've got problems. Everybody does.", "Plenty's wrong. Why should I tell you?"},
			"":         {"There are a couple of things I'd change.", "It's not all smooth, put it that way."},
		},
		actGeneralAnswer: {
			pSkeptical: {"Things are fine. We manage.", "Same as everyone else, I suppose."},
			pBusy:      {"Busy. Same as always.", "Lots going on."},
			pFriendly:  {"Oh, you know, it's busy, lots going on!", "Pretty good, all things considered."},
			pTechnical: {"We have a fairly standard setup.", "Depends which part you mean."},
			pHostile:   {"Fine. Why?", "That's not something I discuss with strangers."},
			"":         {"It's fine.", "We get by.", "Nothing unusual, really.", "Hard to say in a sentence.", "It varies week to week."},
		},
		actReveal: {
			pSkeptical: {"Honestly? {pain}.", "Since you ask: {pain}."},
			pBusy:      {"Fine. {pain}.", "Short version: {pain}."},
			pFriendly:  {"Oh, that's a big one. {pain}. It's been stressful.", "Honestly? {pain}. It's been tough."},
			pTechnical: {"Specifically: {pain}.", "The real issue is this. {pain}."},
			pHostile:   {"You really want to know? {pain}.", "Fine. {pain}. Happy?"},
			"":         {"{pain}.", "Okay, here it is. {pain}.", "I'll tell you. {pain}."},
		},
		actDeflect: {
			pSkeptical: {"I'd rather not get into that with someone I just met.", "It's complicated."},
			pBusy:      {"It's complicated. No time to get into it.", "Not now."},
			pFriendly:  {"Oh, it's a long story. Maybe another time.", "Hm, it's a bit complicated."},
			pTechnical: {"It's more complicated than that.", "That's a simplification."},
			pHostile:   {"That's none of your business.", "Why would I tell you that?"},
			"":         {"I'd rather not go into that.", "Let's leave that one for now.", "That's a longer conversation."},
		},
		actImplication: {
			pSkeptical: {"It costs us, put it that way. Real money, maybe ten percent of a good month.", "More than I'd like to admit. A few hours every single day."},
			pBusy:      {"It costs us time we don't have. Ten, fifteen hours a week.", "It's on my list for this year. It's that bad."},
			pFriendly:  {"Honestly, it's the thing I'd fix first if I could. Half the team feels it every week.", "It affects everyone, really. We lose a couple of days a month to it."},
			pTechnical: {"It compounds. Every month it gets harder to fix.", "Measurably. We've tracked it at around twenty percent."},
			pHostile:   {"It's a problem. That's all you need to know.", "Enough that I'm still on the phone."},
			"":         {"It matters. It's most of what I deal with.", "It's been going on for over a year now.", "We've tried a couple of workarounds. None of them stuck.", "If nothing changes, it gets worse next year.", "It hits the people doing the real work the hardest."},
		},
		actQuantify: {
			pSkeptical: {"If I had to guess, it costs us five figures a quarter.", "Roughly? Twenty hours a week across the team, and that's being kind."},
			pBusy:      {"Ballpark, ten to fifteen hours a week.", "Call it twenty percent of my team's time."},
			pFriendly:  {"Oh, gosh, probably two full days a week across the team, if I'm honest.", "I'd say about a quarter of our time goes to it, maybe more."},
			pTechnical: {"We measured it last quarter: about eighteen percent of capacity.", "Roughly forty hours a month, give or take."},
			pHostile:   {"Enough. Tens of thousands a year, if you need a number.", "More than it should. Twenty hours a week, easy."},
			"":         {"Probably around ten hours a week.", "Something like fifteen percent of our budget for it.", "A few thousand dollars a month, at least.", "About thirty hours a month, all told."},
		},
		actScene: {
			pSkeptical: {"You want the day to day? {scene}", "Here's what it actually looks like. {scene}"},
			pBusy:      {"Day to day? {scene}", "Quick picture. {scene}"},
			pFriendly:  {"Oh, I can tell you exactly. {scene}", "Honestly? Picture this. {scene}"},
			pTechnical: {"Concretely? {scene}", "Here's a typical case. {scene}"},
			pHostile:   {"You really want to know what it looks like? {scene}", "Here's your picture. {scene}"},
			"":         {"Day to day? {scene}", "Here's what it looks like. {scene}", "Picture a normal week. {scene}"},
		},
		actSceneAgain: {
			pSkeptical: {"Like I said. Same story every time, and nobody has fixed it."},
			pBusy:      {"Same as I said. It happens most weeks."},
			pFriendly:  {"Pretty much like I described, honestly. It happens most weeks and everyone works around it."},
			pTechnical: {"The way I described. It happens most weeks, and the workarounds are all manual."},
			pHostile:   {"I just told you what happens."},
			"":         {"Pretty much what I described. It happens most weeks.", "Same story every time. Somebody drops what they're doing and deals with it."},
		},
		actDecision: {
			pSkeptical: {"You should know that before anything else. {decision}", "Fair to ask. {decision}"},
			pBusy:      {"Short version. {decision}", "Quickly. {decision}"},
			pFriendly:  {"Oh, good question! {decision}", "Happy to explain. {decision}"},
			pTechnical: {"Good question. {decision}", "Here's how it works. {decision}"},
			pHostile:   {"Planning to go around me? {decision}", "Since you ask. {decision}"},
			"":         {"{decision}", "Here's how it works. {decision}"},
		},
		actDecisionAgain: {
			pHostile: {"I already told you. {decision}"},
			"":       {"Same as I said. {decision}", "Like I told you. {decision}", "As I said before. {decision}"},
		},
		actStatusQuo: {
			pSkeptical: {"Nobody owns it, honestly. We've patched around it a few times and it comes back.", "We've looked at it. Nothing we tried has stuck."},
			pBusy:      {"Nobody has the time. We live with it.", "It's on a list somewhere. Nobody owns it."},
			pFriendly:  {"Honestly? We've kind of accepted it. A couple of people tried fixes, but nothing stuck.", "Not really, no. Everyone just works around it, which is half the problem."},
			pTechnical: {"There's a ticket for it. It never wins against feature work.", "We've tried a couple of internal fixes. None of them held up."},
			pHostile:   {"We deal with it. That's all.", "We've tried things. They didn't work."},
			"":         {"Not really. We've tried a couple of workarounds and none of them stuck.", "Mostly we've just accepted it. Nobody owns it."},
		},
		actStatusQuoAgain: {
			pHostile: {"I told you. Nothing worked."},
			"":       {"Like I said, nothing we've tried has stuck.", "Same as I said: nobody has fixed it, and we work around it."},
		},
		actClosedAnswer: {
			pSkeptical: {"Maybe.", "Sort of."},
			pBusy:      {"Yep.", "No."},
			pFriendly:  {"Yes, I think so!", "Hm, kind of."},
			pTechnical: {"Depends what you mean.", "Partly."},
			pHostile:   {"Maybe. Why?", "No."},
			"":         {"Maybe.", "More or less.", "I suppose so.", "Not really.", "In a way."},
		},
		actSmallTalk: {
			pSkeptical: {"Fine. What's this about?", "I'm alright. What can I do for you?"},
			pBusy:      {"Good, busy. What do you need?", "Busy. What's up?"},
			pFriendly:  {"Good, thanks for asking! How are you?", "Oh, can't complain. What can I do for you?"},
			pTechnical: {"Fine. What's the question?", "Fine, thanks. What's this regarding?"},
			pHostile:   {"Get to the point.", "Skip the small talk."},
			"":         {"Fine, thanks.", "Not bad. What's up?", "Good. What's on your mind?"},
		},
		actOffTopic: {
			pSkeptical: {"I'm not sure what that has to do with anything.", "Where are you going with this?"},
			pBusy:      {"That's not why you called, is it?", "I don't have time for chit-chat."},
			pFriendly:  {"Ha, sure. So what did you want to talk about?", "Oh, ha. Anyway, what can I do for you?"},
			pTechnical: {"That's unrelated. What's your point?", "Not relevant. What do you need?"},
			pHostile:   {"Why are you telling me this?", "Is there a point to this?"},
			"":         {"Okay... and what's this about?", "Sure. Anyway?"},
		},
		actClarify: {
			pSkeptical: {"I mean I haven't heard anything that applies to us yet.", "I mean what I said. Convince me this is relevant."},
			pBusy:      {"I mean, what do you need from me?", "I mean get to it. What is this?"},
			pFriendly:  {"Oh, just that I'm not sure yet how this fits us.", "Sorry, I mean, what would this look like for us?"},
			pTechnical: {"I mean, what does it actually do, technically?", "I mean, how does it work?"},
			pHostile:   {"I mean what I said.", "You heard me."},
			"":         {"I mean, how is this relevant to us?", "Just that I'm not sure where this is going."},
		},
		actFiller: {
			pSkeptical: {"Okay.", "And?"},
			pBusy:      {"Okay.", "Go on."},
			pFriendly:  {"Mm-hm.", "Sure."},
			pTechnical: {"Okay.", "Go on."},
			pHostile:   {"So?", "And?"},
			"":         {"Alright.", "Mm.", "I see.", "Right.", "Okay, and?"},
		},
		actRepeat: {
			pSkeptical: {"You already asked me that."},
			pBusy:      {"You asked that already."},
			pFriendly:  {"I think I already answered that one."},
			pTechnical: {"Same question as before."},
			pHostile:   {"Are you even listening? You asked that."},
			"":         {"You asked that already.", "We've been over that, you asked me already."},
		},
		actRaiseObjection: {
			pSkeptical: {"Look, {objection}", "Here's my problem: {objection}"},
			pBusy:      {"Look, {objection}", "Bottom line: {objection}"},
			pFriendly:  {"I have to be honest, {objection}", "The thing is, {objection}"},
			pTechnical: {"Here's my concern: {objection}", "One thing up front: {objection}"},
			pHostile:   {"Let me stop you. {Objection}", "Listen. {Objection}"},
			"":         {"{Objection}", "Here's the thing: {objection}"},
		},
		actRaiseNext: {
			pSkeptical: {"Next problem: {objection}", "And another thing. {Objection}"},
			pBusy:      {"Next. {Objection}", "Also, {objection}"},
			pFriendly:  {"Okay, my other worry is that {objection}", "And, um, {objection}"},
			pTechnical: {"Next question: {objection}", "Another concern: {objection}"},
			pHostile:   {"Next. {Objection}", "And don't forget: {objection}"},
			"":         {"Also, {objection}", "One more thing: {objection}"},
		},
		actRaiseOnClose: {
			pSkeptical: {"Hold on. Before I agree to anything: {objection}"},
			pBusy:      {"Not so fast. {Objection}"},
			pFriendly:  {"Oh, before we book anything, {objection}"},
			pTechnical: {"Before we schedule anything: {objection}"},
			pHostile:   {"Slow down. {Objection}"},
			"":         {"Before that: {objection}", "Wait, first: {objection}"},
		},
		actObjectionHandled: {
			pSkeptical: {"Okay, that's fair.", "Alright, I can accept that."},
			pBusy:      {"Fine, that helps.", "Okay, good answer."},
			pFriendly:  {"Oh, that's good to hear.", "Okay, that makes me feel better."},
			pTechnical: {"Okay, that answers it.", "Reasonable."},
			pHostile:   {"Hm. Fine.", "Okay. That's not a terrible answer."},
			"":         {"Okay, fair.", "Alright, that works for me.", "Okay. I can live with that.", "That's a better answer than I expected."},
		},
		actObjectionPartial: {
			pSkeptical: {"That doesn't really answer it.", "You're dancing around it."},
			pBusy:      {"That's not an answer.", "Half an answer."},
			pFriendly:  {"Hm, I'm still not sure.", "I don't think that quite gets at it."},
			pTechnical: {"That's vague.", "That's not specific enough."},
			pHostile:   {"Nice try.", "Not good enough."},
			"":         {"That doesn't answer it.", "Not quite."},
		},
		actPushBack: {
			pSkeptical: {"I've heard that before. Everyone says that.", "That's what the last vendor said."},
			pBusy:      {"Sounds rehearsed. Give me the real answer.", "Heard it before."},
			pFriendly:  {"Hm, I'd like to believe that, but I'm not sure yet.", "That sounds nice, but I'm still a bit worried."},
			pTechnical: {"That's marketing. How does it work in practice?", "Too vague. Be specific."},
			pHostile:   {"Heard that a hundred times.", "That's a script. Try again."},
			"":         {"I've heard that before.", "I'm not convinced yet."},
		},
		actObjectionIgnored: {
			pSkeptical: {"You skipped right past what I said."},
			pBusy:      {"You're not listening."},
			pFriendly:  {"Sorry, but you didn't really answer me."},
			pTechnical: {"You didn't address my point."},
			pHostile:   {"Are you even listening?"},
			"":         {"You didn't answer me.", "You went right past that."},
		},
		actGuarded: {
			pSkeptical: {"Maybe, but that's not my question.", "We'll see."},
			pBusy:      {"Fine, whatever.", "Doesn't matter right now."},
			pFriendly:  {"Oh, it's okay, I guess.", "Sure, things are alright."},
			pTechnical: {"That depends.", "It's fine for now."},
			pHostile:   {"None of your business yet.", "Don't change the subject."},
			"":         {"It's fine.", "We manage.", "That's not the point right now."},
		},
		actMoveOn: {
			pSkeptical: {"Forget it. I'll take that as a no answer.", "Let's move on, then. That tells me something, though."},
			pBusy:      {"Forget it. Moving on.", "Whatever. Next."},
			pFriendly:  {"Never mind, let's leave that for now.", "Hm, I'll let that go for now."},
			pTechnical: {"I'll note that as unanswered.", "Skip it. I'll assume there's no answer."},
			pHostile:   {"Forget it.", "Unbelievable. Forget it."},
			"":         {"Never mind, let's move on.", "Forget it, then."},
		},
		actGiveUp: {
			pSkeptical: {"You can't answer a simple question, so I'm done. Goodbye."},
			pBusy:      {"No answer, no call. Bye."},
			pFriendly:  {"I'm sorry, I don't think this is going anywhere. Take care."},
			pTechnical: {"If you can't answer that, we're done. Bye."},
			pHostile:   {"We're done. Don't call back."},
			"":         {"I don't think this is going anywhere. Goodbye."},
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
			"":         {"What day and time?", "When were you thinking, exactly?"},
		},
		actAskTime: {
			pSkeptical: {"What time on {day}?"},
			pBusy:      {"{Day} what time?"},
			pFriendly:  {"{Day} could work. What time?"},
			pTechnical: {"What time on {day}?"},
			pHostile:   {"{Day} when?"},
			"":         {"What time on {day}?", "{Day} at what time?"},
		},
		actVagueRefuse: {
			pSkeptical: {"I don't think so. Not yet.", "Let's not get ahead of ourselves."},
			pBusy:      {"I don't have time for another call.", "No."},
			pFriendly:  {"Hm, I don't think we're there yet.", "Maybe, but I'm not sure yet."},
			pTechnical: {"I don't see a reason for another call yet."},
			pHostile:   {"No.", "Not a chance."},
			"":         {"Not yet.", "I'd want to know more first."},
		},
		actPremature: {
			pSkeptical: {"Not yet. I'm not convinced this is worth an hour.", "Why would I meet you? I still don't see the point."},
			pBusy:      {"I don't have an hour for something I'm not sure I need.", "No. Not yet."},
			pFriendly:  {"Oh, I'm not sure we're at that point yet.", "Hm, let's not rush it."},
			pTechnical: {"I don't know enough yet to justify a meeting.", "Too early for that."},
			pHostile:   {"No. You haven't earned that.", "Not happening."},
			"":         {"Not yet.", "I'm not ready to commit time to this.", "Ask me again when I see why it matters."},
		},
		actNoDiscovery: {
			pSkeptical: {"You haven't asked me a single thing about our business, and you want a meeting?"},
			pBusy:      {"A meeting? You don't even know what we do."},
			pFriendly:  {"Oh, um, you don't really know much about us yet, do you?"},
			pTechnical: {"You know nothing about our setup. What would we even meet about?"},
			pHostile:   {"A meeting? You don't know the first thing about us."},
			"":         {"You don't know anything about us yet.", "What would we even meet about?"},
		},
		actBooked: {
			pSkeptical: {"Okay. {Slot} works. Send me the invite, and come prepared.", "{Slot}. Fine. Don't waste it."},
			pBusy:      {"{Slot} works. Send the invite. Gotta run.", "Fine, {slot}. Send me the invite."},
			pFriendly:  {"{Slot} works for me! Looking forward to it.", "Sure, {slot} is great. Send me an invite!"},
			pTechnical: {"{Slot} works. Send the agenda and the docs beforehand.", "Okay, {slot}. Bring someone technical."},
			pHostile:   {"Fine. {Slot}. Don't be late.", "{Slot} works. This better be good."},
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
			"": {"Hello? Are you still there?", "Hello?", "Hello? Did I lose you?", "Hello? Still there?"},
		},
	}
}
