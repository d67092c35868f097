import type { ReactNode } from 'react';

/** Errors are announced (role=alert); notices are polite status messages. */
export function Alert({ tone, children, testId }: { tone: 'error' | 'notice'; children: ReactNode; testId?: string }) {
  const cls =
    tone === 'error'
      ? 'border-danger text-danger'
      : 'border-success text-success';
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} data-testid={testId ?? `${tone}-message`} className={`border-2 rounded-theme px-3 py-2 mb-4 ${cls}`}>
      {children}
    </div>
  );
}
