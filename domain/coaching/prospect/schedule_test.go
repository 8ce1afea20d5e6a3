package prospect

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFindSlot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text    string
		want    Slot
		wantDay string
		wantOK  bool
	}{
		{text: "How does Tuesday at 2pm look?", want: Slot{"Tuesday", "2pm"}, wantDay: "Tuesday", wantOK: true},
		{text: "Could we do tomorrow at 10:30?", want: Slot{"tomorrow", "10:30"}, wantDay: "tomorrow", wantOK: true},
		{text: "Thursday 3 pm works for me", want: Slot{"Thursday", "3pm"}, wantDay: "Thursday", wantOK: true},
		{text: "wed at 9:15 a.m.?", want: Slot{"Wednesday", "9:15am"}, wantDay: "Wednesday", wantOK: true},
		{text: "Friday at noon?", want: Slot{"Friday", "noon"}, wantDay: "Friday", wantOK: true},
		{text: "Monday at 4, then?", want: Slot{"Monday", "4"}, wantDay: "Monday", wantOK: true},
		{text: "Tuesday at 14:00", want: Slot{"Tuesday", "14:00"}, wantDay: "Tuesday", wantOK: true},
		{text: "Let's talk next week.", wantOK: false},
		{text: "Are you free on Tuesday?", wantDay: "Tuesday", wantOK: false},
		{text: "Tuesday afternoon works", wantDay: "Tuesday", wantOK: false},
		{text: "We cut costs 30% in 2 months.", wantOK: false},
		{text: "At 2pm our team meets.", wantOK: false},
		{text: "Thursday at 30 minutes past", wantDay: "Thursday", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got, day, ok := findSlot(tt.text)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.wantDay, day)
			if tt.wantOK {
				assert.Equal(t, tt.want, got)
				assert.Equal(t, tt.want.Day+" at "+tt.want.Time, got.String())
			}
		})
	}
}
