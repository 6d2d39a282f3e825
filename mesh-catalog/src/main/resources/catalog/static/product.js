// A product's page: the contract and schema first, then what is slower to measure (records, throughput, quality).
(() => {
  const { el, api, fill, freshnessBadge, duration, isoDuration, time, tags, header, pathId } = Catalog;
  header();
  const id = pathId();
  const base = '/api/products/' + encodeURIComponent(id);
  const section = (name, title, ...content) => document.getElementById(name).replaceChildren(el('h2', {}, title), ...content);
  const kv = rows => el('table', { class: 'kv' }, rows.filter(r => r[1] !== null && r[1] !== undefined && r[1] !== '')
    .map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
  const links = list => list.length ? list.map((l, i) => [i ? ', ' : '',
    l.known ? el('a', { href: l.url }, l.id) : el('span', { title: 'not in the catalog' }, l.topic + ' (unknown)')]) : null;

  function title(p) {
    document.title = p.id + ' · mesh catalog';
    return [el('h1', {}, p.id, ' ', el('span', { class: 'badge' }, 'v' + p.version), el('span', { class: 'badge' }, p.classification),
      freshnessBadge(p.status.freshness)),
    el('p', {}, p.description),
    p.deprecation ? el('p', { class: 'missing', id: 'deprecation' }, el('strong', {}, 'Deprecated. '), p.deprecation.replace(/^deprecated: /, ''),
      ' Consumers still reading it are listed below.') : '',
    el('p', { class: 'small' }, el('a', { href: '/lineage/' + encodeURIComponent(p.id) }, 'Lineage of ' + p.id + ' →'), ' · ',
      el('a', { id: 'query-product', href: '/sql?q=' + encodeURIComponent('SELECT * FROM ' + p.id.replace(/-/g, '_') + ' LIMIT 20') },
        'Query this product →'))];
  }

  function contract(p) {
    return [kv([
      ['Owner', [p.owner.team, p.owner.contact ? [' · ', el('a', { href: 'mailto:' + p.owner.contact }, p.owner.contact)] : null]],
      ['Key', el('code', {}, p.key)],
      ['Classification', p.classification],
      ['Tags', tags(p.tags)],
      ['Freshness SLO', isoDuration(p.slo.freshness)],
      ['Availability SLO', p.slo.availability],
      ['Compatibility', p.compatibility],
      ['Topic', [el('code', {}, p.topic), ` · ${p.topicSettings.partitions} partition${p.topicSettings.partitions === 1 ? '' : 's'} · ${p.topicSettings.cleanupPolicy}`,
        p.topicSettings.retention ? ' · retention ' + isoDuration(p.topicSettings.retention) : '']],
      ['Published by', p.publisherApp],
      ['Derived by', p.streamsApplicationId ? el('code', {}, p.streamsApplicationId) : null],
      ['Built from', links(p.inputs)],
      ['Used to build', links(p.downstream)],
      ['Catalog entry', time(p.updatedAt)],
    ]),
    el('h2', { style: 'margin-top:14px' }, 'Quality rules'),
    p.quality.length ? el('table', {}, el('tr', {}, el('th', {}, 'rule'), el('th', {}, 'expression'), el('th', {}, 'on failure')),
      p.quality.map(r => el('tr', {}, el('td', { title: r.doc || '' }, r.name, r.doc ? el('div', { class: 'muted small' }, r.doc) : null),
        el('td', {}, el('code', {}, r.expr)), el('td', {}, r.onFailure))))
      : el('p', { class: 'muted' }, 'The contract sets no quality rules.')];
  }

  function freshness(p) {
    const f = p.status.freshness;
    const lines = [];
    if (!p.status.topicExists) lines.push(el('p', { class: 'error' }, 'The topic does not exist, so nothing is fresh.'));
    else if (f.newest == null) lines.push(el('p', {}, 'No record yet.'));
    else lines.push(el('p', {}, 'Newest record ', el('strong', {}, duration(f.ageSeconds) + ' ago'), ' (' + time(f.newest) + ')'));
    lines.push(el('p', {}, freshnessBadge(f), f.sloSeconds != null ? ' SLO: a record at least every ' + duration(f.sloSeconds) : ' no freshness SLO'));
    if (f.inputLagSeconds != null) {
      const late = f.sloSeconds != null && f.inputLagSeconds > f.sloSeconds;
      lines.push(el('p', late ? { class: 'error' } : {}, 'Its Streams app is ', el('strong', {}, duration(f.inputLagSeconds)),
        ' behind on its inputs' + (late ? ': longer than the SLO, so the product is stale however recent its last record.' : '.')));
    }
    lines.push(el('p', { class: 'muted small' }, `${p.status.records} records in ${p.status.partitions} partitions · `
      + `${p.status.deadLetters} dead letters`));
    if (p.status.refusedOnRead > 0) {
      lines.push(el('p', { class: 'error integrity' }, `${p.status.refusedOnRead} record(s) of this product were refused by its readers `
        + `on read (undecodable or outside its contract): ${p.owner.team} wrote what it should not.`));
    }
    const queues = (p.status.deadLetterQueues || []).filter(q => q.records > 0);
    if (queues.length) {
      lines.push(el('ul', { class: 'small' }, ...queues.map(q =>
        el('li', {}, `${q.records} in ${q.topic}, refused by ${q.refusedBy}`))));
    }
    return lines;
  }

  function schema(p) {
    if (!p.schema) return el('p', { class: 'error' }, 'No schema: the registry has none for ' + p.subject + '.');
    return [el('p', { class: 'muted small' }, el('code', {}, p.schema.name), ` · subject ${p.schema.subject} version ${p.schema.version}`
      + ` · schema id ${p.schema.id}`, p.schema.doc ? ' · ' + p.schema.doc : ''),
    el('table', { class: 'fields' },
      el('tr', {}, el('th', {}, 'field'), el('th', {}, 'type'), el('th', {}, 'doc'), el('th', {}, 'tags'), el('th', {}, 'default')),
      p.schema.fields.map(f => el('tr', { 'data-field': f.path },
        el('td', { class: 'field-name', style: `padding-left:${8 + f.depth * 18}px` }, f.depth ? '↳ ' + f.name : f.name),
        el('td', {}, el('code', {}, f.type)),
        el('td', {}, f.doc || ''),
        el('td', {}, f.tags.map(t => el('span', { class: 'badge ' + (t === 'PII' ? 'pii' : 'tag') }, t))),
        el('td', {}, f.defaultValue != null ? el('code', {}, f.defaultValue) : ''))))];
  }

  function versions(p) {
    if (!p.versions.length) return el('p', { class: 'error' }, 'No registered versions of ' + p.subject + '.');
    const table = el('table', {}, el('tr', {}, el('th', {}, 'version'), el('th', {}, 'schema id'), el('th', {}, 'contract')),
      p.versions.map(v => el('tr', {}, el('td', {}, v.version), el('td', {}, v.id), el('td', {}, v.contractVersion || ''))));
    if (p.versions.length < 2) return [table, el('p', { class: 'muted', id: 'one-version' }, 'One version so far: nothing to compare.')];
    const option = (v, selected) => el('option', { value: v.version, selected: selected ? 'selected' : null },
      'version ' + v.version + (v.contractVersion ? ' (contract ' + v.contractVersion + ')' : ''));
    const last = p.versions.length - 1;
    const from = el('select', { id: 'diff-from' }, p.versions.map((v, i) => option(v, i === Math.max(0, last - 1))));
    const to = el('select', { id: 'diff-to' }, p.versions.map((v, i) => option(v, i === last)));
    const out = el('div', { id: 'diff', class: 'diff' });
    let asked = 0;
    const compare = async () => {
      // Only the answer to the latest choice may be shown, whichever answer arrives last.
      const ticket = ++asked;
      let d;
      try {
        d = await api(`${base}/schema?from=${from.value}&to=${to.value}`);
      } catch (e) {
        if (ticket === asked) out.replaceChildren(el('p', { class: 'error' }, 'Could not compare: ' + e.message));
        return;
      }
      if (ticket !== asked) return;
      out.replaceChildren(d.changes.length
        ? el('ul', {}, d.changes.map(c => el('li', { class: c.kind === 'added' ? 'added' : c.kind === 'removed' ? 'removed' : 'changed' },
          el('code', {}, c.text))))
        : el('p', { class: 'muted' }, `No field differs between version ${d.from.version} and version ${d.to.version}.`));
    };
    from.addEventListener('change', compare);
    to.addEventListener('change', compare);
    compare();
    return [table, el('p', {}, 'Compare ', from, ' with ', to), out];
  }

  function consumers(p) {
    if (!p.consumers.length) return el('p', { class: 'muted' }, 'Nobody has subscribed yet.');
    return el('table', {}, el('tr', {}, el('th', {}, 'consumer group'), el('th', {}, 'app'), el('th', {}, 'kind'),
      el('th', {}, 'lag (records)'), el('th', {}, 'lag (time)')),
    p.consumers.map(c => el('tr', { 'data-group': c.group }, el('td', {}, el('code', {}, c.group)), el('td', {}, c.app), el('td', {}, c.kind),
      el('td', {}, c.lagRecords == null ? 'no offsets committed' : c.lagRecords),
      el('td', {}, c.lagSeconds == null ? (c.lagRecords ? '' : 'caught up') : duration(c.lagSeconds)))));
  }

  function snippet(text) {
    const pre = el('pre', { class: 'snippet' }, text);
    const copy = el('button', { class: 'copy secondary', type: 'button' }, 'copy');
    copy.addEventListener('click', () => navigator.clipboard && navigator.clipboard.writeText(text));
    return el('div', {}, copy, pre);
  }

  function consume(p) {
    const h = p.howToConsume;
    return [kv([['Topic', el('code', {}, h.topic)], ['Value subject', el('code', {}, h.subject)],
      ['Kafka', el('code', {}, h.bootstrapServers)], ['Schema registry', el('code', {}, h.registryUrl)]]),
    el('h2', { style: 'margin-top:14px' }, 'With the SDK (Java)'), snippet(h.sdk),
    el('h2', {}, 'With kcat'), snippet(h.kcat)];
  }

  function records(r) {
    if (r.missing) return el('p', { class: 'error' }, r.missing);
    if (!r.records.length) return el('p', { class: 'muted' }, 'No records yet.');
    return [el('p', { class: 'muted small' }, 'Newest first. Fields tagged PII are masked as ***.'),
      el('table', {}, el('tr', {}, el('th', {}, 'partition · offset'), el('th', {}, 'time'), el('th', {}, 'key'), el('th', {}, 'value')),
        r.records.map(x => el('tr', {}, el('td', {}, x.partition + ' · ' + x.offset), el('td', { class: 'small' }, time(x.timestamp)),
          el('td', {}, el('code', {}, x.key)),
          el('td', { class: 'value' }, x.error ? el('span', { class: 'error' }, 'undecodable: ' + x.error)
            : el('pre', { class: 'value' }, JSON.stringify(x.value, null, 2))))))];
  }

  const hhmm = iso => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  function throughput(t) {
    if (!t.topicExists) return el('p', { class: 'error' }, 'The topic does not exist.');
    return [el('p', {}, el('strong', {}, t.total), ` records in the last hour · ${t.perMinute} per minute`),
      Charts.bars(t.buckets.map(b => ({ label: hhmm(b.start), value: b.records, title: `${hhmm(b.start)}: ${b.records} records` }))),
      el('p', { class: 'muted small' }, 'per ' + duration(t.bucketSeconds) + '; ' + t.note)];
  }

  // Each objective as the catalog evaluates it: its state, since when, and its measured value over time.
  function slo(s) {
    const names = Object.keys(s.objectives);
    if (!names.length) return el('p', { class: 'muted' }, 'No objective evaluated yet: the catalog evaluates the contract\'s SLOs on a schedule.');
    const last = s.alerts[0];
    return [...names.map(name => {
      const o = s.objectives[name];
      const c = o.current;
      return el('div', { class: 'objective', 'data-slo': name },
        el('h3', {}, name, ' ', el('span', { class: 'badge slo-' + c.state.toLowerCase() }, c.state)),
        el('p', { class: 'small' }, c.value === undefined || c.value === null ? 'not measured' : `${+c.value.toFixed(4)} ${c.unit}`,
          ` against ${c.objective} ${c.unit} · ${c.detail} · since ${time(c.since)}`),
        Charts.line(o.series, c.objective, { unit: c.unit }));
    }),
    last ? el('p', { class: 'small', id: 'last-alert' }, 'Last alert: ', el('strong', {}, `${last.slo} ${last.from} → ${last.to}`), ' at ', time(last.at),
      ' (' + s.alerts.length + ' kept)') : el('p', { class: 'muted small' }, 'No alert yet.')];
  }

  // Who read the product and how much, from the groups' committed offsets (what mesh usage prints).
  function usage(u) {
    const p = u.products[0];
    if (!p || !p.readers.length) return el('p', { class: 'muted' }, 'Nobody read it in the last 7 days' + (p && p.idle ? ' (idle).' : '.'));
    return [el('p', {}, el('strong', {}, p.records), ' records read by ', p.readers.length, p.readers.length === 1 ? ' group' : ' groups',
      p.idle ? el('span', { class: 'error' }, ' · idle') : ''),
    el('table', {}, el('tr', {}, el('th', {}, 'group'), el('th', {}, 'domain'), el('th', {}, 'records'), el('th', {}, 'bytes'),
      el('th', {}, 'days'), el('th', {}, 'last read')),
    p.readers.map(r => el('tr', { 'data-group': r.group }, el('td', {}, r.group), el('td', {}, r.reader), el('td', { class: 'count' }, r.records),
      el('td', { class: 'count' }, r.bytes), el('td', { class: 'count' }, r.daysRead), el('td', { class: 'small' }, r.lastReadAt ? time(r.lastReadAt) : '-'))))];
  }

  function quality(q) {
    const intro = el('p', {}, el('strong', {}, q.total), ` dead-lettered records in the last ${duration(q.bucketSeconds * q.bucketStarts.length)}`,
      ` (${q.dlqTopic}${q.dlqExists ? '' : ', which does not exist'})`, q.truncated ? ' — more than could be read' : '');
    if (!q.rules.length) return [intro, el('p', { class: 'muted' }, 'No rules and no dead letters.')];
    return [intro, el('table', {}, el('tr', {}, el('th', {}, 'rule'), el('th', {}, 'dead letters'), el('th', {}, 'per ' + duration(q.bucketSeconds))),
      q.rules.map(r => el('tr', { 'data-rule': r.rule },
        el('td', {}, r.rule, r.inContract ? null : el('div', { class: 'muted small' }, 'not a rule of the contract'),
          r.expr ? el('div', {}, el('code', { class: 'small' }, r.expr)) : null),
        el('td', { class: 'count' }, r.total),
        el('td', { style: 'width:45%' }, Charts.bars(r.counts.map((c, i) => ({ label: hhmm(q.bucketStarts[i]), value: c })),
          { height: 50, color: r.total ? '#c0362c' : '#9aa3b2' })))))];
  }

  // the same report as `mesh impact`: is the proposal compatible, and whom would it break
  function impact(p) {
    const input = el('textarea', { id: 'proposal', rows: 8, style: 'width:100%', placeholder: 'Paste the proposed Avro schema (.avsc) here' });
    const check = el('button', { type: 'button', id: 'check-impact' }, 'Check impact');
    const out = el('div', { id: 'impact-report' });
    check.addEventListener('click', async () => {
      out.replaceChildren(el('p', { class: 'loading' }, 'Checking…'));
      const r = await fetch(base + '/impact', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: input.value });
      const report = await r.json();
      if (!r.ok) {
        out.replaceChildren(el('p', { class: 'error' }, report.message));
        return;
      }
      if (report.compatible) {
        out.replaceChildren(el('p', {}, el('strong', {}, 'Compatible'), ' under ' + report.compatibility + ': nobody is broken.'));
        return;
      }
      out.replaceChildren(el('p', { class: 'error' }, el('strong', {}, 'Breaking'), ' under ' + report.compatibility),
        el('ul', {}, report.incompatibilities.map(i => el('li', {}, i))),
        el('h2', {}, 'It would break'),
        el('table', {}, el('tr', {}, el('th', {}, 'derived product'), el('th', {}, 'streams app'), el('th', {}, 'owner'), el('th', {}, 'fields it shares')),
          report.derived.map(d => el('tr', {}, el('td', {}, d.topic), el('td', {}, el('code', {}, d.application || '')),
            el('td', {}, d.ownerTeam + ' <' + d.ownerContact + '>'), el('td', {}, d.sharedFields.join(', '))))),
        el('table', {}, el('tr', {}, el('th', {}, 'consumer group'), el('th', {}, 'kind'), el('th', {}, 'owner'), el('th', {}, 'lag')),
          report.groups.map(g => el('tr', {}, el('td', {}, el('code', {}, g.group)), el('td', {}, g.kind), el('td', {}, g.owner), el('td', {}, g.lag)))));
    });
    return [el('p', { class: 'muted' }, 'Before releasing a new schema: checked against the registry under the product\'s compatibility level, with everyone it would break.'), input, check, out];
  }

  // the marketplace: who reads the product by grant, the requests waiting for its owner, and a request form
  function access(a, refresh) {
    const post = async (path, body) => {
      const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await r.json();
      if (!r.ok) throw new Error(answer.message);
      return answer;
    };
    const message = el('p', { id: 'access-message', class: 'small' });
    const act = (id, decision) => async () => {
      try {
        await post('/api/access/' + encodeURIComponent(id) + '/' + decision, {});
        message.replaceChildren(decision + 'd ' + id);
        refresh();
      } catch (e) {
        message.replaceChildren(el('span', { class: 'error' }, e.message));
      }
    };
    const grant = g => el('tr', { 'data-grant': g.id }, el('td', {}, el('code', {}, g.principal)), el('td', {}, g.pii ? 'with PII' : 'masked PII'),
      el('td', {}, g.reason), el('td', {}, g.decidedBy || ''), el('td', {}, g.expiresAt ? time(g.expiresAt) : 'until revoked'),
      el('td', {}, el('button', { type: 'button', class: 'revoke', onclick: act(g.id, 'revoke') }, 'Revoke')));
    const pending = g => el('tr', { 'data-request': g.id }, el('td', {}, el('code', {}, g.principal)), el('td', {}, g.pii ? 'with PII' : 'masked PII'),
      el('td', {}, g.reason), el('td', {}, g.requestedBy),
      el('td', {}, el('button', { type: 'button', class: 'approve', onclick: act(g.id, 'approve') }, 'Approve'), ' ',
        el('button', { type: 'button', class: 'deny', onclick: act(g.id, 'deny') }, 'Deny')));
    const who = el('input', { id: 'request-principal', placeholder: 'User:you (empty: yourself)' });
    const why = el('input', { id: 'request-reason', placeholder: 'why you need it', style: 'width:40%' });
    const pii = el('input', { id: 'request-pii', type: 'checkbox' });
    const ask = el('button', { type: 'button', id: 'request-access' }, 'Request access');
    ask.addEventListener('click', async () => {
      try {
        const body = { product: a.product, reason: why.value, pii: pii.checked };
        if (who.value.trim()) body.principal = who.value.trim();
        const g = await post('/api/access/requests', body);
        message.replaceChildren('requested ' + g.id + ' for ' + g.principal + '; ' + a.owner + ' decides');
        refresh();
      } catch (e) {
        message.replaceChildren(el('span', { class: 'error' }, e.message));
      }
    });
    return [el('p', { id: 'contract-readers' }, 'Readers by contract (' + a.classification + ', access.readers): ',
        a.readers.length ? a.readers.map((r, i) => [i ? ', ' : '', el('code', {}, r)]) : 'not known to the marketplace',
        el('span', { class: 'muted' }, '. ' + a.owner + ' (or an admin) grants others here.')),
      el('table', { id: 'grants' }, el('tr', {}, el('th', {}, 'granted to'), el('th', {}, 'PII'), el('th', {}, 'reason'), el('th', {}, 'approved by'),
        el('th', {}, 'until'), el('th', {}, '')), a.grants.map(grant)),
      a.pending.length ? el('table', { id: 'pending' }, el('tr', {}, el('th', {}, 'requested for'), el('th', {}, 'PII'), el('th', {}, 'reason'),
        el('th', {}, 'by'), el('th', {}, '')), a.pending.map(pending)) : el('p', { class: 'muted', id: 'pending' }, 'No pending requests.'),
      el('p', {}, who, ' ', why, ' ', el('label', {}, pii, ' with PII'), ' ', ask), message];
  }

  function audit(events) {
    if (!events.length) return [el('p', { class: 'muted' }, 'No changes in the last 7 days.')];
    return [el('table', { id: 'audit-events' }, el('tr', {}, el('th', {}, 'when'), el('th', {}, 'who'), el('th', {}, 'what'), el('th', {}, 'details')),
      events.map(e => el('tr', {}, el('td', {}, time(e.at)), el('td', {}, el('code', {}, e.principal)), el('td', {}, e.action),
        el('td', { class: 'small' }, Object.entries(e.details).map(([k, v]) => k + '=' + v).join(' ')))))];
  }

  async function load() {
    let p;
    try {
      p = await api(base);
    } catch (e) {
      document.getElementById('title').replaceChildren(el('h1', {}, id), el('p', { class: 'error' }, 'Could not load: ' + e.message));
      return;
    }
    document.getElementById('title').replaceChildren(...title(p));
    if (p.missing.length) {
      document.getElementById('missing').replaceChildren(el('div', { class: 'missing' },
        el('strong', {}, 'Missing: '), 'the catalog lists this product, but', el('ul', {}, p.missing.map(m => el('li', {}, m)))));
    }
    section('contract', 'Contract', ...contract(p));
    section('freshness', 'Freshness', ...freshness(p));
    section('schema', 'Schema', ...[].concat(schema(p)));
    section('versions', 'Versions', ...[].concat(versions(p)));
    section('consumers', 'Consumers', consumers(p));
    section('consume', 'How to consume', ...consume(p));
    section('impact', 'Propose a schema', ...impact(p));
    const into = name => {
      const box = el('div');
      const part = document.getElementById(name);
      part.replaceChildren(part.querySelector('h2'), box);
      return box;
    };
    const accessBox = into('access');
    const auditBox = into('audit');
    const refreshAccess = () => {
      fill(accessBox, base + '/access', a => access(a, refreshAccess));
      fill(auditBox, '/api/audit?product=' + encodeURIComponent(p.topic), audit);
    };
    refreshAccess();
    fill(into('records'), base + '/records?limit=10', records);
    fill(into('throughput'), base + '/throughput', throughput);
    fill(into('quality'), base + '/quality', quality);
    fill(into('usage'), '/api/usage?since=7d&product=' + encodeURIComponent(p.topic), usage);
    // the catalog evaluates on a schedule: the chart follows it while the page is open
    const sloBox = into('slo');
    const refreshSlo = () => fill(sloBox, '/api/slo/' + encodeURIComponent(p.topic), slo);
    refreshSlo();
    setInterval(refreshSlo, 10000);
  }

  load();
})();
