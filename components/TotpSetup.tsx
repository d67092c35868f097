import QRCode from 'qrcode';
import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/i18n/locales';

/** How to add the app: a QR code drawn on the server (no JavaScript needed) and the secret as text. */
export async function TotpSetup({ locale, secret, uri }: { locale: Locale; secret: string; uri: string }) {
  const t = await getTranslations({ locale, namespace: 'mfaSetup' });
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const grouped = secret.match(/.{1,4}/g)?.join(' ') ?? secret;
  return (
    <ol className="list-decimal ps-6 flex flex-col gap-3 mb-6">
      <li>
        {t('scan')}
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URI drawn on the server */}
        <img
          src={`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`}
          alt={t('qrAlt')}
          width={192}
          height={192}
          className="foyer-qr-code mt-3 bg-white p-2 rounded-theme"
          data-testid="totp-qr"
        />
      </li>
      <li>
        {t('manual')}
        <code dir="ltr" className="foyer-totp-secret block mt-2 font-mono text-lg tracking-wider break-all" data-testid="totp-secret">
          {grouped}
        </code>
      </li>
      <li>{t('enterCode')}</li>
    </ol>
  );
}
