package llm

import (
	"slices"

	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
)

// chatSchema is the OpenAI json_schema (strict) of the answer a
// gemini.Schema describes, so both providers ask for the same shape. Strict
// mode wants every property required and no other property: an optional
// property may be null instead. Numeric and length bounds are left to the
// parsers (strict servers refuse some of those keywords).
func chatSchema(name string, s *gemini.Schema) *openaicompat.JSONSchema {
	return &openaicompat.JSONSchema{Name: name, Schema: jsonSchemaOf(s, false), Strict: true}
}

func jsonSchemaOf(s *gemini.Schema, nullable bool) map[string]any {
	out := map[string]any{}
	if s.Description != "" {
		out["description"] = s.Description
	}
	var typ any = string(s.Kind)
	if nullable {
		typ = []string{string(s.Kind), "null"}
	}
	out["type"] = typ
	if len(s.Enum) > 0 {
		enum := make([]any, 0, len(s.Enum)+1)
		for _, e := range s.Enum {
			enum = append(enum, e)
		}
		if nullable {
			enum = append(enum, nil)
		}
		out["enum"] = enum
	}
	if s.Items != nil {
		out["items"] = jsonSchemaOf(s.Items, false)
	}
	if s.Kind == gemini.Object {
		props := map[string]any{}
		names := make([]string, 0, len(s.Properties))
		for name, p := range s.Properties {
			props[name] = jsonSchemaOf(p, !slices.Contains(s.Required, name))
			names = append(names, name)
		}
		slices.Sort(names)
		out["properties"] = props
		out["required"] = names
		out["additionalProperties"] = false
	}
	return out
}
