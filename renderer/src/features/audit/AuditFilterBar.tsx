import { Autocomplete, Badge, Button, Group, Input, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconBuilding, IconFilterOff, IconLock, IconSearch } from '@tabler/icons-react';
import { type AuditFilters, isFiltered } from './audit-filters';
import { useTypedFilter } from './use-typed-filter';

/** Every action and the prefix of each ("policy" for policy.*), A to Z, so either can be picked. */
function actionOptions(actions: string[]): string[] {
  const prefixes = actions.map((action) => action.split('.')[0] ?? action);
  return [...new Set([...prefixes, ...actions])].sort();
}

/**
 * The Audit page's filters. Owners and admins pick any org (`orgOptions`); a bound user sees
 * theirs, locked (`lockedOrg`). Each change starts again at page 1.
 */
export function AuditFilterBar({
  filters,
  errors,
  orgOptions,
  lockedOrg,
  actions,
  timeZone,
  onChange,
}: {
  filters: AuditFilters;
  errors: Record<string, string>;
  orgOptions: { value: string; label: string }[] | null;
  lockedOrg: string | null;
  actions: string[];
  timeZone: string;
  onChange: (patch: Omit<Partial<AuditFilters>, 'page'>) => void;
}) {
  const actor = useTypedFilter(filters.actor ?? '', (value) => onChange({ actor: value || undefined }));
  const action = useTypedFilter(filters.action ?? '', (value) => onChange({ action: value || undefined }));

  return (
    <Stack gap={6}>
      <Group gap="sm" align="flex-start">
        {orgOptions ? (
          <Select
            label="Organization"
            placeholder="All organizations"
            w={220}
            data={orgOptions}
            value={filters.org ?? null}
            error={errors.org}
            onChange={(org) => onChange({ org: org ?? undefined })}
            searchable
            clearable
            nothingFoundMessage="No organization matches"
            leftSection={<IconBuilding size={16} />}
          />
        ) : (
          <Input.Wrapper label="Organization" labelElement="div">
            {/* On a line of its own under the label, where the other filters have their field. */}
            <div>
              <Badge
                mt={6}
                variant="light"
                color="gray"
                size="lg"
                leftSection={<IconLock size={12} />}
                tt="none"
              >
                {lockedOrg ?? 'Your organization'}
              </Badge>
            </div>
          </Input.Wrapper>
        )}
        <TextInput
          label="Actor"
          placeholder="Name or email"
          w={170}
          leftSection={<IconSearch size={16} />}
          value={actor.value}
          onChange={(event) => actor.onChange(event.currentTarget.value)}
          error={errors.actor}
        />
        <Autocomplete
          label="Action"
          placeholder="policy, or org.created"
          w={190}
          data={actionOptions(actions)}
          value={action.value}
          onChange={action.onChange}
          onOptionSubmit={action.commit}
          error={errors.action}
          limit={50}
          maxDropdownHeight={280}
        />
        <TextInput
          type="date"
          label="From"
          w={150}
          value={filters.from ?? ''}
          error={errors.from}
          onChange={(event) => onChange({ from: event.currentTarget.value || undefined })}
        />
        <TextInput
          type="date"
          label="To"
          w={150}
          value={filters.to ?? ''}
          error={errors.to}
          onChange={(event) => onChange({ to: event.currentTarget.value || undefined })}
        />
        {isFiltered(filters) && (
          <Button
            mt={25}
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => {
              actor.cancel();
              action.cancel();
              onChange({
                org: undefined,
                actor: undefined,
                action: undefined,
                from: undefined,
                to: undefined,
              });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        Days run from midnight to midnight in {timeZone}, both days included. An action filter matches the
        action or everything under it (policy matches policy.created).
      </Text>
    </Stack>
  );
}
