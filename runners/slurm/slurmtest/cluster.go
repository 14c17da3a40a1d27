package slurmtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Cluster is a single-node Slurm (slurmctld + slurmd on localhost) that a
// test started in a temporary folder; it stops when the test ends.
type Cluster struct {
	// Conf is the path of slurm.conf. StartCluster also sets SLURM_CONF to
	// it for the test (and so for every process the test starts).
	Conf string
	// Dir is the cluster's temporary folder (state, spool, logs).
	Dir string
}

// InCI reports whether the tests run in CI (CI=true), where the Slurm tests
// must run rather than skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// SkipShort skips the test in -short mode, except in CI.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() && !InCI() {
		t.Skip("skipping the Slurm integration test in -short mode")
	}
}

// requireSlurm skips the test outside CI when Slurm cannot be used; in CI
// (CI=true) it fails instead, so the integration tests always run there.
func requireSlurm(t testing.TB, reason string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(reason, args...)
	if InCI() {
		t.Fatalf("CI=true but the Slurm integration test cannot run: %s", msg)
	}
	t.Skipf("skipping the Slurm integration test: %s", msg)
}

// sbinPath makes sure the daemons' folders are on PATH.
func sbinPath(t testing.TB) {
	path := os.Getenv("PATH")
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		if !strings.Contains(":"+path+":", ":"+dir+":") {
			path += ":" + dir
		}
	}
	t.Setenv("PATH", path)
}

// slurmInstalled reports whether the daemons and the client are on PATH.
func slurmInstalled() bool {
	for _, prog := range []string{"slurmctld", "sbatch", "munged"} {
		if _, err := exec.LookPath(prog); err != nil {
			return false
		}
	}
	return true
}

// DepsLock is the file that serialises package installs: `make deps`
// (scripts/deps.sh) and installSlurm take an exclusive flock on it, so that
// test packages running at once wait for one install instead of racing
// for the dpkg lock. ANCD_DEPS_LOCK overrides it.
func DepsLock() string {
	if p := os.Getenv("ANCD_DEPS_LOCK"); p != "" {
		return p
	}
	return "/tmp/ancd-deps.lock"
}

// lockDeps takes the exclusive flock on DepsLock, waiting for its holder.
func lockDeps() (unlock func(), err error) {
	f, err := os.OpenFile(DepsLock(), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", DepsLock(), err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", DepsLock(), err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// installSlurm installs the Debian packages when slurmctld is missing
// (`make deps` normally has, before the tests). It holds DepsLock while it
// checks and installs, and apt-get waits for the dpkg lock.
func installSlurm(t testing.TB) {
	t.Helper()
	if slurmInstalled() {
		return
	}
	if os.Geteuid() != 0 {
		requireSlurm(t, "slurmctld is not installed and the test does not run as root")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		requireSlurm(t, "slurmctld is not installed and apt-get is missing")
	}
	unlock, err := lockDeps()
	if err != nil {
		requireSlurm(t, "%v", err)
	}
	defer unlock()
	if slurmInstalled() { // installed by another test package while we waited
		return
	}
	t.Log("installing slurmctld slurmd slurm-client munge with apt-get")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "slurmctld", "slurmd", "slurm-client", "munge"}} {
		args = append([]string{"-o", "DPkg::Lock::Timeout=600", "-o", "Acquire::Retries=3"}, args...)
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			requireSlurm(t, "apt-get %s: %v\n%s", strings.Join(args, " "), err, tail(out))
		}
	}
}

