/**
 * In-process measurements the bench prints beside the load runs: the cost curve of the pure core
 * (extractFacts + evaluate) over the diary size, and what one signature verification costs here.
 */
import { sign as cryptoSign, verify as cryptoVerify, generateKeyPairSync } from 'node:crypto';
import type { FhirResource } from 'fhir/r4';
import { DEFAULT_CODE_SETS } from '../rules/code-sets';
import { DEFAULT_THRESHOLDS } from '../rules/thresholds';
import { evaluate, extractFacts } from '../rules';
import { noonOn } from '../rules/clinic-calendar';
import { CLOCK_DATE, diary, patient } from './fixtures';
import type { BenchAlgorithm } from './harness';
import { median } from './median';

/** In-process: extractFacts + evaluate for N daily entries, the median of several reps (ms per call, µs per entry). */
export function scalingCurve(): { entries: number; msPerCall: number; usPerEntry: number }[] {
  const sizes = [100, 1000, 10_000];
  const clock = { instant: noonOn(CLOCK_DATE, 'UTC'), timeZone: 'UTC' };
  const out = [];
  for (const n of sizes) {
    const resources: FhirResource[] = [patient('scale'), ...diary('scale', n)];
    const reps = Math.max(5, Math.round(20_000 / n));
    for (let i = 0; i < 3; i++)
      evaluate(extractFacts(resources, clock, DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS), clock, DEFAULT_THRESHOLDS);
    const samples: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      evaluate(extractFacts(resources, clock, DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS), clock, DEFAULT_THRESHOLDS);
      samples.push(performance.now() - t);
    }
    const ms = median(samples);
    out.push({ entries: n, msPerCall: ms, usPerEntry: (ms * 1000) / n });
  }
  return out;
}

/** What one signature verification costs here (ms): the CPU floor of each authenticated call. */
export function verifyCostMs(alg: BenchAlgorithm): number {
  const { privateKey, publicKey } =
    alg === 'ES384'
      ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.from('x'.repeat(400));
  const dsa = alg === 'ES384' ? { dsaEncoding: 'ieee-p1363' as const } : {};
  const sig = cryptoSign('sha384', data, { key: privateKey, ...dsa });
  const n = 300;
  const t = performance.now();
  for (let i = 0; i < n; i++) cryptoVerify('sha384', data, { key: publicKey, ...dsa }, sig);
  return (performance.now() - t) / n;
}
