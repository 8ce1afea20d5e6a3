package personas_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

func validInput() personas.GenerateInput {
	return personas.GenerateInput{Industry: "Logistics", Role: "VP of Operations", Personality: domain.PersonalityBusy, Difficulty: domain.DifficultyMedium}
}

func TestGenerate_RejectsInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		edit      func(*personas.GenerateInput)
		voices    []string
		wantField string
	}{
		{name: "empty industry", edit: func(in *personas.GenerateInput) { in.Industry = "" }, wantField: "industry"},
		{name: "blank industry", edit: func(in *personas.GenerateInput) { in.Industry = " \t " }, wantField: "industry"},
		{name: "industry too long", edit: func(in *personas.GenerateInput) { in.Industry = strings.Repeat("x", 101) }, wantField: "industry"},
		{name: "industry with control characters", edit: func(in *personas.GenerateInput) { in.Industry = "Retail\x00" }, wantField: "industry"},
		{name: "empty role", edit: func(in *personas.GenerateInput) { in.Role = "" }, wantField: "role"},
		{name: "role too long", edit: func(in *personas.GenerateInput) { in.Role = strings.Repeat("é", 101) }, wantField: "role"},
		{name: "unknown personality", edit: func(in *personas.GenerateInput) { in.Personality = "grumpy" }, wantField: "personality"},
		{name: "missing difficulty", edit: func(in *personas.GenerateInput) { in.Difficulty = "" }, wantField: "difficulty"},
		{name: "no voices", voices: []string{}, wantField: "voiceIds"},
		{name: "blank voice", voices: []string{"21m00Tcm4TlvDq8ikWAM", " "}, wantField: "voiceIds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := validInput()
			if tt.edit != nil {
				tt.edit(&in)
			}
			voices := personas.DefaultVoiceIDs()
			if tt.voices != nil {
				voices = tt.voices
			}
			_, err := personas.Generate(in, 1, voices)
			require.Error(t, err)
			assert.True(t, errors.Is(err, domain.ErrInvalid), "wraps ErrInvalid: %v", err)
			var fe *domain.FieldError
			require.True(t, errors.As(err, &fe), "wraps a FieldError: %v", err)
			assert.Equal(t, tt.wantField, fe.Field)
		})
	}
}

func TestGenerate_ReportsEveryInvalidField(t *testing.T) {
	t.Parallel()
	_, err := personas.Generate(personas.GenerateInput{}, 1, nil)
	require.Error(t, err)
	for _, field := range []string{"industry", "role", "personality", "difficulty", "voiceIds"} {
		assert.Contains(t, err.Error(), field+":")
	}
}

func TestGenerate_AcceptsLimitLengthsAndTrims(t *testing.T) {
	t.Parallel()
	in := validInput()
	in.Industry = "  " + strings.Repeat("a", 100) + "  "
	in.Role = "  CFO  "
	p, err := personas.Generate(in, 1, personas.DefaultVoiceIDs())
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("a", 100), p.Industry)
	assert.Equal(t, "CFO", p.Role)
}

func TestGenerate_BuildsCompleteProfilesForEveryCombination(t *testing.T) {
	t.Parallel()
	voices := []string{"voiceA", "voiceB", "voiceC"}
	for _, industry := range []string{"Healthcare", "B2B SaaS", "Aquaculture"} {
		for _, personality := range domain.Personalities {
			for _, difficulty := range domain.Difficulties {
				in := personas.GenerateInput{Industry: industry, Role: "Head of Operations", Personality: personality, Difficulty: difficulty}
				p, err := personas.Generate(in, 42, voices)
				require.NoError(t, err)
				assert.NoError(t, p.Validate())
				assert.False(t, p.IsPreset)
				assert.Equal(t, personality, p.Personality)
				assert.Equal(t, difficulty, p.Difficulty)
				assert.GreaterOrEqual(t, len(p.HiddenPains), 3)
				assert.GreaterOrEqual(t, len(p.Objections), 3)
				assert.Contains(t, voices, p.VoiceID)
				for _, m := range domain.Modes {
					assert.NotEmpty(t, p.FirstMessages[m])
				}
				assert.Equal(t, p.FirstMessages[domain.ModeColdCall], p.FirstMessage)
				assert.Equal(t, personas.SystemPrompt(p), p.SystemPrompt)
				assert.Contains(t, p.Backstory, p.Name)
				assert.Contains(t, p.Backstory, p.Company)
				assert.Len(t, uniq(p.HiddenPains), len(p.HiddenPains), "pains are distinct")
				assert.Len(t, uniq(p.Objections), len(p.Objections), "objections are distinct")
			}
		}
	}
}

