/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  let escaped = '';
  for (const character of text) {
    switch (character) {
      case '&':
        escaped += '&amp;';
        break;
      case '<':
        escaped += '&lt;';
        break;
      case '>':
        escaped += '&gt;';
        break;
      case '"':
        escaped += '&quot;';
        break;
      case "'":
        escaped += '&#39;';
        break;
      default:
        escaped += character;
    }
  }
  return escaped;
}

/** JSON that is safe inside a `<script type="application/json">` element (no `</script>`, no `<!--`). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

const styles = `
:root{color-scheme:light dark;font-family:system-ui,sans-serif}
body{margin:2rem;max-width:72rem}
h1{font-size:1.4rem;margin:0 0 .25rem}
.overall{display:inline-block;padding:.2rem .6rem;border-radius:1rem;font-weight:600;color:#fff}
.healthy,.connected{background:#1a7f37}.degraded,.error{background:#cf222e}.partial,.not_configured{background:#9a6700}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #8884;vertical-align:middle}
td .badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;color:#fff;font-size:.85rem}
.muted{opacity:.7;font-size:.85rem}
svg{display:block}
nav a{margin-right:.5rem}nav a[aria-current]{font-weight:700}
`;

// Renders from the JSON the handler serves; data only reaches the DOM through textContent and attributes.
const script = `
(function(){
  var data = JSON.parse(document.getElementById('status-data').textContent);
  var svgNs = 'http://www.w3.org/2000/svg';
  function el(tag, text, className){ var node = document.createElement(tag); if (text !== undefined && text !== null) node.textContent = String(text); if (className) node.className = className; return node; }
  function percent(value){ return value === null || value === undefined ? '–' : (value * 100).toFixed(1) + ' %'; }
  function spark(points){
    var width = 120, height = 24, svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('width', width); svg.setAttribute('height', height); svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('role', 'img'); svg.setAttribute('class', 'sparkline');
    if (!points || points.length === 0) return svg;
    var step = width / Math.max(points.length, 1);
    var max = 1; points.forEach(function(p){ if (typeof p.latency_ms === 'number' && p.latency_ms > max) max = p.latency_ms; });
    var coordinates = [];
    points.forEach(function(p, i){
      var bar = document.createElementNS(svgNs, 'rect');
      bar.setAttribute('x', String(i * step)); bar.setAttribute('y', String(height - 3)); bar.setAttribute('width', String(Math.max(step - 0.5, 0.5))); bar.setAttribute('height', '3');
      bar.setAttribute('fill', p.status === 'connected' ? '#1a7f37' : p.status === 'error' ? '#cf222e' : '#9a6700');
      svg.appendChild(bar);
      var latency = typeof p.latency_ms === 'number' ? p.latency_ms : 0;
      coordinates.push((i * step + step / 2).toFixed(1) + ',' + (height - 5 - (latency / max) * (height - 7)).toFixed(1));
    });
    var line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('points', coordinates.join(' ')); line.setAttribute('fill', 'none'); line.setAttribute('stroke', 'currentColor'); line.setAttribute('stroke-width', '1');
    svg.appendChild(line);
    return svg;
  }
  function render(data){
    var overall = document.getElementById('overall');
    overall.textContent = data.overall_status; overall.className = 'overall ' + data.overall_status;
    document.getElementById('checked').textContent = 'Last checked ' + data.last_checked;
    var rows = document.getElementById('integrations'); rows.textContent = '';
    Object.keys(data.integrations).forEach(function(id){
      var line = data.integrations[id], history = (data.history || {})[id] || {};
      var row = el('tr'); row.setAttribute('data-integration', id);
      row.appendChild(el('td', id));
      row.appendChild(el('td', line.kind + ' / ' + line.vendor, 'muted'));
      var state = el('td'); state.appendChild(el('span', line.status, 'badge ' + line.status)); row.appendChild(state);
      row.appendChild(el('td', line.circuit || '–'));
      row.appendChild(el('td', percent(history.uptime_1h)));
      row.appendChild(el('td', percent(history.uptime_24h)));
      var latency = history.latency_ms_1h || {};
      row.appendChild(el('td', latency.p50 === null || latency.p50 === undefined ? '–' : latency.p50 + ' / ' + latency.p95 + ' ms'));
      var chart = el('td'); chart.appendChild(spark(history.points)); row.appendChild(chart);
      row.appendChild(el('td', line.message, 'muted'));
      rows.appendChild(row);
    });
    var usage = document.getElementById('usage'); usage.textContent = '';
    (data.usage || []).forEach(function(u){
      var row = el('tr');
      [u.tenant === null ? '(platform)' : u.tenant, u.provider, u.unit, u.quantity, u.cost === null ? 'unpriced' : (u.cost + ' ' + (u.currency || '')), u.calls, u.failures].forEach(function(value){ row.appendChild(el('td', value)); });
      usage.appendChild(row);
    });
    document.getElementById('usage-empty').hidden = (data.usage || []).length > 0;
    var windowName = data.usage_window || 'since start';
    document.getElementById('usage-title').textContent = windowName === 'since start' ? 'Usage since start' : 'Usage, last ' + windowName;
    var nav = document.getElementById('windows'); nav.textContent = '';
    if (windowName !== 'since start') ['15m', '1h', '6h', '24h'].forEach(function(name){
      var link = new URL(location.href); link.searchParams.set('window', name);
      var anchor = el('a', name); anchor.href = link.pathname + link.search; if (name === windowName) anchor.setAttribute('aria-current', 'true');
      nav.appendChild(anchor); nav.appendChild(document.createTextNode(' '));
    });
  }
  render(data);
  var url = new URL(location.href); url.searchParams.delete('refresh'); url.searchParams.set('format', 'json'); url.searchParams.set('include', 'history,usage');
  var every = Number(document.body.getAttribute('data-refresh-ms')) || 15000;
  function poll(){
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function(response){ if (!response.ok) throw new Error('HTTP ' + response.status); return response.json(); })
      .then(function(next){ render(next); document.getElementById('stale').hidden = true; })
      .catch(function(){ document.getElementById('stale').hidden = false; })
      .then(function(){ setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
`;

/** One self-contained page (inline CSS and script, nothing loaded from elsewhere) that refreshes itself. */
export function renderStatusPage(options: {
  title: string;
  tenant: string | undefined;
  data: unknown;
  refreshMs?: number | undefined;
}): string {
  const title = escapeHtml(options.title);
  const scope = options.tenant === undefined ? 'Platform' : `Tenant ${escapeHtml(options.tenant)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${styles}</style>
</head>
<body data-refresh-ms="${Math.max(1_000, Math.floor(options.refreshMs ?? 15_000))}">
<h1>${title}</h1>
<p>${scope}: <span id="overall" class="overall"></span> <span id="checked" class="muted"></span>
<span id="stale" class="muted" hidden>(could not refresh; showing the last answer)</span></p>
<table>
<thead><tr><th>Integration</th><th>Kind / vendor</th><th>Status</th><th>Breaker</th><th>Uptime 1 h</th><th>Uptime 24 h</th><th>Latency p50 / p95 (1 h)</th><th>Recent checks</th><th>Message</th></tr></thead>
<tbody id="integrations"></tbody>
</table>
<h2 id="usage-title">Usage</h2>
<nav id="windows" class="muted"></nav>
<table>
<thead><tr><th>Tenant</th><th>Provider</th><th>Unit</th><th>Quantity</th><th>Cost</th><th>Calls</th><th>Failures</th></tr></thead>
<tbody id="usage"></tbody>
</table>
<p id="usage-empty" class="muted">No usage recorded yet.</p>
<script type="application/json" id="status-data">${scriptSafeJson(options.data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
