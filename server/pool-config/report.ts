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
  const parts = Object.entries(summarize(plan)).map(
    ([section, n]) => `${section}: ${n.create} created, ${n.update} updated, ${n.unchanged} unchanged, ${n.remove} removed${n.leftAlone ? `, ${n.leftAlone} not in the file` : ''}`,
  );
  return parts.join('; ');
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
