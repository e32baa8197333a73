/**
 * The service kernel: turns pure service modules into hook handlers and registers them. Everything every
 * service shares happens here, in this order: the hook's context is validated (400), the clock is read,
 * the module screens the context (its own 400s; may end the call with no cards before any data is read),
 * the patient's data is loaded (src/cds/patient-data.ts), then the module evaluates and renders.
 * @see ../../../shared/reference/architecture.md §6.5
 */
import { AppError } from '../common/app-error';
import type { ClinicClockSource } from '../clock';
import { clinicToday, type ClinicClock as RulesClinicClock } from '../rules/clinic-calendar';
import { contextProblems, type HookContexts, type HookName } from './hooks';
import { loadPatientData, type PatientDataDeps } from './patient-data';
import { createRegistry, RegistryError, type CdsRegistry } from './registry';
import type { CdsHandlerFactory } from './service';
import type { ClinicClock, ServiceModule } from './service-module';
import type { CdsServiceDefinition } from './types';

export interface KernelDeps extends PatientDataDeps {
  /** The clinic clock for a zone: real at the edge, pinned in tests and demos (src/clock.ts). */
  readonly clock: ClinicClockSource;
  /** CDS_TIMEZONE; a verified client's registry `timezone` wins (a multi-site EHR). */
  readonly timeZone: string;
  /** Card uuids. */
  readonly newId: () => string;
}

/** The module's clock: the instant in the clinic's zone, and the clinic's date "today" (never the UTC date). */
export function clinicClockAt(clock: RulesClinicClock): ClinicClock {
  return { ...clock, now: new Date(clock.instant), today: clinicToday(clock) };
}

/** The hook handler of one module: context → data → findings → cards. */
export function createServiceHandler<H extends HookName>(
  module: ServiceModule<H>,
  deps: KernelDeps,
): CdsHandlerFactory {
  return (definition) => async (request, ctx) => {
    const problems = contextProblems(module.hook, request.context);
    if (problems.length > 0) throw new AppError('bad-request', 400, 'invalid CDS Hooks request', problems);
    // Validated just above against this hook's schema.
    const context = request.context as unknown as HookContexts[H];
    const clock = clinicClockAt(deps.clock(ctx.caller?.client?.timezone ?? deps.timeZone));
    const screened = module.screen?.(context, clock);
    if (screened !== undefined && screened.problems.length > 0)
      throw new AppError('bad-request', 400, 'invalid CDS Hooks request', [...screened.problems]);
    if (screened?.needsPatientData === false) return { cards: [] };
    const patient = await loadPatientData(request, definition.prefetch ?? {}, deps, ctx);
    if (patient === undefined) return { cards: [] };
    const findings = module.evaluate(patient, context, clock);
    const renderContext = { newId: deps.newId, patientId: request.context.patientId };
    return { cards: findings.map((finding) => module.render(finding, renderContext)) };
  };
}

/** Start-up problems between the definitions and the modules (the registry adds the unpaired ids). */
function pairingProblems(definitions: readonly CdsServiceDefinition[], modules: readonly ServiceModule[]): string[] {
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const module of modules) {
    if (seen.has(module.id)) problems.push(`service module '${module.id}' is registered twice`);
    seen.add(module.id);
    const definition = byId.get(module.id);
    if (definition !== undefined && definition.hook !== module.hook)
      problems.push(`service '${module.id}' answers '${module.hook}' but its definition says '${definition.hook}'`);
  }
  return problems;
}

/**
 * Pairs each definition (from cds-services/) with its module and builds the registry.
 * @throws RegistryError listing every unpaired id, duplicate module and hook mismatch.
 */
export function registerServices(
  definitions: readonly CdsServiceDefinition[],
  modules: readonly ServiceModule[],
  deps: KernelDeps,
): CdsRegistry {
  const problems = pairingProblems(definitions, modules);
  const handlers = Object.fromEntries(modules.map((module) => [module.id, createServiceHandler(module, deps)]));
  let registry: CdsRegistry | undefined;
  try {
    registry = createRegistry(definitions, handlers);
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    problems.push(...err.problems);
  }
  if (registry === undefined || problems.length > 0) throw new RegistryError(problems);
  return registry;
}
