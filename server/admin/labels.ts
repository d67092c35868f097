import { API_BASE } from './openapi';
import { adminRoutes } from './routes';

/** The admin API's paths as metrics labels (`/admin/api/v1/users/[username]`): bounded, whatever ids are asked for. */
export const adminRouteLabels: readonly string[] = [
  `${API_BASE}/openapi.json`,
  ...new Set(adminRoutes.map((r) => `${API_BASE}${r.path.replace(/\{(\w+)\}/g, '[$1]')}`)),
];
