// A 404: say what was not found and offer search, with products whose names look like what was asked for.
(() => {
  const { el, api, header, pathId } = Catalog;
  header();
  const wanted = pathId();
  if (!wanted) return;
  document.getElementById('what').replaceChildren('No product ', el('code', {}, wanted), ' in the catalog. Search for it:');
  document.getElementById('q').value = wanted;
  const words = wanted.split(/[^A-Za-z0-9]+/).filter(w => w.length > 2 && !/^v\d+$/.test(w));
  Promise.all(words.map(w => api('/api/search?q=' + encodeURIComponent(w)).then(a => a.results).catch(() => [])))
    .then(lists => {
      const seen = new Map();
      lists.flat().forEach(r => seen.set(r.product.id, r.product));
      const box = document.getElementById('suggestions');
      if (!seen.size) return;
      box.replaceChildren(el('h2', {}, 'Perhaps one of these?'),
        el('ul', {}, [...seen.values()].map(p => el('li', {}, el('a', { href: p.url }, p.id), ' — ', p.description))));
    });
})();
