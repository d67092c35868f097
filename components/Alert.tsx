import type { ReactNode } from 'react';

/** Errors are announced (role=alert); notices are polite status messages. */
export function Alert({ tone, children, testId }: { tone: 'error' | 'notice'; children: ReactNode; testId?: string }) {
  const cls =
    tone === 'error'
      ? 'foyer-alert-error errorMessage-customizable border-danger text-danger'
      : 'foyer-alert-notice border-success text-success';
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} data-testid={testId ?? `${tone}-message`} className={`foyer-alert border-2 rounded-theme px-3 py-2 mb-4 ${cls}`}>
      {children}
    </div>
  );
}
