'use client';

import { useActionState, useEffect, useRef } from 'react';
import { Alert } from '@/components/Alert';
import { Button } from '@/components/Button';
import { inputLook } from '@/components/FlowForm';
import type { FieldModel, FormModel, ThemeFormState } from './form-model';
import { LiveContrast, palettesOf } from './LiveContrast';

const SUMMARY = 'theme-form-errors';

/**
 * Every field of a theme's draft, in fieldsets; a plain multipart form posted to a server action
 * (uploads included), so it works without JavaScript. A refusal marks each field at fault
 * (aria-invalid, its message tied by aria-describedby) and lists them in a summary that takes focus.
 */
export function ThemeFieldsForm({ action, model, hidden }: { action: (s: ThemeFormState, d: FormData) => Promise<ThemeFormState>; model: FormModel; hidden: Record<string, string> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.error) summary.current?.focus();
  }, [state]);
  const problems = state.fields ?? {};
  const labelOf = (name: string) => (name === 'contrast' ? model.contrast.heading : (model.groups.flatMap((g) => g.fields).find((f) => f.name === name)?.label ?? name));
  const value = (f: { name: string; value: string }) => state.values?.[f.name] ?? f.value;
  const initial = palettesOf((name) => state.values?.[name] ?? (model.groups.flatMap((g) => g.fields).find((f) => f.name === name) as { value?: string } | undefined)?.value, model.inherited);

  const field = (f: FieldModel) => {
    const mine = problems[f.name] ?? [];
    const errorId = mine.length ? `${f.name}-error` : undefined;
    const hintId = 'hint' in f && f.hint ? `${f.name}-hint` : undefined;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
    const aria = { 'aria-invalid': mine.length ? true : undefined, 'aria-describedby': describedBy };
    const errors = mine.length ? (
      <ul id={errorId} className="text-danger text-sm mt-1" data-testid={`field-error-${f.name}`}>
        {mine.map((p, i) => (
          <li key={i}>
            {p.message}
            {p.detail ? (
              <>
                {' '}
                <span lang="en" dir="ltr" className="font-mono">{p.detail}</span>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    ) : null;
    const hint = hintId && 'hint' in f ? <p id={hintId} className="text-sm text-muted mt-1">{f.hint}</p> : null;
    const label = (
      <label htmlFor={f.name} className="block font-medium mb-1">
        {f.label}
      </label>
    );
    switch (f.kind) {
      case 'checkbox':
        return (
          <div key={f.name} className="mb-4">
            <div className="flex items-center gap-2">
              <input id={f.name} name={f.name} type="checkbox" defaultChecked={state.values ? state.values[f.name] === 'on' : f.checked} className="size-5 accent-brand" {...aria} />
              <label htmlFor={f.name}>{f.label}</label>
            </div>
            {errors}
          </div>
        );
      case 'select':
        return (
          <div key={f.name} className="mb-4">
            {label}
            <select id={f.name} name={f.name} defaultValue={value(f)} className={inputLook} {...aria}>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>{o.label}</option>
              ))}
            </select>
            {errors}
          </div>
        );
      case 'color': {
        const shown = (() => {
          const v = value(f);
          return /^#[0-9a-fA-F]{6}$/.test(v) ? v.toLowerCase() : f.inherited;
        })();
        return (
          <div key={f.name} className="mb-4">
            {label}
            <div className="flex items-center gap-2">
              <input type="color" name={`${f.name}-pick`} defaultValue={shown} aria-label={f.pickLabel} className="h-10 w-14 shrink-0 border-2 border-field-line rounded-theme bg-field" />
              <input type="hidden" name={`${f.name}-shown`} value={shown} />
              <input id={f.name} name={f.name} type="text" dir="ltr" autoComplete="off" spellCheck={false} maxLength={7} defaultValue={value(f)} placeholder={f.inherited} className={`font-mono ${inputLook}`} {...aria} />
            </div>
            {hint}
            {errors}
          </div>
        );
      }
      case 'file':
        return (
          <div key={f.name} className="mb-4">
            {label}
            <input id={f.name} name={f.name} type="file" accept={f.accept} className="block w-full text-sm" {...aria} />
            {f.current ? <p className="text-sm text-muted mt-1">{f.current}</p> : null}
            {f.remove ? (
              <div className="flex items-center gap-2 mt-1">
                <input id={f.remove.name} name={f.remove.name} type="checkbox" className="size-5 accent-brand" />
                <label htmlFor={f.remove.name} className="text-sm">{f.remove.label}</label>
              </div>
            ) : null}
            {errors}
          </div>
        );
      case 'textarea':
        return (
          <div key={f.name} className="mb-4">
            {label}
            <textarea id={f.name} name={f.name} rows={f.rows ?? 4} dir={f.dir} spellCheck={false} defaultValue={value(f)} className={`font-mono text-sm ${inputLook}`} {...aria} />
            {hint}
            {errors}
          </div>
        );
      default:
        return (
          <div key={f.name} className="mb-4">
            {label}
            <input id={f.name} name={f.name} type={f.kind} dir={f.dir} autoComplete="off" required={f.required} min={f.min} max={f.max} defaultValue={value(f)} className={inputLook} {...aria} />
            {hint}
            {errors}
          </div>
        );
    }
  };

  return (
    <form action={formAction} data-testid="theme-fields-form" aria-describedby={state.error ? SUMMARY : undefined}>
      {state.error ? (
        <div id={SUMMARY} ref={summary} tabIndex={-1} className="foyer-error-summary">
          <Alert tone="error">{state.error.message}</Alert>
          {Object.keys(problems).length ? (
            <ul className="-mt-2 mb-4 text-sm list-disc ps-5">
              {Object.keys(problems).map((name) => (
                <li key={name}>
                  <a href={`#${name}`} className="text-link underline">{labelOf(name)}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {Object.entries(hidden).map(([name, v]) => (
        <input key={name} type="hidden" name={name} value={v} />
      ))}
      {model.groups.map((g) => (
        <fieldset key={g.legend} className="mb-6 min-w-0 border border-line rounded-theme p-3">
          <legend className="px-1 font-semibold">{g.legend}</legend>
          <div className="grid gap-x-4 sm:grid-cols-2">{g.fields.map(field)}</div>
          {g.contrast ? (
            <>
              <LiveContrast initial={initial} inherited={model.inherited} labels={model.contrast} />
              {problems.contrast ? (
                <ul id="contrast-error" className="text-danger text-sm mt-2" data-testid="field-error-contrast">
                  {problems.contrast.map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </fieldset>
      ))}
      <div className="max-w-xs">
        <Button type="submit" disabled={pending} data-testid="save-fields">
          {model.save}
        </Button>
      </div>
    </form>
  );
}
