package ablations

// PaperValue is one number as printed in the paper, keyed by the table's
// row and column labels and the dataset. Text is "-" where the paper prints
// no number.
type PaperValue struct {
	Dataset string // "mvtec" or "mtd"
	Row     string
	Column  string
	Text    string
}

// paperRows lays out one dataset's block of a table: for each row label, the
// printed values in column order.
type paperRows struct {
	dataset string
	columns []string
	rows    []struct {
		label  string
		values []string
	}
}

func block(dataset string, columns []string, rows ...[]string) paperRows {
	b := paperRows{dataset: dataset, columns: columns}
	for _, r := range rows {
		b.rows = append(b.rows, struct {
			label  string
			values []string
		}{r[0], r[1:]})
	}
	return b
}

func (b paperRows) values() []PaperValue {
	var out []PaperValue
	for _, r := range b.rows {
		for i, v := range r.values {
			out = append(out, PaperValue{Dataset: b.dataset, Row: r.label, Column: b.columns[i], Text: v})
		}
	}
	return out
}

// PaperNumbers returns every number of Tables I-X of the paper
// (shared/docs/paper-tables.md), by table ID. The values are the reference
// column of RESULTS.md; they are never used as reproduced numbers.
func PaperNumbers() map[string][]PaperValue {
	t1cols := []string{"AC (Semi)", "UniFormaly", "PatchCore", "RD++", "EfficientAD", "PNI", "CPR"}
	t2cols := []string{"IIC", "GATCluster", "SCAN", "UNO", "GCD", "SimGCD", "AMEND", "AC (Unsup)", "MuSc"}
	nafc := []string{"NMI", "ARI", "F1"}
	t6cols := []string{"MuSc NMI", "MuSc ARI", "MuSc F1", "PatchCore NMI", "PatchCore ARI", "PatchCore F1",
		"EfficientAD NMI", "EfficientAD ARI", "EfficientAD F1", "PNI NMI", "PNI ARI", "PNI F1"}
	join := func(bs ...paperRows) []PaperValue {
		var out []PaperValue
		for _, b := range bs {
			out = append(out, b.values()...)
		}
		return out
	}
	return map[string][]PaperValue{
		"I": join(
			block("mvtec", t1cols,
				[]string{"NMI", "0.608", "0.547", "0.670", "0.631", "0.516", "0.675", "0.736"},
				[]string{"ARI", "0.489", "0.433", "0.601", "0.542", "0.394", "0.609", "0.674"},
				[]string{"F1", "0.652", "0.645", "0.769", "0.721", "0.641", "0.769", "0.805"},
				[]string{"AUPRO", "-", "0.953", "0.938", "0.950", "0.917", "0.942", "0.964"}),
			block("mtd", t1cols,
				[]string{"NMI", "0.390", "0.421", "0.380", "0.368", "0.220", "0.181", "-"},
				[]string{"ARI", "0.314", "0.322", "0.390", "0.361", "0.188", "0.219", "-"},
				[]string{"F1", "0.490", "0.609", "0.617", "0.600", "0.467", "0.465", "-"},
				[]string{"AUPRO", "-", "0.837", "0.729", "0.741", "0.731", "0.516", "-"})),
		"II": join(
			block("mvtec", t2cols,
				[]string{"NMI", "0.093", "0.136", "0.210", "0.146", "0.417", "0.452", "0.431", "0.525", "0.613"},
				[]string{"ARI", "0.020", "0.053", "0.103", "0.052", "0.302", "0.346", "0.333", "0.431", "0.526"},
				[]string{"F1", "0.285", "0.264", "0.335", "0.342", "0.553", "0.569", "0.542", "0.604", "0.712"},
				[]string{"AUPRO", "-", "-", "-", "-", "-", "-", "-", "-", "0.938"}),
			block("mtd", t2cols,
				[]string{"NMI", "0.064", "0.028", "0.041", "0.034", "0.211", "0.105", "0.138", "0.179", "0.268"},
				[]string{"ARI", "0.020", "0.009", "0.029", "0.011", "0.115", "0.048", "0.067", "0.120", "0.228"},
				[]string{"F1", "0.252", "0.243", "0.282", "0.221", "0.381", "0.293", "0.324", "0.346", "0.509"},
				[]string{"AUPRO", "-", "-", "-", "-", "-", "-", "-", "-", "0.769"})),
		"III": join(block("mvtec", []string{"Avg FPR", "Avg FNR", "NMI", "ARI", "F1"},
			[]string{"fixed θ = 0.1", "0.572", "0.617", "0.554", "0.482", "0.650"},
			[]string{"fixed θ = 0.3", "0.678", "0.742", "0.499", "0.404", "0.587"},
			[]string{"fixed θ = 0.5", "0.484", "0.165", "0.567", "0.458", "0.640"},
			[]string{"fixed θ = 0.7", "0.269", "0.247", "0.495", "0.395", "0.623"},
			[]string{"fixed θ = 0.9", "0.544", "0.593", "0.077", "0.013", "0.337"},
			[]string{"Otsu", "0.676", "0.525", "0.382", "0.268", "0.499"},
			[]string{"MEBin", "0.153", "0.035", "0.613", "0.526", "0.712"})),
		"IV": join(block("mvtec", nafc,
			[]string{"none", "0.598", "0.494", "0.698"},
			[]string{"all", "0.507", "0.382", "0.600"},
			[]string{"patch", "0.563", "0.467", "0.686"},
			[]string{"cls", "0.613", "0.526", "0.712"})),
		"V": join(
			block("mvtec", nafc,
				[]string{"1", "0.606", "0.508", "0.690"}, []string{"3", "0.608", "0.511", "0.694"},
				[]string{"6", "0.613", "0.519", "0.713"}, []string{"9", "0.613", "0.526", "0.712"},
				[]string{"12", "0.609", "0.521", "0.712"}),
			block("mtd", nafc,
				[]string{"1", "0.191", "0.157", "0.420"}, []string{"3", "0.209", "0.173", "0.436"},
				[]string{"6", "0.253", "0.214", "0.492"}, []string{"9", "0.268", "0.228", "0.509"},
				[]string{"12", "0.249", "0.213", "0.492"})),
		"VI": join(
			block("mvtec", t6cols,
				[]string{"w/o crop", "0.622", "0.549", "0.740", "0.650", "0.584", "0.755", "0.501", "0.396", "0.637", "0.676", "0.616", "0.777"},
				[]string{"w crop", "0.613", "0.526", "0.712", "0.670", "0.601", "0.769", "0.516", "0.394", "0.641", "0.675", "0.609", "0.769"}),
			block("mtd", t6cols,
				[]string{"w/o crop", "0.086", "0.076", "0.374", "0.142", "0.166", "0.432", "0.105", "0.066", "0.379", "0.107", "0.134", "0.407"},
				[]string{"w crop", "0.268", "0.228", "0.509", "0.380", "0.390", "0.617", "0.220", "0.188", "0.467", "0.181", "0.219", "0.465"})),
		"VII": join(
			block("mvtec", nafc,
				[]string{"average", "0.610", "0.521", "0.709"},
				[]string{"score", "0.600", "0.513", "0.703"},
				[]string{"area", "0.613", "0.526", "0.712"}),
			block("mtd", nafc,
				[]string{"average", "0.257", "0.223", "0.501"},
				[]string{"score", "0.228", "0.208", "0.485"},
				[]string{"area", "0.268", "0.228", "0.509"})),
		"VIII": join(block("mvtec", []string{"Precision", "Recall", "NMI", "ARI", "F1"},
			[]string{"w/o PLR", "0.797", "0.727", "0.597", "0.517", "0.714"},
			[]string{"w PLR", "0.821", "0.876", "0.613", "0.526", "0.712"})),
		"IX": join(
			block("mvtec", nafc,
				[]string{"w/o D^l", "0.583", "0.506", "0.689"},
				[]string{"w D^l", "0.613", "0.526", "0.712"}),
			block("mtd", nafc,
				[]string{"w/o D^l", "0.227", "0.202", "0.485"},
				[]string{"w D^l", "0.268", "0.228", "0.509"})),
		"X": join(
			block("mvtec", nafc,
				[]string{"AC", "0.711", "0.638", "0.718"},
				[]string{"Ours", "0.871", "0.851", "0.909"}),
			block("mtd", nafc,
				[]string{"AC", "0.467", "0.359", "0.482"},
				[]string{"Ours", "0.829", "0.863", "0.841"})),
	}
}
