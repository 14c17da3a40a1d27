// Package outdir writes a command's output folder (--out) without ever
// losing a user's data: it refuses an --out that equals, contains or lies
// inside an input, refuses a non-empty folder that is not a previous output
// of the same command (recognised by MarkerFile) unless forced, and even
// when forced replaces only the entries the command wrote itself. The new
// content is built in a temporary sibling folder first; temporary folders of
// killed runs are swept on the next run.
package outdir
