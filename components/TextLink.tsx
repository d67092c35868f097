import type { ReactNode } from 'react';

/**
 * `target="_top"`: leaves an iframe for the whole window (a sign-in embedded in an app's page).
 * `back`: a link to the previous place, led by an arrow that points to the start of the line
 * (mirrored in right-to-left pages).
 */
export function TextLink({ href, children, testId, target, back }: { href: string; children: ReactNode; testId?: string; target?: '_top'; back?: boolean }) {
  return (
    <a href={href} target={target} data-testid={testId} className="redirect-customizable text-link underline underline-offset-2">
      {back ? (
        <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="2" className="foyer-back-arrow me-1 inline-block align-[-0.125em] rtl:-scale-x-100">
          <path d="M13 8H3m4-4L3 8l4 4" />
        </svg>
      ) : null}
      {children}
    </a>
  );
}
