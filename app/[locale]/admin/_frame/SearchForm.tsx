import { Button } from '@/components/Button';
import { SelectOptions, type OptionGroup } from '@/components/SelectOptions';

/** `options`: a select's choices; `groups`: a select's choices in labelled groups. */
export type SearchField = { name: string; label: string; value: string; type?: 'text' | 'search' | 'date'; options?: { value: string; label: string }[]; groups?: OptionGroup[] };

const look = 'w-full border-2 border-field-line bg-field text-ink rounded-theme px-3 py-2';

/** A filter form of a console list: a plain GET form, so results are links and work without JavaScript. Its fields are about other people: no autofill of the admin's own name (WCAG 3.3.8 check, fieldsAbout: others). */
export function SearchForm({ action, fields, submit, testId, extra }: { action: string; fields: SearchField[]; submit: string; testId: string; extra?: React.ReactNode }) {
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-3" data-testid={testId}>
      {fields.map((f) => (
        <div key={f.name} className="flex flex-col gap-1 min-w-40">
          <label htmlFor={`search-${f.name}`} className="text-sm font-medium">
            {f.label}
          </label>
          {f.options || f.groups ? (
            <select id={`search-${f.name}`} name={f.name} defaultValue={f.value} className={look}>
              <SelectOptions groups={f.groups ?? [{ options: f.options ?? [] }]} />
            </select>
          ) : (
            <input id={`search-${f.name}`} name={f.name} type={f.type ?? 'text'} defaultValue={f.value} className={look} maxLength={2048} autoComplete="off" />
          )}
        </div>
      ))}
      {extra}
      <div>
        <Button type="submit">{submit}</Button>
      </div>
    </form>
  );
}
