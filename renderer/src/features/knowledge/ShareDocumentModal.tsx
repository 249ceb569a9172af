import { Button, Group, Modal, MultiSelect, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { mutateThen } from '../../ui/mutate-then';
import { useOrgs } from '../orgs/queries';
import { useSetSharing } from './queries';
import { choiceOf, type SharingChoice, sharingCalls, sharingLabel } from './sharing';

type Mode = SharingChoice['mode'];

/** Who an owner-org document reaches: nobody, every client org, or chosen ones. Mounted while open. */
export function ShareDocumentModal({ doc, onClose }: { doc: KnowledgeDoc; onClose: () => void }) {
  const sharing = doc.sharing ?? { all: false, orgs: [] };
  const initial = choiceOf(sharing);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [orgIds, setOrgIds] = useState<string[]>(initial.mode === 'chosen' ? initial.orgIds : []);
  const [missing, setMissing] = useState(false);
  const orgs = useOrgs('');
  const clients = (orgs.data ?? [])
    .filter((org) => !org.isOwner)
    .map((org) => ({ value: org.id, label: org.name }));
  // An org shared with and deleted since is no longer listed; it stays visible, so it can be removed.
  const options = [
    ...clients,
    ...sharing.orgs
      .filter((org) => !clients.some((client) => client.value === org.id))
      .map((org) => ({ value: org.id, label: org.name })),
  ];
  const save = useSetSharing();

  const submit = () => {
    if (mode === 'chosen' && orgIds.length === 0) {
      setMissing(true);
      return;
    }
    const next: SharingChoice = mode === 'chosen' ? { mode, orgIds } : { mode };
    void mutateThen(save, sharingCalls(doc.id, sharing, next), {
      onSuccess: (saved) => {
        notifications.show({
          color: 'teal',
          title: 'Sharing saved',
          message: `“${doc.title}”: ${saved?.sharing ? sharingLabel(saved.sharing) : sharingLabel(sharing)}.`,
        });
        onClose();
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not change the sharing', message: error.message }),
    });
  };

  return (
    <Modal opened onClose={onClose} title={`Share “${doc.title}”`} centered size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            Client organizations it is shared with see it read-only, search it, and their agents can read it.
          </Text>
          <Radio.Group
            label="Shared with"
            value={mode}
            onChange={(value) => {
              setMode(value as Mode);
              setMissing(false);
            }}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="none" label="Nobody: only the owner organization" />
              <Radio value="all" label="Every client organization, including ones added later" />
              <Radio value="chosen" label="Chosen organizations" />
            </Stack>
          </Radio.Group>
          {mode === 'chosen' && (
            <MultiSelect
              label="Organizations"
              placeholder={orgIds.length === 0 ? 'Pick organizations' : undefined}
              data={options}
              value={orgIds}
              onChange={(value) => {
                setOrgIds(value);
                setMissing(false);
              }}
              error={missing ? 'Choose at least one organization' : undefined}
              searchable
              nothingFoundMessage="No organization matches"
              data-autofocus
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save sharing
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
