import { QueryClient, type DefaultOptions } from '@tanstack/react-query';

const queryDefaults = {
  refetchOnWindowFocus: false,
  retry: 1,
  staleTime: 60_000,
} satisfies DefaultOptions['queries'];

export const createQueryClient = (queries: DefaultOptions['queries'] = {}) =>
  new QueryClient({ defaultOptions: { queries: { ...queryDefaults, ...queries } } });
