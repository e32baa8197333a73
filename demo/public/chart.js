// Inline-SVG diary chart, no libraries. It draws what GET /demo/chart/:patientId returns (the rules'
// own reading: src/demo/chart-data.ts) and computes nothing clinical: no windows, no dates, no counts.
// Paired bars per window the rules judged (candidacy months, the response's baseline and treated
// window), a strip of the diary days as the rules read them, dashed ICHD-3 lines at 15 and 8 days, a
// solid marker per migraine cycle and a grey hollow marker per toxin session for another indication.

const SVG = 'http://www.w3.org/2000/svg';
const W = 900,
  H = 340;
const M = { top: 40, right: 170, bottom: 58, left: 44 };
const DAY_MS = 86_400_000;
export const THRESHOLDS = [
  { days: 15, cls: 'threshold-headache', label: '15 headache days', testid: 'threshold-15' },
  { days: 8, cls: 'threshold-migraine', label: '8 migraine days', testid: 'threshold-8' },
];
const ROLE_LABEL = {
  candidacy: 'month',
  baseline: 'baseline',
  response: 'response',
  stopping: 'stopping rule',
};

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// Only for placing ISO dates the server sent on the x axis (no calendar arithmetic on them).
const pos = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const shortDate = (iso) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  });
const fmt = (v) => (v === null ? '?' : String(v));

/** A diary day's mark: no headache, headache with migraine features, or headache only. */
function dayKind(day) {
  if (!day.headache) return 'none';
  return day.migraine ? 'migraine' : 'headache';
}

/**
 * @param chart - the JSON of GET /demo/chart/:patientId
 * @returns the <svg id="diary-chart"> element
 */
