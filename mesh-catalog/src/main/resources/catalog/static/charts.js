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

  // A measured value over time against its objective: points [{at, value, state}], the objective as a dashed line;
  // a breached point is red, a warning amber. Time runs left to right over the span of the points.
  function line(points, objective, { width = 520, height = 120, unit = '' } = {}) {
    const chart = svg('svg', { class: 'chart slo-chart', viewBox: `0 0 ${width} ${height + 34}`, width: '100%', role: 'img' });
    const measured = points.filter(p => p.value !== null && p.value !== undefined);
    const top = Math.max(objective, ...measured.map(p => p.value)) * 1.1 || 1;
    const times = points.map(p => Date.parse(p.at));
    const first = Math.min(...times), last = Math.max(...times);
    const x = t => last === first ? width / 2 : (t - first) / (last - first) * (width - 8) + 4;
    const y = v => height - v / top * (height - 8);
    chart.append(svg('line', { x1: 0, y1: height, x2: width, y2: height, stroke: '#dde2ea' }));
    const bound = svg('line', { class: 'objective', x1: 0, y1: y(objective), x2: width, y2: y(objective), stroke: '#c0392b', 'stroke-dasharray': '4 3' });
    bound.append(svg('title', {}, `objective ${objective} ${unit}`));
    chart.append(bound);
    chart.append(svg('polyline', { fill: 'none', stroke: '#2f6fdb', 'stroke-width': 1.5,
      points: measured.map(p => `${x(Date.parse(p.at)).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ') }));
    measured.filter(p => p.state !== 'OK').forEach(p => {
      const dot = svg('circle', { class: 'breach ' + p.state.toLowerCase(), cx: x(Date.parse(p.at)), cy: y(p.value), r: 2.5,
        fill: p.state === 'BREACHED' ? '#c0392b' : '#b8860b' });
      dot.append(svg('title', {}, `${new Date(p.at).toLocaleTimeString()}: ${p.value} ${unit} (${p.state})`));
      chart.append(dot);
    });
    const clock = t => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    chart.append(svg('text', { x: 0, y: height + 14 }, clock(first)));
    chart.append(svg('text', { x: width, y: height + 14, 'text-anchor': 'end' }, clock(last)));
    chart.append(svg('text', { x: 0, y: height + 30 }, `objective ${objective} ${unit} · highest ${Math.max(0, ...measured.map(p => p.value))} ${unit}`));
    return chart;
  }

  return { bars, line };
})();
