'use client';

import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { useActionState, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Alert } from '../Alert';
import { Button } from '../Button';
import { inert, inputLook, previewState, type FormState } from '../FlowForm';
import { FormPreviewContext } from '../FormPreview';

/** Translated sentences for what can go wrong in the browser, before the server is asked. */
export interface PasskeyProblems {
  cancelled: string;
  timeout: string;
  unsupported: string;
  exists: string;
  security: string;
  failed: string;
}

/** What an options action answers: the ceremony's options, or a translated error. */
export type PasskeyOptionsState<O> = FormState & { options?: O };

type Common = {
  /** Form fields the actions need (uid, csrf, locale). */
  hidden: Record<string, string>;
  /** The server action that checks the browser's answer, posted as the `response` field. */
  action: (state: FormState, data: FormData) => Promise<FormState>;
  label: string;
  waiting: string;
  problems: PasskeyProblems;
  testId: string;
  variant?: 'primary' | 'secondary';
  /** Shown (also without JavaScript) until the browser turns out to support passkeys; else nothing. */
  fallback?: string;
  /** Shown above the button once it is usable (e.g. an "or" between sign-in methods). */
  lead?: ReactNode;
  /** A checkbox sent along as `remember`. */
  remember?: { label: string };
};

type Props = Common &
  (
    | {
        kind: 'register';
        options: (data: FormData) => Promise<PasskeyOptionsState<PublicKeyCredentialCreationOptionsJSON>>;
        /** The new passkey's name, sent as `name`. */
        nameField: { label: string; hint: string; defaultValue: string };
      }
    | {
        kind: 'authenticate';
        options: (data: FormData) => Promise<PasskeyOptionsState<PublicKeyCredentialRequestOptionsJSON>>;
        /** Also offer passkeys in the browser's autofill of a `webauthn` field (conditional mediation). */
        autofill?: boolean;
      }
  );

const noSubscription = () => () => {};

/** The button that starts a ceremony (its own hook, so themes can style passkeys apart). */
export function PasskeyButton({ variant, onClick, working, testId, children }: { variant?: 'primary' | 'secondary'; onClick: () => void; working: boolean; testId: string; children: ReactNode }) {
  return (
    <Button type="button" variant={variant} onClick={onClick} disabled={working} aria-busy={working || undefined} data-testid={testId} className="foyer-passkey-button">
      {children}
    </Button>
  );
}

