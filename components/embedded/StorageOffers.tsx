'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { Alert } from '../Alert';
import { Button } from '../Button';

export interface StorageOffersText {
  allowStorage: string;
  storageRefused: string;
  popup: string;
  popupBlocked: string;
}

const noChange = () => () => undefined;

/** What the SDK's iframe mode listens for from its frame (sdk/src/foyer.ts): reopen its request in a popup. */
const CONTINUE_IN_POPUP = 'foyer.continue_in_popup';

/**
 * The offers a framed sign-in can make only with JavaScript (without it the full-page link stays):
 * - the Storage Access API, where the browser has it and this frame lacks access: granted on the
 *   click, then the same authorization runs again in the frame (`again`), now with its cookies;
 * - a popup, first-party, so cookies work. A `web_message` answer only reaches the window that
 *   opened the popup, so then the app's page (the SDK, `appOrigin`) opens it, asked by message: a
 *   click in a frame also activates its parent, so the popup is allowed there. Otherwise the
 *   sign-in URL (`signIn`) opens in a popup and finishes at the redirect URI there.
 */
export function StorageOffers({ again, signIn, appOrigin, text }: { again: string; signIn: string; appOrigin?: string; text: StorageOffersText }) {
  const [canRequest, setCanRequest] = useState(false);
  // Known in the browser only: the server renders none of the offers (the full-page link stays).
  const framed = useSyncExternalStore(noChange, () => window.parent !== window, () => false);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (typeof document.hasStorageAccess !== 'function' || typeof document.requestStorageAccess !== 'function') return;
    let live = true;
    document.hasStorageAccess().then(
      (has) => live && setCanRequest(!has),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const requestAccess = () => {
    setProblem(undefined);
    // Within the click: the API needs the user's activation.
    document.requestStorageAccess().then(
      () => window.location.replace(again),
      () => setProblem(text.storageRefused),
    );
  };

  const openPopup = () => {
    setProblem(undefined);
    if (appOrigin && framed) {
      window.parent.postMessage({ type: CONTINUE_IN_POPUP }, appOrigin);
      return;
    }
    if (!window.open(signIn, 'foyer-sign-in', 'popup,width=480,height=720')) setProblem(text.popupBlocked);
  };

  if (!framed && !canRequest) return null;
  return (
    <div className="mt-4 flex flex-col gap-3" data-testid="storage-offers">
      {problem ? <Alert tone="error" testId="storage-offer-problem">{problem}</Alert> : null}
      {canRequest ? (
        <Button type="button" onClick={requestAccess} data-testid="allow-storage">
          {text.allowStorage}
        </Button>
      ) : null}
      {framed ? (
        <Button type="button" variant="secondary" onClick={openPopup} data-testid="continue-in-popup">
          {text.popup}
        </Button>
      ) : null}
    </div>
  );
}
