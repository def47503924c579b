package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/jsonx"
	"github.com/qunops/qunops/metrics"
)

// GroupOptions are the settings of one group (Options.Groups), or of every
// group (Options.Default): what the group is, and what an analyst leaves
// out of its figures or counts as its campaigns, and where its days are
// drawn. The zero value means the defaults. In JSON (MarshalJSON) the keys
// are the field names in snake_case, the kind a word, the zone its IANA
// name, and zero fields are left out:
//
//	{"name":"福利群","kind":"perks","exclude":["wxid_admin2"],
//	 "campaigns":["coupon-0306","coupon-0313"],"zone":"Europe/Berlin"}
type GroupOptions struct {
	// Name is the group's display name, which the report shows beside its
	// ID (a WeChat group ID such as 20001@chatroom says nothing to a
	// reader).
	Name string `json:"name,omitempty"`
	// Kind selects the thresholds of the group's health verdicts (seed F1,
	// F2, F3, F25-F27). Zero means Options.Default's kind, and a zero
	// default means metrics.Interest (ours: an interest group has the
	// loosest thresholds, so an unknown group is not judged too harshly).
	Kind metrics.GroupKind `json:"kind,omitempty"`
	// Exclude lists members (staff, bots, the account that exported the
	// log) left out of every count of the group but its message volume
	// (F2), as metrics.Options.Exclude: members, speakers and activity
	// (F25), retention (F26), recipients and readers (F27, F3), and also
	// the tiers (F31-F34) and the frequent terms (F29). A group's list
	// adds to Options.Default's.
	Exclude []string `json:"exclude,omitempty"`
	// Campaigns lists the broadcast items that are the group's campaigns
	// (F3): a campaign's response counts whether anyone claimed it or not.
	// Nil means Options.Default's list, and a nil default means every
	// broadcast of the group (every item a message carried, the
	// broadcasts of reach, F27). An empty, non-nil list means none. A
	// listed item counts once it is broadcast in the group; one never
	// broadcast counts for nothing, as it reaches nobody.
	Campaigns []string `json:"campaigns,omitzero"`
	// Zone is where the group's calendar days are drawn: its days,
	// retention cohorts and the dates of its alerts and verdicts (a group
	// of members abroad keeps their evenings on one day). Nil means
	// Options.Default's zone, and a nil default means Options.Location.
	// The tier and terms windows end at the group's last event and are
	// spans of hours, so no zone moves them. Zones are told apart by name
	// (time.Location.String), as everywhere in the SDK.
	Zone *time.Location `json:"-"`
}

// groupJSON is the JSON form of GroupOptions: its fields with the zone
// written as its IANA name.
type groupJSON struct {
	Name      string            `json:"name,omitempty"`
	Kind      metrics.GroupKind `json:"kind,omitempty"`
	Exclude   []string          `json:"exclude,omitempty"`
	Campaigns []string          `json:"campaigns,omitzero"`
	Zone      *string           `json:"zone,omitempty"` // nil when absent, so that "" is an error
}

func (g GroupOptions) toJSON() groupJSON {
	j := groupJSON{Name: g.Name, Kind: g.Kind, Exclude: g.Exclude, Campaigns: g.Campaigns}
	if g.Zone != nil {
		name := g.Zone.String()
		j.Zone = &name
	}
	return j
}

// options returns the settings of j, the group at path; its error names
// the zone's key: `groups["g"].zone: unknown time zone "Mars/Base"`.
func (j groupJSON) options(path string) (GroupOptions, error) {
	g := GroupOptions{Name: j.Name, Kind: j.Kind, Exclude: j.Exclude, Campaigns: j.Campaigns}
	if j.Zone == nil {
		return g, nil
	}
	zone, err := loadZone(*j.Zone)
	if err != nil {
		return GroupOptions{}, fmt.Errorf("%s.zone: %w", path, err)
	}
	g.Zone = zone
	return g, nil
}

// loadZone returns the zone of an IANA name: qunops.DefaultLocation for
// Asia/Shanghai (which needs no database, as in Options), else
// time.LoadLocation's, which reads the system's tz database (or Go's
// embedded copy, time/tzdata). "Local", the machine's zone, is refused: a
// report must not change with the machine that builds it.
func loadZone(name string) (*time.Location, error) {
	switch name {
	case "":
		return nil, fmt.Errorf("empty zone name; leave the key out for the default zone")
	case qunops.DefaultLocation().String():
		return qunops.DefaultLocation(), nil
	case "Local":
		return nil, fmt.Errorf(`"Local" is the zone of the machine; name one, such as "Asia/Shanghai"`)
	}
	zone, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return zone, nil
}

