package personas

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/domain"
)

// MaxInputLen bounds GenerateInput.Industry and GenerateInput.Role, in characters.
const MaxInputLen = 100

// GenerateInput is what a user chooses when asking for a custom persona (spec §4.4).
type GenerateInput struct {
	Industry    string
	Role        string
	Personality domain.Personality
	Difficulty  domain.Difficulty
}

// Validate checks the input; every problem is a *domain.FieldError wrapping
// domain.ErrInvalid, and all problems are joined with errors.Join.
func (in GenerateInput) Validate() error {
	var errs []error
	for _, f := range []struct{ field, value string }{{"industry", in.Industry}, {"role", in.Role}} {
		if err := validateText(f.value); err != nil {
			errs = append(errs, &domain.FieldError{Field: f.field, Err: fmt.Errorf("%w: %s %s", domain.ErrInvalid, f.field, err)})
		}
	}
	if _, err := domain.ParsePersonality(string(in.Personality)); err != nil {
		errs = append(errs, &domain.FieldError{Field: "personality", Err: err})
	}
	if _, err := domain.ParseDifficulty(string(in.Difficulty)); err != nil {
		errs = append(errs, &domain.FieldError{Field: "difficulty", Err: err})
	}
	return errors.Join(errs...)
}

// validateText describes what is wrong with a free-text input, or returns nil.
func validateText(s string) error {
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return errors.New("is required")
	case !utf8.ValidString(t):
		return errors.New("is not valid UTF-8")
	case utf8.RuneCountInString(t) > MaxInputLen:
		return fmt.Errorf("has %d characters, the limit is %d", utf8.RuneCountInString(t), MaxInputLen)
	case strings.IndexFunc(t, unicode.IsControl) >= 0:
		return errors.New("must not contain control characters")
	}
	return nil
}

// validateVoices checks the voice list Generate chooses from.
func validateVoices(voiceIDs []string) error {
	if len(voiceIDs) == 0 {
		return &domain.FieldError{Field: "voiceIds", Err: fmt.Errorf("%w: at least one voice id is required", domain.ErrInvalid)}
	}
	for i, v := range voiceIDs {
		if strings.TrimSpace(v) == "" {
			return &domain.FieldError{Field: "voiceIds", Err: fmt.Errorf("%w: voice id %d is blank", domain.ErrInvalid, i)}
		}
	}
	return nil
}

// Generate builds a complete, coherent persona without calling an LLM: the
// company name fits the industry, and the hidden pains and objections come
// from knowledge tables for the industry and for the role's family (finance,
// technology, operations, ...), with generic fallbacks for unknown ones. The
// voice is picked from voiceIDs and the name matches the voice when the voice
// is one of DefaultVoiceIDs. The result passes Validate, has IsPreset false,
// and is the same for the same input, seed and voiceIDs.
//
// Invalid input returns an error wrapping domain.ErrInvalid inside a
// *domain.FieldError naming the field ("industry", "role", "personality",
// "difficulty" or "voiceIds").
func Generate(in GenerateInput, seed uint64, voiceIDs []string) (domain.PersonaProfile, error) {
	if err := errors.Join(in.Validate(), validateVoices(voiceIDs)); err != nil {
		return domain.PersonaProfile{}, fmt.Errorf("generate persona: %w", err)
	}
	industry := strings.TrimSpace(in.Industry)
	role := strings.TrimSpace(in.Role)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	ind := matchIndustry(industry)
	fam := matchRole(role)
	lowerIndustry := casual(industry)
	fill := strings.NewReplacer("{industry}", lowerIndustry)

	voice := strings.TrimSpace(voiceIDs[rng.IntN(len(voiceIDs))])
	first, last := pickName(rng, genderOfVoice(voice))
	name := first + " " + last
	company := companyName(rng, ind, industry)

	pains := pickMixed(rng, fill, painTexts(fam.pains), painTexts(ind.pains), painCount(in.Difficulty))
	objections := append([]string{personalityObjection(string(in.Personality))},
		pickMixed(rng, fill, fam.objections, ind.objections, objectionCount(in.Difficulty)-1)...)

	p := domain.PersonaProfile{
		Name:        name,
		Role:        role,
		Company:     company,
		Industry:    industry,
		Personality: in.Personality,
		Difficulty:  in.Difficulty,
		Backstory:   backstory(rng, name, first, role, company, lowerIndustry, ind, fam, in.Difficulty),
		HiddenPains: pains,
		Objections:  objections,
		VoiceID:     voice,
	}
	p.FirstMessages = firstMessages(in.Personality, first, last, company)
	p.FirstMessage = p.FirstMessages[domain.ModeColdCall]
	p.SystemPrompt = SystemPrompt(p)
	if err := p.Validate(); err != nil {
		// Unreachable when the tables are sound; reported rather than hidden.
		return domain.PersonaProfile{}, fmt.Errorf("generate persona: built an invalid profile: %w", err)
	}
	return p, nil
}

// casual lowercases the capital of each capitalized word so a name can sit
// inside a sentence ("Real Estate" -> "real estate"), keeping acronyms and
// brand spellings ("B2B SaaS") as they are.
func casual(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		rs := []rune(w)
		mixed := false
		for _, r := range rs[1:] {
			if unicode.IsUpper(r) {
				mixed = true
			}
		}
		if !mixed {
			rs[0] = unicode.ToLower(rs[0])
			words[i] = string(rs)
		}
	}
	return strings.Join(words, " ")
}

