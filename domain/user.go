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
	// ProfileAsOf is the identity provider's updated_at of the profile
	// recorded (zero: not from the provider's webhook, or unknown).
	ProfileAsOf time.Time `json:"profileAsOf,omitzero"`
}

// UserProfileUpdated changes profile fields; a nil field is left as it was.
// An event with only ProfileAsOf records that the provider's profile as of
// that time changed nothing here (so older data is refused after it).
type UserProfileUpdated struct {
	Email     *string `json:"email,omitempty"`
	FullName  *string `json:"fullName,omitempty"`
	AvatarURL *string `json:"avatarUrl,omitempty"`
	// ProfileAsOf is the identity provider's updated_at of the profile these
	// fields come from (zero: a change by the user, not the provider).
	ProfileAsOf time.Time `json:"profileAsOf,omitzero"`
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
	// profileAsOf is the newest identity-provider updated_at applied.
	profileAsOf time.Time
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

// ProfileAsOf is the identity provider's updated_at of the newest provider
// profile applied (zero: none).
func (u *User) ProfileAsOf() time.Time { return u.profileAsOf }

// Apply advances the state by one recorded event.
func (u *User) Apply(e Event) {
	u.version++
	switch e := e.(type) {
	case *UserRegistered:
		u.clerkID, u.email, u.fullName, u.avatarURL = e.ClerkID, e.Email, e.FullName, e.AvatarURL
		u.profileAsOf = e.ProfileAsOf
	case *UserProfileUpdated:
		if e.ProfileAsOf.After(u.profileAsOf) {
			u.profileAsOf = e.ProfileAsOf
		}
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

// ProviderProfile is a user's profile as the identity provider sent it.
type ProviderProfile struct {
	ClerkID  string
	Email    string
	FullName string
	// AvatarURL nil leaves the avatar as it is.
	AvatarURL *string
	// UpdatedAt is the provider's updated_at of this profile (zero: unknown).
	UpdatedAt time.Time
}

// SyncProfile decides what a profile from the identity provider changes.
// Deliveries come in any order, so the provider's updated_at decides, never
// the order of arrival: an unknown user is registered with the profile; a
// known one takes it only when it is newer than every provider profile
// applied before (older or equally old data records nothing), and records
// its time even when no field changed, so that older data arriving later is
// still refused. A profile without updated_at applies only to a user that
// has none recorded (its age cannot be compared). A deleted user is
// ErrNotFound (the caller decides what a deleted account means).
func (u *User) SyncProfile(p ProviderProfile) ([]Event, error) {
	asOf := p.UpdatedAt.UTC()
	if p.UpdatedAt.IsZero() {
		asOf = time.Time{}
	} else if err := validateTime("updatedAt", asOf); err != nil {
		return nil, err // it would be recorded: a year past 9999 cannot be encoded
	}
	if u.version == 0 {
		avatar := ""
		if p.AvatarURL != nil {
			avatar = *p.AvatarURL
		}
		evs, err := u.Register(p.ClerkID, p.Email, p.FullName, avatar)
		if err != nil {
			return nil, err
		}
		evs[0].(*UserRegistered).ProfileAsOf = asOf
		return evs, nil
	}
	if !u.Exists() {
		return nil, fmt.Errorf("sync profile of user %s: %w", u.id, ErrNotFound)
	}
	if !u.profileAsOf.IsZero() && !asOf.After(u.profileAsOf) {
		return nil, nil // older (or the same) data: what is recorded is newer
	}
	evs, err := u.UpdateProfile(&p.Email, &p.FullName, p.AvatarURL)
	if err != nil || asOf.IsZero() {
		return evs, err
	}
	if len(evs) == 0 {
		return []Event{&UserProfileUpdated{ProfileAsOf: asOf}}, nil
	}
	evs[0].(*UserProfileUpdated).ProfileAsOf = asOf
	return evs, nil
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

// Delete decides the deletion of the user. Deleting a deleted user records
// nothing. A user never registered here is deleted too (a tombstone): the
// identity provider's deletion may arrive before its creation, which must
// then not bring the account back.
func (u *User) Delete(reason string) ([]Event, error) {
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
