import type { components } from '@/lib/api/schema';

type Health = components['schemas']['HealthOutput'];
type HealthCheck = components['schemas']['HealthCheckOutput'];
type ApiRoot = components['schemas']['ApiRootOutput'];

export const aHealthCheck = (overrides: Partial<HealthCheck> = {}): HealthCheck => ({
  ok: true,
  detail: 'ok',
  latency_ms: 1.5,
  ...overrides,
});

/** A health report; the status follows the checks unless given. */
export const aHealthReport = (checks: Partial<Health['checks']> = {}): Health => {
  const all = {
    database: aHealthCheck({ detail: 'PostgreSQL answered SELECT 1' }),
    broker: aHealthCheck({ detail: 'Redis answered PING' }),
    worker: aHealthCheck({ detail: '1 worker replied to ping' }),
    ...checks,
  };
  const ok = Object.values(all).every((check) => check.ok);
  return { status: ok ? 'ok' : 'unavailable', checks: all };
};

export const anApiRoot = (overrides: Partial<ApiRoot> = {}): ApiRoot => ({
  name: 'Beimingwu learnware dock API',
  version: '0.1.0',
  links: { schema: '/api/schema/', docs: '/api/docs/', health: '/healthz' },
  ...overrides,
});
