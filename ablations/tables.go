package ablations

import "slices"

// Row is one row of a reproduced table: a point of the table's sweep file.
type Row struct {
	// Label is shown in the first column.
	Label string
	// Point is the sweep point's label (experiments.Point.Label).
	Point string
	// PaperRow and PaperCol locate the paper's number of this row (see
	// Table.MetricRows); "" PaperRow means the paper has no such row.
	PaperRow, PaperCol string
	// Stage is the stage whose summary fills the row: "" for evaluate
	// (AnomalyNCD itself) or "baseline" for the clustering baselines, whose
	// values are under Prefix ("ac_semi", "ac_unsup", "kmeans").
	Stage, Prefix string
}

// metricKey is the summary key of a row's metric on a dataset.
func (r Row) metricKey(dataset, metric string) string {
	if r.Prefix != "" {
		return dataset + "." + r.Prefix + "." + metric
	}
	return dataset + "." + metric
}

// Claim is one of the paper's claims tested by a table: the best of Winners
// beats every row of Losers on each metric.
type Claim struct {
	Text    string
	Dataset string
	Metrics []string
	Winners []string // row labels
	Losers  []string // row labels
}

// Table is one of the paper's tables as reproduced by the project.
type Table struct {
	// ID is the paper's table number ("I" … "X").
	ID    string
	Title string
	// Sweep is the table's sweep file (embedded configs path).
	Sweep string
	// Datasets are the dataset blocks shown, in order ("mvtec", "mtd").
	Datasets []string
	// Metrics are the columns of each dataset block.
	Metrics []string
	Rows    []Row
	// MetricRows says the paper prints metrics as rows and methods as
	// columns (Tables I and II): the paper number of (row, metric) is at
	// paper row = metric name, column = Row.PaperCol. Otherwise it is at
	// paper row = Row.PaperRow, column = Row.PaperCol + metric name.
	MetricRows bool
	// NotReproduced lists the paper's columns (methods) that the project
	// does not implement; RESULTS.md shows their paper numbers only.
	NotReproduced []string
	// Note is printed under the table.
	Note   string
	Claims []Claim
}

// Decimals used for every reproduced number.
const Decimals = 3

// metricNames are the paper's names of the metrics.
var metricNames = map[string]string{
	"nmi": "NMI", "ari": "ARI", "f1": "F1", "aupro": "AUPRO",
	"fpr": "Avg FPR", "fnr": "Avg FNR", "precision": "Precision", "recall": "Recall",
}

// MetricName returns the paper's name of a metric key.
func MetricName(m string) string {
	if n, ok := metricNames[m]; ok {
		return n
	}
	return m
}

// higherIsBetter reports the direction of a metric.
func higherIsBetter(m string) bool { return m != "fpr" && m != "fnr" }

var naf = []string{"nmi", "ari", "f1"}

// TablesWith returns Tables I-X with the rows of external maps (nil: none).
func TablesWith(ext *External) []Table {
	if ext == nil {
		return Tables()
	}
	return ext.withExternal(Tables())
}

