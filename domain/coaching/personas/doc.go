// Package personas owns Sparrow's built-in prospect personas: the preset
// catalogue shown to every user, the offline persona generator that turns an
// industry, a role, a personality and a difficulty into a complete profile,
// and the system prompt that lets an LLM or a voice agent play a persona.
//
// Invariants:
//   - The package is pure: it imports only the standard library and domain,
//     does no I/O and keeps no mutable package state. Presets and
//     DefaultVoiceIDs build fresh values on every call, so callers may modify
//     what they get.
//   - A preset's ID is a fixed UUID literal that never changes once released:
//     calls and scores reference personas by ID, so renaming a preset is fine,
//     re-keying it is not.
//   - Every profile this package returns passes domain.PersonaProfile.Validate,
//     has at least three hidden pains and three objections, a first message for
//     every domain.Mode, a voice ID from the caller's list (DefaultVoiceIDs for
//     presets), and a SystemPrompt built by SystemPrompt from its own fields.
//   - The catalogue covers every domain.Personality and every domain.Difficulty.
//   - SituationOf gives what a persona can say beyond its profile: each hidden
//     pain's day-to-day scene and who decides on a purchase. Every preset has
//     its own, every pain of the knowledge tables has a scene and every role
//     family decision facts, so every profile this package returns gets a
//     scene for each pain. It reads only the profile (stored PersonaCreated
//     events carry no such facts), and its facts are never worded as
//     objections or as another of the persona's pains (the rubric's tests).
//   - Generate is deterministic: the same input, seed and voice list give the
//     same profile (math/rand/v2 PCG seeded from the seed).
//   - Generate reports invalid input as errors that wrap domain.ErrInvalid
//     inside a *domain.FieldError naming the field.
package personas