func TestGenerate_HarderPersonasHaveMoreToUncover(t *testing.T) {
	t.Parallel()
	count := func(d domain.Difficulty) (int, int) {
		in := validInput()
		in.Difficulty = d
		p, err := personas.Generate(in, 3, personas.DefaultVoiceIDs())
		require.NoError(t, err)
		return len(p.HiddenPains), len(p.Objections)
	}
	easyPains, easyObjections := count(domain.DifficultyEasy)
	hardPains, hardObjections := count(domain.DifficultyHard)
	assert.Greater(t, hardPains, easyPains)
	assert.Greater(t, hardObjections, easyObjections)
}

func TestGenerate_IsDeterministicPerSeed(t *testing.T) {
	t.Parallel()
	a, err := personas.Generate(validInput(), 7, personas.DefaultVoiceIDs())
	require.NoError(t, err)
	b, err := personas.Generate(validInput(), 7, personas.DefaultVoiceIDs())
	require.NoError(t, err)
	assert.Equal(t, a, b)

	names := map[string]bool{}
	for seed := range uint64(10) {
		p, err := personas.Generate(validInput(), seed, personas.DefaultVoiceIDs())
		require.NoError(t, err)
		names[p.Name+"|"+p.Company] = true
	}
	assert.Greater(t, len(names), 5, "different seeds give different people")
}

// TestGenerate_IsCoherent checks that pains and objections fit both the
// industry and the role's family, with a generic fallback for the unknown.
func TestGenerate_IsCoherent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, industry, role string
		// At least one pain must mention one of painWords, one objection one of objectionWords,
		// and the company name one of companyWords (lowercase substrings).
		painWords, objectionWords, companyWords []string
		// industryPainWords: a pain that comes from the industry table.
		industryPainWords []string
	}{
		{
			name: "finance CFO: budget scrutiny and ROI", industry: "Banking", role: "CFO",
			painWords: []string{"roi", "spend", "month-end"}, objectionWords: []string{"budget", "roi", "price"},
			companyWords: []string{"financial", "capital", "bank", "credit union"}, industryPainWords: []string{"regulatory", "reconciliations", "onboarding"},
		},
		{
			name: "SaaS CTO: integration and security", industry: "B2B SaaS", role: "CTO",
			painWords: []string{"integration", "security", "technical debt"}, objectionWords: []string{"integrate", "security", "build"},
			industryPainWords: []string{"churn", "onboarding", "escalations"},
		},
		{
			name: "manufacturing ops: downtime", industry: "Manufacturing", role: "Plant Manager",
			painWords: []string{"downtime", "manual", "short-staffed"}, objectionWords: []string{"disruption", "adopt", "failed"},
			companyWords: []string{"manufacturing", "components", "industries", "fabrication"}, industryPainWords: []string{"downtime", "scrap", "maintenance"},
		},
		{
			name: "healthcare people lead", industry: "Hospital", role: "Head of People",
			painWords: []string{"new hires", "fill a role", "onboarding"}, objectionWords: []string{"hiring freeze", "employee data", "hr system"},
			industryPainWords: []string{"nurses", "no-shows", "authorizations"},
		},
		{
			name: "unknown industry falls back to generic knowledge", industry: "Aquaculture", role: "Farm Manager",
			painWords: []string{"manual work", "visibility", "priorities", "spreadsheets", "hire", "reporting"}, objectionWords: []string{"right person", "happy", "good time", "anything new", "own process"},
			companyWords: []string{"aquaculture"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(5) {
				in := personas.GenerateInput{Industry: tt.industry, Role: tt.role, Personality: domain.PersonalitySkeptical, Difficulty: domain.DifficultyHard}
				p, err := personas.Generate(in, seed, personas.DefaultVoiceIDs())
				require.NoError(t, err)
				assert.True(t, anyContains(p.HiddenPains, tt.painWords), "seed %d pains %q", seed, p.HiddenPains)
				assert.True(t, anyContains(p.Objections, tt.objectionWords), "seed %d objections %q", seed, p.Objections)
				if tt.companyWords != nil {
					assert.True(t, anyContains([]string{p.Company}, tt.companyWords), "seed %d company %q", seed, p.Company)
				}
				if tt.industryPainWords != nil {
					assert.True(t, anyContains(p.HiddenPains, tt.industryPainWords), "seed %d pains %q", seed, p.HiddenPains)
				}
			}
		})
	}
}

func TestGenerate_PicksTheVoiceFromTheCallersList(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for seed := range uint64(30) {
		p, err := personas.Generate(validInput(), seed, []string{"only-one", "or-two"})
		require.NoError(t, err)
		seen[p.VoiceID] = true
	}
	assert.Equal(t, map[string]bool{"only-one": true, "or-two": true}, seen)
}

func uniq(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func anyContains(texts, words []string) bool {
	for _, t := range texts {
		for _, w := range words {
			if strings.Contains(strings.ToLower(t), w) {
				return true
			}
		}
	}
	return false
}
