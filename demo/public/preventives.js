// The patient's medication records beside the diary: prescriptions (MedicationRequest), statements
// (MedicationStatement) and intolerances (AllergyIntolerance), newest first, as the record holds them.
// A visual aid only: which of them are migraine preventives, and what they mean for NICE or a payer,
// is the service's reading (see the candidacy card).

const SKIPPED = new Set(['entered-in-error', 'cancelled', 'draft', 'not-taken']);

const text = (concept) =>
  concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? concept?.coding?.[0]?.code;
const day = (value) => (typeof value === 'string' ? value.slice(0, 10) : undefined);

/** @returns rows {medication, from, to, status, reason, source} sorted newest first */
export function medicationRows(requests, statements, allergies) {
  const rows = [];
  for (const r of requests) {
    if (r?.resourceType !== 'MedicationRequest' || SKIPPED.has(r.status)) continue;
    const validity = r.dispenseRequest?.validityPeriod;
    const supply = r.dispenseRequest?.expectedSupplyDuration;
    rows.push({
      medication: text(r.medicationCodeableConcept) ?? r.medicationReference?.display ?? 'medication',
      from: day(validity?.start) ?? day(r.authoredOn),
      to: day(validity?.end) ?? (supply?.value ? `${supply.value} ${supply.unit ?? 'days'} supply` : undefined),
      status: r.status,
      reason: text(r.statusReason),
      source: 'prescription',
    });
  }
  for (const s of statements) {
    if (s?.resourceType !== 'MedicationStatement' || SKIPPED.has(s.status)) continue;
    rows.push({
      medication: text(s.medicationCodeableConcept) ?? s.medicationReference?.display ?? 'medication',
      from: day(s.effectivePeriod?.start) ?? day(s.effectiveDateTime),
      to: day(s.effectivePeriod?.end),
      status: s.status,
      reason: (s.statusReason ?? []).map(text).filter(Boolean).join('; ') || undefined,
      source: 'statement',
    });
  }
  for (const a of allergies) {
    if (a?.resourceType !== 'AllergyIntolerance') continue;
    const reaction = (a.reaction ?? [])
      .flatMap((r) => r.manifestation ?? [])
      .map(text)
      .filter(Boolean);
    rows.push({
      medication: text(a.code) ?? 'substance',
      from: day(a.recordedDate) ?? day(a.onsetDateTime),
      to: undefined,
      status: a.type ?? 'intolerance',
      reason: reaction.join('; ') || undefined,
      source: 'allergy / intolerance',
    });
  }
  return rows.sort((x, y) => (y.from ?? '').localeCompare(x.from ?? ''));
}

/** The rows as an accessible table (textContent only: record text never becomes markup). */
export function renderMedicationTable(rows) {
  if (rows.length === 0) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.dataset.testid = 'no-medications';
    p.textContent = 'No prescriptions, medication statements or intolerances in the record.';
    return p;
  }
  const table = document.createElement('table');
  table.dataset.testid = 'medication-table';
  const head = table.createTHead().insertRow();
  for (const h of ['Medication', 'From', 'To', 'Status', 'Stopped because / reaction', 'Record']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const v of [
      r.medication,
      r.from ?? '—',
      r.to ?? (r.status === 'active' ? 'ongoing' : '—'),
      r.status,
      r.reason ?? '',
      r.source,
    ])
      row.insertCell().textContent = String(v);
  }
  return table;
}
