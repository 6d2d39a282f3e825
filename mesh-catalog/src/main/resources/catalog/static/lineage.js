// The lineage graph, drawn with cytoscape: data flows left to right, from sources to what is built from them.
(() => {
  const { el, api, header, pathId } = Catalog;
  const id = pathId();
  header(id ? null : 'lineage');
  // For tests and the curious: the cytoscape instance once drawn.
  window.meshGraph = { ready: false, cy: null };

  function colours(nodes) {
    const domains = [...new Set(nodes.map(n => n.domain).filter(Boolean))].sort();
    const palette = ['#2f6fdb', '#1e9e6a', '#c0572c', '#8a4fd0', '#b8860b', '#d0417e', '#2a9bb5', '#6b7a2b'];
    return Object.fromEntries(domains.map((d, i) => [d, palette[i % palette.length]]));
  }

  // Columns by longest path from a source, so every edge points right and a product sits after all it is built
  // from; within a column, nodes sit near the average height of what feeds them, which keeps edges from crossing.
  function layered(graph) {
    const incoming = new Map(graph.nodes.map(n => [n.id, []]));
    graph.edges.forEach(e => incoming.has(e.target) && incoming.get(e.target).push(e.source));
    const level = new Map();
    const visiting = new Set();
    const depth = id => {
      if (level.has(id)) return level.get(id);
      if (visiting.has(id)) return 0;
      visiting.add(id);
      const d = Math.max(-1, ...incoming.get(id).filter(s => incoming.has(s)).map(depth)) + 1;
      visiting.delete(id);
      level.set(id, d);
      return d;
    };
    graph.nodes.forEach(n => depth(n.id));
    const columns = [];
    [...graph.nodes].sort((a, b) => (a.domain || '~').localeCompare(b.domain || '~') || a.label.localeCompare(b.label))
      .forEach(n => (columns[level.get(n.id)] = columns[level.get(n.id)] || []).push(n.id));
    const y = new Map();
    const feedHeight = id => {
      const fed = incoming.get(id).filter(p => y.has(p));
      return fed.length ? fed.reduce((sum, p) => sum + y.get(p), 0) / fed.length : 0;
    };
    columns.forEach((column, c) => {
      if (c > 0) column.sort((a, b) => feedHeight(a) - feedHeight(b));
      column.forEach((id, i) => y.set(id, (i - (column.length - 1) / 2) * 64));
    });
    const tallest = Math.max(...columns.map(c => c.length));
    document.getElementById('graph').style.height = Math.max(320, tallest * 64 + 100) + 'px';
    return Object.fromEntries(graph.nodes.map(n => [n.id, { x: level.get(n.id) * 250, y: y.get(n.id) }]));
  }

  function draw(graph) {
    const colour = colours(graph.nodes);
    document.getElementById('legend').replaceChildren(
      ...Object.entries(colour).map(([d, c]) => el('span', {}, el('i', { style: 'background:' + c }), d)),
      el('span', {}, el('i', { style: 'background:#e3e6ec;border:1px solid #9aa3b2' }), 'app'),
      el('span', {}, el('i', { style: 'background:#fdf0dc;border:1px dashed #b8860b' }), 'job reported by OpenLineage'));
    const focusTopic = id ? graph.nodes.find(n => n.product === graph.focus || n.id === graph.focus) : null;
    const cy = cytoscape({
      container: document.getElementById('graph'),
      elements: [
        ...graph.nodes.map(n => ({ data: { ...n, colour: colour[n.domain] || '#9aa3b2' },
          classes: [n.kind, n.known ? '' : 'unknown', focusTopic && n.id === focusTopic.id ? 'focus' : ''].join(' ') })),
        ...graph.edges.map(e => ({ data: e }))],
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 11, 'text-valign': 'center', 'text-halign': 'center',
          color: '#fff', 'text-wrap': 'ellipsis', 'text-max-width': 190 } },
        { selector: 'node.product', style: { shape: 'round-rectangle', 'background-color': 'data(colour)', width: 200, height: 34 } },
        { selector: 'node.app', style: { shape: 'ellipse', 'background-color': '#e3e6ec', 'border-width': 1,
          'border-color': '#9aa3b2', color: '#39414f', width: 185, height: 26, 'font-size': 10 } },
        { selector: 'node.job', style: { shape: 'ellipse', 'background-color': '#fdf0dc', 'border-width': 1, 'border-style': 'dashed',
          'border-color': '#b8860b', color: '#5b4a1a', width: 185, height: 26, 'font-size': 10 } },
        { selector: 'node.dataset', style: { shape: 'barrel', 'background-color': '#f4f5f8', 'border-width': 1,
          'border-color': '#9aa3b2', color: '#39414f', width: 185, height: 30, 'font-size': 10 } },
        { selector: 'node.unknown', style: { 'background-color': '#fff', color: '#5b6475', 'border-style': 'dashed', 'border-width': 2,
          'border-color': '#9aa3b2' } },
        { selector: 'node.focus', style: { 'border-width': 4, 'border-color': '#111a2e' } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#9aa3b2', 'target-arrow-color': '#9aa3b2',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier' } },
      ],
      layout: { name: 'preset', positions: layered(graph) },
      wheelSensitivity: 0.2,
    });
    cy.fit(undefined, 30);
    cy.on('tap', 'node.product', event => {
      const url = event.target.data('url');
      if (url) location.href = url;
    });
    cy.on('mouseover', 'node.product', () => { document.getElementById('graph').style.cursor = 'pointer'; });
    cy.on('mouseout', 'node', () => { document.getElementById('graph').style.cursor = ''; });
    window.meshGraph = { ready: true, cy };
  }

  function list(graph) {
    const products = graph.nodes.filter(n => n.kind === 'product')
      .sort((a, b) => (a.domain || '~').localeCompare(b.domain || '~') || a.label.localeCompare(b.label));
    const apps = graph.nodes.filter(n => n.kind === 'app');
    const jobs = graph.nodes.filter(n => n.kind === 'job');
    const inputsOf = n => graph.edges.filter(e => e.target === n.id).map(e => e.source);
    return [el('table', {}, el('tr', {}, el('th', {}, 'product'), el('th', {}, 'domain'), el('th', {}, 'owner'), el('th', {}, 'fed by')),
      products.map(n => el('tr', { 'data-node': n.id },
        el('td', {}, n.url ? el('a', { href: n.url }, n.label) : n.label + ' (not in the catalog)'),
        el('td', {}, n.domain || ''), el('td', {}, n.owner || ''),
        el('td', {}, inputsOf(n).map(s => s.replace(/^app:/, '')).join(', '))))),
    apps.length ? el('p', { class: 'muted small' }, 'Apps: ', apps.map(a => a.label).join(', ')) : null,
    jobs.length ? el('p', { class: 'muted small', id: 'reported-jobs' }, 'Jobs reported by OpenLineage: ',
      jobs.map(j => j.label + ' (by ' + j.owner + ')').join(', ')) : null];
  }

  async function load() {
    try {
      const graph = await api(id ? '/api/lineage/' + encodeURIComponent(id) : '/api/lineage');
      if (id) {
        document.title = 'Lineage of ' + graph.focus + ' · mesh catalog';
        document.getElementById('heading').replaceChildren('Lineage of ', el('a', { href: '/products/' + encodeURIComponent(graph.focus) }, graph.focus));
        document.getElementById('intro').append(' ', el('a', { href: '/lineage' }, 'See the whole mesh.'));
      } else {
        document.getElementById('heading').textContent = 'Lineage of the whole mesh';
      }
      document.getElementById('node-list').replaceChildren(...list(graph).filter(Boolean));
      if (typeof cytoscape === 'undefined') {
        document.getElementById('graph').replaceChildren(el('p', { class: 'error' }, 'The graph library did not load.'));
        return;
      }
      draw(graph);
    } catch (e) {
      document.getElementById('graph').replaceChildren(el('p', { class: 'error' }, 'Could not load the lineage: ' + e.message));
    }
  }

  load();
})();
