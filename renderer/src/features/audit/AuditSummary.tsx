import { Stack, Table, Text } from '@mantine/core';
import { formatValue, isRecord } from './summary-fields';

/** An entry's before/after summary as a table of the changed fields, and any other detail under it. */
export function AuditSummary({ summary }: { summary: Record<string, unknown> }) {
  const { before, after, ...rest } = summary;
  const halves = isRecord(before) || isRecord(after);
  const fields = [
    ...new Set([
      ...Object.keys(isRecord(before) ? before : {}),
      ...Object.keys(isRecord(after) ? after : {}),
    ]),
  ];
  const details = Object.entries(halves ? rest : summary);

  if (fields.length === 0 && details.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No details were recorded.
      </Text>
    );
  return (
    <Stack gap="xs">
      {fields.length > 0 && (
        <Table aria-label="Before and after" fz="sm" verticalSpacing={4} withTableBorder maw={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>Field</Table.Th>
              {isRecord(before) && <Table.Th>Before</Table.Th>}
              {isRecord(after) && <Table.Th>After</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((field) => (
              <Table.Tr key={field}>
                <Table.Td ff="monospace">{field}</Table.Td>
                {isRecord(before) && <Table.Td>{field in before ? formatValue(before[field]) : ''}</Table.Td>}
                {isRecord(after) && <Table.Td>{field in after ? formatValue(after[field]) : ''}</Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {details.map(([key, value]) => (
        <Text key={key} size="sm">
          <Text span ff="monospace" c="dimmed">
            {key}
          </Text>{' '}
          {formatValue(value)}
        </Text>
      ))}
    </Stack>
  );
}
