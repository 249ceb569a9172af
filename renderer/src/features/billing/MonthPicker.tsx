import { ActionIcon, Group, Select } from '@mantine/core';
import { IconCalendarMonth, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useMemo } from 'react';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { currentMonth, monthName, nextMonth, previousMonth, recentMonths } from './months';

/** A month as "YYYY-MM": the last three years in a list, with previous / next steps. */
export function MonthPicker({ value, onChange }: { value: string; onChange: (month: string) => void }) {
  const data = useMemo(() => {
    const months = recentMonths();
    return (months.includes(value) ? months : [value, ...months]).map((month) => ({
      value: month,
      label: month,
    }));
  }, [value]);
  const latest = value >= currentMonth();

  return (
    <Group gap={4} wrap="nowrap">
      <HoverTooltip label="Previous month">
        <ActionIcon
          variant="default"
          size="lg"
          aria-label="Previous month"
          onClick={() => onChange(previousMonth(value))}
        >
          <IconChevronLeft size={16} />
        </ActionIcon>
      </HoverTooltip>
      <Select
        aria-label="Month"
        title={monthName(value)}
        w={140}
        data={data}
        value={value}
        onChange={(month) => month && onChange(month)}
        allowDeselect={false}
        leftSection={<IconCalendarMonth size={16} />}
        comboboxProps={{ shadow: 'md' }}
        maxDropdownHeight={280}
      />
      <HoverTooltip label="Next month">
        <ActionIcon
          variant="default"
          size="lg"
          aria-label="Next month"
          disabled={latest}
          onClick={() => onChange(nextMonth(value))}
        >
          <IconChevronRight size={16} />
        </ActionIcon>
      </HoverTooltip>
    </Group>
  );
}
