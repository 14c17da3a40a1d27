package train

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// EpochMetrics is one line of metrics.jsonl. Loss means are over the
// epoch's trained (not skipped) batches.
type EpochMetrics struct {
	Epoch          int       `json:"epoch"` // 0-based
	LR             float64   `json:"lr"`
	TeacherTemp    float64   `json:"teacher_temp"`
	Batches        int       `json:"batches"` // trained batches
	Skipped        int       `json:"skipped"` // batches without labeled or unlabeled rows
	Total          float64   `json:"total"`
	Contrastive    float64   `json:"contrastive"`
	SupCon         float64   `json:"supcon"`
	Cls            float64   `json:"cls"`
	Cluster        float64   `json:"cluster"`
	ClusterPerHead []float64 `json:"cluster_per_head"`
	// Timing goes to the log line only, never into metrics.jsonl, so that
	// the same run writes the same file.
	ImagesPerSec float64 `json:"-"`
	Seconds      float64 `json:"-"`
}

// ReadMetrics reads the metrics.jsonl (MetricsFile) that training wrote at
// path, one record per epoch in file order; errors name the file and line.
func ReadMetrics(path string) ([]EpochMetrics, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	var out []EpochMetrics
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var m EpochMetrics
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("train: %s:%d: %w", path, line, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("train: %s: %w", path, err)
	}
	return out, nil
}

// lossSum accumulates the losses of an epoch in batch order.
type lossSum struct {
	n                                        int
	total, contrastive, supcon, cls, cluster float64
	perHead                                  []float64
}

func (s *lossSum) add(l mgvit.Losses) {
	s.n++
	s.total += l.Total
	s.contrastive += l.Contrastive
	s.supcon += l.SupCon
	s.cls += l.Cls
	s.cluster += l.Cluster
	if s.perHead == nil {
		s.perHead = make([]float64, len(l.ClusterPerHead))
	}
	for i, v := range l.ClusterPerHead {
		s.perHead[i] += v
	}
}

// fill writes the means into m.
func (s *lossSum) fill(m *EpochMetrics) {
	m.Batches = s.n
	if s.n == 0 {
		return
	}
	d := float64(s.n)
	m.Total, m.Contrastive, m.SupCon, m.Cls, m.Cluster = s.total/d, s.contrastive/d, s.supcon/d, s.cls/d, s.cluster/d
	m.ClusterPerHead = make([]float64, len(s.perHead))
	for i, v := range s.perHead {
		m.ClusterPerHead[i] = v / d
	}
}

// appendMetrics rewrites path atomically with the lines of epochs before
// m.Epoch kept (from an earlier, interrupted run) and m appended.
func appendMetrics(path string, m EpochMetrics) error {
	var buf bytes.Buffer
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("train: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(old))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var prev EpochMetrics
		if json.Unmarshal(sc.Bytes(), &prev) == nil && prev.Epoch < m.Epoch {
			buf.Write(sc.Bytes())
			buf.WriteByte('\n')
		}
	}
	line, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("train: encode metrics: %w", err)
	}
	buf.Write(line)
	buf.WriteByte('\n')
	return atomicfile.WriteFile(path, buf.Bytes())
}

// ChooseHead returns the head with the smallest mean cluster loss; on a tie
// the last tied head wins (the reference logs every tied head and returns
// the last one's results).
func ChooseHead(clusterPerHead []float64) (int, error) {
	if len(clusterPerHead) == 0 {
		return 0, fmt.Errorf("train: no per-head cluster losses (no batch of the final epoch was trained)")
	}
	best := 0
	for i, v := range clusterPerHead {
		if v <= clusterPerHead[best] {
			best = i
		}
	}
	return best, nil
}
