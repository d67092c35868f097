import { FlowForm, type FormState } from '@/components/FlowForm';

/**
 * The confirmation step of a destructive action: the link that asks for it leads to the same
 * page with `?confirm=<op>`, which shows this form; only its submit acts. Works without JavaScript.
 */
export function ConfirmStep({
  question,
  action,
  hidden,
  confirm,
  cancel,
  cancelHref,
  testId,
}: {
  question: string;
  action: (state: FormState, data: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  confirm: string;
  cancel: string;
  cancelHref: string;
  testId: string;
}) {
  return (
    <section role="region" aria-labelledby={`${testId}-question`} className="mb-6 border-2 border-danger rounded-theme p-4 bg-surface max-w-md" data-testid={testId}>
      <p id={`${testId}-question`} className="font-medium mb-2">
        {question}
      </p>
      <FlowForm action={action} hidden={hidden} fields={[]} buttons={[{ label: confirm, testId: `${testId}-yes` }]} />
      <p className="mt-3">
        <a href={cancelHref} className="text-link underline">
          {cancel}
        </a>
      </p>
    </section>
  );
}
