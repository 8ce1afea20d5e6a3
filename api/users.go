package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// Profile is the signed-in user's profile.
type Profile struct {
	ID                  string            `json:"id"`
	ClerkID             string            `json:"clerkId"`
	Email               string            `json:"email"`
	FullName            *string           `json:"fullName"`
	AvatarURL           *string           `json:"avatarUrl"`
	OnboardingCompleted bool              `json:"onboardingCompleted"`
	OnboardingData      map[string]string `json:"onboardingData"`
	Timezone            *string           `json:"timezone"`
	CreatedAt           time.Time         `json:"createdAt"`
	UpdatedAt           time.Time         `json:"updatedAt"`
}

func profileOf(u app.UserView) Profile {
	data := u.OnboardingData
	if data == nil {
		data = map[string]string{}
	}
	return Profile{ID: u.ID, ClerkID: u.ClerkID, Email: u.Email, FullName: u.FullName, AvatarURL: u.AvatarURL,
		OnboardingCompleted: u.OnboardingCompleted, OnboardingData: data, Timezone: u.Timezone,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

func (s *Server) handleProfileGet(c echo.Context) error {
	u, err := s.app.Profile(c.Request().Context(), userID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, profileOf(u))
}

// ProfileUpdate is the body of PATCH /api/user/profile; absent fields stay
// as they are. The e-mail address belongs to the identity provider.
type ProfileUpdate struct {
	FullName  *string `json:"fullName"`
	AvatarURL *string `json:"avatarUrl"`
}

func (s *Server) handleProfileUpdate(c echo.Context) error {
	var body ProfileUpdate
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	if body.FullName == nil && body.AvatarURL == nil {
		return invalidField("body", "nothing to update: give fullName or avatarUrl")
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.app.UpdateProfile(ctx, m, userID(c), nil, body.FullName, body.AvatarURL); err != nil {
		return err
	}
	return s.handleProfileGet(c)
}

// Onboarding is the body of POST /api/user/onboarding.
type Onboarding struct {
	// Timezone is the user's IANA zone ("Europe/Paris"); it decides which day a call counts for in streaks.
	Timezone *string `json:"timezone"`
	// Data holds the onboarding answers (at most 50, each at most 1,000 characters).
	Data map[string]string `json:"data"`
}

func (s *Server) handleOnboardingComplete(c echo.Context) error {
	var body Onboarding
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	if body.Timezone == nil {
		return invalidField("timezone", "is required (an IANA name such as Europe/Paris)")
	}
	if err := domain.ValidateTimezone(*body.Timezone); err != nil {
		return err
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	if err := s.app.CompleteOnboarding(c.Request().Context(), m, userID(c), *body.Timezone, body.Data); err != nil {
		return err
	}
	return s.handleProfileGet(c)
}

// Progress is the user's practice statistics.
type Progress struct {
	TotalCalls           int               `json:"totalCalls"`
	TotalDurationSeconds int               `json:"totalDurationSeconds"`
	AverageScore         float64           `json:"averageScore"`
	BestScore            int               `json:"bestScore"`
	CurrentStreak        int               `json:"currentStreak"`
	LongestStreak        int               `json:"longestStreak"`
	LastCallDate         *string           `json:"lastCallDate"`
	Timezone             string            `json:"timezone"`
	CallsByMode          map[string]int    `json:"callsByMode"`
	RecentScores         []RecentScore     `json:"recentScores"`
	CategoryAverages     *CategoryAverages `json:"categoryAverages"`
}

// RecentScore is one point of the score trend (newest first).
type RecentScore struct {
	CallID       string    `json:"callId"`
	Mode         string    `json:"mode"`
	EndedAt      time.Time `json:"endedAt"`
	OverallScore int       `json:"overallScore"`
}

// CategoryAverages are mean category scores over deep-scored calls.
type CategoryAverages struct {
	Opening           float64 `json:"opening"`
	Discovery         float64 `json:"discovery"`
	ObjectionHandling float64 `json:"objectionHandling"`
	Communication     float64 `json:"communication"`
	Closing           float64 `json:"closing"`
	Calls             int     `json:"calls"`
}

func (s *Server) handleProgressGet(c echo.Context) error {
	p, err := s.app.Progress(c.Request().Context(), userID(c))
	if err != nil {
		return err
	}
	out := Progress{TotalCalls: p.TotalCalls, TotalDurationSeconds: p.TotalDurationSeconds, AverageScore: p.AverageScore,
		BestScore: p.BestScore, CurrentStreak: p.CurrentStreak, LongestStreak: p.LongestStreak, LastCallDate: p.LastCallDate,
		Timezone: p.Timezone, CallsByMode: map[string]int{}, RecentScores: make([]RecentScore, 0, len(p.RecentScores))}
	for _, m := range domain.Modes {
		out.CallsByMode[string(m)] = p.CallsByMode[string(m)]
	}
	for _, r := range p.RecentScores {
		out.RecentScores = append(out.RecentScores, RecentScore{CallID: r.CallID, Mode: string(r.Mode), EndedAt: r.EndedAt.UTC(), OverallScore: r.Overall})
	}
	if a := p.CategoryAverages; a != nil {
		out.CategoryAverages = &CategoryAverages{Opening: a.Opening, Discovery: a.Discovery, ObjectionHandling: a.ObjectionHandling,
			Communication: a.Communication, Closing: a.Closing, Calls: a.Calls}
	}
	return c.JSON(http.StatusOK, out)
}
