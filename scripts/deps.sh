#!/usr/bin/env bash
# Installs, once, the system packages the test suite needs beyond Go:
#   Slurm (slurmctld, slurmd, slurm-client, munge) for the Slurm tests and
#   chromium for the browser test of the HTML report.
# Idempotent: does nothing when every program is already there. Installing
# needs root and apt-get (Debian/Ubuntu); without them it says what is
# missing and exits 0 (those tests then skip, except in CI where they fail).
# apt waits for the package lock instead of failing when another install
# holds it, and a flock on $ANCD_DEPS_LOCK serialises concurrent callers.
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"
need=()
for prog in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge chromium:chromium; do
	command -v "${prog%%:*}" >/dev/null 2>&1 || need+=("${prog##*:}")
done
if [ ${#need[@]} -eq 0 ]; then
	echo "deps: Slurm and chromium are installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing ${need[*]}; install them as root with apt-get (the tests that need them skip outside CI)" >&2
	exit 0
fi
lock="${ANCD_DEPS_LOCK:-/tmp/ancd-deps.lock}"
exec 9>"$lock"
flock 9
# Another caller may have installed them while we waited.
need2=()
for pkg in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need2+=("$pkg")
done
if [ ${#need2[@]} -eq 0 ]; then
	echo "deps: installed meanwhile by another caller"
	exit 0
fi
echo "deps: installing ${need2[*]} with apt-get"
apt=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -q)
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update
"${apt[@]}" install -y --no-install-recommends "${need2[@]}"
