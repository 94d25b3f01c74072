// Organizations and their enabled connections, as the Management API keeps them. Evidence (docs/EMULATOR.md,
// "Organizations"): the SDK's request types (node-auth0 v5 CreateOrganizationRequestContent,
// UpdateOrganizationRequestContent, ConnectionForOrganization, OrganizationBranding, OrganizationMetadata), Auth0's
// "Create Organizations" docs page (name: lowercase letters, digits, `_` and `-`, 1 to 50 characters; unique) and the
// SDK's documented errors (create: 409 ConflictError; get, update, delete of an unknown id: 404 NotFoundError).
// Where no recorded answer gives Auth0's exact message, the message is this emulator's own wording.
import { Collection, type Json } from '../collection.js';
import { HttpError, conflict, invalidBody } from '../errors.js';
import { newOrganizationId } from '../ids.js';
import { clone, isPlainObject, rejectUnknownKeys, requireObject, typeOf } from './validate.js';

const NAME = /^[a-z0-9_-]{1,50}$/;
/** "Max of 10 connections allowed" on create (SDK CreateOrganizationRequestContent.enabled_connections). */
const CREATE_CONNECTIONS_MAX = 10;
const updatable = ['name', 'display_name', 'branding', 'metadata'];
const connectionSettings = ['assign_membership_on_login', 'show_as_button', 'is_signup_enabled'];

export const organizationNotFound = (): HttpError => new HttpError(404, 'No organization found by that id or name', 'inexistent_organization');
const connectionNotEnabled = (): HttpError => new HttpError(404, 'The connection is not enabled for this organization', 'inexistent_organization_connection');

function checkFields(body: Json): void {
  if (body.name !== undefined && (typeof body.name !== 'string' || !NAME.test(body.name))) {
    throw invalidBody('String does not match pattern ^[a-z0-9_-]{1,50}$ (lowercase letters, digits, _ and -)', 'name');
  }
  if (body.display_name !== undefined && (typeof body.display_name !== 'string' || body.display_name.length < 1 || body.display_name.length > 255)) {
    throw invalidBody('String is too long or too short (1 to 255 characters)', 'display_name');
  }
  if (body.branding !== undefined) {
    if (!isPlainObject(body.branding)) throw invalidBody(`Expected type object but found type ${typeOf(body.branding)}`, 'branding');
    rejectUnknownKeys(body.branding, new Set(['logo_url', 'colors']));
    const colors = body.branding.colors;
    // OrganizationBrandingColors: both members are required.
    if (colors !== undefined && (!isPlainObject(colors) || typeof colors.primary !== 'string' || typeof colors.page_background !== 'string')) {
      throw invalidBody('Missing required property: primary, page_background', 'branding.colors');
    }
  }
  if (body.metadata !== undefined) {
    // OrganizationMetadata: Record<string, string | null>.
    if (!isPlainObject(body.metadata)) throw invalidBody(`Expected type object but found type ${typeOf(body.metadata)}`, 'metadata');
    for (const [key, value] of Object.entries(body.metadata)) {
      if (typeof value !== 'string' && value !== null) throw invalidBody(`Expected type string but found type ${typeOf(value)}`, `metadata.${key}`);
    }
  }
}

function connectionEntry(value: unknown, property: string): Json {
  if (!isPlainObject(value) || typeof value.connection_id !== 'string') throw invalidBody('Missing required property: connection_id', property);
  rejectUnknownKeys(value, new Set(['connection_id', ...connectionSettings]));
  for (const name of connectionSettings) {
    if (value[name] !== undefined && typeof value[name] !== 'boolean') throw invalidBody(`Expected type boolean but found type ${typeOf(value[name])}`, `${property}.${name}`);
  }
  return value;
}

/** The organizations of one tenant; `connectionOf` answers a connection by id (404 for an unknown one). */
export class Organizations {
  readonly records = new Collection<Json>((organization) => String(organization.id));
  /** Organization id -> enabled connections, in the order they were enabled. */
  readonly enabled = new Map<string, Json[]>();

  constructor(
    private readonly connectionOf: (id: string) => Json,
    private readonly changed: () => void,
  ) {}

