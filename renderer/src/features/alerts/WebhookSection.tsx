import {
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { errorMessage } from '../../api/client';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import type { FormSchemas } from '../../ui/load-form-schemas';
import { mutateThen } from '../../ui/mutate-then';
import { QueryState } from '../../ui/QueryState';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { useContractForm } from '../../ui/use-contract-form';
import { useAlertWebhook, useSetAlertWebhook, useWebhookDeliveries } from './queries';

const webhookInput = ({ object, string, url }: FormSchemas) =>
  object({
    url: url({ protocol: /^https?$/, error: 'A webhook URL is an http:// or https:// address' }),
    secret: string().refine((value) => value === '' || value.length >= 16, {
      message: 'A signing secret is at least 16 characters',
    }),
  });

const STATUS_COLOR = { pending: 'yellow', delivered: 'teal', failed: 'red' } as const;

type Delivery = NonNullable<ReturnType<typeof useWebhookDeliveries>['data']>[number];
const COLUMNS = ['sent', 'org', 'event', 'status', 'attempts', 'error'] as const;
const VALUES = {
  sent: (row: Delivery) => row.created_at,
  org: (row: Delivery) => row.org?.name,
  event: (row: Delivery) => row.event,
  status: (row: Delivery) => row.status,
  attempts: (row: Delivery) => row.attempts,
  error: (row: Delivery) => row.last_error,
};

function DeliveryLog() {
  const deliveries = useWebhookDeliveries();
  const { sort, onSort } = useTableSort(
    'deliveries',
    COLUMNS,
    { column: 'sent', direction: 'desc' },
    (column) => (column === 'sent' || column === 'attempts' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };
  return (
    <QueryState
      query={deliveries}
      loadingLabel="Loading the delivery log"
      errorTitle="Could not load the delivery log"
      rows={2}
      isEmpty={(rows) => rows.length === 0}
      empty={
        <EmptyState icon={<IconSend size={24} />} title="Nothing sent yet">
          <EmptyHint>Each budget alert raised or resolved is sent here, signed.</EmptyHint>
        </EmptyState>
      }
    >
      {(rows) => (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Webhook deliveries" striped>
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="sent" label="Sent" {...th} />
                <SortableTh column="org" label="Organization" {...th} />
                <SortableTh column="event" label="Event" {...th} />
                <SortableTh column="status" label="Status" {...th} />
                <SortableTh column="attempts" label="Attempts" numeric {...th} />
                <SortableTh column="error" label="Last error" {...th} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sortRows(rows, sort, VALUES).map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <LocalTime iso={row.created_at} />
                  </Table.Td>
                  <Table.Td>{row.org?.name ?? '—'}</Table.Td>
                  <Table.Td>{row.event}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={STATUS_COLOR[row.status]}>
                      {row.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{row.attempts}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {row.last_error ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </QueryState>
  );
}

/**
 * For team servers: budget alerts POSTed as JSON to a URL, signed with HMAC-SHA256 of the body
 * (X-Orgdeck-Signature: sha256=<hex>), retried with backoff; and the delivery log. Owners only.
 */
export function WebhookSection() {
  const webhook = useAlertWebhook();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="webhook-title">
      <Stack>
        <div>
          <Title order={4} id="webhook-title">
            Budget alert webhook
          </Title>
          <Text size="sm" c="dimmed">
            Each budget alert raised or resolved is POSTed as JSON, signed: the header X-Orgdeck-Signature
            carries sha256= and the HMAC-SHA256 of the body with your secret. Failed deliveries are retried
            with backoff.
          </Text>
        </div>
        <QueryState
          query={webhook}
          loadingLabel="Loading the webhook"
          errorTitle="Could not load the webhook"
          rows={2}
        >
          {(current) => <WebhookForm key={current.url ?? ''} current={current} />}
        </QueryState>
        <Title order={5}>Deliveries</Title>
        <DeliveryLog />
      </Stack>
    </Paper>
  );
}

function WebhookForm({ current }: { current: { url: string | null; has_secret: boolean } }) {
  const save = useSetAlertWebhook();
  const form = useContractForm(webhookInput, { url: current.url ?? '', secret: '' });
  const known = current.url ?? '';

  const submit = (input: { url: string; secret: string } | null) =>
    void mutateThen(
      save,
      input === null ? { url: null } : { url: input.url, ...(input.secret ? { secret: input.secret } : {}) },
      {
        onSuccess: (next) => {
          form.reset({ url: next.url ?? '', secret: '' });
          notifications.show({
            color: 'teal',
            title: next.url ? 'Webhook saved' : 'Webhook removed',
            message: next.url
              ? `Budget alerts will be POSTed to ${next.url}.`
              : 'No alert is sent out any more.',
          });
        },
        onError: (error) => {
          if (!form.showServerErrors(error))
            notifications.show({
              color: 'red',
              title: 'Could not save the webhook',
              message: errorMessage(error),
            });
        },
      },
    );

  return (
    <form
      aria-label="Budget alert webhook"
      onSubmit={async (event) => {
        event.preventDefault();
        const input = await form.validate();
        if (input) submit(input);
      }}
    >
      <Stack gap="sm">
        <TextInput label="URL" placeholder="https://hooks.example.com/orgdeck" {...form.text('url')} />
        <PasswordInput
          label="Signing secret"
          description={
            current.has_secret
              ? 'A secret is set and never shown again; type a new one to replace it.'
              : 'At least 16 characters; your receiver checks the signature with it.'
          }
          autoComplete="off"
          {...form.text('secret')}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save webhook
          </Button>
          {known && (
            <Button variant="default" disabled={save.isPending} onClick={() => submit(null)}>
              Remove webhook
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
