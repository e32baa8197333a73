/**
 * CDS Hooks 2.0 shapes, named as the spec names them.
 * @see https://cds-hooks.hl7.org/2.0/
 */
import type { FhirResource } from 'fhir/r4';

/** @see https://cds-hooks.hl7.org/2.0/#response */
export type Indicator = 'info' | 'warning' | 'critical';

/** @see https://cds-hooks.hl7.org/2.0/#coding */
export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#source */
export interface Source {
  readonly label: string;
  readonly url?: string;
  readonly icon?: string;
  readonly topic?: Coding;
}

/** @see https://cds-hooks.hl7.org/2.0/#link */
export interface Link {
  readonly label: string;
  readonly url: string;
  readonly type: 'absolute' | 'smart';
  readonly appContext?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#action */
export interface Action {
  readonly type: 'create' | 'update' | 'delete';
  readonly description: string;
  readonly resource?: FhirResource;
  readonly resourceId?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#suggestion */
export interface Suggestion {
  readonly label: string;
  readonly uuid?: string;
  readonly isRecommended?: boolean;
  readonly actions?: readonly Action[];
}

/** @see https://cds-hooks.hl7.org/2.0/#card-attributes */
export interface Card {
  readonly uuid: string;
  readonly summary: string;
  readonly detail?: string;
  readonly indicator: Indicator;
  readonly source: Source;
  readonly suggestions?: readonly Suggestion[];
  readonly selectionBehavior?: 'at-most-one' | 'any';
  readonly overrideReasons?: readonly Coding[];
  readonly links?: readonly Link[];
}

/** @see https://cds-hooks.hl7.org/2.0/#cds-service-response */
export interface CdsResponse {
  readonly cards: readonly Card[];
}

/** @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access */
export interface FhirAuthorization {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in?: number;
  readonly scope?: string;
  readonly subject?: string;
  readonly patient?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#http-request */
export interface CdsRequest {
  readonly hook: string;
  readonly hookInstance: string;
  readonly fhirServer?: string;
  readonly fhirAuthorization?: FhirAuthorization;
  readonly context: {
    readonly patientId: string;
    readonly userId: string;
    readonly encounterId?: string;
    readonly [k: string]: unknown;
  };
  /** Key → resource, Bundle or null ("no data"). An absent key means "not prefetched". */
  readonly prefetch?: Readonly<Record<string, unknown>>;
}

/** @see https://cds-hooks.hl7.org/2.0/#discovery */
export interface CdsServiceDefinition {
  readonly id: string;
  readonly hook: string;
  readonly title?: string;
  readonly description: string;
  readonly prefetch?: Readonly<Record<string, string>>;
  readonly usageRequirements?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#feedback */
export interface FeedbackItem {
  readonly card: string;
  readonly outcome: 'accepted' | 'overridden';
  readonly acceptedSuggestions?: readonly { readonly id: string }[];
  readonly overrideReason?: { readonly reason?: Coding; readonly userComment?: string };
  readonly outcomeTimestamp: string;
}
