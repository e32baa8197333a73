/**
 * The one error type the service raises on purpose. `status` and `message` are safe to show
 * to the client; anything else that escapes becomes an opaque 500 (see error middleware).
 */
export type AppErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'precondition-failed'
  | 'too-many-requests'
  | 'service-unavailable';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly status: number,
    message: string,
    /** Extra, client-safe details (e.g. which request fields were invalid). */
    readonly details?: readonly string[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