// MarshalJSON writes g as its doc shows, the zone by name: only a zone
// loaded by IANA name (or UTC) reads back as the same zone.
func (g GroupOptions) MarshalJSON() ([]byte, error) { return json.Marshal(g.toJSON()) }

// UnmarshalJSON reads what MarshalJSON writes, strictly (see ParseGroups);
// a bad setting is an error naming its key, as in
// `report: group.zone: unknown time zone "Mars/Base"`. On error g is left
// unchanged.
func (g *GroupOptions) UnmarshalJSON(b []byte) error {
	var j groupJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("report: group: %w", err)
	}
	h, err := j.options("group")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := h.validate("group"); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	*g = h
	return nil
}

// clone returns g with its own copies of its slices; nil stays nil.
func (g GroupOptions) clone() GroupOptions {
	g.Exclude = slices.Clone(g.Exclude)
	g.Campaigns = slices.Clone(g.Campaigns)
	return g
}

// equal reports whether g and h are the same settings; a nil and an empty
// campaign list differ (every broadcast, and none).
func (g GroupOptions) equal(h GroupOptions) bool {
	return g.Name == h.Name && g.Kind == h.Kind && slices.Equal(g.Exclude, h.Exclude) &&
		(g.Campaigns == nil) == (h.Campaigns == nil) && slices.Equal(g.Campaigns, h.Campaigns) &&
		(g.Zone == nil) == (h.Zone == nil) && (g.Zone == nil || g.Zone.String() == h.Zone.String())
}

// validate reports the first problem of g, named by its key under path.
func (g GroupOptions) validate(path string) error {
	if g.Kind != 0 && !validKind(g.Kind) {
		return fmt.Errorf("%s.kind: %d is not a group kind", path, int(g.Kind))
	}
	if err := validIDs(path+".exclude", "member id", g.Exclude); err != nil {
		return err
	}
	return validIDs(path+".campaigns", "item", g.Campaigns)
}

// validIDs reports an empty or repeated entry of ids.
func validIDs(path, what string, ids []string) error {
	for i, id := range ids {
		if id == "" {
			return fmt.Errorf("%s[%d]: empty %s", path, i, what)
		}
		if slices.Contains(ids[:i], id) {
			return fmt.Errorf("%s[%d]: %q is repeated", path, i, id)
		}
	}
	return nil
}

// validateGroups reports the first problem of the default and per-group
// settings, named by its JSON path.
func validateGroups(def GroupOptions, groups map[string]GroupOptions) error {
	if def.Name != "" {
		return fmt.Errorf("default.name: %q: a display name belongs to one group", def.Name)
	}
	if err := def.validate("default"); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(groups)) {
		if id == "" {
			return fmt.Errorf(`groups[""]: empty group id`)
		}
		if err := groups[id].validate(fmt.Sprintf("groups[%q]", id)); err != nil {
			return err
		}
	}
	return nil
}

// validKind reports whether k is a kind whose name parses back to it.
func validKind(k metrics.GroupKind) bool {
	p, err := metrics.ParseGroupKind(k.String())
	return err == nil && p == k
}

// group returns the settings of group id resolved against the default (o
// must be resolved): its kind, its name, every member it leaves out
// (sorted, without repeats; never nil), its campaigns (nil for every
// broadcast) and its zone (never nil).
func (o Options) group(id string) GroupOptions {
	g := o.Groups[id]
	r := GroupOptions{Name: g.Name, Kind: g.Kind, Campaigns: g.Campaigns, Zone: g.Zone}
	if r.Zone == nil {
		r.Zone = o.defaultZone()
	}
	if r.Kind == 0 {
		r.Kind = o.Default.Kind
	}
	if r.Campaigns == nil {
		r.Campaigns = o.Default.Campaigns
	}
	r.Exclude = make([]string, 0, len(o.Default.Exclude)+len(g.Exclude))
	r.Exclude = append(append(r.Exclude, o.Default.Exclude...), g.Exclude...)
	slices.Sort(r.Exclude)
	r.Exclude = slices.Compact(r.Exclude)
	return r
}

