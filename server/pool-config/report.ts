import { log } from '../log';
import type { Change, FieldChange, Plan } from './plan';
import { summarize } from './plan';

function describe(c: Change): string {
  const entry = `${c.section}/${c.name}`;
  switch (c.action) {
    case 'create':
      return `create ${entry}`;
    case 'update':
      return `update ${entry}: ${c.fields.map((f) => f.field).join(', ')}`;
    case 'remove':
      return c.applied ? `remove ${entry}` : `keep ${entry} (not in the file; --prune would remove it)`;
  }
}

function summaryLine(plan: Plan): string {
  const words = { create: 'created', update: 'updated', unchanged: 'unchanged', remove: 'removed', leftAlone: 'not in the file (kept)' } as const;
  const parts = Object.entries(summarize(plan)).flatMap(([section, n]) => {
    const counts = (Object.keys(words) as (keyof typeof words)[]).filter((k) => n[k] > 0).map((k) => `${n[k]} ${words[k]}`);
    return counts.length > 0 ? [`${section}: ${counts.join(', ')}`] : [];
  });
  return parts.length > 0 ? parts.join('; ') : 'the file names nothing';
}

/** Start-up: one log record per change and one summary; values of secret fields are never shown. */
export function logPlan(plan: Plan): void {
  for (const c of plan.changes) {
    const fields = c.action === 'update' ? { changes: c.fields } : {};
    log.info({ section: c.section, entry: c.name, action: c.action === 'remove' && !c.applied ? 'left-alone' : c.action, ...fields }, `pool config: ${describe(c)}`);
  }
  log.info({ summary: summarize(plan) }, `pool config: ${plan.changes.length === 0 ? 'nothing to change' : 'applied'}; ${summaryLine(plan)}`);
}

function value(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

function fieldLine(f: FieldChange): string {
  return `    ${f.field}: ${value(f.from)} -> ${value(f.to)}`;
}

/** The CLI: the same plan as text, one line per change (and per changed field). */
export function formatPlan(plan: Plan): string {
  const lines = plan.changes.flatMap((c) => [`  ${describe(c)}`, ...(c.action === 'update' ? c.fields.map(fieldLine) : [])]);
  if (lines.length === 0) lines.push('  nothing to change');
  return `${lines.join('\n')}\n${summaryLine(plan)}\n`;
}
