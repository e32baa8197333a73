/**
 * The request body's encoding, checked at the edge: JSON is UTF-8 only (RFC 8259 §8.1), and the text
 * must be valid Unicode. Raw bytes that are not UTF-8 would be decoded with U+FFFD replacements, and a
 * JSON escape like `"\ud800"` yields a lone surrogate that `encodeURIComponent` (and every UTF-8 encoder
 * downstream) refuses: both are a 400 here, never a 500 later.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-8.1
 */
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError } from '../common/app-error';

/** The `charset` parameter of a Content-Type, lower-cased, or undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '');
  return match?.[2]?.toLowerCase();
}

/** `application/json`, and UTF-8 if a charset is named (415 otherwise). No body falls through to validation (400). */
export const requireUtf8Json: RequestHandler = (req, _res, next) => {
  if (req.is('application/json') === false) {
    throw new AppError('unsupported-media-type', 415, 'request body must be application/json');
  }
  const charset = charsetOf(req.get('content-type'));
  if (charset !== undefined && charset !== 'utf-8') {
    throw new AppError('unsupported-media-type', 415, 'request body must be UTF-8 JSON (RFC 8259 §8.1)');
  }
  next();
};

/** What the parser saw in the raw bytes; read by {@link unicodeGuard}. */
const seen = new WeakMap<object, 'not-utf8' | 'surrogate-escapes'>();

/** Lone surrogates: a high one not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** express.json that also notes invalid UTF-8 and `\uD8xx`–`\uDFxx` escapes (cheap byte scans, no parse). */
export function createJsonParser(limit: string): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: 'application/json',
    verify: (req, _res, buf) => {
      if (!isUtf8(buf)) seen.set(req, 'not-utf8');
      // A pre-filter only (it also matches Hangul escapes \ud0xx and valid pairs): the walk decides.
      else if (buf.includes('\\ud') || buf.includes('\\uD')) seen.set(req, 'surrogate-escapes');
    },
  });
}

/** True when some string or key in `value` holds a lone surrogate. Depth is bounded by the depth guard that runs first. */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  return Object.entries(value).some(([key, child]) => LONE_SURROGATE.test(key) || hasLoneSurrogate(child));
}

/** 400 for a body that is not UTF-8 or holds a lone surrogate (walked only when the bytes had such an escape). */
export const unicodeGuard: RequestHandler = (req, _res, next) => {
  const note = seen.get(req);
  if (note === 'not-utf8') throw new AppError('bad-request', 400, 'request body is not valid UTF-8');
  if (note === 'surrogate-escapes' && hasLoneSurrogate(req.body as unknown)) {
    throw new AppError('bad-request', 400, 'request body holds invalid Unicode (a lone surrogate)');
  }
  next();
};
