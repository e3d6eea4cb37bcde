//! The editor's review page: one self-contained file (no network), the article with each claim
//! highlighted by verdict; a click shows the evidence beside the claim with the source's URL,
//! the copy used, capture time and SHA-256. Filters by verdict and finding; phone-sized and
//! printable. All data travels as JSON and is inserted with textContent, so a source that
//! contains markup stays text.

use super::escape::xml;
use super::{Renderer, Report};

const CSS: &str = r#"
:root{--sup:#1a7f37;--part:#9a6700;--not:#cf222e;--unv:#6e7781;--bg:#fff;--fg:#1f2328;--mut:#656d76;--line:#d0d7de}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:12px 16px;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:2}
h1{font-size:18px;margin:0 0 6px}.sum{color:var(--mut);font-size:13px}
.filters{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px;font-size:13px}.filters label{white-space:nowrap}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:0}
#article{padding:16px;white-space:pre-wrap;word-wrap:break-word;font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,monospace;border-right:1px solid var(--line)}
#detail{padding:16px;position:sticky;top:110px;align-self:start;max-height:calc(100vh - 110px);overflow:auto}
.claim{cursor:pointer;border-radius:3px;padding:1px 0;outline-offset:1px}
.claim.supported{background:#dafbe1}.claim.partially_supported{background:#fff8c5}.claim.not_supported{background:#ffebe9}.claim.unverifiable{background:#eaeef2}
.claim.sel{outline:2px solid #0969da}.claim.hidden{background:none;cursor:auto}
.badge{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;color:#fff}
.badge.supported{background:var(--sup)}.badge.partially_supported{background:var(--part)}.badge.not_supported{background:var(--not)}.badge.unverifiable{background:var(--unv)}
.f{border-left:3px solid var(--line);padding:2px 8px;margin:6px 0;font-size:14px}.f.error{border-color:var(--not)}.f.warning{border-color:var(--part)}.f.note{border-color:var(--unv)}
.code{font:12px ui-monospace,monospace;background:#f6f8fa;padding:0 4px;border-radius:3px}
.side{display:grid;grid-template-columns:1fr 1fr;gap:8px}.box{border:1px solid var(--line);border-radius:6px;padding:8px;font-size:14px}
.box h3{margin:0 0 4px;font-size:12px;text-transform:uppercase;color:var(--mut)}
mark{background:#aceebb;padding:0}.meta{font-size:12px;color:var(--mut);word-break:break-all}
.list{list-style:none;padding:0;margin:0}
@media (max-width:760px){main{grid-template-columns:1fr}#article{border-right:none;border-bottom:1px solid var(--line)}#detail{position:static;max-height:none}.side{grid-template-columns:1fr}}
@media print{header{position:static}main{display:block}#detail{display:none}#all{display:block!important}.claim{outline:none!important}.filters{display:none}}
#all{display:none;padding:16px}
"#;

const JS: &str = r#"
(function(){
var data=JSON.parse(document.getElementById('ibid-data').textContent);
var art=document.getElementById('article'),det=document.getElementById('detail');
function el(t,c,txt){var e=document.createElement(t);if(c)e.className=c;if(txt!=null)e.textContent=txt;return e}
var enc=new TextEncoder(),dec=new TextDecoder();
function build(a){
  art.textContent='';var bytes=enc.encode(a.source);var pos=0;
  var claims=a.claims.map(function(c,i){return {c:c,i:i}}).sort(function(x,y){return x.c.start-y.c.start});
  claims.forEach(function(o){var c=o.c;if(c.start<pos)return;
    art.appendChild(document.createTextNode(dec.decode(bytes.slice(pos,c.start))));
    var s=el('span','claim '+c.verdict,dec.decode(bytes.slice(c.start,c.end)));
    s.tabIndex=0;s.dataset.idx=o.i;s.dataset.codes=c.findings.map(function(f){return f.code}).join(' ');
    s.setAttribute('role','button');s.title=c.verdict.replace('_',' ')+' ('+c.score.toFixed(2)+')';
    s.addEventListener('click',function(){show(a,o.i,s)});
    s.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(a,o.i,s)}});
    art.appendChild(s);pos=c.end});
  art.appendChild(document.createTextNode(dec.decode(bytes.slice(pos))));
}
function words(t){return t.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g,'').split(/[^\p{L}\p{N}]+/u).filter(Boolean)}
function highlight(text,matched){var ms=matched.map(function(w){return words(w)[0]||''}).filter(Boolean);var frag=document.createDocumentFragment();
  text.split(/(\s+)/).forEach(function(tok){var w=words(tok)[0]||'';var hit=w&&ms.some(function(m){var n=Math.min(m.length,w.length,Math.max(4,Math.min(m.length,w.length)-2));return w.slice(0,n)===m.slice(0,n)});
  frag.appendChild(hit?el('mark',null,tok):document.createTextNode(tok))});return frag}
function show(a,i,span){
  document.querySelectorAll('.claim.sel').forEach(function(x){x.classList.remove('sel')});if(span)span.classList.add('sel');
  var c=a.claims[i];det.textContent='';
  var h=el('div');h.appendChild(el('span','badge '+c.verdict,c.verdict.replace('_',' ')));h.appendChild(document.createTextNode(' score '+c.score.toFixed(2)+' \u00b7 line '+c.line+':'+c.column+' \u00b7 cites '+c.citations.map(function(l){return '['+l+']'}).join('')));det.appendChild(h);
  var fl=el('div');c.findings.forEach(function(f){var d=el('div','f '+f.severity);d.appendChild(el('span','code',f.code));d.appendChild(document.createTextNode(' '+f.message));fl.appendChild(d)});det.appendChild(fl);
  var side=el('div','side');var b1=el('div','box');b1.appendChild(el('h3',null,'Claim'));b1.appendChild(highlight(c.text,c.matched));side.appendChild(b1);
  var b2=el('div','box evidence');b2.appendChild(el('h3',null,'Evidence'));
  if(!c.evidence.length)b2.appendChild(el('p',null,'No passage of the source matches this claim.'));
  c.evidence.forEach(function(e){var p=el('p');p.appendChild(el('span','code','['+e.source_id+']'));p.appendChild(document.createTextNode(' '));p.appendChild(highlight(e.text,c.matched));b2.appendChild(p)});
  side.appendChild(b2);det.appendChild(side);
  if(c.unsupported.length){det.appendChild(el('p',null,'Not found in the evidence: '+c.unsupported.join(', ')))}
  var ul=el('ul','list');c.sources.forEach(function(s){var li=el('li','meta');
    li.appendChild(el('strong',null,'['+s.id+'] '));var u=s.url||'(no url)';var aa=el('a',null,u);if(/^https?:/.test(u))aa.href=u;aa.rel='noopener noreferrer';li.appendChild(aa);
    var extra=[];if(s.copy)extra.push(s.copy+' copy'+(s.checked_url&&s.checked_url!==s.url?' '+s.checked_url:''));if(s.captured)extra.push('captured '+s.captured);if(s.digest)extra.push(s.digest);
    if(extra.length)li.appendChild(el('div',null,extra.join(' \u00b7 ')));ul.appendChild(li)});det.appendChild(el('h3',null,'Sources'));det.appendChild(ul);
}
function filter(){var vs={};document.querySelectorAll('input[data-v]').forEach(function(x){vs[x.dataset.v]=x.checked});var code=document.getElementById('code').value;
  document.querySelectorAll('.claim').forEach(function(s){var c=cur.claims[+s.dataset.idx];var ok=vs[c.verdict]&&(!code||s.dataset.codes.split(' ').indexOf(code)>=0);s.classList.toggle('hidden',!ok)})}
var cur=data.articles[0];var sel=document.getElementById('art');
data.articles.forEach(function(a,i){var o=el('option',null,a.path);o.value=i;sel.appendChild(o)});
sel.addEventListener('change',function(){cur=data.articles[+sel.value];build(cur);filter();det.textContent='Click a highlighted claim to see its evidence.'});
document.querySelectorAll('input[data-v]').forEach(function(x){x.addEventListener('change',filter)});document.getElementById('code').addEventListener('change',filter);
var codes={};data.articles.forEach(function(a){a.claims.forEach(function(c){c.findings.forEach(function(f){codes[f.code]=1})})});
Object.keys(codes).sort().forEach(function(k){var o=el('option',null,k);o.value=k;document.getElementById('code').appendChild(o)});
if(cur){build(cur);var first=document.querySelector('.claim.not_supported,.claim.partially_supported');det.textContent='Click a highlighted claim to see its evidence.';}
var all=document.getElementById('all');data.articles.forEach(function(a){a.claims.forEach(function(c){if(!c.findings.length)return;var d=el('div','f');d.appendChild(el('strong',null,a.path+':'+c.line+' '));d.appendChild(document.createTextNode(c.text));c.findings.forEach(function(f){d.appendChild(el('div','meta',f.code+': '+f.message))});all.appendChild(d)})});
})();
"#;

/// JSON for a `<script type="application/json">` block: no `</script>` or `<!--` can close it.
fn script_safe(json: &str) -> String {
    crate::text::ci_safe_json(json)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

pub struct Html;

impl Renderer for Html {
    fn render(&self, r: &Report) -> String {
        render(r)
    }
}

fn render(r: &Report) -> String {
    #[derive(serde::Serialize)]
    struct Art<'a> {
        path: &'a str,
        source: &'a str,
        claims: &'a [super::ClaimReport],
        findings: &'a [crate::findings::Finding],
    }
    let shown: Vec<(String, Vec<super::ClaimReport>)> = r
        .articles
        .iter()
        .map(|a| shown_source(&a.source, &a.claims))
        .collect();
    let arts: Vec<Art> = r
        .articles
        .iter()
        .zip(&shown)
        .map(|(a, (source, claims))| Art {
            path: &a.path,
            source,
            claims,
            findings: &a.findings,
        })
        .collect();
    let data = serde_json::json!({ "articles": arts, "summary": r.summary });
    let data = script_safe(&serde_json::to_string(&data).unwrap_or_else(|_| "{}".into()));
    let title = r
        .articles
        .iter()
        .map(|a| a.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut other = String::new();
    for a in &r.articles {
        for f in &a.findings {
            other.push_str(&format!(
                "<li class=\"f {}\"><span class=\"code\">{}</span> {}</li>",
                f.severity.as_str(),
                xml(f.code.as_str()),
                xml(&f.message)
            ));
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
<title>ibid review: {}</title><style>{CSS}</style></head><body>\
<header><h1>ibid review: {}</h1><div class=\"sum\">{}</div>\
<div class=\"filters\"><label>article <select id=\"art\"></select></label>\
<label><input type=\"checkbox\" data-v=\"supported\" checked> supported</label>\
<label><input type=\"checkbox\" data-v=\"partially_supported\" checked> partially supported</label>\
<label><input type=\"checkbox\" data-v=\"not_supported\" checked> not supported</label>\
<label><input type=\"checkbox\" data-v=\"unverifiable\" checked> unverifiable</label>\
<label>finding <select id=\"code\"><option value=\"\">any</option></select></label></div></header>\
<main><div id=\"article\" aria-label=\"article\"></div><aside id=\"detail\" aria-live=\"polite\">Loading\u{2026}</aside></main>\
<section id=\"all\"><h2>Claims with findings</h2></section>\
<section style=\"padding:0 16px 16px\"><h2 style=\"font-size:15px\">Findings about sources and references</h2><ul class=\"list\">{}</ul></section>\
<script type=\"application/json\" id=\"ibid-data\">{data}</script><script>{JS}</script></body></html>\n",
        xml(&title),
        xml(&title),
        xml(&r.summary_line()),
        other
    )
}

/// Between two paragraphs of the view that are not adjacent in the article.
const GAP: &str = "\n[\u{2026}]\n\n";

/// What the view needs of the article, and no more: the paragraphs (runs of non-blank lines)
/// that hold a claim, in order, with a gap mark where text was left out, and the claims with
/// their spans moved into that text. An article file that holds anything else (front matter,
/// comments, a page's scripts, or a file that is not an article at all) does not travel into
/// the report beyond the paragraphs around its claims.
fn shown_source(source: &str, claims: &[super::ClaimReport]) -> (String, Vec<super::ClaimReport>) {
    let lines: Vec<(usize, &str)> = source
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .collect();
    let blank = |i: usize| lines[i].1.trim().is_empty();
    let line_of = |p: usize| lines.partition_point(|(s, _)| *s <= p).saturating_sub(1);
    // the byte range of the paragraph around each claim, merged where they touch
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for c in claims {
        let (start, end) = (c.claim.location.start, c.claim.location.end);
        if lines.is_empty() || start > end || end > source.len() {
            continue;
        }
        let (mut first, mut last) = (line_of(start), line_of(end.saturating_sub(1).max(start)));
        while first > 0 && !blank(first - 1) {
            first -= 1;
        }
        while last + 1 < lines.len() && !blank(last + 1) {
            last += 1;
        }
        let range = (lines[first].0, lines[last].0 + lines[last].1.len());
        ranges.push(range);
    }
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            // adjacent paragraphs (only blank lines between them) are shown as they stand
            Some(m) if r.0 <= m.1 || source[m.1..r.0].trim().is_empty() => m.1 = m.1.max(r.1),
            _ => merged.push(r),
        }
    }
    let mut text = String::new();
    // (article offset of a range, its offset in `text`)
    let mut moved: Vec<(usize, usize, usize)> = Vec::new();
    for (a, b) in &merged {
        if *a > 0 || !text.is_empty() {
            text.push_str(GAP);
        }
        moved.push((*a, *b, text.len()));
        text.push_str(&source[*a..*b]);
    }
    if merged.last().is_some_and(|m| m.1 < source.len()) {
        text.push_str(GAP.trim_end());
    }
    let claims = claims
        .iter()
        .map(|c| {
            let mut c = c.clone();
            let loc = &mut c.claim.location;
            match moved
                .iter()
                .find(|(a, b, _)| *a <= loc.start && loc.end <= *b)
            {
                Some((a, _, at)) => {
                    loc.start = loc.start - a + at;
                    loc.end = loc.end - a + at;
                }
                None => {
                    loc.start = 0;
                    loc.end = 0;
                }
            }
            c
        })
        .collect();
    (text, claims)
}
