// The search page: the query lives in the address, so a search can be shared as a link.
(() => {
  const { el, api, freshnessBadge, tags, header } = Catalog;
  header('search');
  const form = document.getElementById('search-form');
  const fields = ['q', 'domain', 'classification', 'tag'].map(id => document.getElementById(id));
  let facetsShown = false;
  let latest = 0;

  function fromAddress() {
    const params = new URLSearchParams(location.search);
    fields.forEach(f => { f.dataset.wanted = params.get(f.name) || ''; f.value = f.dataset.wanted; });
  }

  function query() {
    const params = new URLSearchParams();
    fields.forEach(f => { if (f.value) params.set(f.name, f.value); });
    return params.toString();
  }

  function showFacets(facets) {
    if (facetsShown) return;
    facetsShown = true;
    const fill = (select, values) => {
      values.forEach(v => select.append(el('option', { value: v }, v)));
      select.value = select.dataset.wanted || '';
    };
    fill(document.getElementById('domain'), facets.domains);
    fill(document.getElementById('classification'), facets.classifications);
    fill(document.getElementById('tag'), facets.tags);
  }

  function result(r) {
    const p = r.product;
    return el('div', { class: 'result', 'data-product': p.id, 'data-slo': ['OK', 'WARN', 'BREACHED'][worst(p.id)] || 'none' },
      el('div', { class: 'title' }, el('a', { href: p.url }, p.id), ' ',
        el('span', { class: 'muted small' }, p.topic + ' · v' + p.version)),
      el('div', { class: 'meta' },
        'owner ', el('strong', {}, p.owner), ' · ', p.classification, ' · ',
        freshnessBadge(p.freshness), ' · ',
        el('span', { class: 'consumers' }, p.consumers + (p.consumers === 1 ? ' consumer' : ' consumers')),
        p.successor ? ' · deprecated: use ' + p.successor : '', p.derived ? ' · derived' : '', p.deadLetters ? ' · ' + p.deadLetters + ' dead letters' : '',
        p.refusedOnRead ? el('span', { class: 'error integrity' }, ' · ' + p.refusedOnRead + ' refused on read') : ''),
      el('div', {}, p.description),
      el('div', {}, tags(p.tags)),
      r.matches.length ? el('div', { class: 'matches' }, 'matched ',
        r.matches.slice(0, 4).map((m, i) => [i ? ', ' : '', m.in + ' ', el('code', {}, m.text)])) : null);
  }

  // Products breaking a promise come first: listed above the results, and first among them.
  let slo = { objectives: [] };
  const worst = id => Math.max(-1, ...slo.objectives.filter(o => o.product === id).map(o => ['OK', 'WARN', 'BREACHED'].indexOf(o.state)));

  async function breaches() {
    try {
      slo = await api('/api/slo?alerts=0');
    } catch (e) {
      return; // the list below does without
    }
    const broken = slo.objectives.filter(o => o.state !== 'OK');
    document.getElementById('breaches').replaceChildren(...(broken.length ? [el('h2', {}, 'Breaking their promises'),
      ...broken.map(o => el('div', { class: 'breach', 'data-topic': o.topic },
        el('span', { class: 'badge slo-' + o.state.toLowerCase() }, o.state), ' ',
        el('a', { href: '/products/' + encodeURIComponent(o.topic) }, o.topic), ' ', o.slo, ': ',
        o.value === undefined || o.value === null ? o.detail : `${+o.value.toFixed(4)} ${o.unit} against ${o.objective} ${o.unit}`,
        el('span', { class: 'muted small' }, ' since ' + new Date(o.since).toLocaleString())))] : []));
  }

  async function search() {
    const ticket = ++latest;
    const q = query();
    try {
      const answer = await api('/api/search' + (q ? '?' + q : ''));
      if (ticket !== latest) return;
      showFacets(answer.facets);
      document.getElementById('count').textContent =
        answer.results.length + (answer.results.length === 1 ? ' product' : ' products');
      const results = document.getElementById('results');
      const ordered = q ? answer.results : [...answer.results].sort((a, b) => worst(b.product.id) - worst(a.product.id));
      results.replaceChildren(...(ordered.length ? ordered.map(result)
        : [el('p', {}, 'No product matches. Try fewer words, or another filter.')]));
    } catch (e) {
      document.getElementById('results').replaceChildren(el('p', { class: 'error' }, 'Search failed: ' + e.message));
    }
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    history.replaceState(null, '', '/?' + query());
    search();
  });
  fields.slice(1).forEach(f => f.addEventListener('change', () => form.requestSubmit()));
  let typing;
  fields[0].addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => form.requestSubmit(), 250); });
  fromAddress();
  breaches().then(search);
})();
