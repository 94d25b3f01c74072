// The four kind specs by kind, in the order their creates and updates are applied.
// Deletes run in the reverse of this order.
import { apiSpec } from './api.js';
import { applicationSpec } from './application.js';
import { connectionSpec } from './connection.js';
import { grantSpec } from './grant.js';
import type { KindSpec } from './kind-spec.js';
import type { Kind } from './types.js';

export const KIND_SPECS: Readonly<Record<Kind, KindSpec>> = {
  api: apiSpec,
  application: applicationSpec,
  connection: connectionSpec,
  grant: grantSpec,
};

export const APPLY_ORDER: readonly Kind[] = ['api', 'application', 'connection', 'grant'];
