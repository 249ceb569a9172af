import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowRight,
  IconBuildingCommunity,
  IconCircleCheck,
  IconCoin,
  IconFileAlert,
  IconFileImport,
  IconPercentage,
  IconPlus,
  IconReceipt,
  IconRobot,
  IconTags,
  IconUserQuestion,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Attention } from '../../../../shared/contract/home';
import type { SessionUser } from '../../../../shared/contract/session';
import { formatCount, plural } from '../../../../shared/domain/counts';
import { percent } from '../../../../shared/domain/percent';
import { allows } from '../../../../shared/domain/permissions';
import { usePaletteRequests } from '../../app/palette-requests';
import { navigate, paths } from '../../app/routes';
import { ALL_ORGS } from '../../app/ui-store';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { useUrlState } from '../../app/use-url-state';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { subtractMoney, usd, usdExact } from '../../ui/money';
import { QueryState } from '../../ui/QueryState';
import { LocalTime } from '../../ui/time';
import { BigAmount, BudgetBadge, FigureCard, MarginValue, NUMERIC } from '../billing/figures';
import { MonthPicker } from '../billing/MonthPicker';
import { currentMonth, monthName } from '../billing/months';
import { useAttention } from './queries';
import { Sparkline } from './Sparkline';

/** A link within the console that keeps its address (open in a new tab works) and navigates in place. */
function Go({ to, children, onGo }: { to: string; children: ReactNode; onGo?: () => void }) {
  return (
    <Anchor
      href={`#${to}`}
      size="sm"
      fw={500}
      onClick={(event) => {
        event.preventDefault();
        navigate(to);
        onGo?.();
      }}
    >
      {children}
    </Anchor>
  );
}

/** One list of things to look at: its rows, or a calm "nothing here" line. */
function AttentionCard({
  title,
  icon,
  count,
  shown = count,
  more,
  none,
  children,
}: {
  title: string;
  icon: ReactNode;
  /** How many need a look: the badge. */
  count: number;
  /** How many rows the list shows, when it shows more than need a look (the lowest margins). */
  shown?: number;
  /** Where the whole list lives. */
  more: { to: string; label: string };
  none: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Group justify="space-between" wrap="nowrap" mb="sm">
        <Group gap="xs" wrap="nowrap">
          <ThemeIcon variant="light" size="md" color={count > 0 ? 'yellow' : 'teal'} aria-hidden>
            {icon}
          </ThemeIcon>
          <Title order={3} size="h5">
            {title}
          </Title>
          {count > 0 && (
            <Badge variant="light" color="yellow" size="sm">
              {formatCount(count)}
            </Badge>
          )}
        </Group>
        <Go to={more.to}>{more.label}</Go>
      </Group>
      {count === 0 && (
        <Group gap={6} wrap="nowrap" mb={shown > 0 ? 'sm' : 0}>
          <IconCircleCheck size={16} color="var(--mantine-color-teal-text)" aria-hidden />
          <Text size="sm" c="dimmed">
            {none}
          </Text>
        </Group>
      )}
      {shown > 0 && (
        <Stack gap={8} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {children}
        </Stack>
      )}
    </Paper>
  );
}

function Row({ children, value, item = true }: { children: ReactNode; value: ReactNode; item?: boolean }) {
  return (
    <Group component={item ? 'li' : 'div'} justify="space-between" wrap="nowrap" gap="sm">
      <div style={{ minWidth: 0 }}>{children}</div>
      <div style={{ flexShrink: 0 }}>{value}</div>
    </Group>
  );
}

function Total({
  label,
  icon,
  value,
  footer,
  series,
}: {
  label: string;
  icon: ReactNode;
  value: ReactNode;
  footer: string;
  series: number[];
}) {
  return (
    <FigureCard label={label} icon={icon} footer={footer}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        {value}
        <Sparkline values={series} />
      </Group>
    </FigureCard>
  );
}

