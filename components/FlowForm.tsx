'use client';

import { useActionState, useContext, useEffect, useRef, type HTMLInputTypeAttribute } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';
import { FormPreviewContext, type FormPreviewState } from './FormPreview';
import { SelectOptions, type OptionGroup } from './SelectOptions';

/** How a text input looks; its hooks are added where it is drawn. */
export const inputLook = 'w-full border-2 border-field-line bg-field text-ink rounded-theme px-3 py-2';

export interface FieldSpec {
  name: string;
  label: string;
  type: HTMLInputTypeAttribute;
  autoComplete: string;
  required?: boolean;
  maxLength?: number;
  hint?: string;
  inputMode?: 'numeric' | 'email' | 'tel' | 'text';
  defaultValue?: string;
  autoFocus?: boolean;
  dir?: 'ltr' | 'auto';
  /** Bounds of a number input. */
  min?: number;
  max?: number;
  step?: 'any';
  /** A link shown beside a checkbox (e.g. the terms the box accepts). */
  link?: { href: string; text: string };
  /** With type `textarea`: a multi-line field of this many rows (the console's JSON and text editors). */
  rows?: number;
  /** With type `select`: its choices, in groups where a group has a label (the console's choosers). */
  options?: OptionGroup[];
}

/**
 * Why one value was refused, in the words of whoever refused it (the admin API's problem details
 * are English: `lang` marks them so). `field` is the form's field it is about; without one, the
 * reason is listed in the error summary.
 */
export interface FieldReason {
  field?: string;
  text: string;
  lang?: string;
}

/** What an action answers when it does not redirect: a translated error or notice, and values to refill. */
export interface FormState {
  /** `field`: the first field at fault (it takes focus without JavaScript); `reasons`: each refused value. */
  error?: { message: string; field?: string; reasons?: FieldReason[] };
  notice?: string;
  values?: Record<string, string>;
}

export interface FormButton {
  label: string;
  name?: string;
  value?: string;
  variant?: 'primary' | 'secondary';
  formNoValidate?: boolean;
  testId?: string;
}

/**
 * A hosted-UI form. A plain HTML form posted to a server action: it works without JavaScript
 * (the server re-renders with the action's state) and is enhanced when JavaScript runs.
 */