func tail(b []byte) string {
	const n = 2000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// startMunge starts a private munged as user munge, with its own key,
// socket and pid file in dir, so that tests running at the same time (or a
// system munged) never interfere. It returns the socket path.
func startMunge(t testing.TB, dir string) string {
	t.Helper()
	mungeDir := filepath.Join(dir, "munge")
	if err := os.MkdirAll(mungeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 1024)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(mungeDir, "munge.key")
	if err := os.WriteFile(keyFile, key, 0o400); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("chown", "-R", "munge:munge", mungeDir).CombinedOutput(); err != nil {
		requireSlurm(t, "chown %s to user munge: %v %s", mungeDir, err, out)
	}
	socket := filepath.Join(mungeDir, "munge.socket")
	pidFile := filepath.Join(mungeDir, "munged.pid")
	out, err := exec.Command("runuser", "-u", "munge", "--", "munged",
		"--socket="+socket, "--key-file="+keyFile, "--pid-file="+pidFile,
		"--seed-file="+filepath.Join(mungeDir, "munged.seed"),
		"--log-file="+filepath.Join(mungeDir, "munged.log")).CombinedOutput()
	if err != nil {
		requireSlurm(t, "start munged: %v %s", err, out)
	}
	t.Cleanup(func() {
		// munged daemonizes; stop the one this test started by its pid file
		data, err := os.ReadFile(pidFile)
		if err != nil {
			t.Logf("munged pid file: %v", err)
			return
		}
		var pid int
		if _, err := fmt.Sscan(string(data), &pid); err == nil && pid > 1 {
			syscall.Kill(pid, syscall.SIGTERM)
		}
	})
	works := func() bool {
		return exec.Command("bash", "-c", `munge -S "$1" -n | unmunge -S "$1"`, "_", socket).Run() == nil
	}
	for i := 0; i < 50 && !works(); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if !works() {
		requireSlurm(t, "munged started but `munge -n | unmunge` fails on %s", socket)
	}
	return socket
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

const slurmConf = `# single-node Slurm started by runners/slurm/slurmtest
ClusterName=ancdtest
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPort=%d
SlurmdPort=%d
AuthType=auth/munge
AuthInfo=socket=%[5]s
StateSaveLocation=%[3]s/state
SlurmdSpoolDir=%[3]s/spool
SlurmctldPidFile=%[3]s/slurmctld.pid
SlurmdPidFile=%[3]s/slurmd.pid
SlurmctldLogFile=%[3]s/log/slurmctld.log
SlurmdLogFile=%[3]s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=%[3]s/log/jobcomp.txt
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MinJobAge=3600
MaxArraySize=%[4]d
ReturnToService=2
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`

// StartCluster starts slurmctld and slurmd in the foreground as children of
// the test, waits until the node (2 CPUs, partition "debug") is idle and
// returns the cluster; it is stopped and removed when the test ends.
// maxArraySize is the cluster's MaxArraySize.
func StartCluster(t testing.TB, maxArraySize int) Cluster {
	t.Helper()
	sbinPath(t)
	if os.Geteuid() != 0 {
		requireSlurm(t, "slurmd must run as root and the test does not")
	}
	installSlurm(t)
	dir, err := os.MkdirTemp("", "ancd-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // munged checks the folders above its socket
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket := startMunge(t, dir)
	for _, sub := range []string{"state", "spool", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "slurm.conf")
	text := fmt.Sprintf(slurmConf, freePort(t), freePort(t), dir, maxArraySize, socket)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_CONF", conf)
	version, _ := exec.Command("slurmctld", "-V").Output()
	t.Logf("Slurm %s, config %s", strings.TrimSpace(string(version)), conf)
	daemon := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			requireSlurm(t, "start %s: %v", name, err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
			if t.Failed() {
				t.Logf("%s output:\n%s", name, tail(out.Bytes()))
				logData, _ := os.ReadFile(filepath.Join(dir, "log", name+".log"))
				t.Logf("%s log:\n%s", name, tail(logData))
			}
		})
	}
	daemon("slurmctld", "-D", "-i", "-f", conf)
	daemon("slurmd", "-D", "-N", "localhost", "-f", conf)
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := exec.Command("sinfo", "--noheader", "--format=%T").Output()
		state := strings.TrimSpace(string(out))
		if err == nil && state == "idle" {
			break
		}
		if time.Now().After(deadline) {
			logData, _ := os.ReadFile(filepath.Join(dir, "log", "slurmctld.log"))
			requireSlurm(t, "node not idle after 60 s (sinfo %q, %v)\nslurmctld log:\n%s", state, err, tail(logData))
		}
		time.Sleep(300 * time.Millisecond)
	}
	return Cluster{Conf: conf, Dir: dir}
}
