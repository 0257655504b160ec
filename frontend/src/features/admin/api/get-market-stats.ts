import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type MarketStats = components['schemas']['MarketStatsOutput'];
export type MarketDay = components['schemas']['MarketDayOutput'];

export const getMarketStats = (days: number) =>
  unwrap(client.GET('/api/admin/stats/', { params: { query: { days } } }));

export const marketStatsQueryOptions = (days = 30) =>
  queryOptions({
    queryKey: ['admin', 'stats', days],
    queryFn: () => getMarketStats(days),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });

export const useMarketStats = (days = 30) => useQuery(marketStatsQueryOptions(days));
