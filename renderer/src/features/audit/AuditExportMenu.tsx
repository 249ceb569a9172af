import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconDownload } from '@tabler/icons-react';
import { formatCount } from '../../../../shared/domain/counts';
import type { AuditFormat } from './audit-files';
import { type ExportRequest, useAuditExport } from './use-audit-export';

/** Export of every entry the filters match (not only the page shown), as CSV or JSON. */
export function AuditExportMenu({
  request,
  disabled,
}: {
  request: Omit<ExportRequest, 'format'>;
  disabled: boolean;
}) {
  const { run, progress } = useAuditExport();
  const start = (format: AuditFormat) => void run({ ...request, format });

  return (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          rightSection={<IconChevronDown size={14} />}
          disabled={disabled || progress !== null}
        >
          {progress ? `Exporting ${formatCount(progress.done)} of ${formatCount(progress.total)}…` : 'Export'}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>The filtered entries, oldest first</Menu.Label>
        <Menu.Item onClick={() => start('csv')}>CSV (spreadsheets)</Menu.Item>
        <Menu.Item onClick={() => start('json')}>JSON</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
