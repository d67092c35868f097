/**
 * The documented customisation hooks: the classes custom CSS may select. Stable: renaming one
 * breaks operators' stylesheets. Cognito's classic hosted-UI names come first so a Cognito
 * customer's CSS works unchanged; Foyer's own names cover the rest of the screen.
 */
export const cognitoHooks = [
  'background-customizable',
  'banner-customizable',
  'logo-customizable',
  'label-customizable',
  'inputField-customizable',
  'submitButton-customizable',
  'idpButton-customizable',
  'errorMessage-customizable',
  'textDescription-customizable',
  'redirect-customizable',
  'legalText-customizable',
  'idpDescription-customizable',
] as const;

export const foyerHooks = [
  'foyer-root',
  'foyer-card',
  'foyer-header',
  'foyer-logo',
  'foyer-app-name',
  'foyer-title',
  'foyer-footer',
  'foyer-footer-link',
  'foyer-divider',
  'foyer-field',
  'foyer-label',
  'foyer-input',
  'foyer-button',
  'foyer-button-secondary',
  'foyer-link',
  'foyer-passkey-button',
  'foyer-idp-button',
  'foyer-code-input',
  'foyer-qr',
  'foyer-recovery-codes',
  'foyer-language-switcher',
  'foyer-alert',
  'foyer-alert-error',
  'foyer-alert-success',
  'foyer-side-image',
  'foyer-powered-by',
] as const;

export type Hook = (typeof cognitoHooks)[number] | (typeof foyerHooks)[number];
export const hooks: readonly Hook[] = [...cognitoHooks, ...foyerHooks];

/** The element every hosted screen renders inside; custom CSS is scoped under it. */
export const LOGIN_ROOT_CLASS: Hook = 'foyer-root';