  private byName(name: string): Json | undefined {
    return this.records.all().find((organization) => organization.name === name);
  }

  get(id: string): Json {
    const found = this.records.get(id);
    if (!found) throw organizationNotFound();
    return found;
  }

  getByName(name: string): Json {
    const found = this.byName(name);
    if (!found) throw organizationNotFound();
    return found;
  }

  create(input: unknown): Json {
    const body = clone(requireObject(input));
    rejectUnknownKeys(body, new Set([...updatable, 'enabled_connections']));
    if (typeof body.name !== 'string') throw invalidBody('Missing required property: name');
    checkFields(body);
    if (this.byName(body.name)) throw conflict('An organization with this name already exists');
    const connections = body.enabled_connections ?? [];
    if (!Array.isArray(connections)) throw invalidBody(`Expected type array but found type ${typeOf(connections)}`, 'enabled_connections');
    if (connections.length > CREATE_CONNECTIONS_MAX) throw invalidBody(`Array is too long (${connections.length}), maximum ${CREATE_CONNECTIONS_MAX}`, 'enabled_connections');
    const entries = connections.map((entry, index) => this.enabledEntry(connectionEntry(entry, `enabled_connections[${index}]`)));
    const { enabled_connections: _connections, ...fields } = body;
    const record: Json = { id: newOrganizationId(), ...fields };
    this.records.put(record);
    this.enabled.set(String(record.id), entries);
    this.changed();
    return record;
  }

  update(id: string, input: unknown): Json {
    const current = this.get(id);
    const body = clone(requireObject(input));
    rejectUnknownKeys(body, new Set(updatable));
    checkFields(body);
    if (typeof body.name === 'string' && body.name !== current.name && this.byName(body.name)) throw conflict('An organization with this name already exists');
    const next = { ...current, ...body };
    this.records.put(next);
    this.changed();
    return next;
  }

  delete(id: string): void {
    this.get(id);
    this.records.delete(id);
    this.enabled.delete(id);
    this.changed();
  }

  /** The connection's settings with Auth0's defaults and the connection's name and strategy (SDK OrganizationConnection). */
  private enabledEntry(entry: Json): Json {
    const connection = this.connectionOf(String(entry.connection_id));
    return {
      connection_id: entry.connection_id,
      assign_membership_on_login: entry.assign_membership_on_login === true,
      show_as_button: entry.show_as_button !== false,
      ...(connection.strategy === 'auth0' ? { is_signup_enabled: entry.is_signup_enabled === true } : {}),
      connection: { name: connection.name, strategy: connection.strategy },
    };
  }

  connections(id: string): Json[] {
    this.get(id);
    return this.enabled.get(id) ?? [];
  }

  addConnection(id: string, input: unknown): Json {
    const list = this.connections(id);
    const entry = this.enabledEntry(connectionEntry(requireObject(input), 'body'));
    if (list.some((existing) => existing.connection_id === entry.connection_id)) throw conflict('The connection is already enabled for this organization');
    this.enabled.set(id, [...list, entry]);
    this.changed();
    return entry;
  }

  updateConnection(id: string, connectionId: string, input: unknown): Json {
    const list = this.connections(id);
    const index = list.findIndex((entry) => entry.connection_id === connectionId);
    if (index < 0) throw connectionNotEnabled();
    const body = requireObject(input);
    rejectUnknownKeys(body, new Set(connectionSettings));
    const next = { ...list[index], ...connectionEntry({ connection_id: connectionId, ...body }, 'body') };
    this.enabled.set(id, list.map((entry, at) => (at === index ? next : entry)));
    this.changed();
    return next;
  }

  removeConnection(id: string, connectionId: string): void {
    const list = this.connections(id);
    if (!list.some((entry) => entry.connection_id === connectionId)) throw connectionNotEnabled();
    this.enabled.set(id, list.filter((entry) => entry.connection_id !== connectionId));
    this.changed();
  }

  /** A deleted connection is no longer enabled anywhere. */
  forgetConnection(connectionId: string): void {
    for (const [id, list] of this.enabled) this.enabled.set(id, list.filter((entry) => entry.connection_id !== connectionId));
  }
}
