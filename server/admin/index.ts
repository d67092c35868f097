/** The admin REST API (/admin/api/v1): a layer above the pool, served by server/main.ts. */
export { createAdminApi, isAdminApiPath, type AdminApi, type AdminCallResult } from './http';
export { consoleAuthenticator } from './console-auth';
export { bearerAuthenticator, ADMIN_AUDIENCE, type Authenticator, type Principal } from './auth';
export { adminRoutes } from './routes';
export { adminRouteLabels } from './labels';
export { openApiDocument, API_BASE } from './openapi';
export { isFieldCode, FIELD_CODES, type FieldCode } from '../config/field-codes';
