import { describe, expect, it } from 'vitest';
import { callingCode, maskPhone } from './numbers';

describe('phone numbers', () => {
  it('reads the country calling code off the first one to three digits', () => {
    const cases: [string, string][] = [
      ['+14155550100', '1'], // NANP
      ['+18765550100', '1'], // Jamaica is in NANP too
      ['+74951234567', '7'],
      ['+447700900123', '44'],
      ['+33612345678', '33'],
      ['+201001234567', '20'],
      ['+8613812345678', '86'],
      ['+212612345678', '212'],
      ['+353851234567', '353'],
      ['+971501234567', '971'],
      ['+88212345678', '882'], // international networks, a favourite of SMS pumping
      ['+4231234567', '423'],
      ['+380501234567', '380'],
      ['+9665012345678', '966'],
    ];
    for (const [number, code] of cases) expect(callingCode(number), number).toBe(code);
  });

  it('masks all but the calling code and the last two digits', () => {
    expect(maskPhone('+447700900189')).toBe('+44 •••• ••89');
    expect(maskPhone('+14155550123')).toBe('+1 •••• ••23');
    expect(maskPhone('+971501234567')).toBe('+971 •••• ••67');
  });
});
