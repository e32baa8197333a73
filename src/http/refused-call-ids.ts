/**
 * Which call was refused (401), for the log line: the service id from the path and the body's
 * `hookInstance`, so an operator can correlate with the EHR's own logs. Neither is PHI. Authentication
 * runs before the body is read, so a refused call's body is read here, but only a small one (a declared
 * Content-Length up to REFUSED_BODY_PEEK_BYTES): an unauthenticated caller must not make us parse megabytes.
 */
import express, { type Request, type Response } from 'express';
import { callLocals } from './locals';

export const REFUSED_BODY_PEEK_BYTES = 256 * 1024;
const peekJson = express.json({ limit: REFUSED_BODY_PEEK_BYTES, strict: true, type: 'application/json' });
/** Ids we log are the spec's (UUID hookInstance, kebab-case service id): anything else is not copied into logs. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function refusedCallIds(
  req: Request,
  res: Response,
): Promise<{ serviceId?: string; hookInstance?: string }> {
  const pathId: unknown = req.params.id;
  const serviceId = typeof pathId === 'string' && SAFE_ID.test(pathId) ? pathId : undefined;
  const declared = Number(req.get('content-length'));
  let hookInstance: string | undefined;
  if (req.is('application/json') && Number.isFinite(declared) && declared > 0 && declared <= REFUSED_BODY_PEEK_BYTES) {
    await new Promise<void>((resolve) => peekJson(req, res, () => resolve()));
    const body: unknown = req.body;
    const value =
      typeof body === 'object' && body !== null ? (body as { hookInstance?: unknown }).hookInstance : undefined;
    if (typeof value === 'string' && SAFE_ID.test(value)) hookInstance = value;
  }
  if (hookInstance !== undefined) callLocals(res).hookInstance = hookInstance;
  return { ...(serviceId && { serviceId }), ...(hookInstance && { hookInstance }) };
}
