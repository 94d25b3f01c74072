// The registry of named rules run on every environment, in reporting order.
// Adding a rule means writing its module and listing it here.
import type { Diagnostic } from '../../model/types.js';
import type { Rule, RuleContext } from './context.js';
import { duplicateEntries } from './duplicate-entries.js';
import { callbacksNeedCodeGrant, grantsNeedClientCredentials, machineToMachineCallbacks, publicClientAuthMethod } from './flows.js';
import { organizationConnections } from './organizations.js';
import { connectionReferences, grantReferences } from './references.js';
import { reservedMetadata, systemObjects } from './reserved.js';
import { uniqueNames } from './unique-names.js';
import { urlLists, urlPolicy } from './urls.js';

export const RULES: readonly Rule[] = [
  uniqueNames,
  systemObjects,
  reservedMetadata,
  connectionReferences,
  grantReferences,
  organizationConnections,
  duplicateEntries,
  urlPolicy,
  urlLists,
  publicClientAuthMethod,
  callbacksNeedCodeGrant,
  machineToMachineCallbacks,
  grantsNeedClientCredentials,
];

export function runRules(context: RuleContext, rules: readonly Rule[] = RULES): Diagnostic[] {
  return rules.flatMap((rule) => rule.check(context));
}

export type { Rule, RuleContext } from './context.js';
