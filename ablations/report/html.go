package report

import "html/template"

// style is the report's whole stylesheet (inline: no external resources).
const style = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;margin:0;color:#1b1f24;background:#fff}
header{background:#24292f;color:#fff;padding:10px 20px}
header h1{font-size:20px;margin:0 0 4px}
nav a{color:#c9d1d9;margin-right:12px;text-decoration:none;font-size:13px}
nav a:hover{color:#fff;text-decoration:underline}
main{padding:8px 20px 40px;max-width:1500px}
h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
h3{margin-top:22px}
.meta{color:#57606a}
table{border-collapse:collapse;margin:8px 0 12px;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th::after{content:" \2195";color:#8c959f;font-size:11px}
table.sortable th[aria-sort=ascending]::after{content:" \25B2";color:#0969da}
table.sortable th[aria-sort=descending]::after{content:" \25BC";color:#0969da}
tbody tr:nth-child(even){background:#fafbfc}
td .muted{color:#8c959f;margin-left:4px}
td .num{white-space:nowrap}
td .runs{display:block;font-size:11px;line-height:1.2}
td a.run{margin-right:5px;color:#0969da}
.v-agrees{background:#dafbe1;font-weight:600}
.v-disagrees{background:#ffebe9;font-weight:600}
.v-inconclusive{background:#fff8c5}
.v-no-pairs,.v-not-run{background:#eaeef2}
li.claim{margin:4px 0}
figure{margin:16px 0;border:1px solid #d0d7de;padding:8px;display:inline-block;max-width:100%}
figure img{max-width:100%;height:auto;display:block}
figcaption{color:#57606a;font-size:13px;margin-top:6px}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;overflow:auto;max-height:420px;font-size:12px}
details{margin:8px 0}
table.confusion td{text-align:center;min-width:42px}
`

// script sorts a table.sortable by the clicked column: numbers (data-v)
// numerically, other cells by text, empty values last; a second click
// reverses. Rows keep their original order among equals.
const script = `
(function(){
  function key(td){var v=td.getAttribute("data-v");return v===null?td.textContent.trim():v;}
  function sortBy(t,th,i){
    var asc=th.getAttribute("aria-sort")!=="ascending";
    Array.prototype.forEach.call(t.tHead.rows[0].cells,function(c){c.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",asc?"ascending":"descending");
    var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=key(a.cells[i]),y=key(b.cells[i]),nx=parseFloat(x),ny=parseFloat(y),c;
      var ex=(x===""),ey=(y==="");
      if(ex!==ey){return ex?1:-1;}
      if(!isNaN(nx)&&!isNaN(ny)){c=nx-ny;}
      else if(isNaN(nx)!==isNaN(ny)){return isNaN(nx)?1:-1;}
      else{c=x<y?-1:(x>y?1:0);}
      if(!asc){c=-c;}
      return c!==0?c:(a.getAttribute("data-i")-b.getAttribute("data-i"));
    });
    rows.forEach(function(r){body.appendChild(r);});
  }
  document.querySelectorAll("table.sortable").forEach(function(t){
    Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
      th.tabIndex=0;
      th.addEventListener("click",function(){sortBy(t,th,i);});
      th.addEventListener("keydown",function(e){if(e.key==="Enter"){sortBy(t,th,i);}});
    });
  });
})();
`

var templates = template.Must(template.New("report").Funcs(template.FuncMap{
	"style":  func() template.CSS { return template.CSS(style) },
	"script": func() template.JS { return template.JS(script) },
}).Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{style}}</style>
</head>
<body>
<header><h1>{{.Title}}</h1>
<nav>{{range .Nav}}<a href="{{.Href}}">{{.Text}}</a>{{end}}</nav></header>
<main>
{{end}}

{{define "foot"}}</main>
<script>{{script}}</script>
</body>
</html>
{{end}}

{{define "table"}}<table class="sortable" id="{{.ID}}">
<thead><tr>{{range .Header}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range $i, $row := .Rows}}<tr data-i="{{$i}}">{{range $row}}<td{{if .Sort}} data-v="{{.Sort}}"{{end}}{{if .Class}} class="{{.Class}}"{{end}}><span{{if .Sort}} class="num"{{end}}>{{.Text}}</span>{{if .Muted}}<span class="muted">{{.Muted}}</span>{{end}}{{if .Links}}<span class="runs">{{range .Links}}<a class="run" href="{{.Href}}" title="{{.Title}}">{{.Text}}</a>{{end}}</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}

{{define "index"}}{{template "head" .}}{{with .Body}}
<p class="meta">Profile <code>{{.Header.Profile}}</code> · dataset <code>{{.Header.Dataset}}</code> · seeds {{range $i, $s := .Header.Seeds}}{{if $i}}, {{end}}{{$s}}{{end}} · code <code>{{.Header.CodeVersion}}</code> · config hash <code>{{.Header.ConfigHash}}</code> · {{.Header.Tasks}} stage tasks ({{.Header.Executions}} executions before sharing)</p>
<p class="meta">Written by <code>ancd ablations</code> from the run store together with RESULTS.md. Cells are our mean ± sample std over the seeds, the paper's number in grey{{if .Synth}}; the numbers come from the embedded synthetic benchmark, so they are comparable with each other, not with the paper's{{end}}. Click a column header to sort; the links in a cell open the run of each seed.</p>

<h2 id="claims">The paper's claims</h2>
<p>{{.Method}}</p>
{{template "table" .Claims}}

{{range .Tables}}
<h2 id="{{.Anchor}}">Table {{.ID}} — {{.Title}}</h2>
<p class="meta">Sweep: <code>configs/{{.Sweep}}</code></p>
{{template "table" .T}}
{{if .Note}}<p>{{.Note}}</p>{{end}}
{{with .Paper}}<p>Not reproduced (not implemented here; the paper's numbers only):</p>
{{template "table" .}}{{end}}
{{if .Claims}}<ul>{{range .Claims}}<li class="claim"><span class="{{.Verdict}}">Claim</span> {{.Line}}</li>{{end}}</ul>{{end}}
{{end}}

<h2 id="appendix">Per-category results</h2>
<p>The rows of Table II (the default configuration and the baselines on the same maps) per category and seed.</p>
{{range .Appendix}}<h3>{{.Title}}</h3>
{{template "table" .T}}{{end}}

<h2 id="figures">Figures</h2>
{{range .Figures}}<figure id="{{.ID}}"><img {{.Src}} alt="{{.Title}}"><figcaption>{{.Title}}</figcaption></figure>
{{else}}<p>No figures were drawn (<code>--plots</code> was empty).</p>{{end}}
{{range .Notes}}<p class="meta">{{.}}</p>{{end}}

<h2 id="runs">Runs</h2>
<p>One page per run: a seed of a table row, identified by the entry that scores it.</p>
{{template "table" .Runs}}
{{end}}{{template "foot" .}}{{end}}

{{define "run"}}{{template "head" .}}{{with .Body}}
<p class="meta">Seed {{.Seed}} · {{.Stage}} entry <code>{{.Key}}</code>{{if .Prefix}} · baseline <code>{{.Prefix}}</code>{{end}} · sweep <code>configs/{{.Sweep}}</code>, point <code>{{.Point}}</code></p>
<p>Used in: {{range $i, $u := .Uses}}{{if $i}}, {{end}}<a href="{{$u.Href}}" title="{{$u.Title}}">{{$u.Text}}</a>, row “{{$u.Title}}”{{end}}</p>

<h2 id="metrics">Metrics per category</h2>
{{template "table" .Metrics}}

{{if .Trained}}
<h2 id="curves">Training curves</h2>
{{if .Curves}}<figure><img {{.Curves}} alt="training curves"><figcaption>MGCRL losses per epoch, one panel per category.</figcaption></figure>{{else}}<p>No metrics.jsonl in the train entry.</p>{{end}}

<h2 id="diagnostics">Diagnostics</h2>
{{range .Diagnostics}}<h3>{{.Title}} <span class="meta">({{.Source}})</span></h3>
{{template "table" .T}}{{else}}<p>The train entry holds no diagnostics.</p>{{end}}

<h2 id="confusion">Confusion matrices</h2>
<p>Rows: true class; columns: predicted cluster after the Hungarian mapping of the evaluation; shading: share of the true class.</p>
{{range .Confusion}}<h3>{{.Title}} <span class="meta">({{.Accuracy}})</span></h3>
<table class="confusion"><thead><tr><th>true \ predicted</th>{{range .Classes}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><th>{{.Class}}</th>{{range .Cells}}<td style="{{.Style}}">{{.Count}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{else}}<p>No image predictions.</p>{{end}}
{{end}}

<h2 id="config">Resolved config</h2>
<pre>{{.Config}}</pre>

<h2 id="provenance">Provenance</h2>
<table class="sortable" id="provenance-table">
<thead><tr><th>Stage</th><th>Key</th><th>Seed</th><th>Commit</th><th>Go</th><th>Host</th><th>Start (UTC)</th><th>End (UTC)</th><th>Inputs</th></tr></thead>
<tbody>{{range $i, $p := .Provenance}}<tr data-i="{{$i}}"><td>{{$p.Stage}}</td><td><code title="{{$p.Key}}">{{$p.Short}}</code></td><td>{{$p.Seed}}</td><td><code>{{$p.Commit}}</code></td><td>{{$p.Go}}</td><td>{{$p.Host}}</td><td>{{$p.Start}}</td><td>{{$p.End}}</td><td>{{$p.Inputs}}</td></tr>
{{end}}</tbody></table>
<details><summary>PROVENANCE.json of the {{.Stage}} entry</summary><pre>{{.RawProv}}</pre></details>
{{end}}{{template "foot" .}}{{end}}
`))
