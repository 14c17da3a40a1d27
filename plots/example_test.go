package plots_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/anomalyncd/ancd/plots"
)

// ExampleThresholdFigure draws Fig. 7 for two detectors: NMI at fixed
// thresholds, with each detector's MEBin result as a dashed line.
func ExampleThresholdFigure() {
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	theta := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
	data := plots.ThresholdData{
		Metric: "NMI",
		Series: []plots.ThresholdSeries{
			{Detector: "PatchCore", Theta: theta, Value: []float64{0.31, 0.38, 0.45, 0.52, 0.55, 0.53, 0.49, 0.41, 0.33}, MEBin: 0.61},
			{Detector: "MuSc", Theta: theta, Value: []float64{0.28, 0.33, 0.41, 0.47, 0.50, 0.51, 0.46, 0.40, 0.30}, MEBin: math.NaN()},
		},
	}
	if err := plots.ThresholdFigure(filepath.Join(dir, "fig7"), data); err != nil {
		log.Fatal(err)
	}
	png, svg := plots.Paths(filepath.Join(dir, "fig7"))
	for _, p := range []string{png, svg} {
		if _, err := os.Stat(p); err == nil {
			fmt.Println("wrote", filepath.Base(p))
		}
	}

	// Invalid data is rejected with the figure and field named.
	data.Series[1].Value = data.Series[1].Value[:4]
	fmt.Println(plots.ThresholdFigure(filepath.Join(dir, "bad"), data))
	// Output:
	// wrote fig7.png
	// wrote fig7.svg
	// plots: ThresholdFigure: Series[1].Value: length 4, want 9 (len(Theta))
}
