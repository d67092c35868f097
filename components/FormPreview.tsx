'use client';

import { createContext, type ReactNode } from 'react';

/**
 * The theme editor's preview of a screen: its forms post nothing (an inert action), and show a
 * state — `filled` with sample values (by input type), `error` with a sample error on the first
 * field, `loading` as while a submit is pending.
 */
export interface FormPreviewState {
  state: 'empty' | 'filled' | 'error' | 'loading';
  /** Sample values by the field's autocomplete token, else its input type (`text` for the others), translated. */
  samples: Record<string, string>;
  errorMessage: string;
  /** On a screen of many forms, the one (by test id) that shows the sample error; else every form does. */
  errorForm?: string;
}

export const FormPreviewContext = createContext<FormPreviewState | null>(null);

export function FormPreview({ value, children }: { value: FormPreviewState; children: ReactNode }) {
  return <FormPreviewContext value={value}>{children}</FormPreviewContext>;
}
