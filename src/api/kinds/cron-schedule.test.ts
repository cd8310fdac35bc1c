import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { knownTimeZone, parseSchedule } from './cron-schedule.js';

const at = (s: string) => Date.parse(s);
const iso = (t: number) => new Date(t).toISOString();

describe('parseSchedule (robfig/cron ParseStandard messages)', () => {
  it('refuses what ParseStandard refuses, with its messages', () => {
    const msg = (s: string) => { try { parseSchedule(s); return ''; } catch (e) { return (e as Error).message; } };
    assert.equal(msg('foo'), 'expected exactly 5 fields, found 1: [foo]');
    assert.equal(msg('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
    assert.equal(msg('0 0 0 * * *'), 'expected exactly 5 fields, found 6: [0 0 0 * * *]');
    assert.equal(msg('@fortnightly'), 'unrecognized descriptor: @fortnightly');
    assert.equal(msg('60 * * * *'), 'end of range (60) above maximum (59): 60');
    assert.equal(msg('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
    assert.equal(msg('* * * * 7'), 'end of range (7) above maximum (6): 7');
    assert.equal(msg('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
    assert.equal(msg('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    assert.equal(msg('*/0 * * * *'), 'step of range should be a positive number: */0');
    assert.equal(msg('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
    assert.equal(msg(''), 'empty spec string');
    assert.equal(msg('0 0 L * *'), 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax');
    assert.equal(msg('TZ=Mars/Olympus * * * * *'), 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus');
    for (const ok of ['*/1 * * * *', '0 9 * * MON-FRI', '@hourly', '@daily', '@every 90s', '0 0 1 jan *', '? * * * *', 'CRON_TZ=Europe/Berlin 0 9 * * *']) assert.equal(msg(ok), '', ok);
  });

  it('computes the next minute, hour and day in UTC', () => {
    assert.equal(iso(parseSchedule('*/1 * * * *').next(at('2026-01-01T10:00:30Z'))), '2026-01-01T10:01:00.000Z');
    assert.equal(iso(parseSchedule('*/1 * * * *').next(at('2026-01-01T10:01:00Z'))), '2026-01-01T10:02:00.000Z', 'strictly after');
    assert.equal(iso(parseSchedule('@hourly').next(at('2026-01-01T10:00:30Z'))), '2026-01-01T11:00:00.000Z');
    assert.equal(iso(parseSchedule('30 2 * * *').next(at('2026-01-01T10:00:00Z'))), '2026-01-02T02:30:00.000Z');
    assert.equal(iso(parseSchedule('@every 90s').next(at('2026-01-01T10:00:00.500Z'))), '2026-01-01T10:01:30.000Z');
    assert.equal(iso(parseSchedule('@every 90s').latest(at('2026-01-01T10:05:00Z'), at('2026-01-01T10:01:30Z'))), '2026-01-01T10:04:30.000Z');
    assert.equal(iso(parseSchedule('0 9 * * 1-5').latest(at('2026-01-05T08:00:00Z'), 0)), '2026-01-02T09:00:00.000Z', 'Monday 08:00 looks back to Friday');
    assert.equal(iso(parseSchedule('*/1 * * * *').latest(at('2026-01-01T10:05:00Z'), 0)), '2026-01-01T10:05:00.000Z', 'at counts');
  });

  it('honours spec.timeZone and TZ= prefixes, across a DST change', () => {
    // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    assert.equal(iso(parseSchedule('0 9 * * *', 'Europe/Berlin').next(at('2026-01-15T12:00:00Z'))), '2026-01-16T08:00:00.000Z');
    assert.equal(iso(parseSchedule('0 9 * * *', 'Europe/Berlin').next(at('2026-07-15T12:00:00Z'))), '2026-07-16T07:00:00.000Z');
    assert.equal(iso(parseSchedule('TZ=America/New_York 0 9 * * *').next(at('2026-01-15T12:00:00Z'))), '2026-01-15T14:00:00.000Z');
  });

  it('knows IANA zones only', () => {
    assert.equal(knownTimeZone('Asia/Tokyo'), true);
    assert.equal(knownTimeZone('Etc/UTC'), true);
    assert.equal(knownTimeZone('Mars/Olympus'), false);
  });
});
