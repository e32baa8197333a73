// Turns the patient's Observations, Procedures and MedicationAdministrations into chart data.
// A visual aid only: the service's rules decide; this mirrors their reading of the diary closely
// enough to show the clinician what the cards are based on.

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const DIARY = 'http://migraine-botox-cds.org/fhir/CodeSystem/headache-diary';
const HEADACHE = '25064002';
const MIGRAINE = '37796009';
const DAY_MS = 86_400_000;
const MAX_WINDOWS = 12;
const IGNORED_STATUS = new Set(['entered-in-error', 'cancelled', 'not-done']);

const has = (concept, system, code) => (concept?.coding ?? []).some((c) => c.system === system && c.code === code);
const hasCode = (concept, code) => (concept?.coding ?? []).some((c) => c.code === code);
export const toDay = (iso) => Math.floor(Date.parse(`${String(iso).slice(0, 10)}T00:00:00Z`) / DAY_MS);
export const fromDay = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * @returns {{ mode: 'daily'|'counts'|'none', windows: Array<{start:string,end:string,headache:number,migraine:number,recorded:number|null,length:number}>, latest?: string }}
 *   windows oldest first. 'daily': 30-day windows ending at the latest diary day; 'counts': the
 *   reported periods (usually calendar months) as given.
 */
export function diaryWindows(observations) {
  const days = new Map(); // day number → { headache, migraine }
  const periods = new Map(); // "start|end" → { start, end, headache, migraine }
  const mark = (date, headache, migraine) => {
    const day = toDay(date);
    if (Number.isNaN(day)) return;
    const prev = days.get(day) ?? { headache: false, migraine: false };
    days.set(day, { headache: prev.headache || headache, migraine: prev.migraine || migraine });
  };
  for (const o of observations) {
    if (o?.resourceType !== 'Observation' || IGNORED_STATUS.has(o.status)) continue;
    const date = o.effectiveDateTime;
    if (date && has(o.code, SNOMED, HEADACHE) && typeof o.valueBoolean === 'boolean') {
      const migraine = (o.component ?? []).some((c) => has(c.code, SNOMED, MIGRAINE) && c.valueBoolean === true);
      mark(date, o.valueBoolean, o.valueBoolean && migraine);
    } else if (date && has(o.code, LOINC, '75325-1')) {
      const migraine = has(o.valueCodeableConcept, SNOMED, MIGRAINE);
      if (migraine || has(o.valueCodeableConcept, SNOMED, HEADACHE)) mark(date, true, migraine);
    } else if (
      o.effectivePeriod?.start &&
      o.effectivePeriod?.end &&
      (has(o.code, DIARY, 'headache-days') || has(o.code, DIARY, 'migraine-days'))
    ) {
      const value = o.valueQuantity?.value ?? o.valueInteger;
      if (typeof value !== 'number') continue;
      const [start, end] = [o.effectivePeriod.start.slice(0, 10), o.effectivePeriod.end.slice(0, 10)];
      const key = `${start}|${end}`;
      const p = periods.get(key) ?? {
        start,
        end,
        headache: 0,
        migraine: 0,
        recorded: null,
        length: toDay(end) - toDay(start) + 1,
      };
      if (has(o.code, DIARY, 'headache-days')) p.headache = value;
      else p.migraine = value;
      periods.set(key, p);
    }
  }
  if (days.size > 0) {
    const sorted = [...days.keys()].sort((a, b) => a - b);
    const [first, last] = [sorted[0], sorted[sorted.length - 1]];
    const windows = [];
    for (let k = 0; k < MAX_WINDOWS; k++) {
      const end = last - 30 * k;
      const start = end - 29;
      if (end < first) break;
      let headache = 0,
        migraine = 0,
        recorded = 0;
      for (let d = start; d <= end; d++) {
        const entry = days.get(d);
        if (!entry) continue;
        recorded++;
        if (entry.headache) headache++;
        if (entry.migraine) migraine++;
      }
      windows.unshift({ start: fromDay(start), end: fromDay(end), headache, migraine, recorded, length: 30 });
    }
    return { mode: 'daily', windows, latest: fromDay(last) };
  }
  if (periods.size > 0) {
    const windows = [...periods.values()].sort((a, b) => a.start.localeCompare(b.start)).slice(-MAX_WINDOWS);
    return { mode: 'counts', windows, latest: windows[windows.length - 1].end };
  }
  return { mode: 'none', windows: [] };
}

/** Botox sessions: Procedure CPT 64615 and MedicationAdministration HCPCS J0585, by date. */
export function injectionEvents(procedures, administrations) {
  const events = [];
  for (const p of procedures) {
    if (p?.resourceType !== 'Procedure' || IGNORED_STATUS.has(p.status) || !hasCode(p.code, '64615')) continue;
    const date = p.performedDateTime ?? p.performedPeriod?.start;
    if (date) events.push({ date: date.slice(0, 10), kind: 'Procedure CPT 64615' });
  }
  for (const m of administrations) {
    if (
      m?.resourceType !== 'MedicationAdministration' ||
      IGNORED_STATUS.has(m.status) ||
      !hasCode(m.medicationCodeableConcept, 'J0585')
    )
      continue;
    const date = m.effectiveDateTime ?? m.effectivePeriod?.start;
    const dose = m.dosage?.dose?.value;
    if (date)
      events.push({ date: date.slice(0, 10), kind: `MedicationAdministration J0585${dose ? ` ${dose} U` : ''}` });
  }
  return events.sort((a, b) => a.date.localeCompare(b.date));
}
