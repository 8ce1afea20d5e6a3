package domain

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Events of the User stream (one per user; the stream id is the user id, derived
// from the identity provider's subject so webhook and token provisioning agree).

// UserRegistered opens a user's stream.
type UserRegistered struct {
	ClerkID   string `json:"clerkId"`
	Email     string `json:"email"`
	FullName  string `json:"fullName,omitempty"`
	AvatarURL string `json:"avatarUrl,omitempty"`
}

// UserProfileUpdated changes profile fields; a nil field is left as it was.
type UserProfileUpdated struct {
	Email     *string `json:"email,omitempty"`
	FullName  *string `json:"fullName,omitempty"`
	AvatarURL *string `json:"avatarUrl,omitempty"`
}

// UserOnboardingCompleted stores the onboarding answers, including the IANA
// timezone that decides which calendar day a call counts for in streaks.
type UserOnboardingCompleted struct {
	Timezone string            `json:"timezone"`
	Data     map[string]string `json:"data,omitempty"`
}

// UserDeleted closes a user's stream: read models forget the user.
type UserDeleted struct {
	Reason string `json:"reason,omitempty"`
}

func (UserRegistered) EventType() string          { return "UserRegistered" }
func (UserProfileUpdated) EventType() string      { return "UserProfileUpdated" }
func (UserOnboardingCompleted) EventType() string { return "UserOnboardingCompleted" }
func (UserDeleted) EventType() string             { return "UserDeleted" }

// Limits on user fields.
const (
	maxNameLength        = 200
	maxURLLength         = 2_000
	maxOnboardingEntries = 50
	maxOnboardingValue   = 1_000
)

// User is the aggregate for one user account.
type User struct {
	id        string
	version   int
	clerkID   string
	email     string
	fullName  string
	avatarURL string
	timezone  string
	onboarded bool
	deleted   bool
}

// NewUser returns an empty user aggregate for the stream id.
func NewUser(id string) *User { return &User{id: id} }

func (u *User) ID() string       { return u.id }
func (u *User) Version() int     { return u.version }
func (u *User) Exists() bool     { return u.version > 0 && !u.deleted }
func (u *User) Deleted() bool    { return u.deleted }
func (u *User) ClerkID() string  { return u.clerkID }
func (u *User) Email() string    { return u.email }
func (u *User) FullName() string { return u.fullName }
func (u *User) Timezone() string { return u.timezone }
func (u *User) Onboarded() bool  { return u.onboarded }

// Apply advances the state by one recorded event.
func (u *User) Apply(e Event) {
	u.version++
	switch e := e.(type) {
	case *UserRegistered:
		u.clerkID, u.email, u.fullName, u.avatarURL = e.ClerkID, e.Email, e.FullName, e.AvatarURL
	case *UserProfileUpdated:
		if e.Email != nil {
			u.email = *e.Email
		}
		if e.FullName != nil {
			u.fullName = *e.FullName
		}
		if e.AvatarURL != nil {
			u.avatarURL = *e.AvatarURL
		}
	case *UserOnboardingCompleted:
		u.onboarded, u.timezone = true, e.Timezone
	case *UserDeleted:
		u.deleted = true
	}
}

// Register decides the creation of a user.
func (u *User) Register(clerkID, email, fullName, avatarURL string) ([]Event, error) {
	if u.version > 0 {
		return nil, fmt.Errorf("register user %s: %w", u.id, ErrAlreadyExists)
	}
	if strings.TrimSpace(clerkID) == "" || len(clerkID) > maxNameLength {
		return nil, &FieldError{Field: "clerkId", Err: fmt.Errorf("%w: clerkId is required (at most %d characters)", ErrInvalid, maxNameLength)}
	}
	if err := validateText("clerkId", clerkID, maxNameLength); err != nil {
		return nil, err
	}
	e := &UserRegistered{ClerkID: clerkID, Email: strings.TrimSpace(email), FullName: strings.TrimSpace(fullName), AvatarURL: avatarURL}
	if err := validateEmail(e.Email); err != nil {
		return nil, err
	}
	if err := validateText("fullName", e.FullName, maxNameLength); err != nil {
		return nil, err
	}
	if err := ValidateAvatarURL(e.AvatarURL); err != nil {
		return nil, err
	}
	return []Event{e}, nil
}

// UpdateProfile decides a profile change; fields equal to the current value are dropped,
// and a change that changes nothing records nothing.
func (u *User) UpdateProfile(email, fullName, avatarURL *string) ([]Event, error) {
	if !u.Exists() {
		return nil, fmt.Errorf("update profile of user %s: %w", u.id, ErrNotFound)
	}
	e := &UserProfileUpdated{}
	if email != nil {
		v := strings.TrimSpace(*email)
		if err := validateEmail(v); err != nil {
			return nil, err
		}
		if v != u.email {
			e.Email = &v
		}
	}
	if fullName != nil {
		v := strings.TrimSpace(*fullName)
		if err := validateText("fullName", v, maxNameLength); err != nil {
			return nil, err
		}
		if v != u.fullName {
			e.FullName = &v
		}
	}
	if avatarURL != nil {
		v := strings.TrimSpace(*avatarURL)
		if err := ValidateAvatarURL(v); err != nil {
			return nil, err
		}
		if v != u.avatarURL {
			e.AvatarURL = &v
		}
	}
	if e.Email == nil && e.FullName == nil && e.AvatarURL == nil {
		return nil, nil
	}
	return []Event{e}, nil
}

// CompleteOnboarding records onboarding answers. It may be repeated (the
// latest answers, and timezone, win).
func (u *User) CompleteOnboarding(timezone string, data map[string]string) ([]Event, error) {
	if !u.Exists() {
		return nil, fmt.Errorf("complete onboarding of user %s: %w", u.id, ErrNotFound)
	}
	if err := ValidateTimezone(timezone); err != nil {
		return nil, err
	}
	if len(data) > maxOnboardingEntries {
		return nil, &FieldError{Field: "data", Err: fmt.Errorf("%w: at most %d onboarding answers", ErrInvalid, maxOnboardingEntries)}
	}
	for k, v := range data {
		if err := validateText("data", k, maxNameLength); err != nil {
			return nil, err
		}
		if err := validateText("data."+k, v, maxOnboardingValue); err != nil {
			return nil, err
		}
	}
	return []Event{&UserOnboardingCompleted{Timezone: timezone, Data: data}}, nil
}

// Delete decides the deletion of the user. Deleting a deleted user records nothing.
func (u *User) Delete(reason string) ([]Event, error) {
	if u.version == 0 {
		return nil, fmt.Errorf("delete user %s: %w", u.id, ErrNotFound)
	}
	if u.deleted {
		return nil, nil
	}
	if err := validateReason(reason); err != nil {
		return nil, err
	}
	return []Event{&UserDeleted{Reason: reason}}, nil
}

// ValidateTimezone accepts IANA zone names ("Europe/Paris", "UTC").
func ValidateTimezone(tz string) error {
	bad := func(msg string) error {
		return &FieldError{Field: "timezone", Err: fmt.Errorf("%w: timezone %q %s", ErrInvalid, tz, msg)}
	}
	if tz == "" {
		return bad("is required (an IANA name such as Europe/Paris)")
	}
	if tz == "Local" || len(tz) > 64 || !utf8.ValidString(tz) {
		return bad("is not an IANA time zone name")
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return bad("is not a known IANA time zone")
	}
	return nil
}

func validateEmail(email string) error {
	if err := validateText("email", email, 320); err != nil {
		return err
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 320 {
		return &FieldError{Field: "email", Err: fmt.Errorf("%w: email %q is not a valid address", ErrInvalid, email)}
	}
	return nil
}

// ValidateAvatarURL accepts "" (no avatar) or an absolute http(s) URL of at
// most 2,000 characters. Browsers load the avatar, so any other scheme
// (javascript:, data:, file:) is refused.
func ValidateAvatarURL(s string) error {
	if s == "" {
		return nil
	}
	if err := validateText("avatarUrl", s, maxURLLength); err != nil {
		return err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" ||
		strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return &FieldError{Field: "avatarUrl", Err: fmt.Errorf("%w: avatarUrl must be an absolute http or https URL", ErrInvalid)}
	}
	return nil
}
