/// The report page's stylesheet and scripts, inline (the page loads nothing). Their SHA-256 hashes go into
/// the page's Content-Security-Policy, so no other script (nor any event-handler attribute) can run.
enum ReportAssets {
    static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
    header{background:#263238;color:#eceff1;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
    header p{margin:2px 0;color:#b0bec5;font-size:13px}main{padding:8px 28px 40px;max-width:1500px}
    section{background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin:18px 0;padding:14px 18px}
    h2{font-size:17px;margin:0 0 10px}p.note{color:#555;font-size:13px;margin:6px 0}
    table{border-collapse:collapse;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:middle}
    th{background:#f5f5f5;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .cell{display:flex;align-items:center;gap:6px;white-space:nowrap}.cell>span{min-width:92px;font-variant-numeric:tabular-nums}
    svg.defs{position:absolute}.seglabel{font-size:11px;fill:#fff;font-weight:600}.axis{font-size:10px;fill:#555}
    .legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0;font-size:12px}.legend i{display:inline-block;width:14px;height:12px;margin-right:5px;vertical-align:-2px;border:1px solid #999}
    .hists{display:flex;flex-wrap:wrap;gap:24px}.hists figure{margin:0}.hists figcaption{font-size:12px;color:#444}
    .filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-bottom:10px}.filters label{font-size:13px}
    select,button{font:inherit;font-size:13px;padding:2px 6px}
    .card{border:1px solid #ddd;border-radius:6px;margin:10px 0;padding:8px 12px;background:#fff}
    .card h3{font-size:14px;margin:0 0 6px;font-weight:600;word-break:break-all}.badge{display:inline-block;border-radius:3px;padding:0 6px;margin-left:6px;font-size:12px;font-weight:600}
    .b-yes{background:#e15759;color:#fff}.b-maybe{background:#f2c14e}.b-no{background:#dfe7ef}.b-unknown{background:#eee;color:#666}
    .blk{margin:6px 0}.blk .name{font-size:12px;color:#555;font-weight:600}
    pre.text{white-space:pre-wrap;word-wrap:break-word;background:#fcfcfc;border:1px solid #eee;padding:6px 8px;margin:2px 0;font:12.5px/1.5 ui-monospace,Menlo,Consolas,monospace;max-height:360px;overflow:auto}
    .m-evidence{background:#ffe082;border-bottom:2px solid #f9a825}.m-counter_evidence{background:#b2ebf2;border-bottom:2px solid #00838f}
    .m-model_up{text-decoration:underline 2px #e15759}.m-model_down{text-decoration:underline 2px #4e79a7}.m-elision{color:#999}
    details{margin:4px 0;font-size:13px}.snote{color:#8d6e63;font-size:12.5px}.ev li{margin:1px 0}
    #page-errors{color:#b71c1c}.muted{color:#777}td.grp{white-space:nowrap;max-width:260px;overflow:hidden;text-overflow:ellipsis}
    """

    /// Installed first: every uncaught error and `console.error` call is listed in `#page-errors` and counted
    /// in `body[data-errors]`, where a headless browser test (and a reader) can see it.
    static let errorTrap = """
    (function(){var n=0;function rec(m){n++;document.documentElement.setAttribute('data-errors',String(n));
    var l=document.getElementById('page-errors');if(l){var li=document.createElement('li');li.textContent=String(m);l.appendChild(li);}}
    window.addEventListener('error',function(e){rec('error: '+e.message);});
    window.addEventListener('securitypolicyviolation',function(e){rec('blocked by the page policy: '+e.violatedDirective);});
    var ce=console.error;console.error=function(){rec('console.error: '+Array.prototype.join.call(arguments,' '));return ce.apply(console,arguments);};})();
    """

    /// The sample browser: reads the JSON data block and builds every element with `textContent` (never
    /// `innerHTML`), so transcript text stays text.
    static let browser = """
    (function(){
    var data=JSON.parse(document.getElementById('samples-data').textContent);
    var S=data.samples,marks=data.marks;
    function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e;}
    function opt(sel,value,text){var o=document.createElement('option');o.value=value;o.textContent=text;sel.appendChild(o);}
    var fLabel=document.getElementById('f-label'),fBand=document.getElementById('f-band'),fCond=document.getElementById('f-condition'),fGroup=document.getElementById('f-group');
    var labels={},groups={},conds={};
    S.forEach(function(s){Object.keys(s.labels).forEach(function(k){labels[k]=1;});groups[s.group]=1;conds[s.condition]=1;});
    Object.keys(labels).sort().forEach(function(k){opt(fLabel,k,k);});fLabel.value=labels[data.af_label]?data.af_label:fLabel.value;
    ['any','yes','maybe','no','unknown'].forEach(function(b){opt(fBand,b,b);});
    opt(fCond,'*','any');Object.keys(conds).sort().forEach(function(c){opt(fCond,c,c);});
    opt(fGroup,'*','any');Object.keys(groups).sort().forEach(function(g){opt(fGroup,g,g);});
    var list=document.getElementById('samples'),count=document.getElementById('sample-count'),more=document.getElementById('more');
    var shown=0,matches=[];
    function card(s){
      var c=el('div','card');var h=el('h3',null,'#'+s.n+' · id '+(s.id===null?'null':s.id)+' · '+s.file+' record '+s.record+' · '+s.condition+(data.grouped?' · '+s.group:''));
      var af=s.labels[data.af_label];
      if(af){var b=el('span','badge b-'+af[0],data.af_label+' '+af[0]+(af[1]===null?'':' '+af[1].toFixed(3)));h.appendChild(b);}
      var oc=s.labels['out.compliance'];if(oc&&oc[2]){h.appendChild(el('span','badge b-unknown','output '+oc[2]));}
      c.appendChild(h);
      if(s.status!=='ok'){c.appendChild(el('div','snote','rejected: '+s.reason));}
      if(s.note){c.appendChild(el('div','snote',(s.blocks?'note: ':'snippets only: ')+s.note));}
      (s.blocks||[]).forEach(function(b){var d=el('div','blk');d.appendChild(el('div','name',b.name+' ('+b.field+')'+(b.truncated?' — cut at '+data.max_block_bytes+' bytes':'')));
        var pre=el('pre','text');b.segs.forEach(function(g){if(g[1]<0){pre.appendChild(document.createTextNode(g[0]));}else{pre.appendChild(el('span','m-'+marks[g[1]],g[0]));}});
        d.appendChild(pre);c.appendChild(d);});
      if(s.terms.length){var t=el('details');t.appendChild(el('summary',null,'model terms behind '+data.af_label+' (logit '+s.logit+')'));var ul=el('ul','ev');
        s.terms.forEach(function(x){ul.appendChild(el('li',null,(x[1]>0?'+':'')+x[1].toFixed(4)+'  '+x[0]));});t.appendChild(ul);c.appendChild(t);}
      if(s.evidence.length){var e=el('details');if(!s.blocks)e.open=true;e.appendChild(el('summary',null,s.evidence.length+' evidence spans'));var ul2=el('ul','ev');
        s.evidence.forEach(function(x){var li=el('li');li.appendChild(el('span',x[2]==='-'?'m-counter_evidence':'m-evidence',x[4]));li.appendChild(document.createTextNode('  '+x[2]+' '+x[0]+' · '+x[1]+' · '+x[3]));ul2.appendChild(li);});
        e.appendChild(ul2);c.appendChild(e);}
      var lt=el('details');lt.appendChild(el('summary',null,'all labels'));var tb=el('table');
      Object.keys(s.labels).sort().forEach(function(k){var v=s.labels[k],tr=el('tr');tr.appendChild(el('td',null,k));tr.appendChild(el('td',null,v[0]));
        tr.appendChild(el('td','num',v[1]===null?'':v[1].toFixed(4)));tr.appendChild(el('td',null,v[2]||''));tb.appendChild(tr);});
      lt.appendChild(tb);c.appendChild(lt);return c;}
    function showMore(){var end=Math.min(matches.length,shown+50);for(;shown<end;shown++){list.appendChild(card(matches[shown]));}
      more.hidden=shown>=matches.length;more.textContent='show '+Math.min(50,matches.length-shown)+' more';}
    function apply(){var lab=fLabel.value,band=fBand.value,cond=fCond.value,grp=fGroup.value;
      matches=S.filter(function(s){if(cond!=='*'&&s.condition!==cond)return false;if(grp!=='*'&&s.group!==grp)return false;
        if(band!=='any'){var v=s.labels[lab];if(!v||v[0]!==band)return false;}return true;});
      while(list.firstChild)list.removeChild(list.firstChild);shown=0;count.textContent=matches.length+' of '+S.length+' embedded samples match';showMore();}
    [fLabel,fBand,fCond,fGroup].forEach(function(x){x.addEventListener('change',apply);});more.addEventListener('click',showMore);
    apply();document.documentElement.setAttribute('data-ready','1');
    })();
    """
}
