// Shared by every page: building elements safely (text, never HTML, from the API), calling the API, badges.
const Catalog = (() => {
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.message || response.statusText);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // Fills a section from an API call; a failure shows in the section instead of breaking the page.
  async function fill(target, path, render) {
    const node = typeof target === 'string' ? document.getElementById(target) : target;
    try {
      const data = await api(path);
      node.replaceChildren(...[].concat(render(data)));
    } catch (e) {
      node.replaceChildren(el('p', { class: 'error' }, 'Could not load: ' + e.message));
    }
  }

  function freshnessBadge(f) {
    if (!f) return null;
    const text = {
      'fresh': 'fresh', 'stale': 'stale', 'no-data': 'no data', 'no-slo': 'no SLO', 'topic-missing': 'topic missing'
    }[f.status] || f.status;
    const title = f.ageSeconds != null ? 'newest record ' + duration(f.ageSeconds) + ' ago'
      + (f.sloSeconds != null ? ', SLO ' + duration(f.sloSeconds) : '') : '';
    return el('span', { class: 'badge ' + f.status, title }, text);
  }

  function duration(seconds) {
    if (seconds == null) return '';
    if (seconds < 90) return seconds + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' d';
  }

  function isoDuration(text) {
    if (!text) return null;
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text);
    if (!m) return text;
    return duration((+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + Math.round(+(m[3] || 0)));
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
  }

  function tags(list) {
    return (list || []).map(t => el('span', { class: 'badge tag' }, t));
  }

  function header(active) {
    const link = (href, text, name) => el('a', { href, class: name === active ? 'active' : null }, text);
    document.body.prepend(el('header', { class: 'top' },
      el('a', { class: 'brand', href: '/' }, 'mesh catalog'),
      el('nav', {}, link('/', 'Search', 'search'), link('/lineage', 'Lineage', 'lineage'), link('/domains', 'Domains', 'domains'), link('/sql', 'SQL', 'sql'))));
  }

  // The id in /products/<id> or /lineage/<id>.
  function pathId() {
    const parts = location.pathname.split('/').filter(Boolean);
    return parts.length > 1 ? decodeURIComponent(parts[1]) : null;
  }

  const palette = ['#2f6fdb', '#1e9e6a', '#c0572c', '#8a4fd0', '#b8860b', '#d0417e', '#2a9bb5', '#6b7a2b'];
  function domainColor(domain) {
    if (!domain) return '#9aa3b2';
    let h = 0;
    for (const c of domain) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return palette[h % palette.length];
  }

  return { el, api, fill, freshnessBadge, duration, isoDuration, time, tags, header, pathId, domainColor };
})();
