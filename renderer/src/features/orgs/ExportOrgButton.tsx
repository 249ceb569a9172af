import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { formatCount } from '../../../../shared/domain/counts';
import { downloadText } from '../../ui/download';
import { signedUsd } from '../../ui/money';
import { mutateThen } from '../../ui/mutate-then';
import { useExportOrg } from './transfer-queries';

/** Why an org about to move should have its closed months' changes billed here first. */
function unbilledText({ adjustments, total }: { adjustments: number; total: string }): string {
  const one = adjustments === 1;
  const what = one ? '1 change' : `${formatCount(adjustments)} changes`;
  const them = one ? 'it' : 'them';
  return `${what} to months closed here (${signedUsd(total)}) ${one ? 'is' : 'are'} not billed yet and ${one ? 'does' : 'do'} not go with this file: the Orgdeck it moves to will not bill ${them}. To bill ${them}, close the next month here before the move, then export again and use that file.`;
}

/** Saves the org's archive (settings, users without passwords, agents, policies, knowledge, usage, audit). */
export function ExportOrgButton({ org }: { org: Org }) {
  const exportOrg = useExportOrg();
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} />}
      loading={exportOrg.isPending}
      onClick={() =>
        void mutateThen(exportOrg, org.id, {
          onSuccess: ({ fileName, content, unbilled }) => {
            downloadText(fileName, content, 'application/json');
            notifications.show(
              unbilled === null
                ? { color: 'teal', title: 'Exported', message: `${org.name} is in ${fileName}.` }
                : {
                    color: 'yellow',
                    title: 'Exported, with changes not billed yet',
                    autoClose: false,
                    message: `${org.name} is in ${fileName}. ${unbilledText(unbilled)}`,
                  },
            );
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
