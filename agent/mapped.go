package agent

import (
	"errors"
	"fmt"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/submission"
)

// ErrNoLinkageSecret is returned when a mapping needs the linkage secret
// and the configuration names none.
var ErrNoLinkageSecret = errors.New("no linkage secret: set linkage_secret in the agent config (or THBX_LINKAGE_SECRET) to the linkage.secret file of your enrolment package")

// LoadLinkageSecret reads the linkage secret the configuration names.
func (c *Config) LoadLinkageSecret() (*anon.Secret, error) {
	if c.LinkageSecret == "" {
		return nil, ErrNoLinkageSecret
	}
	return anon.LoadSecret(c.LinkageSecret)
}

// MappingSecret returns the linkage secret for running m: nil when m has
// no name or birth-date columns, else the configured secret, with an
// error that names the mapping's need and the setting when there is none.
func (c *Config) MappingSecret(m *mapping.Mapping) (*anon.Secret, error) {
	if !m.NeedsSecret() {
		return nil, nil
	}
	s, err := c.LoadLinkageSecret()
	if errors.Is(err, ErrNoLinkageSecret) {
		return nil, fmt.Errorf("%w; %w", mapping.ErrNoSecret, err)
	}
	return s, err
}

// ManifestProfile is how a manifest names the anonymisation profile of
// records made with m: the mapping's profile name and the profile's
// digest.
func ManifestProfile(m *mapping.Mapping) *submission.Profile {
	p := m.AnonProfile()
	return &submission.Profile{Name: m.Profile, Digest: p.Digest()}
}

// SealMapped maps a partner's file with m, anonymises each record and
// seals them into the outbox, the manifest naming the anonymisation
// profile. If any row has a problem, nothing is sealed: the error is a
// *mapping.ProblemsError, and the Result lists the problems too.
func (a *Agent) SealMapped(ob *Outbox, m *mapping.Mapping, path, period string) (Entry, *mapping.Result, error) {
	secret, err := a.cfg.MappingSecret(m)
	if err != nil {
		return Entry{}, nil, err
	}
	var res *mapping.Result
	e, err := a.seal(ob, m.Schema(), period, ManifestProfile(m), func(s *submission.Sealer) error {
		var err error
		res, err = m.Run(path, mapping.Options{Secret: secret, Period: period}, s.AddRaw)
		if err != nil {
			return err
		}
		return res.Err()
	})
	return e, res, err
}
