import type { ReactNode } from 'react';

export function TextLink({ href, children, testId }: { href: string; children: ReactNode; testId?: string }) {
  return (
    <a href={href} data-testid={testId} className="redirect-customizable text-link underline underline-offset-2">
      {children}
    </a>
  );
}
