import { Skeleton, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState } from './ErrorState';

/** Rows of grey bars the shape of the table to come: the page keeps its layout while it loads. */
export function TableSkeleton({ label, rows = 5 }: { label: string; rows?: number }) {
  return (
    <Stack p="md" gap="sm" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, row) => `row-${row}`).map((key) => (
        <Skeleton key={key} h={28} />
      ))}
    </Stack>
  );
}

/** A page's title and table in grey while its code or its first data loads. */
export function PageSkeleton() {
  return (
    <Stack gap="lg" maw={1400} aria-busy="true" aria-label="Loading the page">
      <Skeleton h={32} w={220} />
      <Skeleton h={36} w={360} />
      <Skeleton h={320} />
    </Stack>
  );
}

/**
 * The one way a page shows a query: skeleton rows while it loads, the error with a retry, the
 * empty state when there is nothing (`isEmpty`), and the content otherwise.
 */
export function QueryState<T>({
  query,
  loadingLabel,
  errorTitle,
  isEmpty = () => false,
  empty,
  rows,
  children,
}: {
  query: UseQueryResult<T>;
  /** What loads, for screen readers: "Loading agents". */
  loadingLabel: string;
  errorTitle: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  rows?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <TableSkeleton label={loadingLabel} rows={rows} />;
  if (query.isError) {
    return (
      <Stack p="md">
        <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />
      </Stack>
    );
  }
  return isEmpty(query.data) ? empty : children(query.data);
}
