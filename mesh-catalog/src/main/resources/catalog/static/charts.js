// Small SVG bar charts: enough for counts per time bucket, no library needed.
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // bars: [{label, value, title}]; one colour; the largest bar fills the height.
  function bars(data, { width = 520, height = 140, color = '#2f6fdb' } = {}) {
    const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height + 34}`, width: '100%', role: 'img' });
    const highest = Math.max(0, ...data.map(d => d.value));
    const max = Math.max(1, highest);
    const slot = width / Math.max(1, data.length);
    chart.append(svg('line', { x1: 0, y1: height, x2: width, y2: height, stroke: '#dde2ea' }));
    data.forEach((d, i) => {
      const h = Math.round(d.value / max * (height - 16));
      const bar = svg('rect', { x: i * slot + 2, y: height - h, width: Math.max(1, slot - 4), height: h, fill: color, rx: 2 });
      bar.append(svg('title', {}, d.title || `${d.label}: ${d.value}`));
      chart.append(bar);
      if (d.value > 0 && slot > 22) chart.append(svg('text', { x: i * slot + slot / 2, y: height - h - 3, 'text-anchor': 'middle' }, d.value));
      const every = Math.ceil(data.length / 6);
      if (i % every === 0) chart.append(svg('text', { x: i * slot + 2, y: height + 14 }, d.label));
    });
    chart.append(svg('text', { x: 0, y: height + 30 }, `max ${highest}`));
    return chart;
  }

  return { bars };
})();
