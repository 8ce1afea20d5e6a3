package prospect

import (
	"slices"

	"github.com/sparrow-coach/sparrow/domain"
)

// End reasons reported in Reply.EndReason, State.EndReason and SimResult.EndReason.
const (
	EndMeetingBooked = "meeting_booked"       // the prospect accepted a concrete day and time
	EndHungUp        = "prospect_hung_up"     // the prospect ran out of patience
	EndOutOfTime     = "prospect_out_of_time" // the call ran past the prospect's time budget
	EndMaxTurns      = "max_turns"            // Simulate stopped at its turn limit (never set by a Prospect)
)

// Card is what a rep knows about the prospect before dialling: the public
// part of the persona, never its pains or objections.
type Card struct {
	Name     string
	Role     string
	Company  string
	Industry string
}

// State is a snapshot of the prospect's side of the call. State() returns a
// copy: changing it does not change the Prospect.
type State struct {
	Mode     domain.Mode
	Prospect Card
	// Turn counts the rep lines answered so far.
	Turn int
	// Patience runs from 100 to 0; at 0 the prospect hangs up.
	Patience int
	// Interest runs from 0 to 100; a concrete proposal is accepted at InterestNeeded or more.
	Interest       int
	InterestNeeded int
	// RevealedPains are the hidden pains the prospect has voiced, in the order they came out.
	RevealedPains []string
	// PendingObjection is the objection the prospect is waiting to hear answered ("" if none).
	PendingObjection  string
	RaisedObjections  []string
	HandledObjections []string
	// UnansweredObjections are objections the prospect pressed twice without
	// an answer and then gave up on (losing interest, or ending the call).
	UnansweredObjections []string
	// ObjectionsRequired is how many objections must be raised and handled before booking.
	ObjectionsRequired int

	// Mistakes, counted for coaching and tests.
	Rambles           int
	EarlyPitches      int
	IgnoredObjections int
	PrematureCloses   int

	Ended         bool
	MeetingBooked bool
	EndReason     string
}

func (s State) clone() State {
	s.RevealedPains = slices.Clone(s.RevealedPains)
	s.RaisedObjections = slices.Clone(s.RaisedObjections)
	s.HandledObjections = slices.Clone(s.HandledObjections)
	s.UnansweredObjections = slices.Clone(s.UnansweredObjections)
	return s
}
