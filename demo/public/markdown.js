// A tiny, safe markdown renderer for card `detail` (CDS Hooks 2.0: GitHub-flavoured markdown).
// Safety comes from order: the whole input is HTML-escaped FIRST, so nothing the service (or a
// compromised upstream) writes can become a tag or attribute; the renderer then only adds its own
// fixed tags. Links are kept only for http(s) URLs. Supported: ATX headings, paragraphs, **bold**,
// *italic*, `code`, - / 1. lists (flat), GFM tables, fenced code, horizontal rules, backslash escapes.

export function escapeHtml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
const FENCE = /^\s*(```|~~~)/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Renders markdown to an HTML string that is safe to assign to innerHTML. */
export function renderMarkdown(source) {
  // \u0000 is our placeholder marker below; it has no business in card text.
  // eslint-disable-next-line no-control-regex -- removes the placeholder marker, a control character by design
  const lines = escapeHtml(String(source ?? '').replace(/\u0000/g, ''))
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const out = [];
  let i = 0;
  const isBlockStart = (line, next) =>
    HEADING.test(line) ||
    BULLET.test(line) ||
    ORDERED.test(line) ||
    RULE.test(line) ||
    FENCE.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_DELIMITER.test(next) && next.includes('-'));

  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    let m;
    if (FENCE.test(line)) {
      const fence = FENCE.exec(line)[1];
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i++]);
      i++; // closing fence (or end of input)
      out.push(`<pre><code>${body.join('\n')}</code></pre>`);
    } else if ((m = HEADING.exec(line))) {
      // Card detail sits under the card's <h3> summary: start at h4 so the outline stays valid.
      const level = Math.min(6, Math.max(4, m[1].length));
      out.push(`<h${level}>${inline(m[2])}</h${level}>`);
      i++;
    } else if (RULE.test(line)) {
      out.push('<hr>');
      i++;
    } else if (
      line.includes('|') &&
      i + 1 < lines.length &&
      TABLE_DELIMITER.test(lines[i + 1]) &&
      lines[i + 1].includes('-')
    ) {
      i = table(lines, i, out);
    } else if (BULLET.test(line) || ORDERED.test(line)) {
      i = list(lines, i, out);
    } else {
      const para = [line.trim()];
      i++;
      while (i < lines.length && lines[i].trim() !== '' && !isBlockStart(lines[i], lines[i + 1]))
        para.push(lines[i++].trim());
      out.push(`<p>${inline(para.join(' '))}</p>`);
    }
  }
  return out.join('\n');
}

function list(lines, start, out) {
  const ordered = ORDERED.test(lines[start]);
  const marker = ordered ? ORDERED : BULLET;
  const items = [];
  let i = start;
  while (i < lines.length) {
    const m = marker.exec(lines[i]);
    if (m) {
      items.push(m[1].trim());
    } else if (
      lines[i].trim() !== '' &&
      /^\s+/.test(lines[i]) &&
      items.length > 0 &&
      !BULLET.test(lines[i]) &&
      !ORDERED.test(lines[i])
    ) {
      items[items.length - 1] += ' ' + lines[i].trim(); // lazy continuation of the item above
    } else {
      break;
    }
    i++;
  }
  const tag = ordered ? 'ol' : 'ul';
  out.push(`<${tag}>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</${tag}>`);
  return i;
}

/** Splits a table row on unescaped pipes; `\|` stays a literal pipe inside a cell. */
function cells(row) {
  let text = row.trim();
  if (text.startsWith('|')) text = text.slice(1);
  const result = [];
  let cell = '';
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\\' && k + 1 < text.length) {
      const next = text[k + 1];
      cell += next === '|' ? '&#124;' : ch + next; // other escapes are handled by inline()
      k++;
    } else if (ch === '|') {
      result.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (cell.trim() !== '') result.push(cell.trim());
  return result;
}

/** A delimiter cell's alignment: `:---:` centre, `---:` right, anything else the default. */
function alignOf(delimiter) {
  if (!delimiter.endsWith(':')) return '';
  return delimiter.startsWith(':') ? 'center' : 'right';
}

function table(lines, start, out) {
  const header = cells(lines[start]);
  const aligns = cells(lines[start + 1]).map(alignOf);
  const cls = (k) => (aligns[k] ? ` class="align-${aligns[k]}"` : '');
  const rows = [];
  let i = start + 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') rows.push(cells(lines[i++]));
  const head = header.map((c, k) => `<th scope="col"${cls(k)}>${inline(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${header.map((_h, k) => `<td${cls(k)}>${inline(r[k] ?? '')}</td>`).join('')}</tr>`)
    .join('');
  out.push(`<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`);
  return i;
}

/** Inline markup on already-escaped text. Finished HTML is parked in placeholders so later rules cannot touch it. */
function inline(text) {
  const parked = [];
  const park = (html) => `\u0000${parked.push(html) - 1}\u0000`;
  let s = text
    .replace(/`([^`]+)`/g, (_m, code) => park(`<code>${code}</code>`))
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, (_m, ch) => park(`&#${ch.charCodeAt(0)};`))
    .replace(/\[([^\]]+)\]\(([^()\s]+)\)/g, (_m, label, url) =>
      /^https?:\/\/[^\s]+$/i.test(url)
        ? park(`<a href="${url}" target="_blank" rel="noopener noreferrer">`) + label + park('</a>')
        : label,
    );
  s = s
    .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)(.+?)__/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)\*(?!\w)/g, '$1<em>$2</em>');
  // eslint-disable-next-line no-control-regex -- the placeholder marker (see renderMarkdown)
  return s.replace(/\u0000(\d+)\u0000/g, (_m, n) => parked[Number(n)]);
}
