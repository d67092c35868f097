/**
 * The customisation hooks: class names every hosted screen puts on its elements, the only
 * selectors a theme's custom CSS may use. They are a public contract: never rename one.
 */

/** Amazon Cognito's classic hosted-UI names, so a Cognito customer's CSS works unchanged. */
export const cognitoHooks = [
  'background-customizable', // the page behind everything
  'banner-customizable', // the top banner: logo, app name, language switcher
  'logo-customizable', // the theme's logo
  'label-customizable', // a form field's label
  'inputField-customizable', // a text input
  'submitButton-customizable', // a form's main (submit) button
  'idpButton-customizable', // a button to sign in with an outside identity provider
  'errorMessage-customizable', // an error message
  'textDescription-customizable', // descriptive text: the subtitle, field hints
  'redirect-customizable', // a link to another screen
  'legalText-customizable', // the footer's legal text and links
  'idpDescription-customizable', // "sign in with your corporate ID" above the provider buttons
] as const;

/** Foyer's own names, for what Cognito has no name for. */
export const foyerHooks = [
  'foyer-root', // the login root every custom rule is scoped under
  'foyer-layout-card', // the root, in the card layout
  'foyer-layout-split', // the root, in the split layout (form beside the side image)
  'foyer-layout-full', // the root, in the full-bleed layout
  'foyer-app-name', // the name of the app being signed in to, in the banner
  'foyer-language-switcher', // the links to this screen in other languages
  'foyer-side-image', // the image beside the form (split layout)
  'foyer-card', // the box holding the screen's content
  'foyer-header', // the card's heading block (title and subtitle)
  'foyer-title', // the screen's title
  'foyer-form', // a form
  'foyer-field', // a field: label, input and hint
  'foyer-hint', // a field's hint
  'foyer-checkbox', // a checkbox
  'foyer-code-input', // an input for a one-time code
  'foyer-secondary-button', // a form's other buttons
  'foyer-passkey-button', // the button that starts a passkey ceremony
  'foyer-alert', // any alert or notice
  'foyer-alert-error', // an error alert
  'foyer-alert-notice', // a notice (success, information)
  'foyer-divider', // the "or" line between sign-in methods
  'foyer-idp-buttons', // the list of identity-provider buttons
  'foyer-section', // a titled part below the main form
  'foyer-qr-code', // the authenticator-app QR code
  'foyer-totp-secret', // the authenticator-app secret as text
  'foyer-recovery-codes', // the list of recovery codes
  'foyer-footer', // the footer
  'foyer-footer-link', // a footer link (terms, privacy, help)
  'foyer-powered-by', // "Powered by Foyer"
] as const;

export type Hook = (typeof cognitoHooks)[number] | (typeof foyerHooks)[number];
export const hooks: readonly Hook[] = [...cognitoHooks, ...foyerHooks];

/** The element every hosted screen renders inside; custom CSS is scoped under it. */
export const LOGIN_ROOT_CLASS: Hook = 'foyer-root';
