package gemini

import (
	"maps"
	"slices"

	"google.golang.org/genai"
)

// Kind is the JSON type a Schema describes.
type Kind string

// Kinds of a Schema.
const (
	Object  Kind = "object"
	Array   Kind = "array"
	String  Kind = "string"
	Integer Kind = "integer"
	Number  Kind = "number"
	Boolean Kind = "boolean"
)

// Schema describes the JSON answer asked of the model: the subset of JSON
// Schema Gemini's response schemas support. It is this package's own type, so
// callers never handle the SDK's genai.Schema; GenerateJSON translates it.
// Properties are sent in the order of Order (or Required, or name order).
type Schema struct {
	Kind        Kind
	Description string
	Properties  map[string]*Schema
	Required    []string
	Order       []string
	Items       *Schema
	Enum        []string // for String
	Min, Max    *float64 // for Integer and Number
	MinItems    *int64   // for Array
	MaxItems    *int64   // for Array
}

// genai translates s (nil stays nil). Every call returns a fresh value.
func (s *Schema) genai() *genai.Schema {
	if s == nil {
		return nil
	}
	g := &genai.Schema{
		Description: s.Description,
		Required:    slices.Clone(s.Required),
		Items:       s.Items.genai(),
		Minimum:     s.Min,
		Maximum:     s.Max,
		MinItems:    s.MinItems,
		MaxItems:    s.MaxItems,
	}
	switch s.Kind {
	case Object:
		g.Type = genai.TypeObject
	case Array:
		g.Type = genai.TypeArray
	case String:
		g.Type = genai.TypeString
	case Integer:
		g.Type = genai.TypeInteger
	case Number:
		g.Type = genai.TypeNumber
	case Boolean:
		g.Type = genai.TypeBoolean
	}
	if len(s.Enum) > 0 {
		g.Format, g.Enum = "enum", slices.Clone(s.Enum)
	}
	if len(s.Properties) > 0 {
		g.Properties = make(map[string]*genai.Schema, len(s.Properties))
		for name, p := range s.Properties {
			g.Properties[name] = p.genai()
		}
		switch {
		case len(s.Order) > 0:
			g.PropertyOrdering = slices.Clone(s.Order)
		case len(s.Required) == len(s.Properties):
			g.PropertyOrdering = slices.Clone(s.Required)
		default:
			g.PropertyOrdering = slices.Sorted(maps.Keys(s.Properties))
		}
	}
	return g
}
