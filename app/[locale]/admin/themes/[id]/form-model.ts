import type { Palette } from '@/themes/schema';

/**
 * What the field form draws, built on the server (translated there) and handed to the client
 * component as plain data: fieldsets of fields, the inherited palettes and the contrast labels.
 */
export type FieldModel =
  | { kind: 'text' | 'number' | 'textarea'; name: string; label: string; value: string; hint?: string; min?: number; max?: number; rows?: number; dir?: 'ltr' | 'auto'; required?: boolean }
  | { kind: 'select'; name: string; label: string; value: string; options: { value: string; label: string }[] }
  /** A colour: a text field (empty: inherited) with a picker beside it. */
  | { kind: 'color'; name: string; label: string; value: string; inherited: string; hint: string; pickLabel: string }
  /** An upload; `current` says what is stored, `remove` names a checkbox that drops it. */
  | { kind: 'file'; name: string; label: string; accept: string; current?: string; remove?: { name: string; label: string } }
  | { kind: 'checkbox'; name: string; label: string; checked: boolean };

export interface Group {
  legend: string;
  fields: FieldModel[];
  /** Draw the live contrast meter after this group's fields. */
  contrast?: boolean;
}

export interface ContrastLabels {
  heading: string;
  explain: string;
  scheme: string;
  pair: string;
  ratio: string;
  needs: string;
  result: string;
  pass: string;
  fail: string;
  schemes: { light: string; dark: string };
  /** "fg on bg", per pair key `fg/bg`. */
  pairs: Record<string, string>;
}

export interface FormModel {
  groups: Group[];
  inherited: { light: Palette; dark: Palette };
  contrast: ContrastLabels;
  save: string;
}

/** One refusal at a field: a translated message, and the API's own words when it had some (English). */
export interface FieldProblem {
  message: string;
  detail?: string;
}

/** The field form's state: what FormState holds, plus the problems of each field. */
export interface ThemeFormState {
  error?: { message: string; field?: string };
  notice?: string;
  values?: Record<string, string>;
  fields?: Record<string, FieldProblem[]>;
}
