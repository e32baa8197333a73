// Inline-SVG diary chart, no libraries: a time axis with paired bars (headache / migraine days)
// per window, dashed ICHD-3 threshold lines at 15 and 8 days, and a vertical marker per Botox session.
import { fromDay, toDay } from './diary.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 900,
  H = 320;
const M = { top: 28, right: 170, bottom: 44, left: 44 };
export const THRESHOLDS = [
  { days: 15, cls: 'threshold-headache', label: '15 headache days', testid: 'threshold-15' },
  { days: 8, cls: 'threshold-migraine', label: '8 migraine days', testid: 'threshold-8' },
];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const shortDate = (iso) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  });

/**
 * @param diary - from diaryWindows()
 * @param injections - from injectionEvents()
 * @param asOf - the pinned "today" (YYYY-MM-DD)
 * @returns the <svg id="diary-chart"> element
 */
export function renderChart(diary, injections, asOf) {
  const svg = el('svg', {
    id: 'diary-chart',
    'data-testid': 'diary-chart',
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-labelledby': 'diary-chart-title diary-chart-desc',
  });
  svg.append(el('title', { id: 'diary-chart-title' }, 'Headache diary: headache and migraine days per window'));
  const desc = diary.windows
    .map((w) => `${w.start} to ${w.end}: ${w.headache} headache days, ${w.migraine} migraine days`)
    .join('; ');
  svg.append(
    el(
      'desc',
      { id: 'diary-chart-desc' },
      `${desc || 'No diary entries.'} Botox sessions: ${injections.map((i) => i.date).join(', ') || 'none'}.`,
    ),
  );

  const days = [
    toDay(asOf),
    ...diary.windows.flatMap((w) => [toDay(w.start), toDay(w.end) + 1]),
    ...injections.map((i) => toDay(i.date)),
  ];
  const lo = Math.min(...days) - 5,
    hi = Math.max(...days) + 5;
  const maxValue = Math.max(30, ...diary.windows.map((w) => Math.max(w.headache, w.migraine)));
  const plotW = W - M.left - M.right,
    plotH = H - M.top - M.bottom;
  const x = (day) => M.left + ((day - lo) / (hi - lo)) * plotW;
  const y = (v) => M.top + plotH - (v / maxValue) * plotH;

  // Y grid and axis labels (days per window).
  const axis = el('g', { class: 'axis' });
  for (let v = 0; v <= maxValue; v += 5) {
    axis.append(el('line', { class: 'grid', x1: M.left, x2: M.left + plotW, y1: y(v), y2: y(v) }));
    axis.append(el('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  axis.append(
    el(
      'text',
      { x: 12, y: M.top + plotH / 2, transform: `rotate(-90 12 ${M.top + plotH / 2})`, 'text-anchor': 'middle' },
      'days',
    ),
  );
  svg.append(axis);

  const bars = el('g', { class: 'bars' });
  for (const w of diary.windows) {
    const x0 = x(toDay(w.start)),
      x1 = x(toDay(w.end) + 1);
    const span = x1 - x0,
      barW = Math.max(2, span * 0.36),
      gap = span * 0.06;
    const tip =
      `${w.start} – ${w.end}: ${w.headache} headache / ${w.migraine} migraine days` +
      (w.recorded === null ? ' (reported count)' : `, ${w.recorded}/${w.length} days recorded`);
    for (const [kind, value, bx] of [
      ['headache', w.headache, x0 + gap],
      ['migraine', w.migraine, x0 + gap + barW],
    ]) {
      const rect = el('rect', {
        class: `bar bar-${kind}`,
        'data-testid': `bar-${kind}`,
        x: bx,
        y: y(value),
        width: barW,
        height: Math.max(0, y(0) - y(value)),
      });
      rect.append(el('title', {}, tip));
      bars.append(
        rect,
        el('text', { class: 'value', x: bx + barW / 2, y: y(value) - 3, 'text-anchor': 'middle' }, String(value)),
      );
    }
    bars.append(
      el(
        'text',
        { class: 'label', x: (x0 + x1) / 2, y: H - M.bottom + 16, 'text-anchor': 'middle' },
        `→ ${shortDate(w.end)}`,
      ),
    );
  }
  svg.append(bars);
  if (diary.windows.length === 0) {
    svg.append(
      el(
        'text',
        { class: 'nodata', x: M.left + plotW / 2, y: M.top + plotH * 0.3, 'text-anchor': 'middle' },
        'No headache diary entries',
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

  const today = toDay(asOf);
  svg.append(el('line', { class: 'today', x1: x(today), x2: x(today), y1: M.top - 6, y2: M.top + plotH }));
  svg.append(el('text', { class: 'label', x: x(today), y: M.top - 10, 'text-anchor': 'middle' }, `today ${asOf}`));

  const marks = el('g', { class: 'injections' });
  injections.forEach((inj, k) => {
    const ix = x(toDay(inj.date));
    const line = el('line', {
      class: 'injection',
      'data-testid': 'injection-marker',
      'data-date': inj.date,
      x1: ix,
      x2: ix,
      y1: M.top,
      y2: M.top + plotH,
    });
    line.append(el('title', {}, `Botox ${inj.date} (${inj.kind})`));
    // Stagger labels so two sessions on nearby dates stay readable.
    marks.append(
      line,
      el('text', { class: 'injection-label', x: ix + 3, y: M.top + 12 + (k % 2) * 13 }, `Botox ${shortDate(inj.date)}`),
    );
  });
  svg.append(marks);
  svg.append(
    el(
      'text',
      { class: 'label', x: M.left + plotW / 2, y: H - 8, 'text-anchor': 'middle' },
      `${fromDay(lo)} … ${fromDay(hi)}`,
    ),
  );
  return svg;
}

/** The legend: says plainly what a bar is. */
export function legendText(diary) {
  switch (diary.mode) {
    case 'daily':
      return `Bars: 30-day windows ending at the latest diary day (${diary.latest}), oldest first; label = window end.`;
    case 'counts':
      return 'Bars: the period counts as reported (here calendar months); label = period end.';
    default:
      return 'No headache diary in the record.';
  }
}

/** The same numbers as an accessible table. */
export function renderTable(diary) {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const h of ['Window', 'Headache days', 'Migraine days', 'Recorded days']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const w of [...diary.windows].reverse()) {
    const row = body.insertRow();
    for (const v of [
      `${w.start} – ${w.end}`,
      w.headache,
      w.migraine,
      w.recorded === null ? 'period count' : `${w.recorded}/${w.length}`,
    ]) {
      row.insertCell().textContent = String(v);
    }
  }
  return table;
}
