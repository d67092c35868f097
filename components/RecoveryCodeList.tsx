import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/i18n/locales';

/** Ten single-use codes as a list and as a file to keep. */
export async function RecoveryCodeList({ locale, codes, poolName }: { locale: Locale; codes: string[]; poolName: string }) {
  const t = await getTranslations({ locale, namespace: 'recoveryCodes' });
  const file = [t('fileHeader', { pool: poolName }), '', ...codes, ''].join('\n');
  return (
    <>
      <ol dir="ltr" className="foyer-recovery-codes grid grid-cols-2 gap-2 font-mono text-lg mb-4" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`} download="recovery-codes.txt" className="redirect-customizable text-link underline" data-testid="download-recovery-codes">
        {t('download')}
      </a>
    </>
  );
}