/** Names the browser's refusal for a person; undefined when we cancelled it ourselves. */
function describe(e: unknown, problems: PasskeyProblems, timedOut: boolean): string | undefined {
  const err = e as Error & { code?: string; cause?: Error };
  const name = err.cause?.name ?? err.name;
  if (err.code === 'ERROR_CEREMONY_ABORTED' || name === 'AbortError') return undefined;
  if (err.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') return problems.exists;
  // Browsers answer a cancelled prompt and a timed-out one alike, on purpose.
  if (name === 'NotAllowedError') return timedOut ? problems.timeout : problems.cancelled;
  if (name === 'SecurityError' || err.code === 'ERROR_INVALID_DOMAIN' || err.code === 'ERROR_INVALID_RP_ID') return problems.security;
  if (name === 'NotSupportedError' || /not supported/i.test(err.message)) return problems.unsupported;
  return problems.failed;
}

/**
 * One WebAuthn ceremony: a button that asks the server for options, lets the browser create or
 * use a passkey, then posts the answer in a form to a server action (which redirects or answers
 * with a translated error). Without JavaScript or WebAuthn it shows only `fallback`.
 */
export function PasskeyCeremony(props: Props) {
  // Known only in the browser: on the server (and without JavaScript) the fallback shows.
  const supported = useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => null);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const response = useRef<HTMLInputElement>(null);
  const autofill = props.kind === 'authenticate' && props.autofill;
  const { options: getOptions, kind, problems, action } = props;

  /** Whether the answer being checked came from the autofill (which is not offered again if refused). */
  const fromAutofill = useRef(false);
  const post = (answer: unknown, autofilled = false) => {
    if (!form.current || !response.current) return;
    fromAutofill.current = autofilled;
    response.current.value = JSON.stringify(answer);
    form.current.requestSubmit();
  };

  /**
   * Conditional mediation: waits until the person picks a passkey in the autofill list. It stays
   * silent when it cannot run or ends without a pick: the password form and the button remain.
   */
  const listen = useCallback(() => {
    const wait = async () => {
      if (!form.current || !(await browserSupportsWebAuthnAutofill())) return;
      const r = (await getOptions(new FormData(form.current))) as PasskeyOptionsState<PublicKeyCredentialRequestOptionsJSON>;
      if (r.options) post(await startAuthentication({ optionsJSON: r.options, useBrowserAutofill: true }), true);
    };
    if (autofill) wait().catch(() => undefined);
  }, [autofill, getOptions]);

  // Once the form is there (after hydration), and until the page goes.
  useEffect(() => {
    if (!supported) return;
    listen();
    return () => WebAuthnAbortService.cancelCeremony();
  }, [listen, supported]);

  // After a refused button press the autofill offer comes back. Not after a refused autofill:
  // an authenticator that answers by itself would be asked again and again.
  // On the theme editor's preview: the state asked for, and no ceremony (components/FormPreview).
  const preview = useContext(FormPreviewContext);
  const previewed = preview && previewState(preview, props.kind === 'register' ? [{ name: 'name', label: props.nameField.label, type: 'text', autoComplete: 'off' }] : [], `${props.testId}-form`);
  const [state, formAction, pending] = useActionState(
    preview
      ? inert
      : async (prev: FormState, data: FormData) => {
          const answer = await action(prev, data);
          if (answer.error && !fromAutofill.current) setTimeout(listen, 0);
          return answer;
        },
    previewed || {},
  );

  const run = async () => {
    if (preview) return;
    setProblem(undefined);
    if (!form.current || !form.current.reportValidity()) return;
    setBusy(true);
    const started = Date.now();
    let timeout = 0;
    try {
      const r = await getOptions(new FormData(form.current));
      if (!r.options) {
        setProblem(r.error?.message ?? problems.failed);
        return;
      }
      timeout = r.options.timeout ?? 0;
      post(
        kind === 'register'
          ? await startRegistration({ optionsJSON: r.options as PublicKeyCredentialCreationOptionsJSON })
          : await startAuthentication({ optionsJSON: r.options as PublicKeyCredentialRequestOptionsJSON }),
      );
    } catch (e) {
      setProblem(describe(e, problems, timeout > 0 && Date.now() - started >= timeout - 1000));
      listen();
    } finally {
      setBusy(false);
    }
  };

  if (!supported) {
    return props.fallback ? (
      <p className="textDescription-customizable text-sm text-muted mt-4" data-testid={`${props.testId}-fallback`}>
        {supported === false ? problems.unsupported : props.fallback}
      </p>
    ) : null;
  }
  const message = problem ?? state.error?.message;
  const working = busy || pending || preview?.state === 'loading';
  return (
    <form ref={form} action={formAction} data-testid={`${props.testId}-form`} className="foyer-form mt-4" aria-busy={working || undefined}>
      {props.lead}
      {message ? <Alert tone="error">{message}</Alert> : null}
      {state.notice && !message ? <Alert tone="notice">{state.notice}</Alert> : null}
      {Object.entries(props.hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input ref={response} type="hidden" name="response" defaultValue="" />
      {props.kind === 'register' ? (
        <div className="foyer-field mb-4">
          <label htmlFor="passkey-name" className="label-customizable block font-medium mb-1">
            {props.nameField.label}
          </label>
          <input
            id="passkey-name"
            name="name"
            type="text"
            autoComplete="off"
            required
            maxLength={64}
            defaultValue={state.values?.name ?? props.nameField.defaultValue}
            aria-describedby="passkey-name-hint"
            className={`inputField-customizable ${inputLook}`}
          />
          <p id="passkey-name-hint" className="foyer-hint textDescription-customizable text-sm text-muted mt-1">
            {props.nameField.hint}
          </p>
        </div>
      ) : null}
      {props.remember ? (
        <div className="foyer-field mb-4 flex items-center gap-2">
          <input id="passkey-remember" name="remember" type="checkbox" className="foyer-checkbox size-5 accent-brand" />
          <label htmlFor="passkey-remember" className="label-customizable">
            {props.remember.label}
          </label>
        </div>
      ) : null}
      <PasskeyButton variant={props.variant} onClick={() => void run()} working={working} testId={props.testId}>
        {working ? props.waiting : props.label}
      </PasskeyButton>
    </form>
  );
}
