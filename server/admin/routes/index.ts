import type { Route } from '../route';
import { clientRoutes } from './clients';
import { customTextRoutes } from './custom-text';
import { groupRoutes } from './groups';
import { identityProviderRoutes } from './identity-providers';
import { logRoutes } from './logs';
import { resourceServerRoutes } from './resource-servers';
import { settingsRoutes } from './settings';
import { themeRoutes } from './themes';
import { userRoutes } from './users';

/** Every operation of /admin/api/v1: the router serves them and the OpenAPI document describes them. */
export const adminRoutes: readonly Route[] = [
  ...userRoutes,
  ...groupRoutes,
  ...clientRoutes,
  ...resourceServerRoutes,
  ...identityProviderRoutes,
  ...themeRoutes,
  ...customTextRoutes,
  ...settingsRoutes,
  ...logRoutes,
];