// painCount and objectionCount grow with difficulty: harder personas have more to uncover.
func painCount(d domain.Difficulty) int {
	if d == domain.DifficultyEasy {
		return 3
	}
	return 4
}

func objectionCount(d domain.Difficulty) int {
	switch d {
	case domain.DifficultyEasy:
		return 3
	case domain.DifficultyMedium:
		return 4
	}
	return 5
}

// pickMixed takes n distinct texts, alternating between the role's list and the
// industry's list (role first) in a seeded order, so each persona's concerns
// reflect both who they are and where they work.
func pickMixed(rng *rand.Rand, fill *strings.Replacer, fromRole, fromIndustry []string, n int) []string {
	a := shuffled(rng, fromRole)
	b := shuffled(rng, fromIndustry)
	out := make([]string, 0, n)
	seen := map[string]bool{}
	for i := 0; len(out) < n && (i < len(a) || i < len(b)); i++ {
		for _, list := range [][]string{a, b} {
			if i < len(list) && len(out) < n {
				s := fill.Replace(list[i])
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func shuffled(rng *rand.Rand, in []string) []string {
	out := append([]string(nil), in...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

func pickName(rng *rand.Rand, g voiceGender) (first, last string) {
	female := []string{"Maya", "Priya", "Sofia", "Hannah", "Grace", "Aisha", "Laura", "Mei", "Olivia", "Fatima", "Claire", "Ingrid", "Rosa", "Naomi"}
	male := []string{"James", "Marcus", "Daniel", "Raj", "Tomas", "Kevin", "Omar", "Peter", "Hiroshi", "Ben", "Andre", "Lukas", "Samuel", "Victor"}
	lasts := []string{"Chen", "Patel", "Johnson", "Okafor", "Garcia", "Novak", "Kim", "Schmidt", "Rossi", "Nguyen", "Brennan", "Haddad", "Larsen", "Morales", "Whitaker", "Kowalski", "Silva", "Tanaka", "Fischer", "Murphy"}
	if g == voiceUnknown {
		g = voiceFemale
		if rng.IntN(2) == 1 {
			g = voiceMale
		}
	}
	if g == voiceFemale {
		first = pick(rng, female)
	} else {
		first = pick(rng, male)
	}
	return first, pick(rng, lasts)
}

// companyName joins a head and a tail from the industry's table; for an
// unknown industry it names the industry itself ("Bluewater Aquaculture Group").
func companyName(rng *rand.Rand, ind industryKnowledge, industry string) string {
	head, tail := pick(rng, ind.companyHeads), pick(rng, ind.companyTails)
	if ind.key == "generic" {
		words := strings.Fields(industry)
		if len(words) > 3 {
			words = words[:3]
		}
		for i, w := range words {
			r, size := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[size:]
		}
		return head + " " + strings.Join(words, " ") + " " + tail
	}
	if ind.key == "saas" { // "Cloud" + "nest" reads as one brand name
		return head + tail
	}
	return head + " " + tail
}

func backstory(rng *rand.Rand, name, first, role, company, industry string, ind industryKnowledge, fam roleFamily, d domain.Difficulty) string {
	sizes := []string{"35-person", "120-person", "400-person", "1,500-person", "6,000-person"}
	years := 2 + rng.IntN(14)
	var stance string
	switch d {
	case domain.DifficultyEasy:
		stance = "knows things have to change and is open to ideas, as long as they are practical"
	case domain.DifficultyMedium:
		stance = "is open to change but has been let down by vendors before and needs to see a real fit"
	default:
		stance = "has said no to every vendor this year, answers to people who hate risk, and expects to keep saying no"
	}
	return fmt.Sprintf("%s has been %s at %s for %d years. %s is a %s %s business that %s. %s %s. %s %s.",
		name, role, company, years, company, pick(rng, sizes), industry, pick(rng, ind.situations),
		first, fam.focus, first, stance)
}

// firstMessages gives the persona an opening line per mode, in the voice of its personality.
func firstMessages(p domain.Personality, first, last, company string) map[domain.Mode]string {
	r := strings.NewReplacer("{first}", first, "{last}", last, "{company}", company)
	var cold, disc, gaunt string
	switch p {
	case domain.PersonalitySkeptical:
		cold = "This is {first}. Who's calling, and what's this about?"
		disc = "{first} here. I've got thirty minutes. Let's see if this is worth my time."
		gaunt = "I'll be honest, I'm not convinced. Go ahead and try."
	case domain.PersonalityBusy:
		cold = "{first} speaking, I've only got a minute."
		disc = "{first} here. I've got fifteen minutes, so let's be efficient."
		gaunt = "I've got five minutes and a lot of doubts. Go."
	case domain.PersonalityFriendly:
		cold = "Hi, this is {first} at {company}, how can I help?"
		disc = "Hi, {first} here! Thanks for setting this up. Where would you like to start?"
		gaunt = "I'm happy to hear you out, but I do have some concerns."
	case domain.PersonalityTechnical:
		cold = "{first} {last}."
		disc = "Hi, {first} here. I'd rather understand how things work than watch slides, so ask away."
		gaunt = "I have some technical concerns. Let's see if you can answer them."
	default:
		cold = "Yeah, {last}. Who is this?"
		disc = "{first}. Somebody put this on my calendar. You have ten minutes."
		gaunt = "Let me save you some time: we're not buying. But go on, impress me."
	}
	return map[domain.Mode]string{
		domain.ModeColdCall:          r.Replace(cold),
		domain.ModeDiscovery:         r.Replace(disc),
		domain.ModeObjectionGauntlet: r.Replace(gaunt),
	}
}