// Tables returns Tables I-X in order.
func Tables() []Table {
	both := []string{"mvtec", "mtd"}
	return []Table{
		{
			ID: "I", Title: "Semi-supervised setting: AnomalyNCD fed by one-class detectors", Sweep: "tables/table1.yaml",
			Datasets: both, Metrics: []string{"nmi", "ari", "f1", "aupro"}, MetricRows: true,
			Rows: []Row{
				{Label: "PatchCore + AnomalyNCD", Point: "detect.method=patchcore", PaperRow: "x", PaperCol: "PatchCore"},
				{Label: "PaDiM + AnomalyNCD", Point: "detect.method=padim"},
				{Label: "AC (Semi), PatchCore maps", Point: "detect.method=patchcore", PaperRow: "x", PaperCol: "AC (Semi)", Stage: "baseline", Prefix: "ac_semi"},
			},
			NotReproduced: []string{"UniFormaly", "RD++", "EfficientAD", "PNI", "CPR"},
			Note:          "PaDiM stands in for the paper's other one-class detectors (RD++, EfficientAD, PNI, CPR), which are not implemented.",
			Claims: []Claim{
				{Text: "AnomalyNCD beats Anomaly Clustering on the same maps (semi-supervised)", Dataset: "mvtec",
					Metrics: naf, Winners: []string{"PatchCore + AnomalyNCD"}, Losers: []string{"AC (Semi), PatchCore maps"}},
				{Text: "AnomalyNCD beats Anomaly Clustering on the same maps (semi-supervised)", Dataset: "mtd",
					Metrics: naf, Winners: []string{"PatchCore + AnomalyNCD"}, Losers: []string{"AC (Semi), PatchCore maps"}},
			},
		},
		{
			ID: "II", Title: "Unsupervised setting: zero-shot detector (MuSc) + AnomalyNCD", Sweep: "tables/table2.yaml",
			Datasets: both, Metrics: []string{"nmi", "ari", "f1", "aupro"}, MetricRows: true,
			Rows: []Row{
				{Label: "MuSc + AnomalyNCD", Point: "AnomalyNCD", PaperRow: "x", PaperCol: "MuSc"},
				{Label: "NCD baseline (SimGCD-style: whole images, no mask guidance, no PLR)", Point: "NCD baseline", PaperRow: "x", PaperCol: "SimGCD"},
				{Label: "AC (Unsup), MuSc maps", Point: "AnomalyNCD", PaperRow: "x", PaperCol: "AC (Unsup)", Stage: "baseline", Prefix: "ac_unsup"},
				{Label: "k-means on frozen whole-image features", Point: "AnomalyNCD", Stage: "baseline", Prefix: "kmeans"},
			},
			NotReproduced: []string{"IIC", "GATCluster", "SCAN", "UNO", "GCD", "SimGCD", "AMEND"},
			Note:          "The NCD baseline is the project's own trainer configured like SimGCD (whole images, no mask guidance, no PLR); the paper's SimGCD column is shown beside it for reference.",
			Claims: []Claim{
				{Text: "AnomalyNCD beats a directly applied NCD method", Dataset: "mvtec",
					Metrics: naf, Winners: []string{"MuSc + AnomalyNCD"}, Losers: []string{"NCD baseline (SimGCD-style: whole images, no mask guidance, no PLR)"}},
				{Text: "AnomalyNCD beats Anomaly Clustering and frozen-feature k-means", Dataset: "mvtec",
					Metrics: naf, Winners: []string{"MuSc + AnomalyNCD"}, Losers: []string{"AC (Unsup), MuSc maps", "k-means on frozen whole-image features"}},
				{Text: "AnomalyNCD beats Anomaly Clustering and frozen-feature k-means", Dataset: "mtd",
					Metrics: naf, Winners: []string{"MuSc + AnomalyNCD"}, Losers: []string{"AC (Unsup), MuSc maps", "k-means on frozen whole-image features"}},
			},
		},
		{
			ID: "III", Title: "Binarization of MuSc maps: fixed thresholds vs Otsu vs MEBin", Sweep: "tables/table3.yaml",
			Datasets: []string{"mvtec"}, Metrics: []string{"fpr", "fnr", "nmi", "ari", "f1"},
			Rows: []Row{
				{Label: "fixed θ = 0.1", Point: "fixed θ=0.1", PaperRow: "fixed θ = 0.1"},
				{Label: "fixed θ = 0.3", Point: "fixed θ=0.3", PaperRow: "fixed θ = 0.3"},
				{Label: "fixed θ = 0.5", Point: "fixed θ=0.5", PaperRow: "fixed θ = 0.5"},
				{Label: "fixed θ = 0.7", Point: "fixed θ=0.7", PaperRow: "fixed θ = 0.7"},
				{Label: "fixed θ = 0.9", Point: "fixed θ=0.9", PaperRow: "fixed θ = 0.9"},
				{Label: "Otsu", Point: "Otsu", PaperRow: "Otsu"},
				{Label: "MEBin", Point: "MEBin", PaperRow: "MEBin"},
			},
			Claims: []Claim{{Text: "1. MEBin beats every fixed threshold and Otsu", Dataset: "mvtec",
				Metrics: []string{"fpr", "fnr", "nmi", "ari", "f1"}, Winners: []string{"MEBin"},
				Losers: []string{"fixed θ = 0.1", "fixed θ = 0.3", "fixed θ = 0.5", "fixed θ = 0.7", "fixed θ = 0.9", "Otsu"}}},
		},
		{
			ID: "IV", Title: "Where the mask enters attention", Sweep: "tables/table4.yaml",
			Datasets: []string{"mvtec"}, Metrics: naf,
			Rows: []Row{
				{Label: "(a) w/o mask-guided attention", Point: "(a) w/o mask-guided attention", PaperRow: "none"},
				{Label: "(b) mask on all tokens", Point: "(b) mask on all tokens", PaperRow: "all"},
				{Label: "(c) mask on patch tokens", Point: "(c) mask on patch tokens", PaperRow: "patch"},
				{Label: "(d) mask on [CLS] token", Point: "(d) mask on [CLS] token", PaperRow: "cls"},
			},
			Claims: []Claim{{Text: "2. Mask on the [CLS] token beats no mask, all tokens and patch tokens", Dataset: "mvtec",
				Metrics: naf, Winners: []string{"(d) mask on [CLS] token"},
				Losers: []string{"(a) w/o mask-guided attention", "(b) mask on all tokens", "(c) mask on patch tokens"}}},
		},
		{
			ID: "V", Title: "Number of mask-guided layers L_m (of 12)", Sweep: "tables/table5.yaml",
			Datasets: both, Metrics: naf,
			Rows: []Row{
				{Label: "L_m = 1", Point: "model.mask_layers=1", PaperRow: "1"},
				{Label: "L_m = 3", Point: "model.mask_layers=3", PaperRow: "3"},
				{Label: "L_m = 6", Point: "model.mask_layers=6", PaperRow: "6"},
				{Label: "L_m = 9", Point: "model.mask_layers=9", PaperRow: "9"},
				{Label: "L_m = 12", Point: "model.mask_layers=12", PaperRow: "12"},
			},
			Claims: []Claim{
				{Text: "3. A middle-to-late share of layers (6 or 9) beats 1 layer and all 12 (MVTec)", Dataset: "mvtec",
					Metrics: []string{"nmi"}, Winners: []string{"L_m = 6", "L_m = 9"}, Losers: []string{"L_m = 1", "L_m = 12"}},
				{Text: "3. A middle-to-late share of layers (6 or 9) beats 1 layer and all 12 (MTD)", Dataset: "mtd",
					Metrics: []string{"nmi"}, Winners: []string{"L_m = 6", "L_m = 9"}, Losers: []string{"L_m = 1", "L_m = 12"}},
			},
		},
		{
			ID: "VI", Title: "Anomaly-centred sub-image cropping, per detector", Sweep: "tables/table6.yaml",
			Datasets: both, Metrics: naf,
			Rows: []Row{
				{Label: "MuSc w/o crop", Point: "detect.method=musc crop.enabled=false", PaperRow: "w/o crop", PaperCol: "MuSc "},
				{Label: "MuSc w crop", Point: "detect.method=musc crop.enabled=true", PaperRow: "w crop", PaperCol: "MuSc "},
				{Label: "PatchCore w/o crop", Point: "detect.method=patchcore crop.enabled=false", PaperRow: "w/o crop", PaperCol: "PatchCore "},
				{Label: "PatchCore w crop", Point: "detect.method=patchcore crop.enabled=true", PaperRow: "w crop", PaperCol: "PatchCore "},
				{Label: "PaDiM w/o crop", Point: "detect.method=padim crop.enabled=false"},
				{Label: "PaDiM w crop", Point: "detect.method=padim crop.enabled=true"},
			},
			NotReproduced: []string{"EfficientAD", "PNI"},
			Claims: []Claim{{Text: "4. Cropping helps where anomalies are small and subtle (MTD, MuSc)", Dataset: "mtd",
				Metrics: naf, Winners: []string{"MuSc w crop"}, Losers: []string{"MuSc w/o crop"}}},
		},
		{
			ID: "VII", Title: "Region merging strategy (inference only: one training shared by all rows)", Sweep: "tables/table7.yaml",
			Datasets: both, Metrics: naf,
			Rows: []Row{
				{Label: "(i) average", Point: "(i) average", PaperRow: "average"},
				{Label: "(ii) anomaly-score weighted", Point: "(ii) anomaly-score weighted", PaperRow: "score"},
				{Label: "(iii) area weighted", Point: "(iii) area weighted", PaperRow: "area"},
			},
			Claims: []Claim{
				{Text: "5. Area-weighted merging beats plain and score-weighted averaging", Dataset: "mvtec",
					Metrics: naf, Winners: []string{"(iii) area weighted"}, Losers: []string{"(i) average", "(ii) anomaly-score weighted"}},
			},
		},
		{
			ID: "VIII", Title: "Pseudo-label re-correction; precision/recall of the normal class", Sweep: "tables/table8.yaml",
			Datasets: []string{"mvtec"}, Metrics: []string{"precision", "recall", "nmi", "ari", "f1"},
			Rows: []Row{
				{Label: "w/o PLR", Point: "w/o PLR", PaperRow: "w/o PLR"},
				{Label: "w PLR", Point: "w PLR", PaperRow: "w PLR"},
			},
			Claims: []Claim{{Text: "6. PLR raises the recall of the normal class and NMI", Dataset: "mvtec",
				Metrics: []string{"recall", "nmi"}, Winners: []string{"w PLR"}, Losers: []string{"w/o PLR"}}},
		},
		{
			ID: "IX", Title: "Labeled abnormal base set D^l", Sweep: "tables/table9.yaml",
			Datasets: both, Metrics: naf,
			Rows: []Row{
				{Label: "w/o D^l", Point: "w/o D^l", PaperRow: "w/o D^l"},
				{Label: "w D^l", Point: "w D^l", PaperRow: "w D^l"},
			},
			Claims: []Claim{{Text: "7. The labeled base set raises NMI/ARI/F1", Dataset: "mvtec",
				Metrics: naf, Winners: []string{"w D^l"}, Losers: []string{"w/o D^l"}}},
		},
		{
			ID: "X", Title: "Ground-truth masks instead of a detector (upper bound)", Sweep: "tables/table10.yaml",
			Datasets: both, Metrics: naf,
			Rows: []Row{
				{Label: "Ours, GT masks", Point: "GT masks", PaperRow: "Ours"},
				{Label: "Ours, MuSc masks", Point: "MuSc masks"},
				{Label: "Ours, PatchCore masks", Point: "PatchCore masks"},
				{Label: "AC (Semi), GT masks", Point: "GT masks", PaperRow: "AC", Stage: "baseline", Prefix: "ac_semi"},
			},
			Note: "With GT masks the dataset's ground-truth masks are the binary masks (binarize.method mask, the paper's Sec. IV-C9): not MEBin on them; crops' PLR scores come from the maps as usual.",
			Claims: []Claim{
				{Text: "8. GT masks give the upper bound", Dataset: "mvtec",
					Metrics: naf, Winners: []string{"Ours, GT masks"}, Losers: []string{"Ours, MuSc masks", "Ours, PatchCore masks"}},
				{Text: "With GT masks, AnomalyNCD beats Anomaly Clustering", Dataset: "mvtec",
					Metrics: naf, Winners: []string{"Ours, GT masks"}, Losers: []string{"AC (Semi), GT masks"}},
			},
		},
	}
}

