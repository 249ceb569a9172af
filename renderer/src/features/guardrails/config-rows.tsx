import { Badge, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import type { PolicyConfig } from '../../../../shared/contract/policies';
import { PII_LABELS } from './policy-kinds';

function Items({ items }: { items: readonly string[] }) {
  return (
    <Group gap={4}>
      {items.map((item) => (
        <Badge key={item} variant="light" color="gray" tt="none">
          {item}
        </Badge>
      ))}
    </Group>
  );
}

/** A config's settings as label and value, labelled as the form labels them, for reading a version. */
export function configRows(config: PolicyConfig): [string, ReactNode][] {
  switch (config.kind) {
    case 'topic_block':
      return [
        ['Blocked topics', <Items key="topics" items={config.topics} />],
        ['Message', config.message || '—'],
      ];
    case 'pii_redaction':
      return [
        ['Personal data to redact', config.entities.map((entity) => PII_LABELS[entity]).join(', ')],
        ['Replacement', config.replacement],
      ];
    case 'spend_limit':
      return [
        ['Monthly limit', `$${config.monthlyUsd}`],
        ['When reached', config.action === 'block' ? 'Block' : 'Warn'],
      ];
    case 'approval_required':
      return [
        ['Tools that need approval', <Items key="tools" items={config.tools} />],
        ['Approvers', <Items key="approvers" items={config.approvers} />],
      ];
    case 'tool_allowlist':
      return [['Allowed tools', <Items key="tools" items={config.tools} />]];
  }
}
