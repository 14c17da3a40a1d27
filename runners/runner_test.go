package runners

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		plan    Plan
		done    map[string]bool
		order   string
		wantErr string
	}{
		{"chain", Plan{[]Task{{Key: "c", Deps: []string{"b"}}, {Key: "b", Deps: []string{"a"}}, {Key: "a"}}}, nil, "a,b,c", ""},
		{"plan order among ready", Plan{[]Task{{Key: "x"}, {Key: "y"}, {Key: "z", Deps: []string{"x", "y"}}}}, nil, "x,y,z", ""},
		{"dep done in store", Plan{[]Task{{Key: "b", Deps: []string{"a"}}}}, map[string]bool{"a": true}, "b", ""},
		{"missing dep", Plan{[]Task{{Key: "b", Deps: []string{"a"}}}}, nil, "", "neither in the plan"},
		{"duplicate", Plan{[]Task{{Key: "a"}, {Key: "a"}}}, nil, "", "duplicate"},
		{"cycle", Plan{[]Task{{Key: "a", Deps: []string{"b"}}, {Key: "b", Deps: []string{"a"}}}}, nil, "", "cycle"},
		{"empty key", Plan{[]Task{{Name: "n"}}}, nil, "", "empty key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			order, err := Validate(tc.plan, func(k string) bool { return tc.done[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, o := range order {
				keys = append(keys, o.Key)
			}
			if got := strings.Join(keys, ","); got != tc.order {
				t.Fatalf("order %s want %s", got, tc.order)
			}
		})
	}
}

func TestReportCounts(t *testing.T) {
	r := Report{Outcomes: []Outcome{{Key: "a"}, {Key: "b", Cached: true}, {Key: "c", Name: "C", Err: errors.New("x")}}}
	ran, cached, failed := r.Counts()
	if ran != 1 || cached != 1 || failed != 1 {
		t.Fatal(ran, cached, failed)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "C") {
		t.Fatal(err)
	}
}

func TestShortKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0123456789abcdef", "0123456789ab"},
		{"0123456789ab", "0123456789ab"},
		{"abc", "abc"},
		{"", ""},
	} {
		if got := ShortKey(tc.in); got != tc.want {
			t.Errorf("ShortKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
