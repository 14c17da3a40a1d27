package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds a Chromium or Chrome binary. Where there is none the
// browser check is skipped, except in CI (CI set), where it fails: CI
// installs the Debian package chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium on PATH: the report's browser check needs it (Debian: apt-get install chromium)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI must install it")
	}
	t.Skip(msg + "; skipped outside CI")
	return ""
}

// artifactDir is where the browser check keeps its screenshots:
// $ANCD_TEST_ARTIFACTS, else out/test-artifacts at the repository root.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("ANCD_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "out", "test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// checkReportInBrowser opens the report's index.html from disk in headless
// Chromium, with every network request outside file: and data: recorded as
// a failure, and checks that Tables I-X, the claims, a figure and a run page
// render, and that clicking a column header sorts the table. It keeps
// screenshots (PNG) of the index, the sorted table and a run page.
func checkReportInBrowser(t *testing.T, reportDir string) {
	exe := chromiumPath(t)
	index, err := filepath.Abs(filepath.Join(reportDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1400, 1000),
		// offline: nothing outside the page may be fetched
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()

	var mu sync.Mutex
	var external []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			u := e.Request.URL
			if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") {
				mu.Lock()
				external = append(external, u)
				mu.Unlock()
			}
		}
	}); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}

	type indexPage struct {
		Tables        int      `json:"tables"`
		Claims        int      `json:"claims"`
		Figures       int      `json:"figures"`
		LoadedFigures int      `json:"loaded"`
		RunLinks      int      `json:"runLinks"`
		Missing       []string `json:"missing"`
	}
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+index), chromedp.WaitReady(chromedp.CSS("#runs-table"))); err != nil {
		t.Fatalf("loading %s in %s: %v", index, exe, err)
	}
	page, err := chromedp.Run(bctx, chromedp.Evaluate[indexPage](`(function(){
		var missing = [];
		["I","II","III","IV","V","VI","VII","VIII","IX","X"].forEach(function(id){
			if (!document.querySelector("#table-"+id) || !document.querySelector("#t-"+id+" tbody tr")) missing.push("Table "+id);
		});
		var figs = document.querySelectorAll("figure img"), loaded = 0;
		figs.forEach(function(i){ if (i.complete && i.naturalWidth > 0) loaded++; });
		return {tables: document.querySelectorAll("h2[id^=table-]").length,
			claims: document.querySelectorAll("#claims tbody tr").length,
			figures: figs.length, loaded: loaded,
			runLinks: document.querySelectorAll("a.run").length, missing: missing};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Missing) > 0 || page.Tables != 10 {
		t.Errorf("report lacks tables: %d table sections, missing %v", page.Tables, page.Missing)
	}
	if page.Claims == 0 || page.Figures == 0 || page.LoadedFigures != page.Figures || page.RunLinks == 0 {
		t.Errorf("report: %d claim rows, %d figures of which %d rendered, %d run links", page.Claims, page.Figures, page.LoadedFigures, page.RunLinks)
	}

	// sorting: Table III's "Avg FPR" column, ascending then descending
	column := func() []float64 {
		vals, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#t-III tbody tr")).map(function(r){return r.cells[1].getAttribute("data-v")||""})`))
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, v := range vals {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("Table III cell sort key %q: %v", v, err)
			}
			out = append(out, f)
		}
		return out
	}
	header := chromedp.CSS(`#t-III thead th:nth-child(2)`)
	click := func() string {
		if err := chromedp.Do(bctx, chromedp.Click(header)); err != nil {
			t.Fatal(err)
		}
		// read the attribute in the page: chromedp's DOM cache may lag
		state, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("#t-III thead th:nth-child(2)").getAttribute("aria-sort") || ""`))
		if err != nil {
			t.Fatal(err)
		}
		return state
	}
	before := column()
	state := click()
	asc := column()
	if state != "ascending" || !slices.IsSorted(asc) || len(asc) != len(before) || slices.Equal(asc, before) && !slices.IsSorted(before) {
		t.Errorf("after one click: aria-sort %q, column %v (before %v)", state, asc, before)
	}
	state = click()
	desc := column()
	slices.Reverse(desc)
	if state != "descending" || !slices.IsSorted(desc) {
		t.Errorf("after two clicks: aria-sort %q, column reversed %v", state, desc)
	}

	// screenshots: the sorted table, and the top of the page
	dir := artifactDir(t)
	save := func(name string, shot []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shot, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.CSS("#t-III")))
	save("report-sorted-table.png", shot, err)
	if err := chromedp.Do(bctx, chromedp.ScrollIntoView(chromedp.CSS("header"))); err != nil {
		t.Fatal(err)
	}
	shot, err = chromedp.Run(bctx, chromedp.CaptureScreenshot())
	save("report-index.png", shot, err)

	// a run page, reached from a table cell's link
	type runPage struct {
		Title      string `json:"title"`
		Config     string `json:"config"`
		Curves     int    `json:"curves"`
		Confusion  int    `json:"confusion"`
		Provenance int    `json:"provenance"`
		Rows       int    `json:"rows"`
		Diagnosed  int    `json:"diagnosed"`
	}
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`#t-II tbody tr:first-child td:nth-child(2) a.run`)),
		chromedp.WaitReady(chromedp.CSS("#provenance-table"))); err != nil {
		t.Fatalf("run page: %v", err)
	}
	run, err := chromedp.Run(bctx, chromedp.Evaluate[runPage](`(function(){
		function ok(sel){ var i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0 ? 1 : 0; }
		return {title: document.title, config: document.querySelector("#config + pre").textContent,
			curves: ok("#curves + figure img"), confusion: document.querySelectorAll("table.confusion tbody tr").length,
			provenance: document.querySelectorAll("#provenance-table tbody tr").length,
			rows: document.querySelectorAll("#metrics tbody tr").length,
			diagnosed: document.querySelectorAll("#diagnostics-table tbody tr").length};
	})()`))
	if err != nil {
		t.Fatalf("run page: %v", err)
	}
	if !strings.Contains(run.Title, "MuSc + AnomalyNCD") || !strings.Contains(run.Config, `"seed"`) ||
		run.Curves != 1 || run.Confusion < 2 || run.Provenance < 5 || run.Rows == 0 || run.Diagnosed != run.Rows {
		t.Errorf("run page: %+v", run)
	}
	shot, err = chromedp.Run(bctx, chromedp.CaptureScreenshot())
	save("report-run.png", shot, err)
	shot, err = chromedp.Run(bctx, chromedp.Screenshot(chromedp.CSS("table.confusion")))
	save("report-run-confusion.png", shot, err)
	mu.Lock()
	defer mu.Unlock()
	if len(external) > 0 {
		t.Errorf("the report requested %d non-local resources: %v", len(external), external)
	}
	t.Logf("report rendered in %s; screenshots in %s", filepath.Base(exe), dir)
}
