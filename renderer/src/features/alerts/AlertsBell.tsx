import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Divider,
  Group,
  Indicator,
  Popover,
  Stack,
  Text,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBell, IconBellRinging } from '@tabler/icons-react';
import type { BudgetAlert } from '../../../../shared/contract/alerts';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows } from '../../../../shared/domain/permissions';
import { paths } from '../../app/routes';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { formatLocal } from '../../ui/time';
import { monthName } from '../billing/months';
import { MONTH_PARAM } from '../billing/use-billing-month';
import { useOpenAlerts } from './queries';

const KIND_LABEL = { actual: 'Used', forecast: 'Forecast' } as const;

function AlertItem({ alert, onOpen }: { alert: BudgetAlert; onOpen(): void }) {
  return (
    <Box component="li" style={{ listStyle: 'none' }}>
      <Group gap={6} mb={2} wrap="nowrap">
        <Badge size="xs" variant="light" color={alert.kind === 'actual' ? 'red' : 'yellow'}>
          {KIND_LABEL[alert.kind]} · {alert.threshold}%
        </Badge>
        <Text size="xs" c="dimmed">
          {formatLocal(alert.raised_at)}
        </Text>
      </Group>
      <Anchor
        // The link opens the org's Billing tab on the alert's month.
        href={`#${paths.org(alert.org.id, 'billing')}?${MONTH_PARAM}=${alert.month}`}
        size="sm"
        onClick={onOpen}
      >
        {alert.message}
      </Anchor>
      <Text size="xs" c="dimmed">
        {alert.org.name} · {monthName(alert.month)}
      </Text>
    </Box>
  );
}

/**
 * The header's notification centre: open budget alerts (the MSP's cost against each org's budget),
 * so only for those who see costs. A bell with their count; its popover lists them, each a link to
 * the org's month. Focus moves into the list when it opens and back to the bell on Escape.
 */
export function AlertsBell({ user }: { user: SessionUser }) {
  const visible = allows(user, 'billing.read');
  const alerts = useOpenAlerts(visible);
  const [opened, { toggle, close }] = useDisclosure(false);
  if (!visible) return null;
  const list = alerts.data ?? [];
  const count = list.length;
  const label = count === 0 ? 'Budget alerts: none open' : `Budget alerts: ${count} open`;

  return (
    <Popover
      opened={opened}
      onChange={(next) => !next && close()}
      position="bottom-end"
      width={380}
      shadow="md"
      trapFocus
      returnFocus
      withArrow
      // The bell button names its own popup (aria-haspopup, aria-expanded). Popover's target here is
      // the count's Indicator, a plain box that may not carry those attributes.
      withRoles={false}
    >
      <Popover.Target>
        <Indicator label={count} size={16} disabled={count === 0} color="red" offset={4}>
          <HoverTooltip label={label} disabled={opened}>
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={label}
              aria-haspopup="dialog"
              aria-expanded={opened}
              onClick={toggle}
            >
              {count > 0 ? <IconBellRinging size={18} /> : <IconBell size={18} />}
            </ActionIcon>
          </HoverTooltip>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="sm" role="dialog" aria-label="Budget alerts">
        <Text fw={700} size="sm" mb={4}>
          Budget alerts
        </Text>
        <Divider mb="xs" />
        {alerts.isError ? (
          <Text size="sm" c="red">
            Could not load the alerts: {alerts.error.message}
          </Text>
        ) : count === 0 ? (
          <Text size="sm" c="dimmed">
            No organization is near its budget this month.
          </Text>
        ) : (
          <Stack component="ul" gap="sm" p={0} m={0} mah={420} style={{ overflowY: 'auto' }}>
            {list.map((alert) => (
              <AlertItem key={alert.id} alert={alert} onOpen={close} />
            ))}
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
