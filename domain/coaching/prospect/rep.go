package prospect

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// ScriptedRep names a built-in rep that plays the seller's side in simulations.
type ScriptedRep string

const (
	// RepGood opens well, asks open discovery questions spread over the call,
	// follows up on what it hears, handles objections (acknowledge, address,
	// ask), keeps turns short, then proposes a concrete day and time.
	RepGood ScriptedRep = "good"
	// RepBad pitches at once, rambles, ignores objections and asks for a
	// meeting vaguely, or concretely but without having earned it.
	RepBad ScriptedRep = "bad"
)

// ScriptedReps lists the built-in reps.
func ScriptedReps() []ScriptedRep { return []ScriptedRep{RepGood, RepBad, RepNatural, RepNaturalBad} }

// Rep produces the seller's next line. history is the call so far (prospect
// lines have domain.RoleAssistant); st is the prospect's state, of which a
// rep should read only what a human on the call would know.
type Rep interface {
	Next(history []domain.TranscriptEntry, st State) string
}

// NewRep builds a scripted rep ("good", "bad", "natural" or "natural-bad"). An unknown kind returns a
// *domain.FieldError for "rep" wrapping domain.ErrInvalid.
func NewRep(kind string, seed uint64) (Rep, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc909))
	switch ScriptedRep(kind) {
	case RepGood:
		return &goodRep{rng: rng, asked: map[int]bool{}, mirrored: map[string]bool{}, explored: map[string]bool{}, closeMark: -1}, nil
	case RepBad:
		return &badRep{rng: rng}, nil
	case RepNatural:
		return newNaturalRep(seed), nil
	case RepNaturalBad:
		return newNaturalBadRep(seed), nil
	}
	return nil, &domain.FieldError{Field: "rep", Err: fmt.Errorf("%w: rep %q must be good, bad, natural or natural-bad", domain.ErrInvalid, kind)}
}

// goodRep follows the habits that convert (coaching-research notes): a
// permission-based opener, open questions spread through the call, follow-ups
// on what the prospect said, short turns, objections answered with a
// question, and a concrete day and time once there is a reason to meet.
type goodRep struct {
	rng        *rand.Rand
	turns      int
	asked      map[int]bool    // discovery questions used
	mirrored   map[string]bool // hint fragments followed up
	explored   map[string]bool // voiced pains followed up
	closeMark  int             // pains + handled objections at the last close attempt
	sinceTry   int             // turns since the last close attempt
	lastAnswer string
}

func (g *goodRep) Next(history []domain.TranscriptEntry, st State) string {
	g.turns++
	g.sinceTry++
	last := lastProspectLine(history)
	first := firstWord(st.Prospect.Name)

	if g.turns == 1 {
		return g.opener(st, first)
	}
	if st.PendingObjection != "" {
		return g.answerObjection(st.PendingObjection)
	}
	// Listen first: follow up on what the prospect just trailed off on, then
	// on the impact of a pain they just voiced; only then think of closing.
	if frag := trailingFragment(last); frag != "" && !g.mirrored[frag] {
		g.mirrored[frag] = true
		return g.mirror(frag)
	}
	if n := len(st.RevealedPains); n > 0 {
		newest := st.RevealedPains[n-1]
		if !g.explored[newest] {
			g.explored[newest] = true
			return g.implication(newest)
		}
	}
	progress := len(st.RevealedPains) + len(st.HandledObjections) + len(g.explored)
	if g.ready(st) && (progress > g.closeMark || g.sinceTry >= 4) {
		return g.close(st, progress)
	}
	if q, ok := g.discoveryQuestion(st); ok {
		return q
	}
	return g.close(st, progress)
}

// ready reports whether there is enough to propose a meeting, judged from
// what the prospect has said (never from patience or interest).
func (g *goodRep) ready(st State) bool {
	pains := len(st.RevealedPains)
	switch st.Mode {
	case domain.ModeDiscovery:
		return pains >= 3 || (pains >= 2 && g.turns >= 12)
	case domain.ModeObjectionGauntlet:
		return len(st.HandledObjections) > 0 && (pains >= 1 || g.turns >= 8)
	}
	return pains >= 2 || (pains >= 1 && g.turns >= 10)
}

