package ablations

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetectorTable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.json", `{"method":"patchcore","format":"mvtec","categories":{"x":{"aupro":0.5,"image_auroc":0.9,"pixel_auroc":0.8},"y":{"aupro":0.7,"image_auroc":null,"pixel_auroc":0.9}},"mean":{"aupro":0.6,"image_auroc":0.9,"pixel_auroc":0.85}}`)
	b := write("b.json", `{"method":"gt","format":"mtd","categories":{"mtd":{"aupro":1,"image_auroc":1,"pixel_auroc":1}},"mean":{"aupro":1,"image_auroc":1,"pixel_auroc":1}}`)
	var out bytes.Buffer
	if err := DetectorTable(&out, []string{b, a}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	i, j := strings.Index(text, "patchcore"), strings.Index(text, "| gt ")
	if i < 0 || j < 0 || i > j {
		t.Fatalf("want MVTec rows before MTD rows:\n%s", text)
	}
	if !strings.Contains(text, "0.500–0.700") || !strings.Contains(text, "| 0.600 ") {
		t.Errorf("missing AUPRO mean or range:\n%s", text)
	}
	bad := write("bad.json", `{"categories":{}}`)
	if err := DetectorTable(&out, []string{bad}); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("want an error naming bad.json, got %v", err)
	}
}
