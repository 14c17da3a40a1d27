package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/ablations"
	"github.com/anomalyncd/ancd/experiments"
)

// TestReadmeNumbers: the plan sizes the README quotes are the ones the tool
// computes (they drifted before: the README said 106 / 848 / 257 while the
// tool printed 108 / 972 / 271).
func TestReadmeNumbers(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	plan := func(profile string) (points, executions, tasks int) {
		o, err := experiments.ParseOverride("experiment.profile=" + profile)
		if err != nil {
			t.Fatal(err)
		}
		var trace configTrace
		study, err := ablations.PlanStudy(loaderFor("", &trace), ablations.Tables(), ablations.FigureSweeps(), []experiments.Override{o})
		if err != nil {
			t.Fatal(err)
		}
		return len(study.Points), study.Executions(), len(study.Tasks)
	}
	qp, qe, qt := plan("quick")
	_, _, st := plan("smoke")
	checks := []struct {
		pattern string
		want    []int
	}{
		{`--profile quick --dry-run` + "`" + ` prints the plan: (\d+) sweep points need (\d+)\s+stage executions, of which (\d+) are distinct`, []int{qp, qe, qt}},
		{`quick profile, 2 seeds, every table and figure, (\d+) tasks`, []int{qt}},
		{`smoke study, every table and figure \((\d+) tasks\)`, []int{st}},
	}
	for _, c := range checks {
		m := regexp.MustCompile(c.pattern).FindSubmatch(readme)
		if m == nil {
			t.Errorf("README.md has no sentence matching %q", c.pattern)
			continue
		}
		for i, w := range c.want {
			if got, _ := strconv.Atoi(string(m[i+1])); got != w {
				t.Errorf("README.md says %q: number %d is %d, the tool plans %d", m[0], i+1, got, w)
			}
		}
	}
}

// TestFlagHelpHasNoStrayValueNames: no flag usage holds backquotes, which
// pflag takes as the flag's value name (it printed "--submit ancd status").
func TestFlagHelpHasNoStrayValueNames(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, m := range regexp.MustCompile(`(?m)^\s+(?:-\w, )?--([\w-]+)`).FindAllStringSubmatch(c.Flags().FlagUsages(), -1) {
			if f := c.Flags().Lookup(m[1]); f == nil {
				t.Errorf("%s: no flag --%s", c.CommandPath(), m[1])
			} else if strings.Contains(f.Usage, "`") {
				t.Errorf("%s --%s: usage %q has backquotes", c.CommandPath(), f.Name, f.Usage)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
	for _, args := range [][]string{{"run", "--help"}, {"ablations", "--help"}} {
		out := runAncd(t, args...)
		if !strings.Contains(out, "--submit ") || strings.Contains(out, "--submit ancd") {
			t.Errorf("ancd %s:\n%s", strings.Join(args, " "), out)
		}
	}
}

// TestOneSpellingForModelSizes: ancd train and ancd bench train name the
// same settings the same way.
func TestOneSpellingForModelSizes(t *testing.T) {
	root := newRootCmd()
	trainCmd, _, err := root.Find([]string{"train"})
	if err != nil {
		t.Fatal(err)
	}
	benchCmd, _, err := root.Find([]string{"bench", "train"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"image-size", "patch-size", "batch-size", "dim", "depth", "heads", "mask-layers", "grad-from-block"} {
		for _, c := range []*cobra.Command{trainCmd, benchCmd} {
			if f := c.Flags().Lookup(name); f == nil || f.Hidden || f.Deprecated != "" {
				t.Errorf("%s has no --%s", c.CommandPath(), name)
			}
		}
	}
	for _, old := range []string{"image", "patch", "batch"} {
		if f := benchCmd.Flags().Lookup(old); f == nil || f.Deprecated == "" {
			t.Errorf("%s --%s: want a deprecated alias", benchCmd.CommandPath(), old)
		}
	}
}