func (g *goodRep) opener(st State, first string) string {
	ind := strings.ToLower(st.Prospect.Industry)
	var options []string
	switch st.Mode {
	case domain.ModeDiscovery:
		options = []string{
			"Thanks for making the time, " + first + ". I'd love to start with your world rather than slides. What does a typical week look like for you right now?",
			"Appreciate you taking this, " + first + ". Before anything else, what are your biggest priorities for the rest of this year?",
		}
	case domain.ModeObjectionGauntlet:
		options = []string{
			"Thanks, " + first + ". I'm Alex from Brightpath, and I'd rather hear your concerns than pitch. What's on your mind?",
			"Fair enough, " + first + ". This is Alex from Brightpath. I'd rather start with your concerns. What's your biggest worry?",
		}
	default:
		options = []string{
			"Hi " + first + ", this is Alex from Brightpath. How have you been? I'll be brief: I'm calling because we work with " + ind + " teams, and I had a quick question, if you have a minute?",
			"Hi " + first + ", my name is Alex, I'm with Brightpath. The reason for my call: I talk to a lot of " + ind + " leaders and I'd value your take on something. Do you have a minute?",
			"Hey " + first + ", this is Alex from Brightpath. I know I'm calling out of the blue, so I'll be quick. Mind if I ask you a question about how things run at your end?",
		}
	}
	return options[g.rng.IntN(len(options))]
}

// answerObjection acknowledges, addresses (in the prospect's own words) and asks.
func (g *goodRep) answerObjection(objection string) string {
	acks := []string{"That's fair.", "I hear you, and that makes sense.", "Totally fair concern.", "That's a reasonable worry."}
	kw := objectionTopic(objection)
	addresses := []string{
		"When it comes to " + kw + ", other teams like yours told us the same, so we start with a small pilot and you decide once you've seen results.",
		"On the " + kw + " point, we keep it light: no big rollout, just a two-week trial you can stop any time.",
		"Plenty of people raise " + kw + " with us, and we handle it by proving value first, before you commit to anything.",
	}
	asks := []string{
		"What would you need to see to feel comfortable with that?",
		"How are you handling that today?",
		"What would make this worth exploring for you?",
	}
	for {
		line := acks[g.rng.IntN(len(acks))] + " " + addresses[g.rng.IntN(len(addresses))] + " " + asks[g.rng.IntN(len(asks))]
		if line != g.lastAnswer { // asked again, say it differently
			g.lastAnswer = line
			return line
		}
	}
}

// implication follows up on a pain the prospect voiced (SPIN: the impact).
func (g *goodRep) implication(pain string) string {
	f := fromRepSide(fragment(pain))
	options := []string{
		"You said " + f + ". How is that affecting the rest of the business?",
		"When you say " + f + ", what does that mean for you day to day?",
		"Going back to " + f + ", what happens if nothing changes there this year?",
		"About " + f + ", how long has that been going on, and what have you tried so far?",
	}
	return options[g.rng.IntN(len(options))]
}

// mirror repeats the words the prospect trailed off on and asks for more.
func (g *goodRep) mirror(frag string) string {
	f := fromRepSide(frag)
	options := []string{
		"You mentioned " + f + ". What's going on there?",
		upperFirst(f) + "? Tell me more about that.",
		"Can you tell me more about " + f + "?",
	}
	return options[g.rng.IntN(len(options))]
}

// discoveryQuestion asks the next unused open question about the prospect's situation.
func (g *goodRep) discoveryQuestion(st State) (string, bool) {
	role := st.Prospect.Role
	bank := []string{
		"What does a typical week look like for you as " + role + " right now?",
		"What are your biggest priorities for the rest of this year?",
		"What's the hardest part of running things at " + st.Prospect.Company + " at the moment?",
		"How is your team handling the workload these days?",
		"If you could change one thing about how things work today, what would it be?",
		"What's been frustrating you most lately?",
		"Walk me through how your team handles a normal day.",
		"What are you measured on this year, and how is it tracking?",
		"Where do you see the biggest bottlenecks right now?",
		"What keeps you up at night in your role?",
		"What's changing in " + strings.ToLower(st.Prospect.Industry) + " that worries you?",
		"What's the one problem you wish someone would just fix for you?",
	}
	var unused []int
	for i := range bank {
		if !g.asked[i] {
			unused = append(unused, i)
		}
	}
	if len(unused) == 0 {
		return "", false
	}
	i := unused[g.rng.IntN(len(unused))]
	g.asked[i] = true
	return bank[i], true
}

// close ties the meeting to what the prospect said and proposes a concrete slot.
func (g *goodRep) close(st State, progress int) string {
	g.closeMark = progress
	g.sinceTry = 0
	slots := []string{"Tuesday at 2pm", "Thursday at 10:30am", "Wednesday at 3 pm", "tomorrow at 11am", "Friday at 9am", "Monday at 4pm"}
	slot := slots[g.rng.IntN(len(slots))]
	reason := "what you've told me"
	if n := len(st.RevealedPains); n > 0 {
		reason = "what you said about " + fromRepSide(fragment(st.RevealedPains[g.rng.IntN(n)]))
	}
	options := []string{
		"Based on " + reason + ", I think thirty minutes with our team would be worth it. How does " + slot + " look?",
		"Given " + reason + ", it makes sense to take a proper look together. Could we do " + slot + "?",
	}
	return options[g.rng.IntN(len(options))]
}

// badRep does what loses deals: pitch first, talk long, ignore objections,
// and push for a meeting it has not earned.
type badRep struct {
	rng   *rand.Rand
	turns int
}

