// Package atomicfile writes files and folders so that a reader never sees a
// half-written result: data goes to a temporary sibling first and is renamed
// into place only when complete.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically with permission 0o644. The parent
// folder is created when missing.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write streams the output of fill into path atomically. If fill returns an
// error, nothing is left at path and the temporary file is removed.
func Write(path string, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = fill(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename into %s: %w", path, err)
	}
	return nil
}

// DirFunc builds the folder dst from a fill of a temporary folder, as Dir
// does; a caller may pass another (the CLI's never removes a user's files).
type DirFunc func(dst string, fill func(tmp string) error) error

// Build builds dst with f, or with Dir when f is nil.
func (f DirFunc) Build(dst string, fill func(tmp string) error) error {
	if f == nil {
		return Dir(dst, fill)
	}
	return f(dst, fill)
}

// Dir builds a folder atomically: fill writes into a fresh temporary sibling
// of dst, which is renamed to dst when fill succeeds. If dst already exists it
// is replaced only after the new content is complete. On error the temporary
// folder is removed and dst is untouched.
func Dir(dst string, fill func(tmp string) error) (err error) {
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create folder %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dst)+".tmp*")
	if err != nil {
		return fmt.Errorf("create temporary folder for %s: %w", dst, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp, err)
	}
	if _, statErr := os.Stat(dst); statErr == nil {
		old := tmp + ".old"
		if err = os.Rename(dst, old); err != nil {
			return fmt.Errorf("move aside %s: %w", dst, err)
		}
		if err = os.Rename(tmp, dst); err != nil {
			os.Rename(old, dst)
			return fmt.Errorf("rename into %s: %w", dst, err)
		}
		return os.RemoveAll(old)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("rename into %s: %w", dst, err)
	}
	return nil
}
