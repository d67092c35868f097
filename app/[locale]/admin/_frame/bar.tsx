/**
 * A count drawn as a bar beside its number (under it on a narrow screen, where beside it would
 * overflow a 320 px table cell), in tenths of the column’s largest: classes rather
 * than a style attribute, which the CSP forbids. Decoration only (the number is the content).
 */
const WIDTHS = ['w-0', 'w-[10%]', 'w-[20%]', 'w-[30%]', 'w-[40%]', 'w-[50%]', 'w-[60%]', 'w-[70%]', 'w-[80%]', 'w-[90%]', 'w-full'] as const;

export function Bar({ value, max, tone }: { value: number; max: number; tone: 'brand' | 'danger' }) {
  const tenths = max > 0 ? Math.ceil((value / max) * 10) : 0;
  return (
    <span aria-hidden="true" className="block w-full max-w-24 h-2 mt-1 sm:inline-block sm:w-24 sm:mt-0 sm:ms-2 align-middle bg-line rounded-theme overflow-hidden">
      <span className={`block h-full ${tone === 'brand' ? 'bg-brand' : 'bg-danger'} ${WIDTHS[tenths]}`} />
    </span>
  );
}