func (b *badRep) Next(history []domain.TranscriptEntry, st State) string {
	b.turns++
	if b.turns == 1 {
		return b.monologue(st)
	}
	switch x := b.rng.IntN(100); {
	case x < 35:
		return b.monologue(st)
	case x < 60:
		shorts := []string{
			"Our platform really is the best on the market, and our customers love it.",
			"Honestly, we're the industry-leading solution, nobody else comes close.",
			"With our product your team would save so much, it's a no-brainer.",
		}
		return shorts[b.rng.IntN(len(shorts))]
	case x < 80:
		vague := []string{
			"So can we set up a call sometime next week to go over everything?",
			"Let's find a time to get a demo on the calendar soon, okay?",
			"Could we hop on another call later this week?",
		}
		return vague[b.rng.IntN(len(vague))]
	case x < 90:
		concrete := []string{"How about a demo Tuesday at 2pm?", "Can I put you down for Thursday at 10am?"}
		return concrete[b.rng.IntN(len(concrete))]
	}
	closedQs := []string{
		"Are you the person who makes the buying decisions?",
		"Is budget something you have this year?",
		"Would you agree that saving money matters to your company?",
	}
	return closedQs[b.rng.IntN(len(closedQs))]
}

// monologue strings pitch sentences together until it is well past RambleWords.
func (b *badRep) monologue(st State) string {
	sentences := []string{
		"I'm really excited to tell you about our platform, the industry-leading all-in-one solution for companies like " + st.Prospect.Company + ".",
		"We offer cutting-edge features including AI-powered analytics, automated workflows, seamless integrations and real-time dashboards.",
		"Our customers see results in weeks, and we've helped hundreds of businesses transform how they work.",
		"Right now we're running a special discount for new clients who sign up this quarter, so it's the perfect time to get started.",
		"The mobile app is super intuitive, your whole team will love it from day one, and onboarding takes no time at all.",
		"We're the market leader in our category and analysts rank us number one for customer satisfaction three years running.",
		"Basically it does everything, reporting, automation, collaboration, you name it, all in one place with one login.",
	}
	order := b.rng.Perm(len(sentences))
	var parts []string
	words := 0
	if b.turns == 1 {
		parts = append(parts, "Hi, this is Jordan from SalesMax!")
	}
	for _, i := range order {
		parts = append(parts, sentences[i])
		words = wordCount(strings.Join(parts, " "))
		if words > RambleWords+10 {
			break
		}
	}
	return strings.Join(parts, " ")
}

// lastProspectLine returns the prospect's most recent line in the history.
func lastProspectLine(history []domain.TranscriptEntry) string {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Role == domain.RoleAssistant {
			return history[i].Content
		}
	}
	return ""
}

// trailingFragment returns the words a prospect trailed off on ("...our
// online review scores..."), the cue a listening rep follows up on.
func trailingFragment(line string) string {
	i := strings.Index(line, "...")
	if j := strings.Index(line, ", for one"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return ""
	}
	before := line[:i]
	if j := strings.LastIndexAny(before, ".!?"); j >= 0 {
		before = before[j+1:]
	}
	before = strings.TrimSpace(before)
	lower := strings.ToLower(before)
	for _, lead := range []string{"well,", "honestly,", "sure,", "oh,", "there's", "look,", "so,", "take"} {
		if strings.HasPrefix(lower, lead) {
			before = strings.TrimSpace(before[len(lead):])
			lower = strings.ToLower(before)
		}
	}
	return before
}

// fromRepSide turns the prospect's words into the rep's: "our" becomes "your".
func fromRepSide(s string) string {
	swap := map[string]string{"our": "your", "my": "your", "we": "you", "i": "you", "us": "you", "we're": "you're", "i'm": "you're", "i've": "you've", "we've": "you've", "me": "you"}
	words := strings.Fields(s)
	for i, w := range words {
		if r, ok := swap[strings.ToLower(w)]; ok {
			words[i] = r
		}
	}
	return lowerFirst(strings.Join(words, " "))
}

// objectionTopic names what an objection is about, in its own words: its two
// longest topic words.
func objectionTopic(objection string) string {
	words := contentWords(objection)
	if len(words) == 0 {
		for _, t := range tokens(objection) {
			if genericTopics[t] {
				words = append(words, t)
			}
		}
	}
	if len(words) == 0 {
		return "that"
	}
	best := []string{}
	seen := map[string]bool{}
	for len(best) < 2 {
		pick := ""
		for _, w := range words {
			if !seen[w] && len(w) > len(pick) {
				pick = w
			}
		}
		if pick == "" {
			break
		}
		seen[pick] = true
		best = append(best, pick)
	}
	if len(best) == 2 {
		return best[0] + " and " + best[1]
	}
	return best[0]
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return "there"
}
