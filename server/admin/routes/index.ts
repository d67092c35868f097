import type { Route } from '../route';
import { customTextRoutes } from './custom-text';
import { groupRoutes } from './groups';
import { logRoutes } from './logs';
import { settingsRoutes } from './settings';
import { themeRoutes } from './themes';
import { userRoutes } from './users';

/** Every operation of /admin/api/v1: the router serves them and the OpenAPI document describes them. */
export const adminRoutes: readonly Route[] = [...userRoutes, ...groupRoutes, ...themeRoutes, ...customTextRoutes, ...settingsRoutes, ...logRoutes];
