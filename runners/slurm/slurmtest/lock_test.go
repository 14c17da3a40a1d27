package slurmtest

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDepsLockIsShared: the lock the test helper takes before installing is
// the one scripts/deps.sh (make deps) takes with flock(1), so an install by
// either makes the other wait instead of racing for the dpkg lock.
func TestDepsLockIsShared(t *testing.T) {
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("no flock(1)")
	}
	t.Setenv("ANCD_DEPS_LOCK", filepath.Join(t.TempDir(), "deps.lock"))
	unlock, err := lockDeps()
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("flock", "--nonblock", DepsLock(), "true").Run(); err == nil {
		t.Fatal("flock(1) got the lock while the helper held it")
	}
	unlock()
	if out, err := exec.Command("flock", "--nonblock", DepsLock(), "true").CombinedOutput(); err != nil {
		t.Fatalf("flock(1) after unlock: %v %s", err, out)
	}
	// The script honours the same variable.
	out, err := exec.Command("grep", "-c", `ANCD_DEPS_LOCK:-/tmp/ancd-deps.lock`, "../../../scripts/deps.sh").CombinedOutput()
	if err != nil || string(out) != "1\n" {
		t.Fatalf("scripts/deps.sh does not take %s: %v %s", "ANCD_DEPS_LOCK", err, out)
	}
}
