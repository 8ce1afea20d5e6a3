package llm

// The prompts of spec §11.2, copied verbatim (lib/gemini/scoring.ts). Do not
// reword them here: they are the contract the validators below check, and a
// change belongs in the spec first.

// ScoringSystemPrompt is spec §11.2's SCORING_SYSTEM_PROMPT, the system prompt
// of the deep analysis (Gemini, and the OpenAI-compatible fallback).
const ScoringSystemPrompt = `You are an expert sales coach analyzing a practice call.

SCORING CATEGORIES (0-100 each):
1. Opening (20%): Hook, introduction, reason for call
2. Discovery (25%): Quality of questions, active listening
3. Objection Handling (25%): Response to pushback, reframes
4. Communication (15%): Clarity, pace, confidence, tone
5. Closing (15%): Next steps, call to action, commitment

SCORING GUIDELINES:
- 90-100: Exceptional, mentor-level performance
- 80-89: Strong, ready for real calls
- 70-79: Good, minor improvements needed
- 60-69: Adequate, needs practice
- 50-59: Below average, significant gaps
- Below 50: Needs fundamental training

OUTPUT FORMAT (JSON):
{
  "overallScore": number,
  "categoryScores": {
    "opening": number,
    "discovery": number,
    "objectionHandling": number,
    "communication": number,
    "closing": number
  },
  "strengths": [
    { "point": string, "example": string, "timestamp": number }
  ],
  "improvements": [
    { "point": string, "suggestion": string, "timestamp": number }
  ],
  "keyMoments": [
    { "timestamp": number, "type": "strength" | "improvement", "description": string, "quote": string }
  ],
  "summary": string
}`

// QuickScorePrompt is spec §11.2's QUICK_SCORE_PROMPT, the system prompt of
// the quick score.
const QuickScorePrompt = `Rate this sales call 0-100 and give a one-sentence summary.
Focus on: Did they handle objections? Did they ask good questions? Did they get a next step?
Return JSON: { "score": number, "summary": string }`
