import type { Thresholds } from '../rules/thresholds';

/**
 * What the renderer needs besides the finding. Both are injected so rendering stays pure:
 * tests pass a sequential `newId`; the server passes `crypto.randomUUID`.
 */
export interface CardContext {
  /** Card uuid source (CDS Hooks 2.0: the uuid comes back in feedback). */
  readonly newId: () => string;
  /** The thresholds the rules used; every number in card text comes from here. */
  readonly thresholds: Thresholds;
  /** The context patient; without it no suggestion that creates a resource is offered. */
  readonly patientId?: string;
}
