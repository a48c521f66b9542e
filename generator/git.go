package generator

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// GitOptions describe the initial commit.
type GitOptions struct {
	Name, Email string
	When        time.Time
	Message     string
}

// GitError is a failure to create the project's repository or its first
// commit; the project's files are not moved into place.
type GitError struct{ Err error }

func (e *GitError) Error() string { return e.Err.Error() }
func (e *GitError) Unwrap() error { return e.Err }

// FallbackIdentity signs the initial commit when the user has no git identity.
var FallbackIdentity = object.Signature{Name: "scaffold", Email: "scaffold@localhost"}

// UserIdentity reads user.name and user.email from the user's git config.
// A missing or unreadable config is not an error: it gives the fallback.
func UserIdentity() (name, email string) {
	cfg, err := config.LoadConfig(config.GlobalScope)
	if err != nil || cfg.User.Name == "" || cfg.User.Email == "" {
		return FallbackIdentity.Name, FallbackIdentity.Email
	}
	return cfg.User.Name, cfg.User.Email
}

// Commit makes dir a git repository on branch main and commits files in one
// commit, leaving out what the project's .gitignore excludes.
//
// The objects are built in memory and written as one packfile, and the
// staging index is written once: adding file by file would write a loose
// object per file and rewrite the index each time (thousands of syscalls for
// a small project). The commit is the same object git itself would make.
func Commit(dir string, files []File, opts GitOptions) error {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.Main},
	})
	if err != nil {
		return &GitError{Err: fmt.Errorf("initialising git in %s: %w", dir, err)}
	}
	tracked := committable(files)
	objs, blobs, head, err := commitObjects(tracked, opts)
	if err != nil {
		return err
	}
	if err := objs.writePack(filepath.Join(dir, ".git", "objects", "pack")); err != nil {
		return &GitError{Err: fmt.Errorf("git commit: writing the packfile: %w", err)}
	}
	if err := writeIndex(repo, dir, tracked, blobs); err != nil {
		return err
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName("main"), head)); err != nil {
		return &GitError{Err: fmt.Errorf("git commit: setting main: %w", err)}
	}
	return nil
}

// commitObjects builds, in memory, the blobs and trees of files (in git's
// order) and a commit of them with the given parents.
func commitObjects(files []File, opts GitOptions, parents ...plumbing.Hash) (*objectSet, []plumbing.Hash, plumbing.Hash, error) {
	objs := &objectSet{}
	blobs := make([]plumbing.Hash, len(files))
	for i, f := range files {
		blobs[i] = objs.add(plumbing.BlobObject, f.Data)
	}
	root, err := writeTrees(objs, files, blobs)
	if err != nil {
		return nil, nil, plumbing.ZeroHash, err
	}
	sig := object.Signature{Name: opts.Name, Email: opts.Email, When: opts.When}
	head, err := objs.encode(&object.Commit{Author: sig, Committer: sig, Message: opts.Message, TreeHash: root,
		ParentHashes: parents})
	if err != nil {
		return nil, nil, plumbing.ZeroHash, &GitError{Err: fmt.Errorf("git commit: %w", err)}
	}
	return objs, blobs, head, nil
}

// objectSet holds the commit's objects in memory until they are written as
// one packfile.
type objectSet struct {
	types  []plumbing.ObjectType
	data   [][]byte
	hashes []plumbing.Hash
}

func (s *objectSet) add(t plumbing.ObjectType, data []byte) plumbing.Hash {
	h := plumbing.ComputeHash(t, data)
	s.types, s.data, s.hashes = append(s.types, t), append(s.data, data), append(s.hashes, h)
	return h
}

// encode stores a tree or a commit.
func (s *objectSet) encode(o interface {
	Encode(plumbing.EncodedObject) error
}) (plumbing.Hash, error) {
	obj := &plumbing.MemoryObject{}
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	r, err := obj.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return s.add(obj.Type(), data), nil
}

