// Package results owns the on-disk run store.
//
// An entry is the output of one stage task, addressed by its content key:
//
//	<root>/<stage>/<key>/           the stage's own files (deterministic bytes)
//	<root>/<stage>/<key>/PROVENANCE.json  who/when/how it was made (not deterministic)
//	<root>/<stage>/<key>/DONE.json        manifest: every file with size and sha256, written last
//
// An entry is built in a hidden temporary sibling (<root>/<stage>/.tmp-<key>-*)
// and renamed into place in one step, so a reader (or a process killed at any
// moment) never sees a partial entry. When two processes race on the same key
// the first rename wins and the loser discards its temporary folder: renaming
// a folder onto an existing non-empty folder fails on POSIX systems. Done(key)
// is true exactly when DONE.json exists. GC removes entries no current config
// references, and left-over temporary folders.
package results
