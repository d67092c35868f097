import type { ReactNode } from 'react';

/** `target="_top"`: leaves an iframe for the whole window (a sign-in embedded in an app's page). */
export function TextLink({ href, children, testId, target }: { href: string; children: ReactNode; testId?: string; target?: '_top' }) {
  return (
    <a href={href} target={target} data-testid={testId} className="redirect-customizable text-link underline underline-offset-2">
      {children}
    </a>
  );
}
