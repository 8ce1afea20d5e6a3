package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Identity is a verified person from a session token or the identity provider's webhook.
type Identity struct {
	Subject   string // the identity provider's user id ("user_...")
	Email     string
	FullName  string
	AvatarURL string
	// UpdatedAt is when the identity provider last changed this profile
	// (webhooks; zero when unknown, as in session tokens).
	UpdatedAt time.Time
}

func (a *App) userCommand(ctx context.Context, m Meta, userID string, decide func(*domain.User) ([]domain.Event, error)) (*domain.User, error) {
	unlock := a.lock(userID)
	defer unlock()
	var (
		user *domain.User
		res  eventstore.AppendResult
	)
	err := a.withRetry(ctx, func() error {
		var err error
		if user, err = a.loadUser(ctx, userID); err != nil {
			return err
		}
		data, err := decide(user)
		if err != nil || len(data) == 0 {
			return err
		}
		if res, err = a.store.Append(ctx, userID, user.Version(), a.newEvents(m, data)...); err != nil {
			return err
		}
		for _, d := range data {
			user.Apply(d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.settle(ctx, res)
	return user, nil
}

func (a *App) loadUser(ctx context.Context, userID string) (*domain.User, error) {
	evs, err := a.store.Load(ctx, userID)
	if err != nil {
		return nil, err
	}
	u := domain.NewUser(userID)
	for _, e := range evs {
		u.Apply(e.Data)
	}
	return u, nil
}

// storable returns the identity with its profile text made storable. The
// identity provider's data (a signed token or webhook) cannot be corrected
// by the person signing in, so it is cleaned rather than refused: invalid
// UTF-8 and NUL characters go (domain.SanitizeText), and an avatar URL the
// domain would refuse (not http or https) is dropped.
func (id Identity) storable() Identity {
	id.Email = domain.SanitizeText(id.Email)
	id.FullName = domain.SanitizeText(id.FullName)
	id.AvatarURL = domain.SanitizeText(strings.TrimSpace(id.AvatarURL))
	if domain.ValidateAvatarURL(id.AvatarURL) != nil {
		id.AvatarURL = ""
	}
	return id
}

// ErrUserDeleted: the identity belongs to a deleted account.
var ErrUserDeleted = errors.New("app: user account was deleted")

// EnsureUser provisions the user behind a verified identity if unknown and
// returns the user id. Safe to call on every request and concurrently.
func (a *App) EnsureUser(ctx context.Context, m Meta, id Identity) (_ string, err error) {
	defer door(&err)
	id = id.storable()
	userID := UserIDFor(id.Subject)
	user, err := a.userCommand(ctx, m, userID, func(u *domain.User) ([]domain.Event, error) {
		if u.Version() > 0 {
			return nil, nil
		}
		return u.Register(id.Subject, id.Email, id.FullName, id.AvatarURL)
	})
	if err != nil {
		return "", err
	}
	if user.Deleted() {
		return "", ErrUserDeleted
	}
	return userID, nil
}

// SyncUser applies an identity provider's create/update (webhook): registers
// the user if unknown, else updates the profile fields that changed, as
// domain.User.SyncProfile decides from the provider's updated_at
// (Identity.UpdatedAt): older data never overwrites newer, whatever order
// the deliveries come in. An avatar URL that cannot be stored leaves the
// current avatar as it is. It reports whether anything was recorded.
func (a *App) SyncUser(ctx context.Context, m Meta, id Identity) (_ string, changed bool, err error) {
	defer door(&err)
	rawAvatar := strings.TrimSpace(id.AvatarURL)
	id = id.storable()
	userID := UserIDFor(id.Subject)
	_, err = a.userCommand(ctx, m, userID, func(u *domain.User) ([]domain.Event, error) {
		changed = false
		if u.Deleted() {
			return nil, ErrUserDeleted
		}
		p := domain.ProviderProfile{ClerkID: id.Subject, Email: id.Email, FullName: id.FullName, AvatarURL: &id.AvatarURL, UpdatedAt: id.UpdatedAt}
		if u.Version() > 0 && id.AvatarURL == "" && rawAvatar != "" {
			p.AvatarURL = nil
		}
		evs, err := u.SyncProfile(p)
		changed = len(evs) > 0
		return evs, err
	})
	return userID, changed, err
}

// UpdateProfile changes the user's profile; nil fields stay as they are.
func (a *App) UpdateProfile(ctx context.Context, m Meta, userID string, email, fullName, avatarURL *string) (err error) {
	defer door(&err)
	_, err = a.userCommand(ctx, m, userID, func(u *domain.User) ([]domain.Event, error) {
		return u.UpdateProfile(email, fullName, avatarURL)
	})
	return err
}

// CompleteOnboarding stores the user's onboarding answers and time zone.
func (a *App) CompleteOnboarding(ctx context.Context, m Meta, userID, timezone string, data map[string]string) (err error) {
	defer door(&err)
	_, err = a.userCommand(ctx, m, userID, func(u *domain.User) ([]domain.Event, error) {
		return u.CompleteOnboarding(timezone, data)
	})
	return err
}

// DeleteUser deletes the account of the identity provider's subject (also
// one never registered here: see domain.User.Delete).
func (a *App) DeleteUser(ctx context.Context, m Meta, subject, reason string) error {
	_, err := a.userCommand(ctx, m, UserIDFor(subject), func(u *domain.User) ([]domain.Event, error) {
		// A user never known here gets a tombstone: a user.created
		// delivered after the deletion must not bring the account back.
		return u.Delete(reason)
	})
	return err
}
