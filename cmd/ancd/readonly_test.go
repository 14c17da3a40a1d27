package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadOnlyCommandsDoNotCreateStore: status, collect and gc on a store
// path that does not exist say so and leave the path absent.
func TestReadOnlyCommandsDoNotCreateStore(t *testing.T) {
	store := filepath.Join(t.TempDir(), "no", "store")
	cases := [][]string{
		{"status", "run", "tables/table7.yaml", "experiment.profile=smoke", "--store", store},
		{"status", "ablations", "--profile", "smoke", "--store", store},
		{"collect", "run", "tables/table7.yaml", "experiment.profile=smoke", "--store", store},
		{"collect", "ablations", "--profile", "smoke", "--store", store},
		{"gc", "--dry-run", "--profiles", "smoke", "--store", store},
		{"gc", "--profiles", "smoke", "--store", store},
	}
	for _, args := range cases {
		out, err := runAncdErr(args...)
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("ancd %s: err = %v, want 'does not exist'\n%s", strings.Join(args, " "), err, out)
		}
		if _, err := os.Stat(filepath.Dir(store)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("ancd %s created %s", strings.Join(args, " "), filepath.Dir(store))
		}
	}
}
