package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// Persona is a prospect persona (spec §7.3).
type Persona struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Role          string            `json:"role"`
	Company       string            `json:"company"`
	Industry      string            `json:"industry"`
	Personality   string            `json:"personality"`
	Difficulty    string            `json:"difficulty"`
	Backstory     string            `json:"backstory"`
	HiddenPains   []string          `json:"hiddenPains"`
	Objections    []string          `json:"objections"`
	VoiceID       string            `json:"voiceId"`
	SystemPrompt  string            `json:"systemPrompt"`
	FirstMessage  string            `json:"firstMessage"`
	FirstMessages map[string]string `json:"firstMessages"`
	IsPreset      bool              `json:"isPreset"`
}

// PersonaList is the answer of GET /api/personas: presets first, then the user's own.
type PersonaList struct {
	Personas []Persona `json:"personas"`
}

func personaOf(v app.PersonaView) Persona {
	p := v.Profile
	firsts := make(map[string]string, len(p.FirstMessages))
	for m, s := range p.FirstMessages {
		firsts[string(m)] = s
	}
	return Persona{ID: v.ID, Name: p.Name, Role: p.Role, Company: p.Company, Industry: p.Industry,
		Personality: string(p.Personality), Difficulty: string(p.Difficulty), Backstory: p.Backstory,
		HiddenPains: nonNilStrings(p.HiddenPains), Objections: nonNilStrings(p.Objections), VoiceID: p.VoiceID,
		SystemPrompt: p.SystemPrompt, FirstMessage: p.FirstMessage, FirstMessages: firsts, IsPreset: p.IsPreset}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) handlePersonaList(c echo.Context) error {
	vs, err := s.app.ListPersonas(c.Request().Context(), userID(c))
	if err != nil {
		return err
	}
	out := PersonaList{Personas: make([]Persona, 0, len(vs))}
	for _, v := range vs {
		out.Personas = append(out.Personas, personaOf(v))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handlePersonaGet(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.app.GetPersona(c.Request().Context(), userID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, personaOf(v))
}

// PersonaGenerate is the body of POST /api/personas/generate (spec §4.4).
type PersonaGenerate struct {
	Industry    *string `json:"industry"`
	Role        *string `json:"role"`
	Personality *string `json:"personality"`
	Difficulty  *string `json:"difficulty"`
}

func (s *Server) handlePersonaGenerate(c echo.Context) error {
	var body PersonaGenerate
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		value *string
		hint  string
	}{
		{"industry", body.Industry, "is required (e.g. Logistics)"},
		{"role", body.Role, "is required (e.g. VP of Sales)"},
		{"personality", body.Personality, "is required (skeptical, busy, friendly, technical or hostile)"},
		{"difficulty", body.Difficulty, "is required (easy, medium or hard)"},
	} {
		if f.value == nil {
			return invalidField(f.name, f.hint)
		}
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	in := personas.GenerateInput{Industry: *body.Industry, Role: *body.Role,
		Personality: domain.Personality(*body.Personality), Difficulty: domain.Difficulty(*body.Difficulty)}
	v, err := s.app.GeneratePersona(c.Request().Context(), m, userID(c), in,
		app.PersonaOptions{Generator: s.personaGen, VoiceIDs: s.cfg.PersonaVoiceIDs})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/personas/"+v.ID)
	return c.JSON(http.StatusCreated, personaOf(v))
}
