import { QueryCache, QueryClient } from '@tanstack/react-query';
import { AppError } from '../../../shared/contract/envelope';
import { sessionKeys } from '../features/session/queries';

/** One client for the app; an expired session anywhere sends the user back to sign-in. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        const expired = error instanceof AppError && error.code === 'UNAUTHENTICATED';
        if (expired && query.queryKey[0] !== sessionKeys.all[0])
          void client.invalidateQueries({ queryKey: sessionKeys.all });
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => !(error instanceof AppError && error.code !== 'INTERNAL') && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
