package personas

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchRole(t *testing.T) {
	t.Parallel()
	tests := []struct{ role, want string }{
		{"CFO", "finance"},
		{"Chief Financial Officer", "finance"},
		{"VP, FP&A", "finance"},
		{"CTO", "technology"},
		{"Head of IT", "technology"},
		{"Director of Engineering", "technology"},
		{"VP of Sales", "sales"},
		{"Chief Marketing Officer", "marketing"},
		{"HR Business Partner", "people"},
		{"Customer Success Lead", "support"},
		{"Procurement Manager", "procurement"},
		{"Plant Manager", "operations"},
		{"Chief Operating Officer", "operations"},
		{"Founder & CEO", "executive"},
		{"Owner", "executive"},
		{"Chief Happiness Wizard", "generic"},
		{"Digital Transformation Lead", "generic"},
		{"Editor", "generic"}, // "it" must match as a word, not inside "editor"
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, matchRole(tt.role).key)
		})
	}
}

func TestMatchIndustry(t *testing.T) {
	t.Parallel()
	tests := []struct{ industry, want string }{
		{"Healthcare", "healthcare"},
		{"Healthcare software", "healthcare"},
		{"B2B SaaS", "saas"},
		{"E-commerce", "retail"},
		{"Commercial Real Estate", "real estate"},
		{"Freight & Trucking", "logistics"},
		{"Oil & Gas", "energy"},
		{"Law firm", "legal"},
		{"Automotive", "manufacturing"},
		{"Aquaculture", "generic"},
		{"Healthy snacks", "generic"}, // "health" must not match inside "healthy"
	}
	for _, tt := range tests {
		t.Run(tt.industry, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, matchIndustry(tt.industry).key)
		})
	}
}

func TestKnowledgeTables_AreUsable(t *testing.T) {
	t.Parallel()
	for _, k := range append(industries(), genericIndustry()) {
		assert.GreaterOrEqual(t, len(k.pains), 3, k.key)
		for _, p := range k.pains {
			assert.NotEmpty(t, p.scene, "%s: %q has a scene", k.key, p.text)
		}
		assert.GreaterOrEqual(t, len(k.objections), 2, k.key)
		assert.NotEmpty(t, k.companyHeads, k.key)
		assert.NotEmpty(t, k.companyTails, k.key)
		assert.NotEmpty(t, k.situations, k.key)
	}
	for _, f := range append(roleFamilies(), genericRole()) {
		assert.GreaterOrEqual(t, len(f.pains), 3, f.key)
		assert.NotEmpty(t, f.decision, f.key)
		for _, p := range f.pains {
			assert.NotEmpty(t, p.scene, "%s: %q has a scene", f.key, p.text)
		}
		assert.GreaterOrEqual(t, len(f.objections), 3, f.key)
		assert.NotEmpty(t, f.focus, f.key)
	}
}

func TestGenerate_NameMatchesTheVoice(t *testing.T) {
	t.Parallel()
	female := map[string]bool{"Maya": true, "Priya": true, "Sofia": true, "Hannah": true, "Grace": true, "Aisha": true, "Laura": true,
		"Mei": true, "Olivia": true, "Fatima": true, "Claire": true, "Ingrid": true, "Rosa": true, "Naomi": true}
	for _, v := range defaultVoices() {
		for seed := range uint64(5) {
			p, err := Generate(GenerateInput{Industry: "Retail", Role: "CFO", Personality: "busy", Difficulty: "easy"}, seed, []string{v.id})
			if !assert.NoError(t, err) {
				return
			}
			assert.Equal(t, v.gender == voiceFemale, female[firstName(p.Name)], "voice %s (%s) got %s", v.name, v.id, p.Name)
		}
	}
}

func TestCasual(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Healthcare", "healthcare"},
		{"Real Estate", "real estate"},
		{"B2B SaaS", "B2B SaaS"},
		{"IT services", "IT services"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, casual(tt.in), tt.in)
	}
}
