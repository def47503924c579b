package ingest

import (
	"errors"
	"io"
	"slices"
	"strings"
)

// A Directory is who is who in one export, learned from the export itself:
// each row that names its sender by id and display name (chatlog's sender
// and senderName, WeChatMsg's Sender and NickName, the "nickname(wxid)"
// names of chatlog's system messages and the member lists of the XML ones)
// ties that name to that id in that group, and the rows the exporting
// account sent (isSelf, IsSender, is_sender) give the account's own id.
//
// A [Reader] looks names up in it to turn a notice that names a member only
// by display name ("陈浩"邀请"Kevin、钱多多"加入了群聊) into the member's
// wxid, and to keep a name that contains the list separator ("晨曦、")
// whole. A name resolves when exactly one id carried it in that group in
// the whole export; when two members shared it, it stays [NamePrefix] + name
// and the Reader counts it ([ReasonNameAmbiguous]). It does not follow a
// member over time: a name that two members carried at different times is
// ambiguous too.
//
// [NewReader] builds one by reading the export twice when its input is an
// [io.ReadSeeker] (a file) and [Options].Directory is nil; over a stream it
// learns the directory as it reads, so that a name resolves only when its
// member spoke before the notice. [ScanDirectory] builds one for
// [Options].Directory. The zero value is an empty directory. A Directory is
// not safe for concurrent use while it is built; once built, a Reader only
// reads it. Its size grows with the distinct (group, name, id) triples.
type Directory struct {
	groups map[string]map[string][]string // group -> display name -> distinct ids, sorted
	self   string                         // the account's id, from its own rows
	selves int                            // distinct ids seen on the account's rows
}

// ScanDirectory reads an export of the named format to its end and returns
// its directory, for [Options].Directory. Bad rows are passed over (the
// Reader that imports the export reports them); a final error (a broken
// JSON array, a read error) is returned.
func ScanDirectory(format string, in io.Reader, opts Options) (*Directory, error) {
	d := &Directory{}
	opts.Directory = d
	r, err := NewReader(format, in, opts)
	if err != nil {
		return nil, err
	}
	r.collecting = true
	for {
		_, err := r.Decode()
		if err == io.EOF {
			return d, nil
		}
		var re *RowError
		if err != nil && !errors.As(err, &re) {
			return nil, err
		}
	}
}

// directory gives the Reader its directory: Options.Directory, else one
// read from a seekable input now, else an empty one learned while reading.
func (r *Reader) directory(format string, in io.Reader) error {
	r.dir = r.opts.Directory
	if r.dir != nil {
		return nil
	}
	d, err := scanSeekable(format, in, r.opts)
	if err != nil {
		return err
	}
	r.dir = d
	if d == nil {
		r.dir, r.dirLive = &Directory{}, true
	}
	return nil
}

// scanSeekable builds the directory of a seekable input and rewinds it; it
// returns nil for an input that cannot seek.
func scanSeekable(format string, in io.Reader, opts Options) (*Directory, error) {
	rs, ok := in.(io.ReadSeeker)
	if !ok {
		return nil, nil
	}
	pos, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, nil // a pipe: read it once
	}
	// A header NewReader rejects, or a final error such as a broken JSON
	// array, is the real Reader's to report, where it occurs: the directory
	// keeps what came before it.
	d := &Directory{}
	opts.Directory = d
	if r, err := NewReader(format, rs, opts); err == nil {
		r.collecting = true
		for {
			_, err := r.Decode()
			var re *RowError
			if err != nil && !errors.As(err, &re) {
				break // io.EOF or final
			}
		}
	}
	if _, err := rs.Seek(pos, io.SeekStart); err != nil {
		return nil, errors.New("ingest: rewinding the input after reading its member directory: " + err.Error())
	}
	return d, nil
}

// observe records that id carried name in group; self says the row was the
// exporting account's.
func (d *Directory) observe(group, id, name string, self bool) {
	if id == "" {
		return
	}
	if self && id != DefaultSelf && id != d.self {
		d.selves++
		if d.self == "" {
			d.self = id
		}
	}
	name = strings.TrimSpace(name)
	if name == "" || group == "" {
		return
	}
	if d.groups == nil {
		d.groups = make(map[string]map[string][]string)
	}
	g := d.groups[group]
	if g == nil {
		g = make(map[string][]string)
		d.groups[group] = g
	}
	ids := g[name]
	if i, found := slices.BinarySearch(ids, id); !found {
		g[name] = slices.Insert(ids, i, id)
	}
}

// Self returns the exporting account's id as its own rows give it, and
// whether they gave exactly one.
func (d *Directory) Self() (string, bool) {
	if d == nil || d.selves != 1 {
		return "", false
	}
	return d.self, true
}

// Lookup returns the ids that carried name in group, sorted: one for a name
// that resolves, several for a shared one, none for a name never seen. The
// caller must not modify the returned slice.
func (d *Directory) Lookup(group, name string) []string {
	if d == nil {
		return nil
	}
	return d.groups[group][strings.TrimSpace(name)]
}
