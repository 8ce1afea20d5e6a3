package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
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
