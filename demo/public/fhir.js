// FHIR reads for the demo page, through the launcher's read-only same-origin proxy (/demo/fhir),
// and prefetch building exactly as an EHR would: fill the service's discovery templates, run them
// against the FHIR server, follow `next` links into one searchset Bundle per key.

const MAX_PAGES = 50;

export function createFhirReader(config) {
  const proxyBase = new URL(config.fhirProxyBase, window.location.href).href.replace(/\/+$/, '');
  const realBase = config.fhirBaseUrl.replace(/\/+$/, '');

  /** Maps a query relative to the FHIR base, or an absolute URL on the real server (paging links), to the proxy. */
  function proxied(urlOrQuery) {
    if (/^https?:\/\//i.test(urlOrQuery)) {
      if (urlOrQuery !== realBase && !urlOrQuery.startsWith(realBase + '/')) {
        throw new Error(`refusing a link outside the FHIR server: ${urlOrQuery}`);
      }
      return proxyBase + urlOrQuery.slice(realBase.length);
    }
    return `${proxyBase}/${urlOrQuery.replace(/^\/+/, '')}`;
  }

  async function getJson(urlOrQuery) {
    const response = await fetch(proxied(urlOrQuery), { headers: { accept: 'application/fhir+json' } });
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: reported below */
    }
    if (!response.ok) {
      const issue = body?.issue?.[0]?.details?.text ?? body?.issue?.[0]?.diagnostics ?? text.slice(0, 200);
      const err = new Error(`FHIR ${response.status}: ${issue}`);
      err.status = response.status;
      throw err;
    }
    if (body === null) throw new Error(`FHIR ${response.status}: response is not JSON`);
    return body;
  }

  /** Runs a search and follows `next` links; returns one searchset Bundle with every entry. */
  async function searchAll(query) {
    const entries = [];
    let url = query;
    const seen = new Set();
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES || seen.has(url)) throw new Error(`paging did not end after ${page} pages: ${query}`);
      seen.add(url);
      const bundle = await getJson(url);
      if (bundle.resourceType !== 'Bundle')
        throw new Error(`expected a Bundle from ${query}, got ${bundle.resourceType}`);
      entries.push(...(bundle.entry ?? []));
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: entries.length,
      link: [{ relation: 'self', url: `${realBase}/${query}` }],
      entry: entries,
    };
  }

  const resources = (bundle) => (bundle.entry ?? []).map((e) => e.resource).filter(Boolean);

  return { getJson, searchAll, resources };
}

/**
 * Fills `{{context.X}}` and `{{userPractitionerId}}`-style tokens (CDS Hooks 2.0 prefetch tokens),
 * URL-encoded, like the service's own src/cds/template.ts. Returns undefined when a token cannot be
 * resolved: the EHR then simply leaves that key out and the service fetches it itself.
 */
export function fillTemplate(template, context) {
  const userTokens = {
    userPractitionerId: 'Practitioner',
    userPractitionerRoleId: 'PractitionerRole',
    userPatientId: 'Patient',
    userRelatedPersonId: 'RelatedPerson',
  };
  let unresolved = false;
  const filled = template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_whole, token) => {
    let value;
    if (Object.hasOwn(userTokens, token)) {
      const m = /^([A-Za-z]+)\/([^/]+)$/.exec(String(context.userId ?? ''));
      value = m && m[1] === userTokens[token] ? m[2] : undefined;
    } else if (token.startsWith('context.')) {
      const v = context[token.slice('context.'.length)];
      value = ['string', 'number', 'boolean'].includes(typeof v) && v !== '' ? String(v) : undefined;
    }
    if (value === undefined) unresolved = true;
    return encodeURIComponent(value ?? '');
  });
  return unresolved ? undefined : filled;
}

/**
 * Builds the `prefetch` object for a service definition. A search becomes a full searchset Bundle;
 * a read that finds nothing becomes null (spec: "the EHR SHALL set the prefetch key to null");
 * a key the EHR could not fetch for another reason is left out.
 */
export async function buildPrefetch(reader, templates, context) {
  const prefetch = {};
  const notes = [];
  await Promise.all(
    Object.entries(templates ?? {}).map(async ([key, template]) => {
      const query = fillTemplate(template, context);
      if (query === undefined) {
        notes.push(`${key}: template not resolvable, left out`);
        return;
      }
      try {
        prefetch[key] = query.includes('?') ? await reader.searchAll(query) : await reader.getJson(query);
      } catch (err) {
        if (err.status === 404 && !query.includes('?')) prefetch[key] = null;
        else notes.push(`${key}: ${err.message}; left out`);
      }
    }),
  );
  // Stable key order makes the request readable in the "Hook request" panel.
  return {
    prefetch: Object.fromEntries(
      Object.keys(templates ?? {})
        .filter((k) => k in prefetch)
        .map((k) => [k, prefetch[k]]),
    ),
    notes,
  };
}