// writePack writes the objects as one packfile and its index into dir (the
// repository's objects/pack). Objects are stored whole, without deltas, and
// compressed for speed: they are new, small and few.
func (s *objectSet) writePack(dir string) error {
	var pack bytes.Buffer
	pack.WriteString("PACK")
	_ = binary.Write(&pack, binary.BigEndian, [2]uint32{2, uint32(len(s.data))})
	idx := new(idxfile.Writer)
	_ = idx.OnHeader(uint32(len(s.data)))
	zw, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
	for i, data := range s.data {
		start := pack.Len()
		// Entry header: type and size, seven bits of size per further byte.
		size := len(data)
		b := byte(s.types[i])<<4 | byte(size&0x0f)
		for size >>= 4; size > 0; size >>= 7 {
			pack.WriteByte(b | 0x80)
			b = byte(size & 0x7f)
		}
		pack.WriteByte(b)
		zw.Reset(&pack)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		crc := crc32.ChecksumIEEE(pack.Bytes()[start:])
		_ = idx.OnInflatedObjectContent(s.hashes[i], int64(start), crc, nil)
	}
	sum := sha1.Sum(pack.Bytes())
	pack.Write(sum[:])
	var packHash plumbing.Hash
	copy(packHash[:], sum[:])
	if err := idx.OnFooter(packHash); err != nil {
		return err
	}
	index, err := idx.Index()
	if err != nil {
		return err
	}
	var idxData bytes.Buffer
	if _, err := idxfile.NewEncoder(&idxData).Encode(index); err != nil {
		return err
	}
	// The index goes last: git only looks at packs that have one.
	base := filepath.Join(dir, "pack-"+packHash.String())
	if err := os.WriteFile(base+".pack", pack.Bytes(), 0o444); err != nil {
		return err
	}
	return os.WriteFile(base+".idx", idxData.Bytes(), 0o444)
}

func gitMode(f File) filemode.FileMode {
	if f.Mode&0o111 != 0 {
		return filemode.Executable
	}
	return filemode.Regular
}

// dirNode is one directory of the tree being committed.
type dirNode struct {
	entries []object.TreeEntry
	dirs    map[string]*dirNode
}

// writeTrees stores one tree object per directory and returns the root's.
func writeTrees(s *objectSet, files []File, blobs []plumbing.Hash) (plumbing.Hash, error) {
	root := &dirNode{dirs: map[string]*dirNode{}}
	for i, f := range files {
		n := root
		parts := strings.Split(f.Path, "/")
		for _, p := range parts[:len(parts)-1] {
			if n.dirs[p] == nil {
				n.dirs[p] = &dirNode{dirs: map[string]*dirNode{}}
			}
			n = n.dirs[p]
		}
		n.entries = append(n.entries, object.TreeEntry{Name: parts[len(parts)-1], Mode: gitMode(f), Hash: blobs[i]})
	}
	return root.write(s)
}

func (n *dirNode) write(s *objectSet) (plumbing.Hash, error) {
	list := n.entries
	for name, d := range n.dirs {
		h, err := d.write(s)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		list = append(list, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
	}
	// Git orders tree entries by name, comparing a directory as if its name
	// ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
	return s.encode(&object.Tree{Entries: list})
}

// writeIndex writes the staging index once. Entries carry size and mtime;
// git refreshes the rest of the stat data on its first status.
func writeIndex(repo *git.Repository, dir string, files []File, blobs []plumbing.Hash) error {
	idx := &index.Index{Version: 2}
	for i, f := range files {
		e := &index.Entry{Name: f.Path, Hash: blobs[i], Mode: gitMode(f), Size: uint32(len(f.Data))}
		if info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil {
			e.ModifiedAt = info.ModTime()
		}
		idx.Entries = append(idx.Entries, e)
	}
	if err := repo.Storer.SetIndex(idx); err != nil {
		return &GitError{Err: fmt.Errorf("git commit: writing the index: %w", err)}
	}
	return nil
}
