import {
  Alert,
  Button,
  FileButton,
  Group,
  Image,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPhotoUp } from '@tabler/icons-react';
import type { Settings } from '../../../../shared/contract/settings';
import { LOGO_MAX_BYTES } from '../../../../shared/domain/statement-logo';
import { kb } from '../../ui/bytes';
import type { FormSchemas } from '../../ui/load-form-schemas';
import { mutateThen } from '../../ui/mutate-then';
import { useContractForm } from '../../ui/use-contract-form';
import { useLogo, useSetLogo, useUpdateSettings } from './queries';

const statementSettings = ({ Settings }: FormSchemas) =>
  Settings.pick({ mspName: true, mspAddress: true, statementPrefix: true });

/** Reads a picked file as base64, the way the contract carries bytes. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

function LogoPicker() {
  const logo = useLogo();
  const setLogo = useSetLogo();
  const pick = async (file: File | null) => {
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) {
      notifications.show({
        color: 'red',
        title: 'Logo too large',
        message: `At most ${kb(LOGO_MAX_BYTES)}.`,
      });
      return;
    }
    void mutateThen(setLogo, await base64Of(file), {
      onSuccess: () =>
        notifications.show({ color: 'teal', title: 'Logo saved', message: 'New statements show it.' }),
    });
  };
  const current = logo.data?.logo;
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Logo
      </Text>
      <Group align="center">
        {current ? (
          <Image
            src={`data:${current.contentType};base64,${current.base64}`}
            alt="Your logo, as statements show it"
            h={48}
            w="auto"
            fit="contain"
          />
        ) : (
          <Text size="sm" c="dimmed">
            No logo: statements show your name instead.
          </Text>
        )}
        <FileButton onChange={(file) => void pick(file)} accept="image/png,image/jpeg">
          {(props) => (
            <Button
              {...props}
              variant="default"
              leftSection={<IconPhotoUp size={16} />}
              loading={setLogo.isPending}
            >
              {current ? 'Replace logo' : 'Upload logo'}
            </Button>
          )}
        </FileButton>
        {current && (
          <Button
            variant="subtle"
            color="red"
            onClick={() => setLogo.mutate(null)}
            disabled={setLogo.isPending}
          >
            Remove
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        PNG or JPEG, at most {kb(LOGO_MAX_BYTES)}. Statements already issued keep the logo they were issued
        with.
      </Text>
      {setLogo.isError && (
        <Alert color="red" title="Could not save the logo">
          {setLogo.error.message}
        </Alert>
      )}
    </Stack>
  );
}

/** The MSP's name, address and logo, and the statement number prefix: what statements show. */
export function StatementSettingsForm({ settings }: { settings: Settings }) {
  const form = useContractForm(statementSettings, {
    mspName: settings.mspName,
    mspAddress: settings.mspAddress,
    statementPrefix: settings.statementPrefix,
  });
  const update = useUpdateSettings();

  return (
    <Paper withBorder p="lg">
      <Stack>
        <div>
          <Title order={4}>Statements</Title>
          <Text size="sm" c="dimmed">
            Who statements come from. Changes apply to statements issued from now on.
          </Text>
        </div>
        <form
          aria-label="Statements"
          onSubmit={form.submit(update, (saved) =>
            notifications.show({
              color: 'teal',
              title: 'Settings saved',
              message: `Statements are numbered ${saved.statementPrefix}-YYYY-NNNN.`,
            }),
          )}
        >
          <Stack>
            <TextInput
              label="Business name"
              maw={420}
              value={form.values.mspName}
              error={form.errors.mspName}
              onChange={(event) => form.set('mspName', event.currentTarget.value)}
            />
            <Textarea
              label="Address"
              description="As it should read on a statement, one line per line."
              maw={420}
              autosize
              minRows={3}
              value={form.values.mspAddress}
              error={form.errors.mspAddress}
              onChange={(event) => form.set('mspAddress', event.currentTarget.value)}
            />
            <TextInput
              label="Number prefix"
              description="Statements are numbered PREFIX-YYYY-NNNN, without gaps, per year."
              maw={200}
              value={form.values.statementPrefix}
              error={form.errors.statementPrefix}
              onChange={(event) => form.set('statementPrefix', event.currentTarget.value.toUpperCase())}
            />
            <Group>
              <Button type="submit" loading={update.isPending}>
                Save statement details
              </Button>
            </Group>
          </Stack>
        </form>
        <LogoPicker />
      </Stack>
    </Paper>
  );
}
