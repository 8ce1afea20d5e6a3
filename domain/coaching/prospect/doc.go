// Package prospect owns Sparrow's offline prospect simulator: a state machine
// that plays a persona (domain.PersonaProfile) against a sales rep's text,
// turn by turn, without an LLM. It is what reps practise against when no
// voice agent is available, and what tests and the CLI use to check that the
// coaching rules reward good selling and punish bad selling.
//
// A Prospect tracks patience (how long it will stay on the line) and interest
// (how much the rep has earned). Personality and difficulty set the starting
// patience, the cost of each mistake and the interest needed to book.
//
// Invariants:
//   - Pure and deterministic: the package imports only the standard library,
//     domain and personas, does no I/O, and the same profile, mode, seed and
//     rep lines always give the same replies (math/rand/v2 PCG).
//   - Hidden pains are revealed only in answer to an open question that is
//     relevant to that pain (it shares a keyword or topic with it), or that
//     follows up, in any words, on a hint the prospect just gave; a general
//     open question about the prospect's situation earns at most a hint, and
//     closed questions, pitches and statements never reveal anything. Hints
//     and reveals are whole sentences whatever the persona's text: a hint
//     names the pain's subject or nothing, a reveal says the pain as a
//     clause or frames a bare noun phrase.
//   - Asked to describe a pain it has told ("what does that look like day to
//     day?", "walk me through a typical release", "what happens when a deploy
//     breaks?"), the prospect tells what it looks like (the pain's scene,
//     personas.Situation), never a number; told once, it says it goes as
//     described. Asked who else weighs in, who signs or how buying works, it
//     gives the persona's decision facts. Neither question reveals a pain
//     (a description question that names a hidden pain is a relevant
//     question like any other, and may reveal it with its scene).
//   - Asked what is done about a pain it just talked about (anyone working
//     on it, what was tried, whether it is simply lived with), open or
//     closed, the prospect says so, once per pain (asked again, it says in
//     short that it said so); that question reveals
//     nothing, and one that names a pain not told yet is a relevant question.
//   - An objection, once raised, stays pending until the rep acknowledges it,
//     addresses it (engages with what it is about, or says something
//     concrete) and asks a question; ignoring it costs patience. An
//     unanswered objection is pressed at most MaxPresses times, each time in
//     other words, then given up on (State.UnansweredObjections): the
//     prospect moves on with less interest or ends the call. A question asked
//     meanwhile gets a guarded answer. The prospect never books with an
//     objection pending.
//   - Every rep line gets an answer, and the prospect never says a phrasing
//     again in a call while it has fresh ones for that act.
//   - Rambling (more than RambleWords words in one turn), pitching before any
//     pain was uncovered, ignoring objections and asking for a meeting too early
//     cost patience. When patience reaches zero the prospect hangs up:
//     Ended with EndReason EndHungUp.
//   - A meeting is booked (MeetingBooked, Ended, EndReason EndMeetingBooked)
//     only when interest has reached State.InterestNeeded and the rep proposes
//     a concrete day and time ("Tuesday at 2pm"); a vague proposal gets a push
//     for specifics or a refusal, never a booking.
//   - Once ended, a Prospect never changes: Respond returns the final outcome
//     with no text.
//   - Scripted reps (NewRep) read only what a human on the call would know: the
//     transcript, the prospect's public card, the pains the prospect voiced and
//     the objection left open; never patience or interest.
package prospect
