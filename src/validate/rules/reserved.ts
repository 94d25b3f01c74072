// Rules reserved-metadata and system-object: the configuration may not write tenantctl's own
// ownership marker, nor declare objects Auth0 owns (they are never created, changed or deleted).
import { DECLARED_KINDS, KIND_SPECS } from '../../model/kinds.js';
import { LOCK_API_IDENTIFIER } from '../../model/api.js';
import type { Diagnostic } from '../../model/types.js';
import { diagnostic, record, text, type Declaration, type Rule } from './context.js';

/** The metadata key tenantctl writes on objects it creates, so it can tell them from others. */
export const OWNERSHIP_KEY = 'managed_by';

export const reservedMetadata: Rule = {
  id: 'reserved-metadata',
  summary: 'client_metadata.managed_by and metadata.managed_by are written by tenantctl only',
  // Every kind whose spec keeps the marker in a field of its own.
  check: (context) =>
    DECLARED_KINDS.flatMap((kind) => {
      const field = KIND_SPECS[kind].markerField;
      return field ? context.declarations[kind].flatMap((declaration) => reserved(declaration, field)) : [];
    }),
};

function reserved(declaration: Declaration, field: string): Diagnostic[] {
  const metadata = record(declaration.data[field]);
  if (!metadata || !Object.hasOwn(metadata, OWNERSHIP_KEY)) return [];
  return [
    diagnostic('error', 'reserved-metadata', declaration, [field, OWNERSHIP_KEY], `${field}.${OWNERSHIP_KEY} is reserved: tenantctl writes it to mark the objects it manages`, {
      part: 'key',
      hint: 'use another key',
    }),
  ];
}

const SYSTEM_APPLICATION_NAMES = new Set(['All Applications']);
const SYSTEM_API_NAMES = new Set(['Auth0 Management API']);

export const systemObjects: Rule = {
  id: 'system-object',
  summary: "Auth0's own objects (All Applications, the Management API) and tenantctl's apply lock are not declared",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      const name = text(app, 'name');
      if (name !== undefined && SYSTEM_APPLICATION_NAMES.has(name)) {
        diagnostics.push(diagnostic('error', 'system-object', app, ['name'], `"${name}" is an Auth0 system application and cannot be managed`));
      }
    }
    const managementIdentifiers = new Set([context.managementApi, context.managementApi.replace(/\/$/, '')]);
    for (const api of context.declarations.api) {
      const identifier = text(api, 'identifier');
      if (identifier !== undefined && managementIdentifiers.has(identifier)) {
        diagnostics.push(
          diagnostic('error', 'system-object', api, ['identifier'], `"${identifier}" is the Auth0 Management API of ${context.environment.domain}, a system API that cannot be managed`, {
            hint: 'to let an application call it, add a grant with this api to the application instead',
          }),
        );
      }
      if (identifier === LOCK_API_IDENTIFIER) {
        diagnostics.push(
          diagnostic('error', 'system-object', api, ['identifier'], `"${identifier}" is tenantctl's apply lock, which tenantctl creates and deletes itself`, {
            hint: 'choose another identifier',
          }),
        );
      }
      const name = text(api, 'name');
      if (name !== undefined && SYSTEM_API_NAMES.has(name)) {
        diagnostics.push(diagnostic('error', 'system-object', api, ['name'], `"${name}" is the name of Auth0's system API; choose another name`));
      }
    }
    return diagnostics;
  },
};
