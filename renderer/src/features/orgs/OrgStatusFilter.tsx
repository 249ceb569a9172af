import { SegmentedControl } from '@mantine/core';
import type { StatusFilter } from './queries';

const CHOICES: { value: StatusFilter; label: string }[] = [
  { value: 'current', label: 'Active & inactive' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'deleted', label: 'Deleted' },
];

export const isStatusFilter = (value: string | null): value is StatusFilter =>
  CHOICES.some((choice) => choice.value === value);

/** Deleted orgs are listed only to those who see every org. */
export function OrgStatusFilter({
  value,
  onChange,
  withDeleted,
}: {
  value: StatusFilter;
  onChange: (value: StatusFilter) => void;
  withDeleted: boolean;
}) {
  return (
    <SegmentedControl
      aria-label="Status"
      value={value}
      onChange={onChange}
      data={withDeleted ? CHOICES : CHOICES.filter((choice) => choice.value !== 'deleted')}
    />
  );
}
