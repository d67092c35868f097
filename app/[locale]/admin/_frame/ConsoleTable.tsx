import type { ReactNode } from 'react';
import { cell as tableCell } from './table';

/** A column of a console table: its heading, what a row shows in it, and its direction. */
export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
  /** `ltr` for identifiers, addresses, URLs; `auto` for text an admin typed (names, descriptions). */
  dir?: 'ltr' | 'auto';
}

/**
 * Every list of the console (users, groups, clients, resource servers, providers, themes, the
 * overview, the logs): headed columns, one look, and the empty list said in words rather than an
 * empty table. `rowTestId` names each row for the tests; `align` tops the cells of tall rows.
 */
export function ConsoleTable<T>({
  rows,
  columns,
  rowKey,
  empty,
  testId,
  rowTestId,
  className = '',
  align,
}: {
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string | number;
  /** Shown instead of the table when there are no rows (none: the table shows its headings only). */
  empty?: string;
  testId?: string;
  rowTestId?: string;
  className?: string;
  align?: 'top';
}) {
  if (rows.length === 0 && empty !== undefined) return <p className={`text-muted ${className}`}>{empty}</p>;
  const cell = align === 'top' ? `${tableCell} align-top` : tableCell;
  return (
    <table className={`w-full text-sm ${className}`} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col" className={cell}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={rowTestId}>
            {columns.map((c) => (
              <td key={c.label} className={cell} dir={c.dir}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A link to one item of a list (its detail screen), its name isolated from the page's direction. */
export function ItemLink({ href, children }: { href: string; children: string }) {
  return (
    <a className="text-link underline" href={href}>
      <bdi>{children}</bdi>
    </a>
  );
}

/** The link to a list's next page, when there is one. */
export function NextPage({ href, label, testId }: { href: string | null | undefined; label: string; testId?: string }) {
  if (!href) return null;
  return (
    <p className="mt-3">
      <a className="text-link underline" href={href} data-testid={testId}>
        {label}
      </a>
    </p>
  );
}
