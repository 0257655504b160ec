import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type Health = components['schemas']['HealthOutput'];
export type HealthCheck = components['schemas']['HealthCheckOutput'];

// A proxy in front of Django may answer 503 with an HTML page instead of a HealthOutput.
const isHealth = (body: unknown): body is Health =>
  typeof body === 'object' && body !== null && 'status' in body && 'checks' in body;

export const getHealth = async (): Promise<Health> => {
  const { data, error, response } = await client.GET('/healthz');
  if (data !== undefined) return data;
  // 503 still carries a HealthOutput naming the failed checks: a result to show, not an error.
  if (response.status === 503 && isHealth(error)) return error;
  throw new ApiError(response.status, error);
};

export const healthQueryOptions = () =>
  queryOptions({
    queryKey: ['health'],
    queryFn: getHealth,
    staleTime: 0,
    refetchInterval: 30_000,
  });

export const useHealth = () => useQuery(healthQueryOptions());
