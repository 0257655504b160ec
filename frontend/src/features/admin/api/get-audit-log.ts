import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components, paths } from '@/lib/api/schema';

export type AuditEntry = components['schemas']['AuditEntryOutput'];
export type AuditAction = components['schemas']['ActionEnum'];
export type AuditFilters = NonNullable<paths['/api/admin/audit/']['get']['parameters']['query']>;

export const getAuditLog = (filters: AuditFilters) =>
  unwrap(client.GET('/api/admin/audit/', { params: { query: filters } }));

export const auditLogQueryOptions = (filters: AuditFilters = {}) =>
  queryOptions({
    queryKey: ['admin', 'audit', filters],
    queryFn: () => getAuditLog(filters),
    placeholderData: keepPreviousData,
  });

export const useAuditLog = (filters: AuditFilters = {}) => useQuery(auditLogQueryOptions(filters));
