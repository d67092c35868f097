import type { ReactNode } from 'react';

/** The frame of every hosted screen: a centred card with a header line and the page's content. */
export function Shell({ heading, subheading, children, top }: { heading: string; subheading?: string; children: ReactNode; top?: ReactNode }) {
  return (
    <div className="min-h-screen bg-page text-ink flex flex-col items-center px-4 py-8">
      <div className="w-full max-w-md flex justify-end mb-4">{top}</div>
      <main id="main" className="w-full max-w-md bg-surface border border-line rounded-theme p-6 sm:p-8 shadow-sm">
        <h1 className="text-2xl font-semibold mb-1">{heading}</h1>
        {subheading ? <p className="text-muted mb-6">{subheading}</p> : <div className="mb-6" />}
        {children}
      </main>
    </div>
  );
}
