package bot

import (
	"errors"
	"os"
	"syscall"
)

// On Linux the journal is written through a shared memory mapping of its
// file rather than a write call per record: the mapped pages are the
// kernel's page cache, so a record copied into them survives a crash of
// the process exactly as a written one does, without a system call (a
// write costs about 2.5 µs on the development VM, more than the rest of
// an event's path together). fsync flushes the mapped pages like written
// ones. The file's blocks are reserved with fallocate before they are
// mapped, so a full disk is an error from grow, never a SIGBUS on a store.
// A file system without fallocate gets the write calls.

// mapInitial is the first mapping's size; it doubles as records arrive
// (ours: about 5,000 records of the usual size before the first growth).
const mapInitial = 1 << 20

// mapJournal maps f, reserving size bytes, or returns nil when the file
// system cannot reserve blocks (the journal then writes).
func mapJournal(f *os.File, size int64) ([]byte, error) {
	fd := int(f.Fd())
	if err := syscall.Fallocate(fd, 0, 0, size); err != nil {
		if errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) {
			return nil, nil
		}
		return nil, &os.PathError{Op: "fallocate", Path: f.Name(), Err: err}
	}
	m, err := syscall.Mmap(fd, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, &os.PathError{Op: "mmap", Path: f.Name(), Err: err}
	}
	return m, nil
}

func unmapJournal(m []byte) error { return syscall.Munmap(m) }
