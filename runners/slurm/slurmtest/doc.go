// Package slurmtest starts a real single-node Slurm for tests: slurmctld and
// slurmd on localhost with free ports, a private munged with its own key and
// socket, and a slurm.conf in a temporary folder, with SLURM_CONF pointing at
// it, so that tests running at the same time do not interfere. It installs
// the Debian packages slurmctld, slurmd, slurm-client and munge with apt-get
// when they are missing, and needs root.
//
// With CI=true a cluster that cannot be started fails the test; elsewhere
// the test is skipped. Tests using it should also skip in -short mode
// (outside CI), see SkipShort.
package slurmtest