export function FlowForm({
  action,
  fields,
  hidden,
  buttons,
  initial,
  testId,
}: {
  action: (state: FormState, data: FormData) => Promise<FormState>;
  fields: FieldSpec[];
  hidden: Record<string, string>;
  buttons: FormButton[];
  initial?: FormState;
  testId?: string;
}) {
  const preview = useContext(FormPreviewContext);
  const [state, formAction, actionPending] = useActionState(preview ? inert : action, preview ? previewState(preview, fields, testId) : (initial ?? {}));
  const pending = actionPending || preview?.state === 'loading';
  const errorId = 'form-error';
  // After a refused submit the error summary takes focus, so it is read first and its link leads
  // to the field (without JavaScript the page reloads and the field itself is focused instead).
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.error) summary.current?.focus();
  }, [state]);
  const reasons = state.error?.reasons ?? [];
  const reasonOf = (name: string) => reasons.find((r) => r.field === name);
  const isInvalid = (name: string) => state.error?.field === name || reasonOf(name) !== undefined;
  // Every field at fault, in the form's order, one link each; reasons about no field of the form are listed.
  const invalidFields = fields.filter((f) => isInvalid(f.name));
  const loose = reasons.filter((r) => !r.field || !fields.some((f) => f.name === r.field));
  return (
    <form action={formAction} className="foyer-form" data-testid={testId} aria-describedby={state.error ? errorId : undefined} aria-busy={pending || undefined} noValidate={false}>
      {state.error ? (
        <div id={errorId} ref={summary} tabIndex={-1} className="foyer-error-summary">
          <Alert tone="error">{state.error.message}</Alert>
          {invalidFields.length > 0 || loose.length > 0 ? (
            // The fields the error is about, one step away (WCAG 3.3.1: identified, and reachable).
            <ul className="-mt-2 mb-4 text-sm flex flex-col gap-1">
              {invalidFields.map((f) => (
                <li key={f.name}>
                  <a
                    href={`#${f.name}`}
                    className="foyer-error-link inline-block min-h-6 text-link underline"
                    onClick={(e) => {
                      // A fragment only scrolls: put the caret in the field.
                      const field = document.getElementById(f.name);
                      if (field) {
                        e.preventDefault();
                        field.focus();
                      }
                    }}
                  >
                    {f.label}
                  </a>
                </li>
              ))}
              {loose.map((r, i) => (
                <li key={i} lang={r.lang} dir="auto" className="break-words">
                  {r.text}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {state.notice ? <Alert tone="notice">{state.notice}</Alert> : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((f) => {
        const invalid = isInvalid(f.name);
        const hintId = f.hint ? `${f.name}-hint` : undefined;
        const reason = reasonOf(f.name);
        const reasonId = reason ? `${f.name}-error` : undefined;
        const described = [reasonId, hintId, invalid ? errorId : undefined].filter(Boolean).join(' ') || undefined;
        // The reason beside the field it is about, read with it (aria-describedby).
        const reasonText = reason ? (
          <p id={reasonId} lang={reason.lang} dir="auto" className="foyer-field-error text-sm text-danger mt-1 break-words" data-testid={`${f.name}-error`}>
            {reasons.filter((r) => r.field === f.name).map((r) => r.text).join(' · ')}
          </p>
        ) : null;
        if (f.type === 'checkbox') {
          return (
            <div key={f.name} className="foyer-field mb-4">
              <div className="flex items-center gap-2">
                <input
                  id={f.name}
                  name={f.name}
                  type="checkbox"
                  required={f.required}
                  defaultChecked={(state.values?.[f.name] ?? f.defaultValue) === 'on'}
                  aria-invalid={invalid || undefined}
                  aria-describedby={described}
                  className="foyer-checkbox size-5 accent-brand"
                />
                <label htmlFor={f.name} className="label-customizable">
                  {f.label}
                </label>
              </div>
              {f.link ? (
                <p className="foyer-hint textDescription-customizable text-sm mt-1">
                  <a href={f.link.href} className="redirect-customizable text-link underline underline-offset-2" target="_blank" rel="noopener noreferrer">
                    {f.link.text}
                  </a>
                </p>
              ) : null}
              {f.hint ? (
                <p id={hintId} className="foyer-hint textDescription-customizable text-sm text-muted mt-1">
                  {f.hint}
                </p>
              ) : null}
              {reasonText}
            </div>
          );
        }
        // What every kind of control carries: its name, value kept from a refused post, focus and error hooks.
        const control = {
          id: f.name,
          name: f.name,
          required: f.required,
          defaultValue: state.values?.[f.name] ?? f.defaultValue,
          autoFocus: f.autoFocus || state.error?.field === f.name,
          'aria-invalid': invalid || undefined,
          'aria-describedby': described,
        };
        return (
          <div key={f.name} className="foyer-field mb-4">
            <label htmlFor={f.name} className="label-customizable block font-medium mb-1">
              {f.label}
            </label>
            {f.type === 'textarea' ? (
              <textarea
                {...control}
                rows={f.rows ?? 8}
                maxLength={f.maxLength}
                dir={f.dir}
                spellCheck={false}
                className={`inputField-customizable font-mono text-sm ${inputLook}`}
              />
            ) : f.type === 'select' ? (
              <select
                {...control}
                className={`inputField-customizable ${inputLook}`}
              >
                <SelectOptions groups={f.options ?? []} />
              </select>
            ) : (
            <input
              {...control}
              type={f.type}
              autoComplete={f.autoComplete}
              maxLength={f.maxLength}
              min={f.min}
              max={f.max}
              step={f.step}
              inputMode={f.inputMode}
              dir={f.dir}
              className={`inputField-customizable ${f.autoComplete === 'one-time-code' ? 'foyer-code-input ' : ''}${inputLook}`}
            />
            )}
            {f.hint ? (
              <p id={hintId} className="foyer-hint textDescription-customizable text-sm text-muted mt-1">
                {f.hint}
              </p>
            ) : null}
            {reasonText}
          </div>
        );
      })}
      <div className="flex flex-col gap-3 mt-6">
        {buttons.map((b) => (
          <Button
            key={b.label}
            type="submit"
            name={b.name}
            value={b.value}
            variant={b.variant}
            formNoValidate={b.formNoValidate}
            disabled={pending}
            data-testid={b.testId}
          >
            {b.label}
          </Button>
        ))}
      </div>
    </form>
  );
}

/** A previewed form's action: nothing is posted anywhere. */
export async function inert(state: FormState): Promise<FormState> {
  return state;
}

export function previewState(p: FormPreviewState, fields: FieldSpec[], testId: string | undefined): FormState {
  if (p.state === 'empty') return {};
  const sample = (f: FieldSpec) => (f.type === 'checkbox' ? 'on' : (p.samples[f.autoComplete.split(' ')[0]] ?? p.samples[String(f.type)] ?? p.samples.text));
  const values = Object.fromEntries(fields.map((f) => [f.name, sample(f)]));
  const erring = p.state === 'error' && (p.errorForm === undefined || p.errorForm === testId);
  return erring ? { values, error: { message: p.errorMessage, field: fields[0]?.name } } : { values };
}
