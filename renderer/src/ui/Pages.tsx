import { Pagination } from '@mantine/core';

/** Page buttons that a screen reader names ("Page 3", "Next page"); Mantine's arrows have no text. */
export function Pages({
  total,
  value,
  onChange,
  label = 'Pages',
}: {
  total: number;
  value: number;
  onChange: (page: number) => void;
  label?: string;
}) {
  return (
    <Pagination
      aria-label={label}
      total={total}
      value={value}
      onChange={onChange}
      withEdges={total > 5}
      getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
      getControlProps={(control) => ({
        'aria-label': `${control[0]?.toUpperCase()}${control.slice(1)} page`,
      })}
    />
  );
}
