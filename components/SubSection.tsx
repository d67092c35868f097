import type { ReactNode } from 'react';

/** A titled part below a screen's main form (other methods, recovery codes). */
export function SubSection({ id, heading, children }: { id: string; heading: string; children: ReactNode }) {
  return (
    <section className="foyer-section mt-6 border-t border-line pt-4" aria-labelledby={id}>
      <h2 id={id} className="font-medium mb-3">
        {heading}
      </h2>
      {children}
    </section>
  );
}
