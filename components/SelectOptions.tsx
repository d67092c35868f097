import { Fragment } from 'react';

export interface OptionGroup {
  /** Shown as an `<optgroup>` label; without one, the options stand alone. */
  label?: string;
  options: { value: string; label: string }[];
}

/** A select's options, grouped where a group has a label (plain HTML: works without JavaScript). */
export function SelectOptions({ groups }: { groups: OptionGroup[] }) {
  return groups.map((g, i) => {
    const options = g.options.map((o, j) => (
      <option key={`${j}-${o.value}`} value={o.value}>
        {o.label}
      </option>
    ));
    return g.label === undefined ? <Fragment key={i}>{options}</Fragment> : <optgroup key={i} label={g.label}>{options}</optgroup>;
  });
}
