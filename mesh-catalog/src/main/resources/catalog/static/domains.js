// Every domain with its owners and products.
(() => {
  const { el, fill, freshnessBadge, header } = Catalog;
  header('domains');
  fill('domains', '/api/domains', domains => domains.map(d => el('section', { class: 'card', id: 'domain-' + d.name },
    el('h2', {}, d.name, ' ', el('span', { class: 'muted small' }, d.products.length + (d.products.length === 1 ? ' product' : ' products'))),
    el('p', {}, 'Owners: ', d.owners.map((o, i) => [i ? '; ' : '', el('strong', {}, o.team),
      o.contact ? [' ', el('a', { href: 'mailto:' + o.contact }, o.contact)] : null])),
    el('table', {}, el('tr', {}, el('th', {}, 'product'), el('th', {}, 'description'), el('th', {}, 'freshness'), el('th', {}, 'consumers')),
      d.products.map(p => el('tr', {}, el('td', {}, el('a', { href: p.url }, p.id), el('div', { class: 'muted small' }, p.topic)),
        el('td', {}, p.description), el('td', {}, freshnessBadge(p.freshness)), el('td', {}, p.consumers)))))));
})();
