/**
 * Country calling codes (ITU-T E.164) are prefix-free: +1 and +7 are one digit, the two-digit
 * codes are listed here, and every other code is three digits (e.g. +212, +353, +971, +882).
 * So the code of any E.164 number is read off its first 1–3 digits with no full table.
 */
const TWO_DIGIT = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

/** The country calling code of an E.164 number, without the `+`: `+447700900123` → `44`. */
export function callingCode(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  if (digits[0] === '1' || digits[0] === '7') return digits[0];
  const two = digits.slice(0, 2);
  return TWO_DIGIT.has(two) ? two : digits.slice(0, 3);
}

/** Shows where a text went without giving the number away: +44 •••• ••23 */
export function maskPhone(e164: string): string {
  const code = callingCode(e164);
  return `+${code} •••• ••${e164.slice(-2)}`;
}
