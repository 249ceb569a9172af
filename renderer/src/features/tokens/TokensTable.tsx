import { Badge, Button, Code, Table, Text } from '@mantine/core';
import type { ApiToken } from '../../../../shared/contract/tokens';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';

const STATUS: Record<ApiToken['status'], { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'red' },
};

const COLUMNS = ['name', 'token', 'created', 'expires', 'used', 'status'] as const;
const VALUES = {
  name: (token: ApiToken) => token.name,
  token: (token: ApiToken) => token.prefix,
  created: (token: ApiToken) => token.createdAt,
  expires: (token: ApiToken) => token.expiresAt,
  used: (token: ApiToken) => token.lastUsedAt,
  status: (token: ApiToken) => STATUS[token.status].label,
};
const firstDirection = (column: (typeof COLUMNS)[number]) =>
  ['created', 'expires', 'used'].includes(column) ? 'desc' : 'asc';

export function TokensTable({
  tokens,
  onRevoke,
}: {
  tokens: ApiToken[];
  onRevoke: (token: ApiToken) => void;
}) {
  const { sort, onSort } = useTableSort(
    'sort',
    COLUMNS,
    { column: 'created', direction: 'desc' },
    firstDirection,
  );
  const th = { sort, onSort };
  return (
    <DataTable minWidth={820} verticalSpacing="sm" highlightOnHover aria-label="API tokens">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="name" label="Name" {...th} />
          <SortableTh column="token" label="Token" {...th} />
          <SortableTh column="created" label="Created" {...th} />
          <SortableTh column="expires" label="Expires" {...th} />
          <SortableTh column="used" label="Last used" {...th} />
          <SortableTh column="status" label="Status" {...th} />
          <Table.Th w={100} aria-label="Actions" />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(tokens, sort, VALUES).map((token) => (
          <Table.Tr key={token.id}>
            <Table.Td>
              <Text fw={500}>{token.name}</Text>
            </Table.Td>
            <Table.Td>
              <Code>{token.prefix}…</Code>
            </Table.Td>
            <Table.Td>
              <LocalTime iso={token.createdAt} dateOnly />
            </Table.Td>
            <Table.Td>
              <LocalTime iso={token.expiresAt} dateOnly />
            </Table.Td>
            <Table.Td>
              {token.lastUsedAt ? (
                <LocalTime iso={token.lastUsedAt} />
              ) : (
                <Text size="sm" c="dimmed">
                  Never
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS[token.status].color}>
                {STATUS[token.status].label}
              </Badge>
            </Table.Td>
            <Table.Td>
              {token.status === 'active' && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Revoke ${token.name}`}
                  onClick={() => onRevoke(token)}
                >
                  Revoke
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}
