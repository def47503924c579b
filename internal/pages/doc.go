// Package pages helps large new tables get their memory from the operating
// system with one page fault per page instead of two.
//
// A large allocation is usually fresh memory that no one has touched. On
// Linux, the first read of such a page maps a shared page of zeros, and the
// first write after it faults again to get a page of its own. Hash tables
// that are rebuilt by probing (read a slot, then write it) pay both faults
// for every page. Writing to each page first pays one.
package pages
