import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { downloadText } from '../../ui/download';
import { useExportOrg } from './transfer-queries';

/** Saves the org's archive (settings, users without passwords, agents, policies, knowledge, usage, audit). */
export function ExportOrgButton({ org }: { org: Org }) {
  const exportOrg = useExportOrg();
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} />}
      loading={exportOrg.isPending}
      onClick={() =>
        exportOrg.mutate(org.id, {
          onSuccess: ({ fileName, content }) => {
            downloadText(fileName, content, 'application/json');
            notifications.show({
              color: 'teal',
              title: 'Exported',
              message: `${org.name} is in ${fileName}.`,
            });
          },
          onError: (error) =>
            notifications.show({ color: 'red', title: 'Could not export', message: error.message }),
        })
      }
    >
      Export
    </Button>
  );
}
