/**
 * The services this process answers: the only list. Adding a service = its definition in cds-services/,
 * its module in src/services/, one line here (CONTRIBUTING.md "Add a service").
 */
import type { ServiceFactory } from '../cds/service-module';
import { botoxOrderSelect, botoxOrderSign } from './botox-orders';
import { chronicMigraineBotox } from './chronic-migraine-botox';

export const SERVICES: readonly ServiceFactory[] = [chronicMigraineBotox, botoxOrderSign, botoxOrderSelect];