function Totals({ data, soFar }: { data: Attention; soFar: string }) {
  const last = data.trend.at(-2);
  const lastName = last ? monthName(last.month) : '';
  const trendOf = (pick: (point: Attention['trend'][number]) => number) => data.trend.map(pick);
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Total
        label={`Revenue${soFar}`}
        icon={<IconReceipt size={18} />}
        value={<BigAmount value={data.totals.revenue} />}
        footer={last ? `${lastName}: ${usd(last.revenue)}` : ''}
        series={trendOf((point) => Number(point.revenue))}
      />
      <Total
        label={`Cost${soFar}`}
        icon={<IconCoin size={18} />}
        value={<BigAmount value={data.totals.cost} />}
        footer={last ? `${lastName}: ${usd(last.cost)}` : ''}
        series={trendOf((point) => Number(point.cost))}
      />
      <Total
        label="Margin"
        icon={<IconPercentage size={18} />}
        value={
          <Text fz={26} fw={700} lh={1.2} component="div">
            <MarginValue margin={data.totals.margin} threshold={data.low_margin_threshold} size="xl" />
          </Text>
        }
        footer={`${usd(subtractMoney(data.totals.revenue, data.totals.cost))} after cost${
          last ? ` · ${lastName}: ${percent(last.margin)}` : ''
        }`}
        series={trendOf((point) => (point.margin === null ? 0 : point.margin))}
      />
    </SimpleGrid>
  );
}

function FreshInstall({ user }: { user: SessionUser }) {
  const ask = usePaletteRequests((state) => state.ask);
  return (
    <EmptyState icon={<IconBuildingCommunity size={24} />} title="Nothing to watch yet">
      <EmptyHint>
        Once you have client organizations with agents, and usage imported against model prices, this page
        shows which clients earn least, which agents cost most and what needs a price or an agent.
      </EmptyHint>
      <Group mt="sm">
        {allows(user, 'orgs.manage') && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => {
              navigate(paths.orgs());
              ask({ kind: 'new-org' });
            }}
          >
            New organization
          </Button>
        )}
        {allows(user, 'billing.manage') && (
          <>
            <Button
              variant="default"
              leftSection={<IconTags size={16} />}
              onClick={() => navigate(paths.billing('prices'))}
            >
              Set model prices
            </Button>
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => navigate(paths.billing('usage'))}
            >
              Import usage
            </Button>
          </>
        )}
      </Group>
    </EmptyState>
  );
}

function AttentionGrid({ data }: { data: Attention }) {
  const ask = usePaletteRequests((state) => state.ask);
  const threshold = data.low_margin_threshold;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <AttentionCard
        title="Lowest margins"
        icon={<IconPercentage size={16} />}
        count={data.lowest_margin.filter((org) => org.margin === null || org.margin < threshold).length}
        shown={data.lowest_margin.length}
        more={{ to: paths.billing(), label: 'All margins' }}
        none={
          data.lowest_margin.length > 0
            ? `Every client is above the ${percent(threshold)} threshold.`
            : 'No revenue or cost this month yet.'
        }
      >
        {data.lowest_margin.map((org) => (
          <Row
            key={org.id}
            value={
              <Group gap="md" wrap="nowrap">
                <Text size="sm" c="dimmed" style={NUMERIC} title={`Revenue ${usdExact(org.revenue)}`}>
                  {usd(org.cost)} cost
                </Text>
                <MarginValue margin={org.margin} threshold={threshold} />
              </Group>
            }
          >
            <Go to={paths.org(org.id, 'billing')}>{org.name}</Go>
          </Row>
        ))}
      </AttentionCard>
      <AttentionCard
        title="Most expensive agents"
        icon={<IconRobot size={16} />}
        count={data.costliest_agents.length}
        more={{ to: paths.agents(), label: 'All agents' }}
        none="No agent has cost anything this month."
      >
        {data.costliest_agents.map((agent) => (
          <Row
            key={`${agent.id} ${agent.org.id}`}
            value={
              <Text size="sm" fw={600} style={NUMERIC} title={usdExact(agent.cost)}>
                {usd(agent.cost)}
              </Text>
            }
          >
            <Group gap={6} wrap="nowrap">
              <Go to={paths.agents()} onGo={() => ask({ kind: 'open-agent', agentId: agent.id })}>
                {agent.name}
              </Go>
              <Text size="xs" c="dimmed" truncate>
                in {agent.org.name}
              </Text>
            </Group>
          </Row>
        ))}
      </AttentionCard>
      <AttentionCard
        title="Budgets"
        icon={<IconAlertTriangle size={16} />}
        count={data.budgets.length}
        more={{ to: paths.billing(), label: 'Margins' }}
        none="No client has reached 80% of its budget."
      >
        {data.budgets.map((org) => (
          <Stack key={org.id} gap={4} component="li">
            <Row
              item={false}
              value={
                <Text size="sm" style={NUMERIC}>
                  {usd(org.cost)} of {usd(org.budget)} · {percent(org.used)}
                </Text>
              }
            >
              <Group gap={8} wrap="nowrap">
                <Go to={paths.org(org.id, 'billing')}>{org.name}</Go>
                <BudgetBadge state={org.state} use={org.used} size="xs" />
              </Group>
            </Row>
            <Progress
              value={Math.min(100, org.used * 100)}
              color={org.state === 'exceeded' ? 'red' : 'yellow'}
              size="sm"
              aria-label={`${org.name}: ${percent(org.used)} of its budget`}
            />
          </Stack>
        ))}
      </AttentionCard>
      <AttentionCard
        title="Unpriced models"
        icon={<IconTags size={16} />}
        count={data.unpriced_models.length}
        more={{ to: paths.billing('prices'), label: 'Model prices' }}
        none="Every model used this month has a price."
      >
        {data.unpriced_models.map((line) => (
          <Row
            key={line.model}
            value={
              <Text size="sm" style={NUMERIC}>
                {plural(line.tokens, 'token')}
              </Text>
            }
          >
            <Go to={paths.billing('prices')}>
              <Text span ff="monospace" size="sm">
                {line.model}
              </Text>
            </Go>
          </Row>
        ))}
      </AttentionCard>
      <AttentionCard
        title="Unattributed usage"
        icon={<IconUserQuestion size={16} />}
        count={data.unattributed ? 1 : 0}
        more={{ to: paths.billing(), label: 'Margins' }}
        none="All usage this month belongs to an organization."
      >
        {data.unattributed && (
          <Row
            value={
              <Text size="sm" fw={600} style={NUMERIC} title={usdExact(data.unattributed.cost)}>
                {usd(data.unattributed.cost)}
              </Text>
            }
          >
            <Go to={paths.billing()}>
              {plural(data.unattributed.tokens, 'token')} of agents in no organization
            </Go>
          </Row>
        )}
      </AttentionCard>
      <AttentionCard
        title="Failed imports"
        icon={<IconFileAlert size={16} />}
        count={data.failed_imports.length}
        more={{ to: paths.billing('usage'), label: 'Usage import' }}
        none="No recent usage import failed."
      >
        {data.failed_imports.map((job) => (
          <Row key={job.id} value={job.finishedAt ? <LocalTime iso={job.finishedAt} dateOnly /> : null}>
            <Go to={paths.billing('usage')}>{job.fileName}</Go>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {job.problem}
            </Text>
          </Row>
        ))}
      </AttentionCard>
    </SimpleGrid>
  );
}