// kindOf returns the kind of group g (o resolved).
func (o Options) kindOf(g string) metrics.GroupKind { return o.group(g).Kind }

// defaultZone returns the zone of the groups that set none: the default's,
// or else o.Location (o resolved).
func (o Options) defaultZone() *time.Location {
	if o.Default.Zone != nil {
		return o.Default.Zone
	}
	return o.Location
}

// groupsJSON is a groups file: the "default" and "groups" keys of Options.
// Its groups are groupJSON rather than GroupOptions, so that strict
// decoding names a bad key by its whole path (groups.g.kind).
type groupsJSON struct {
	Default groupJSON            `json:"default,omitzero"`
	Groups  map[string]groupJSON `json:"groups,omitempty"`
}

// groupsToJSON returns the JSON form of the default and group settings.
func groupsToJSON(def GroupOptions, groups map[string]GroupOptions) groupsJSON {
	j := groupsJSON{Default: def.toJSON()}
	if groups != nil {
		j.Groups = make(map[string]groupJSON, len(groups))
		for id, g := range groups {
			j.Groups[id] = g.toJSON()
		}
	}
	return j
}

// options returns the settings j holds; its error names a bad zone by its
// path.
func (j groupsJSON) options() (def GroupOptions, groups map[string]GroupOptions, err error) {
	if def, err = j.Default.options("default"); err != nil {
		return GroupOptions{}, nil, err
	}
	if j.Groups != nil {
		groups = make(map[string]GroupOptions, len(j.Groups))
		for _, id := range slices.Sorted(maps.Keys(j.Groups)) {
			if groups[id], err = j.Groups[id].options(fmt.Sprintf("groups[%q]", id)); err != nil {
				return GroupOptions{}, nil, err
			}
		}
	}
	return def, groups, nil
}

// ParseGroups reads a groups file, the JSON object of the settings of
// each group that `qunops report -groups FILE` takes:
//
//	{
//	  "default": {"exclude": ["wxid_export"]},
//	  "groups": {
//	    "20001@chatroom": {"name": "售后服务群", "kind": "service", "exclude": ["wxid_admin1"]},
//	    "20002@chatroom": {"name": "福利群", "kind": "perks", "exclude": ["wxid_admin2"],
//	                       "campaigns": ["coupon-0306", "coupon-0313"]},
//	    "20003@chatroom": {"name": "跑步兴趣群", "zone": "Europe/Berlin"}
//	  }
//	}
//
// "default" holds the settings of every group and "groups" those of some
// groups by ID (see Options.Default and GroupOptions for what each key
// means); both may be left out. A "zone" is an IANA name, which
// time.LoadLocation resolves (Asia/Shanghai needs no tz database); a group
// without one has the default's, and a default without one is
// Options.Location (`qunops report -tz`). It returns Options with Default
// and Groups set and every other field zero, for the caller to complete.
//
// Decoding is strict. A syntax error, data after the object included, is
// reported with its line ("report: groups file: line 3: invalid character
// '}' ..."). An unknown, misspelt or repeated key, a kind that is not one
// of metrics.GroupKind's words (service, perks, interest, notice), a zone
// that is not a known IANA name (or is "Local", the machine's) and an
// empty or repeated member id or item are errors that name the key's path,
// e.g. `report: groups file: groups["20002@chatroom"].campaigns[1]: "coupon-0306" is repeated`
// or `report: groups file: groups["g"].zone: unknown time zone "Mars/Base"`.
// testdata/groups.json at the root of the module is an example, for the
// sample month.
func ParseGroups(data []byte) (Options, error) {
	// A file written by hand most often breaks its syntax: say where.
	var se *json.SyntaxError
	if !json.Valid(data) && errors.As(json.Unmarshal(data, new(any)), &se) {
		line := 1 + bytes.Count(data[:min(max(se.Offset, 0), int64(len(data)))], []byte("\n"))
		return Options{}, fmt.Errorf("report: groups file: line %d: %v", line, se)
	}
	var j groupsJSON
	if err := jsonx.Unmarshal(data, &j); err != nil {
		return Options{}, fmt.Errorf("report: groups file: %w", err)
	}
	def, groups, err := j.options()
	if err == nil {
		err = validateGroups(def, groups)
	}
	if err != nil {
		return Options{}, fmt.Errorf("report: groups file: %w", err)
	}
	return Options{Default: def, Groups: groups}, nil
}
