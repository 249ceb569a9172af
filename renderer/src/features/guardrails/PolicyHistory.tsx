import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconEye, IconRestore } from '@tabler/icons-react';
import { Fragment, type ReactNode, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { mutateThen } from '../../ui/mutate-then';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { configRows } from './config-rows';
import { useRestorePolicy } from './queries';

type PolicyWithVersions = ChannelOutput<'policies.get'>;
type PolicyVersion = PolicyWithVersions['versions'][number];

const COLUMNS = ['version', 'change', 'actor'] as const;
const VALUES = {
  version: (version: PolicyVersion) => version.version,
  change: (version: PolicyVersion) => version.change,
  actor: (version: PolicyVersion) => version.actor,
};

function VersionDetails({ version }: { version: PolicyVersion }) {
  const rows: [string, ReactNode][] = [
    ['Name', version.name],
    ['Description', version.description || '—'],
    ['State', version.enabled ? 'Enabled' : 'Disabled'],
    ...configRows(version.config),
  ];
  return (
    <Table aria-label={`Version ${version.version}`} fz="sm" verticalSpacing={4} withRowBorders={false}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={200} fw={500} c="dimmed">
              {label}
            </Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Every version, newest first unless sorted: what changed, who and when; any earlier one can be
 * read and restored.
 */
export function PolicyHistory({ policy, timeZone }: { policy: PolicyWithVersions; timeZone: string }) {
  const [viewing, setViewing] = useState<number | null>(null);
  const restore = useRestorePolicy();
  const { sort, onSort } = useTableSort(
    'versions',
    COLUMNS,
    { column: 'version', direction: 'desc' },
    (column) => (column === 'version' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };

  const confirmRestore = (version: number) =>
    modals.openConfirmModal({
      title: `Restore version ${version}?`,
      centered: true,
      children: (
        <Text size="sm">
          Its name, description, settings and on/off state become version {policy.version + 1} of{' '}
          {policy.name}. Versions 1 to {policy.version} stay in the history.
        </Text>
      ),
      labels: { confirm: 'Restore', cancel: 'Cancel' },
      onConfirm: () =>
        void mutateThen(
          restore,
          { id: policy.id, version, expectedVersion: policy.version },
          {
            onSuccess: (saved) =>
              notifications.show({
                color: 'teal',
                title: 'Restored',
                message:
                  saved.version === policy.version
                    ? `Version ${version} has the current settings already: nothing changed.`
                    : `Version ${version} is back as version ${saved.version}.`,
              }),
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Could not restore', message: error.message }),
          },
        ),
    });

  return (
    <Table.ScrollContainer minWidth={520} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table aria-label="Versions" verticalSpacing={6} fz="sm" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="version" label="Version" {...th} />
            <SortableTh column="change" label="Change" {...th} />
            <SortableTh column="actor" label="By" hint="when" {...th} />
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(policy.versions, sort, VALUES).map((version) => {
            const current = version.version === policy.version;
            const open = viewing === version.version;
            return (
              <Fragment key={version.version}>
                <Table.Tr>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        v{version.version}
                      </Text>
                      {current && (
                        <Badge size="xs" variant="light" color="teal">
                          current
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{version.change}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{version.actor}</Text>
                    <LocalTime iso={version.at} orgZone={timeZone} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        leftSection={<IconEye size={14} />}
                        aria-expanded={open}
                        aria-label={`${open ? 'Hide' : 'View'} version ${version.version}`}
                        onClick={() => setViewing(open ? null : version.version)}
                      >
                        {open ? 'Hide' : 'View'}
                      </Button>
                      {!current && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          leftSection={<IconRestore size={14} />}
                          aria-label={`Restore version ${version.version}`}
                          loading={restore.isPending && restore.variables?.version === version.version}
                          onClick={() => confirmRestore(version.version)}
                        >
                          Restore
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {open && (
                  <Table.Tr>
                    <Table.Td colSpan={4} bg="var(--mantine-color-default-hover)">
                      <VersionDetails version={version} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
