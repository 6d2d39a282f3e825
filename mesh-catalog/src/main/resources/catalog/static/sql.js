// The query page: the products as tables on the left (a click shows its columns and a ready SELECT), the editor,
// the answer as a table, downloads as CSV (from the answer) and Parquet (the catalog writes it).
(() => {
  const { el, api, header } = Catalog;
  header('sql');
  const editor = document.getElementById('sql');
  const result = document.getElementById('sql-result');
  const notes = document.getElementById('sql-notes');
  const asOf = document.getElementById('as-of');
  const csvButton = document.getElementById('download-csv');
  const parquetButton = document.getElementById('download-parquet');
  let answer = null;

  const table = id => id.replace(/-/g, '_');
  editor.value = new URLSearchParams(location.search).get('q') || 'SELECT * FROM sales.orders LIMIT 20';

  async function columns(p, target) {
    try {
      const page = await api('/api/products/' + encodeURIComponent(p.id));
      target.replaceChildren(el('ul', { class: 'small' }, page.schema.fields.filter(f => f.depth === 0)
        .map(f => el('li', {}, el('code', {}, f.path), ' ', el('span', { class: 'muted' }, f.type)))));
    } catch (e) {
      target.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  }

  // the latest major of a product is its plain name; an older one is named with its major (sales.orders_v1)
  const major = p => parseInt(String(p.version).split('.')[0], 10);
  api('/api/products').then(products => {
    const latest = {};
    products.forEach(p => { latest[p.id] = Math.max(latest[p.id] || 0, major(p)); });
    document.getElementById('sql-products').replaceChildren(el('h2', {}, 'Products'), ...products.map(p => {
      const name = table(p.id) + (major(p) === latest[p.id] ? '' : '_v' + major(p));
      const details = el('div', {});
      return el('div', { class: 'sql-product', 'data-table': name },
        el('a', { href: '#', onclick: e => {
          e.preventDefault();
          editor.value = 'SELECT * FROM ' + name + ' LIMIT 20';
          columns({ id: p.topic || p.id }, details);
        } }, name), details);
    }));
  }).catch(e => document.getElementById('sql-products').replaceChildren(el('p', { class: 'error' }, e.message)));

  function body(format) {
    const b = { sql: editor.value };
    if (asOf.value.trim()) b.asOf = asOf.value.trim();
    if (format) b.format = format;
    return JSON.stringify(b);
  }

  async function post(format) {
    return fetch('/api/sql', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body(format) });
  }

  const text = v => v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);

  async function run() {
    result.replaceChildren(el('p', { class: 'loading' }, 'Running…'));
    notes.replaceChildren();
    csvButton.disabled = parquetButton.disabled = true;
    const r = await post();
    const a = await r.json().catch(() => ({}));
    if (!r.ok) {
      result.replaceChildren(el('p', { class: 'error', id: 'sql-error' }, a.message || r.statusText));
      return;
    }
    answer = a;
    result.replaceChildren(el('table', { id: 'sql-table' },
      el('tr', {}, a.columns.map(c => el('th', { title: c.type }, c.name))),
      a.rows.map(row => el('tr', {}, row.map(v => el('td', {}, text(v)))))));
    const said = [a.rows.length + (a.rows.length === 1 ? ' row' : ' rows') + (a.truncated ? ' (cut at the limit)' : ''),
      'read ' + a.readMillis + ' ms, ran ' + a.executeMillis + ' ms'];
    a.sources.forEach(s => {
      if (s.skipped) said.push(s.skipped + ' record(s) of ' + s.topic + ' skipped: ' + s.skippedBecause);
      if (s.piiMasked) said.push('PII of ' + s.topic + ' masked');
    });
    notes.textContent = said.join(' · ');
    csvButton.disabled = parquetButton.disabled = false;
  }

  function save(blob, name) {
    const link = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
  }

  function csv() {
    const field = v => { const t = v === null ? '' : text(v); return /[",\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t; };
    const lines = [answer.columns.map(c => field(c.name)).join(',')].concat(answer.rows.map(r => r.map(field).join(',')));
    save(new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv' }), 'answer.csv');
  }

  async function parquet() {
    const r = await post('parquet');
    if (!r.ok) {
      const a = await r.json().catch(() => ({}));
      notes.textContent = 'Could not download: ' + (a.message || r.statusText);
      return;
    }
    save(await r.blob(), 'answer.parquet');
  }

  document.getElementById('run-sql').addEventListener('click', run);
  csvButton.addEventListener('click', csv);
  parquetButton.addEventListener('click', parquet);
  editor.addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(); });
})();
