// Auth0-shaped HTTP errors the emulator answers with, and the helpers that build them.
// Every failure inside a route is thrown as an HttpError and written once by the server.

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A response the emulator gives instead of the normal one; the body keeps Auth0's key order. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
    /** Replaces the standard Management API body (used by /oauth/token, which has its own shape). */
    readonly customBody?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    if (this.customBody) return this.customBody;
    const body: Record<string, unknown> = {
      statusCode: this.status,
      error: reasonPhrases[this.status] ?? 'Error',
      message: this.message,
    };
    if (this.errorCode !== undefined) body.errorCode = this.errorCode;
    return body;
  }
}

export const invalidBody = (detail: string, property?: string): HttpError =>
  new HttpError(
    400,
    property === undefined
      ? `Payload validation error: '${detail}'`
      : `Payload validation error: '${detail}' on property ${property}.`,
    'invalid_body',
  );

export const additionalProperties = (names: string[]): HttpError =>
  invalidBody(`Additional properties not allowed: ${names.join(',')}`);

export const invalidQuery = (detail: string, property: string): HttpError =>
  new HttpError(400, `Query validation error: '${detail}' on property ${property}.`, 'invalid_query_string');

export const notFound = {
  client: () => new HttpError(404, 'The client does not exist', 'inexistent_client'),
  connection: () => new HttpError(404, 'The connection does not exist', 'inexistent_connection'),
  resourceServer: () => new HttpError(404, 'The resource server does not exist', 'inexistent_resource_server'),
  grant: () => new HttpError(404, 'The grant does not exist.', 'inexistent_client_grant'),
};

export const conflict = (message: string, errorCode = 'conflict'): HttpError => new HttpError(409, message, errorCode);
