package detect

import "testing"

// benchmarkMethod times one detector on a 128x128 category of 30 normal
// training images and 30 test images (15 with a defect).
func benchmarkMethod(b *testing.B, method string) {
	train, test := category(128, 30, 30)
	det, err := New(method, Config{GTNoisy: GTNoisyAtLevel(0.5)})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := det.Detect(Input{Train: train, Test: test, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPatchCore(b *testing.B) { benchmarkMethod(b, "patchcore") }
func BenchmarkPaDiM(b *testing.B)     { benchmarkMethod(b, "padim") }
func BenchmarkMuSc(b *testing.B)      { benchmarkMethod(b, "musc") }
func BenchmarkGT(b *testing.B)        { benchmarkMethod(b, "gt") }
func BenchmarkGTNoisy(b *testing.B)   { benchmarkMethod(b, "gt-noisy") }
