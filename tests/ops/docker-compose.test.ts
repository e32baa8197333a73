/**
 * docker-compose.yml is the deployment shape the README describes (two instances + Redis). There is
 * no Docker engine here, so its structure is checked: YAML anchors resolved, every instance's
 * environment accepted by the real configuration loader, one public URL (the JWT `aud`) and one
 * Redis for all instances, probes and the container size of the README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { REPO_ROOT } from '../helpers/start-app';

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  mem_limit?: string;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const instances = Object.entries(compose.services).filter(([, s]) => s.build === '.');

test('When the compose file is read, then it runs two instances of this image and one Redis', () => {
  expect(instances.map(([name]) => name)).toEqual(['cds-a', 'cds-b']);
  const redis = compose.services.redis;
  expect(redis?.image).toMatch(/^redis:7/);
  expect(redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  // noeviction only applies under a maxmemory, which must leave the container room (else the kernel kills Redis).
  const flag = (name: string): string | undefined => {
    const i = redis?.command?.indexOf(name) ?? -1;
    return i < 0 ? undefined : redis?.command?.[i + 1];
  };
  expect(flag('--maxmemory-policy')).toBe('noeviction');
  const mb = (v: string | undefined): number => Number(/^(\d+)m/.exec(v ?? '')?.[1]);
  expect(mb(flag('--maxmemory'))).toBeLessThanOrEqual(0.8 * mb(redis?.mem_limit));
  expect(redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
});

test.each(instances)(
  'When %s starts, then its environment is a valid configuration with the shared Redis and URL',
  (_name, s) => {
    const env = { ...s.environment, CDS_CLIENTS_FILE: path.join(REPO_ROOT, 'config/clients.example.json') };
    const config = loadConfig(env, REPO_ROOT);
    expect(config.redisUrl).toBe('redis://redis:6379/0');
    expect(config.publicBaseUrl).toBe('https://cds.example.org');
    expect(config.auth).toBe('on');
    expect(s.volumes).toContain('./config:/config:ro');
    expect(s.mem_limit).toBe('256m'); // README, Operations: size the container at 256 MB
    expect(s.depends_on?.redis?.condition).toBe('service_healthy');
    expect(s.healthcheck?.test.join(' ')).toContain('/ready');
  },
);

test('When both instances are compared, then they share one public URL and one Redis (aud behind the load balancer)', () => {
  const [a, b] = instances.map(([, s]) => s.environment ?? {});
  expect(a).toEqual(b);
  for (const key of Object.keys(a ?? {})) expect(key).toMatch(/^CDS_[A-Z_]+$/);
});
