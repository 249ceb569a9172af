import { ActionIcon, Badge, Group, Menu, Table, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconEye, IconReceipt, IconReceiptOff } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { StatementSummary } from '../../../../shared/contract/statements';
import { downloadBase64 } from '../../ui/download';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { mutateThen } from '../../ui/mutate-then';
import { QueryState } from '../../ui/QueryState';
import { exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { UsdTd } from './figures';
import { monthName } from './months';
import { StatementModal } from './StatementModal';
import { useDownloadStatement, useStatements } from './statement-queries';

const COLUMNS = ['number', 'org', 'month', 'issued', 'total', 'status'] as const;
/** What the status badge says, to sort by. */
const statusOf = (statement: StatementSummary) =>
  statement.kind === 'credit_note' ? 'Credit note' : statement.voided_by ? 'Voided' : 'Issued';
const VALUES = {
  number: (statement: StatementSummary) => statement.number,
  org: (statement: StatementSummary) => statement.org.name,
  month: (statement: StatementSummary) => statement.month,
  issued: (statement: StatementSummary) => statement.issued_at,
  total: (statement: StatementSummary) => exactAmount(statement.total),
  status: statusOf,
};

/** Issued statements and credit notes: view, download (PDF, CSV, JSON) and, for owners and admins, void. */
function StatementsTable({
  statements,
  showOrg,
  onView,
  onVoid,
}: {
  statements: StatementSummary[];
  showOrg: boolean;
  onView(number: string): void;
  onVoid?: (statement: StatementSummary) => void;
}) {
  const { sort, onSort } = useTableSort(
    'statements',
    COLUMNS,
    { column: 'issued', direction: 'desc' },
    (column) => (['month', 'issued', 'total'].includes(column) ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };
  const download = useDownloadStatement();
  const fetchFile = (number: string, format: 'pdf' | 'csv' | 'json') =>
    void mutateThen(
      download,
      { number, format },
      {
        onSuccess: (file) => downloadBase64(file.fileName, file.base64, file.contentType),
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: 'Could not download the statement',
            message: error.message,
          }),
      },
    );

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="number" label="Number" {...th} />
            {showOrg && <SortableTh column="org" label="Organization" {...th} />}
            <SortableTh column="month" label="Month" {...th} />
            <SortableTh column="issued" label="Issued" {...th} />
            <SortableTh column="total" label="Total" numeric {...th} />
            <SortableTh column="status" label="Status" {...th} />
            <Table.Th w={110}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(statements, sort, VALUES).map((statement) => (
            <Table.Tr key={statement.number}>
              <Table.Td ff="monospace">{statement.number}</Table.Td>
              {showOrg && <Table.Td>{statement.org.name}</Table.Td>}
              <Table.Td>{monthName(statement.month)}</Table.Td>
              <Table.Td>
                <LocalTime iso={statement.issued_at} dateOnly />
              </Table.Td>
              <UsdTd amount={statement.total} />
              <Table.Td>
                {statement.kind === 'credit_note' ? (
                  <Badge variant="light" color="grape">
                    Credit note for {statement.credits}
                  </Badge>
                ) : statement.voided_by ? (
                  <Badge variant="light" color="gray">
                    Voided by {statement.voided_by}
                  </Badge>
                ) : (
                  <Badge variant="light" color="teal">
                    Issued
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <HoverTooltip label="View">
                    <ActionIcon
                      variant="subtle"
                      aria-label={`View ${statement.number}`}
                      onClick={() => onView(statement.number)}
                    >
                      <IconEye size={16} />
                    </ActionIcon>
                  </HoverTooltip>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Download ${statement.number}`}
                        loading={download.isPending && download.variables?.number === statement.number}
                      >
                        <IconDownload size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => fetchFile(statement.number, 'pdf')}>PDF</Menu.Item>
                      <Menu.Item onClick={() => fetchFile(statement.number, 'csv')}>CSV</Menu.Item>
                      <Menu.Item onClick={() => fetchFile(statement.number, 'json')}>JSON</Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                  {onVoid && statement.kind === 'statement' && !statement.voided_by && (
                    <HoverTooltip label="Void (issue a credit note)">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Void ${statement.number}`}
                        onClick={() => onVoid(statement)}
                      >
                        <IconReceiptOff size={16} />
                      </ActionIcon>
                    </HoverTooltip>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The statements of an org (all orgs: no id) as a table, each viewable as its org sees it; `emptyHint`
 * says when the first one comes.
 */
export function StatementsList({
  orgId,
  showOrg,
  emptyHint,
  onVoid,
}: {
  orgId: string | undefined;
  showOrg: boolean;
  emptyHint: ReactNode;
  onVoid?: (statement: StatementSummary) => void;
}) {
  const statements = useStatements(orgId);
  const [viewing, setViewing] = useState<string | null>(null);
  return (
    <>
      <QueryState
        query={statements}
        loadingLabel="Loading statements"
        errorTitle="Could not load statements"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState icon={<IconReceipt size={24} />} title="No statements yet">
            <EmptyHint>{emptyHint}</EmptyHint>
          </EmptyState>
        }
      >
        {(rows) => (
          <StatementsTable statements={rows} showOrg={showOrg} onView={setViewing} onVoid={onVoid} />
        )}
      </QueryState>
      <StatementModal number={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