/**
 * The first page for owners and admins: the month so far, and what needs a look, each a link to it.
 * With an org chosen in the switcher it is that org's (as every page follows the switcher), and one
 * click shows every org again.
 */
export function HomePage({ user, month: chosen }: { user: SessionUser; month: string | null }) {
  const month = chosen ?? currentMonth();
  const selection = useSwitcherOrg(user);
  const [, update] = useUrlState();
  const attention = useAttention(month, selection.id, !selection.pending);
  const soFar = month === currentMonth() ? ' so far' : '';
  const org = attention.data?.org ?? null;
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2}>{org ? `Home · ${org.name}` : 'Home'}</Title>
          <Text c="dimmed" size="sm">
            {org
              ? `${monthName(month)}${soFar} (UTC): what needs attention in ${org.name}.`
              : attention.data && attention.data.clients > 0
                ? `${monthName(month)}${soFar} (UTC): what needs attention across ${plural(
                    attention.data.clients,
                    'client organization',
                  )}.`
                : `What needs attention in ${monthName(month)} (UTC).`}
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          {org && (
            <>
              <Button variant="default" onClick={() => selection.select(ALL_ORGS)}>
                Show all organizations
              </Button>
              <Button
                variant="subtle"
                rightSection={<IconArrowRight size={16} />}
                onClick={() => navigate(paths.org(org.slug))}
              >
                Open {org.name}
              </Button>
            </>
          )}
          <MonthPicker
            value={month}
            onChange={(next) => update({ month: next === currentMonth() ? null : next })}
          />
        </Group>
      </Group>
      <QueryState
        query={attention}
        loadingLabel="Loading what needs attention"
        errorTitle="Could not load the month’s figures"
        // A fresh install: no client yet and nothing imported that needs a look.
        isEmpty={(data) =>
          data.clients === 0 &&
          data.agents === 0 &&
          data.unattributed === null &&
          data.failed_imports.length === 0
        }
        empty={<FreshInstall user={user} />}
      >
        {(data) => (
          <Stack gap="lg">
            <Totals data={data} soFar={soFar} />
            <AttentionGrid data={data} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