export function renderChart(chart) {
  const svg = el('svg', {
    id: 'diary-chart',
    'data-testid': 'diary-chart',
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-labelledby': 'diary-chart-title diary-chart-desc',
  });
  svg.append(el('title', { id: 'diary-chart-title' }, 'Headache diary: the windows the rules judged'));
  const desc = chart.windows
    .map(
      (w) =>
        `${ROLE_LABEL[w.role]} ${w.start} to ${w.end}: ${w.headacheDays} headache days, ${fmt(w.migraineDays)} migraine days`,
    )
    .join('; ');
  const sessions = chart.toxinSessions.map((s) => `${s.date} ${s.label}`).join(', ');
  svg.append(
    el(
      'desc',
      { id: 'diary-chart-desc' },
      `${desc || 'No diary window judged.'} Toxin sessions: ${sessions || 'none'}.`,
    ),
  );

  const xs = [
    pos(chart.today),
    ...chart.windows.flatMap((w) => [pos(w.start), pos(w.end) + 1]),
    ...chart.toxinSessions.map((s) => pos(s.date)),
    ...chart.days.map((d) => pos(d.date)),
  ];
  const lo = Math.min(...xs) - 5,
    hi = Math.max(...xs) + 6;
  const maxValue = Math.max(30, ...chart.windows.map((w) => Math.max(w.headacheDays, w.migraineDays ?? 0)));
  const plotW = W - M.left - M.right,
    plotH = H - M.top - M.bottom;
  const x = (p) => M.left + ((p - lo) / (hi - lo)) * plotW;
  const y = (v) => M.top + plotH - (v / maxValue) * plotH;

  const axis = el('g', { class: 'axis' });
  for (let v = 0; v <= maxValue; v += 5) {
    axis.append(el('line', { class: 'grid', x1: M.left, x2: M.left + plotW, y1: y(v), y2: y(v) }));
    axis.append(el('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  axis.append(
    el(
      'text',
      { x: 12, y: M.top + plotH / 2, transform: `rotate(-90 12 ${M.top + plotH / 2})`, 'text-anchor': 'middle' },
      'days per 30',
    ),
  );
  svg.append(axis);

  const bars = el('g', { class: 'bars' });
  for (const w of chart.windows) {
    const x0 = x(pos(w.start)),
      x1 = x(pos(w.end) + 1);
    const span = x1 - x0,
      barW = Math.max(2, span * 0.36),
      gap = span * 0.06;
    const recorded =
      { daily: `, ${w.recordedDays}/${w.windowDays} days recorded`, count: ' (reported count)' }[w.source] ??
      ' (nothing recorded)';
    const tip = `${ROLE_LABEL[w.role]} ${w.start} – ${w.end}: ${w.headacheDays} headache / ${fmt(w.migraineDays)} migraine days${recorded}`;
    const group = el('g', {
      class: `window window-${w.role}`,
      'data-testid': 'chart-window',
      'data-role': w.role,
      'data-window': `${w.start} – ${w.end}`,
    });
    group.append(el('rect', { class: `window-band band-${w.role}`, x: x0, y: M.top, width: span, height: plotH }));
    for (const [kind, value, bx] of [
      ['headache', w.headacheDays, x0 + gap],
      ['migraine', w.migraineDays ?? 0, x0 + gap + barW],
    ]) {
      const rect = el('rect', {
        class: `bar bar-${kind}`,
        'data-testid': `bar-${kind}`,
        'data-role': w.role,
        x: bx,
        y: y(value),
        width: barW,
        height: Math.max(0, y(0) - y(value)),
      });
      rect.append(el('title', {}, tip));
      const shown = kind === 'headache' ? String(w.headacheDays) : fmt(w.migraineDays);
      group.append(
        rect,
        el(
          'text',
          {
            class: 'value',
            'data-testid': `value-${kind}`,
            'data-role': w.role,
            x: bx + barW / 2,
            y: y(value) - 3,
            'text-anchor': 'middle',
          },
          shown,
        ),
      );
    }
    group.append(
      el(
        'text',
        { class: 'label', x: (x0 + x1) / 2, y: H - M.bottom + 28, 'text-anchor': 'middle' },
        `${ROLE_LABEL[w.role]} → ${shortDate(w.end)}`,
      ),
    );
    bars.append(group);
  }
  svg.append(bars);

  // The diary days as the rules read them (clinic calendar, final entries only), under the axis.
  const strip = el('g', { class: 'days' });
  const dayW = Math.max(1, plotW / (hi - lo) - 0.3);
  for (const d of chart.days) {
    const kind = dayKind(d);
    const tick = el('rect', {
      class: `day day-${kind}`,
      'data-testid': 'diary-day',
      'data-date': d.date,
      x: x(pos(d.date)),
      y: y(0) + 4,
      width: dayW,
      height: 8,
    });
    tick.append(el('title', {}, `${d.date}: ${kind === 'none' ? 'no headache' : kind}`));
    strip.append(tick);
  }
  svg.append(strip);

  if (chart.windows.length === 0) {
    const why = {
      'on-treatment': 'On treatment: candidacy is not judged, and no response window is on a card',
      minor: 'Under 18 on the clinic date: the diary is not judged',
      'no-diary': 'No headache diary entries',
    };
    svg.append(
      el(
        'text',
        { class: 'nodata', x: M.left + plotW / 2, y: M.top + plotH * 0.3, 'text-anchor': 'middle' },
        why[chart.candidacyNotJudged] ?? 'No diary window judged',
      ),
    );
  }

  for (const t of THRESHOLDS) {
    svg.append(
      el('line', {
        class: `threshold ${t.cls}`,
        'data-testid': t.testid,
        x1: M.left,
        x2: M.left + plotW,
        y1: y(t.days),
        y2: y(t.days),
      }),
    );
    svg.append(
      el('text', { class: `threshold-label ${t.cls}`, x: M.left + plotW + 6, y: y(t.days) + 4 }, `${t.label} (ICHD-3)`),
    );
  }

  const today = x(pos(chart.today));
  svg.append(el('line', { class: 'today', x1: today, x2: today, y1: M.top - 6, y2: M.top + plotH }));
  svg.append(el('text', { class: 'label', x: today, y: M.top - 10, 'text-anchor': 'middle' }, `today ${chart.today}`));

  const marks = el('g', { class: 'injections' });
  chart.toxinSessions.forEach((s, k) => {
    const ix = x(pos(s.date));
    const cls = s.migraine ? 'injection' : 'injection-other';
    const line = el('line', {
      class: cls,
      'data-testid': s.migraine ? 'injection-marker' : 'other-indication-marker',
      'data-date': s.date,
      'data-indication': s.indication,
      x1: ix,
      x2: ix,
      y1: M.top,
      y2: M.top + plotH,
    });
    line.append(el('title', {}, `${s.date}: ${s.label}`));
    marks.append(line);
    if (!s.migraine) marks.append(el('circle', { class: 'injection-other-head', cx: ix, cy: M.top + 3, r: 4 }));
    // Stagger labels so sessions on nearby dates stay readable.
    const text = s.migraine ? `Botox ${shortDate(s.date)}` : `${s.indication} ${shortDate(s.date)}`;
    marks.append(
      el(
        'text',
        {
          class: s.migraine ? 'injection-label' : 'injection-other-label',
          'data-testid': s.migraine ? 'injection-label' : 'other-indication-label',
          x: ix + 6,
          y: M.top + 14 + (k % 2) * 13,
        },
        text,
      ),
    );
  });
  svg.append(marks);
  return svg;
}

/** The legend: says plainly what a bar is and where the numbers come from. */
export function legendText(chart) {
  const zone = chart.timeZone === 'UTC' ? 'UTC' : chart.timeZone;
  const base = `Bars: the 30-day windows the service's rules judged (the card's numbers), on the clinic calendar (${zone}, today ${chart.today}); label = role → window end. Strip under the axis: the diary days as the rules read them.`;
  if (chart.response === null) return base;
  const r = chart.response;
  return `${base} Response: ${r.baselineHeadacheDays} → ${r.responseHeadacheDays} headache days (reduction ${r.reductionPercent}%) after ${r.cyclesJudged} cycles (judged after the cycle of ${r.judgedCycleDate}).`;
}

/** The same numbers as an accessible table. */
export function renderTable(chart) {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const h of ['Window', 'Judged as', 'Headache days', 'Migraine days', 'Recorded days']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const w of [...chart.windows].reverse()) {
    const row = body.insertRow();
    for (const v of [
      `${w.start} – ${w.end}`,
      ROLE_LABEL[w.role],
      w.headacheDays,
      fmt(w.migraineDays),
      { daily: `${w.recordedDays}/${w.windowDays}`, count: 'period count' }[w.source] ?? 'none',
    ]) {
      row.insertCell().textContent = String(v);
    }
  }
  return table;
}