// PaperValue returns the paper's number of a cell (paper is
// PaperNumbers()[t.ID]), or "-".
func (t Table) PaperValue(paper []PaperValue, r Row, dataset, metric string) string {
	if r.PaperCol == "" && r.PaperRow == "" {
		return "-"
	}
	row, col := r.PaperRow, r.PaperCol+MetricName(metric)
	if t.MetricRows {
		row, col = MetricName(metric), r.PaperCol
	}
	for _, v := range paper {
		if v.Dataset == dataset && v.Row == row && v.Column == col {
			return v.Text
		}
	}
	return "-"
}

// NotReproducedRows are the rows of paper numbers shown for the methods the
// project does not implement: one per method where the paper prints methods
// as columns of metric rows (Tables I, II), else one per method and paper
// row (Table VI: "EfficientAD, w/o crop").
func (t Table) NotReproducedRows() []Row {
	var rows []Row
	for _, col := range t.NotReproduced {
		if t.MetricRows {
			rows = append(rows, Row{Label: col, PaperRow: col, PaperCol: col})
			continue
		}
		var seen []string
		for _, r := range t.Rows {
			if r.PaperRow == "" || slices.Contains(seen, r.PaperRow) {
				continue
			}
			seen = append(seen, r.PaperRow)
			rows = append(rows, Row{Label: col + ", " + r.PaperRow, PaperRow: r.PaperRow, PaperCol: col + " "})
		}
	}
	return rows
}
