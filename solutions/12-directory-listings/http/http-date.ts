// RFC 9110 §5.6.7: a date in a header is an IMF-fixdate, and a recipient must also accept the
// two obsolete formats older clients send. Anything else is not a date at all.
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

interface DateParts {
  day: number;
  month: string;
  year: number;
  time: [hour: number, minute: number, second: number];
}

function read(pattern: RegExp, text: string, pick: (m: string[]) => DateParts): DateParts | undefined {
  const match = pattern.exec(text);
  return match ? pick([...match].map((part) => part ?? '')) : undefined;
}

const clock = (h: string, m: string, s: string): DateParts['time'] => [Number(h), Number(m), Number(s)];

// ANCHOR: parse
/** Milliseconds since the epoch, or undefined when the text is not an HTTP-date. */
export function parseHttpDate(text: string): number | undefined {
  const parts =
    read(IMF_FIXDATE, text, ([, d, mon, y, h, m, s]) => ({ day: Number(d), month: mon!, year: Number(y), time: clock(h!, m!, s!) })) ??
    read(RFC_850, text, ([, d, mon, y, h, m, s]) => ({ day: Number(d), month: mon!, year: twoDigitYear(Number(y)), time: clock(h!, m!, s!) })) ??
    read(ASCTIME, text, ([, mon, d, h, m, s, y]) => ({ day: Number(d), month: mon!, year: Number(y), time: clock(h!, m!, s!) }));
  if (!parts) return undefined;

  const ms = Date.UTC(parts.year, MONTHS.indexOf(parts.month), parts.day, ...parts.time);
  // Date.UTC quietly turns 31 Feb into 3 Mar, and 25:00 into the next day: a date that does
  // not survive the round trip is not a real date.
  const check = new Date(ms);
  const real = check.getUTCDate() === parts.day && check.getUTCHours() === parts.time[0] && check.getUTCMinutes() === parts.time[1] && check.getUTCSeconds() === parts.time[2];
  return real ? ms : undefined;
}
// ANCHOR_END: parse

/** RFC 9110 §5.6.7: a two-digit year more than 50 years ahead means the century before. */
function twoDigitYear(year: number): number {
  const now = new Date().getUTCFullYear();
  const candidate = Math.floor(now / 100) * 100 + year;
  return candidate > now + 50 ? candidate - 100 : candidate;
}
