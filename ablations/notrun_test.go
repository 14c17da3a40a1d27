package ablations

import (
	"bytes"
	"strings"
	"testing"
)

// TestRenderOneDatasetAndMissingCells: with only MVTec AD, the MTD columns
// are dropped and MTD claims are "not run"; a claim whose cells have no
// value is "not run" too, never "does not agree".
func TestRenderOneDatasetAndMissingCells(t *testing.T) {
	var filled []TableResult
	for _, tb := range Tables() {
		values := map[string]float64{}
		for i, r := range tb.Rows {
			values[r.Point] = 0.1 * float64(i+1)
		}
		sum := fakeSummaries(values)
		r, err := Fill(tb, func(point, stage string) ([]map[string]float64, error) {
			ms, err := sum(point, stage)
			if err != nil {
				return nil, err
			}
			out := make([]map[string]float64, len(ms))
			for i, m := range ms {
				out[i] = map[string]float64{}
				for k, v := range m {
					// no MTD results at all; Table IV's (d) row has no ARI
					if strings.HasPrefix(k, "mtd.") || (tb.ID == "IV" && point == "(d) mask on [CLS] token" && k == "mvtec.ari") {
						continue
					}
					out[i][k] = v
				}
			}
			return out, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		filled = append(filled, r)
	}
	var out bytes.Buffer
	h := Header{Profile: "smoke", Dataset: "MVTec AD: folder `mvtec`", Datasets: []string{"mvtec"}}
	if err := Render(&out, h, filled); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, bad := range []string{"MTD NMI", "MTD ARI", "`mvtec mvtec`", "NMI n/a"} {
		if strings.Contains(text, bad) {
			t.Errorf("RESULTS.md contains %q", bad)
		}
	}
	for _, want := range []string{
		"- Dataset: MVTec AD: folder `mvtec`",
		"(MTD): **not run** — this study has no MTD data",
		"2. Mask on the [CLS] token beats no mask, all tokens and patch tokens (MVTec AD): **not run** — no results for (d) mask on [CLS] token ARI",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "(MTD)") && strings.Contains(line, "agree") {
			t.Errorf("verdict on a dataset that was not run: %s", line)
		}
	}
	if _, err := ParseCells("RESULTS.md", strings.NewReader(text)); err != nil {
		t.Errorf("does not parse: %v", err)
	}
}
