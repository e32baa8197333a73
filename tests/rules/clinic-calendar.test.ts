import {
  canonicalTimeZone,
  clinicDateOf,
  clinicToday,
  dateInZone,
  isValidTimeZone,
  noonOn,
} from '../../src/rules/clinic-calendar';

describe('clinicDateOf: placing FHIR dates on the clinic calendar', () => {
  test.each([
    // UTC instants go to the clinic's date.
    ['2026-11-16T03:00:00Z', 'America/Los_Angeles', '2026-11-15'],
    ['2026-11-16T03:00:00+00:00', 'America/Los_Angeles', '2026-11-15'],
    ['2026-11-16T03:00:00.123Z', 'America/Chicago', '2026-11-15'],
    ['2026-11-16T03:00:00Z', 'UTC', '2026-11-16'],
    ['2026-11-14T15:30:00Z', 'Asia/Tokyo', '2026-11-15'],
    ['2026-11-14T14:59:59Z', 'Asia/Tokyo', '2026-11-14'],
    ['2026-11-15T08:00:00Z', 'America/Los_Angeles', '2026-11-15'],
    ['2026-11-15T07:59:00Z', 'America/Los_Angeles', '2026-11-14'],
    // Daylight saving: PDT (−7) before 2026-11-01 09:00Z, PST (−8) after.
    ['2026-11-01T06:59:00Z', 'America/Los_Angeles', '2026-10-31'],
    ['2026-11-01T07:00:00Z', 'America/Los_Angeles', '2026-11-01'],
    ['2026-03-08T07:59:00Z', 'America/Los_Angeles', '2026-03-07'],
    ['2026-03-08T08:00:00Z', 'America/Los_Angeles', '2026-03-08'],
    // Half- and quarter-hour zones.
    ['2026-11-14T18:14:00Z', 'Asia/Kathmandu', '2026-11-14'],
    ['2026-11-14T18:15:00Z', 'Asia/Kathmandu', '2026-11-15'],
    ['2026-11-14T13:00:00Z', 'Australia/Lord_Howe', '2026-11-15'],
    // Another explicit offset: the date as written (recorded in that local time).
    ['2026-11-15T23:30:00-08:00', 'Asia/Tokyo', '2026-11-15'],
    ['2026-11-15T00:30:00+09:00', 'America/Los_Angeles', '2026-11-15'],
    // A plain date, or a time without an offset: as written.
    ['2026-11-15', 'Asia/Tokyo', '2026-11-15'],
    ['2026-11-15T23:30:00', 'Asia/Tokyo', '2026-11-15'],
  ])('When %s is read in %s, then it is on %s', (value, zone, expected) => {
    expect(clinicDateOf(value, zone)).toBe(expected);
  });

  test.each([
    '2026-11',
    '2026',
    '2026-02-30',
    '2026-11-15T25:00:00Z',
    '2026-11-15T10:00:00+15:00',
    '2026-11-15T10:00:00+0100',
    '2026-11-15T10:00Z',
    '2026-11-15T23:30',
    '2026-11-15T10:00:00.Z',
    '2026-11-15 10:00:00Z',
    '2026-11-15T10:00:00Zjunk',
    '2026-11-151',
    '',
    42,
    null,
  ])('When %p is read, then it is no date', (value) => {
    expect(clinicDateOf(value, 'America/Chicago')).toBeUndefined();
  });
});

describe('clinicToday and noonOn', () => {
  test.each([
    ['2026-11-16T07:30:00Z', 'America/Los_Angeles', '2026-11-15'],
    ['2026-11-16T08:00:00Z', 'America/Los_Angeles', '2026-11-16'],
    ['2026-11-14T15:30:00Z', 'Asia/Tokyo', '2026-11-15'],
    ['2026-11-14T14:30:00Z', 'Asia/Tokyo', '2026-11-14'],
    ['2026-11-15T23:59:59Z', 'UTC', '2026-11-15'],
  ])('When the instant is %s in %s, then today is %s', (instant, timeZone, expected) => {
    expect(clinicToday({ instant: Date.parse(instant), timeZone })).toBe(expected);
  });

  test.each([
    ['2026-11-15', 'America/Los_Angeles', '2026-11-15T20:00:00.000Z'],
    ['2026-07-15', 'America/Los_Angeles', '2026-07-15T19:00:00.000Z'],
    ['2026-03-08', 'America/Los_Angeles', '2026-03-08T19:00:00.000Z'],
    ['2026-11-15', 'Asia/Tokyo', '2026-11-15T03:00:00.000Z'],
    ['2026-11-15', 'UTC', '2026-11-15T12:00:00.000Z'],
  ])('When %s is pinned in %s, then the clock is noon local (%s)', (date, zone, expected) => {
    const instant = noonOn(date, zone);
    expect(new Date(instant).toISOString()).toBe(expected);
    expect(dateInZone(instant, zone)).toBe(date);
  });

  test('When the clock is not an instant in a known zone, then clinicToday throws (a wiring bug)', () => {
    expect(() => clinicToday({ instant: NaN, timeZone: 'UTC' })).toThrow(RangeError);
    expect(() => clinicToday({ instant: 0, timeZone: 'Nowhere/City' })).toThrow(RangeError);
  });
});

describe('time zone names', () => {
  test.each([
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['America/Chicago', 'America/Chicago'],
    ['Mars/Olympus', undefined],
    ['', undefined],
    [7, undefined],
  ])('When %p is given, then its canonical name is %p', (name, expected) => {
    expect(canonicalTimeZone(name)).toBe(expected);
    expect(isValidTimeZone(name)).toBe(expected !== undefined);
  });
});
