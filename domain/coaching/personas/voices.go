package personas

// voiceGender says which kind of first name fits a voice, so a generated
// persona's name matches the voice it speaks with.
type voiceGender int

const (
	voiceUnknown voiceGender = iota
	voiceFemale
	voiceMale
)

// defaultVoice is one of ElevenLabs' premade voices.
type defaultVoice struct {
	id     string
	name   string
	gender voiceGender
}

// defaultVoices returns the premade ElevenLabs voices Sparrow ships with.
// It is a function, not a package variable, so no caller can change it.
func defaultVoices() []defaultVoice {
	return []defaultVoice{
		{"21m00Tcm4TlvDq8ikWAM", "Rachel", voiceFemale},
		{"EXAVITQu4vr4xnSDxMaL", "Sarah", voiceFemale},
		{"AZnzlk1XvdvUeBnXmlld", "Domi", voiceFemale},
		{"MF3mGyEYCl7XYWbV9V6O", "Elli", voiceFemale},
		{"XB0fDUnXU5powFXDhCwa", "Charlotte", voiceFemale},
		{"XrExE9yKIg1WjnnlVkGX", "Matilda", voiceFemale},
		{"ErXwobaYiN019PkySvjV", "Antoni", voiceMale},
		{"TxGEqnHWrfWFTfGW9XjX", "Josh", voiceMale},
		{"VR6AewLTigWG4xSOukaG", "Arnold", voiceMale},
		{"pNInz6obpgDQGcFmaJgB", "Adam", voiceMale},
		{"yoZ06aMxZJJ28mfd3POQ", "Sam", voiceMale},
		{"JBFqnCBsd6RMkjVDRZzb", "George", voiceMale},
	}
}

// DefaultVoiceIDs lists the ElevenLabs voice IDs that presets use and that the
// API passes to Generate when the caller configures no voices of its own.
// Every call returns a new slice.
func DefaultVoiceIDs() []string {
	vs := defaultVoices()
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.id
	}
	return ids
}

// genderOfVoice reports the gender of a known default voice, voiceUnknown otherwise.
func genderOfVoice(id string) voiceGender {
	for _, v := range defaultVoices() {
		if v.id == id {
			return v.gender
		}
	}
	return voiceUnknown
}
