import type { ConsoleMessages } from '@/i18n/console';

/**
 * The console's screens, in navigation order: its path under /<locale>/admin. Typed against the
 * catalogue's `nav` labels, so a screen without a label (or a label without a screen) fails the
 * type check.
 */
export const consoleScreens = {
  overview: { path: '' },
  users: { path: '/users' },
  groups: { path: '/groups' },
  clients: { path: '/clients' },
  resourceServers: { path: '/resource-servers' },
  identityProviders: { path: '/identity-providers' },
  themes: { path: '/themes' },
  customText: { path: '/custom-text' },
  settings: { path: '/settings' },
  events: { path: '/events' },
  audit: { path: '/audit' },
} satisfies Record<keyof ConsoleMessages['nav'], { path: string }>;

export type ScreenKey = keyof typeof consoleScreens;
