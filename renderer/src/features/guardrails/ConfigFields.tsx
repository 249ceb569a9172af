import {
  Checkbox,
  Group,
  Input,
  SegmentedControl,
  SimpleGrid,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { PII_ENTITIES } from '../../../../shared/domain/policies';
import { type ConfigDraft, DEFAULT_REPLACEMENT, PII_LABELS, type PiiEntity } from './policy-kinds';

const LIST_HINT = 'Press Enter after each one.';

/**
 * The settings of one kind of policy, as fields of their own. `errors` holds the contract's
 * messages by slot (`config.topics`, …); `onChange` names the field that changed, whose error clears.
 */
export function ConfigFields({
  config,
  errors,
  onChange,
}: {
  config: ConfigDraft;
  errors: Record<string, string>;
  onChange: (next: ConfigDraft, field: string) => void;
}) {
  const error = (field: string) => errors[`config.${field}`];

  switch (config.kind) {
    case 'topic_block':
      return (
        <>
          <TagsInput
            label="Blocked topics"
            description={LIST_HINT}
            placeholder="Add a topic"
            value={config.topics}
            error={error('topics')}
            onChange={(topics) => onChange({ ...config, topics }, 'topics')}
          />
          <Textarea
            label="Message"
            description="Optional: what the agent answers instead."
            autosize
            minRows={2}
            maxRows={5}
            value={config.message ?? ''}
            error={error('message')}
            onChange={(event) => {
              const message = event.currentTarget.value;
              onChange({ ...config, message: message === '' ? undefined : message }, 'message');
            }}
          />
        </>
      );
    case 'pii_redaction':
      return (
        <>
          <Checkbox.Group
            label="Personal data to redact"
            value={config.entities}
            error={error('entities')}
            onChange={(entities) => onChange({ ...config, entities: entities as PiiEntity[] }, 'entities')}
          >
            <SimpleGrid cols={2} spacing="xs" mt="xs">
              {PII_ENTITIES.map((entity) => (
                <Checkbox key={entity} value={entity} label={PII_LABELS[entity]} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextInput
            label="Replacement"
            description="What stands in for each piece of personal data."
            placeholder={DEFAULT_REPLACEMENT}
            w={260}
            value={config.replacement ?? ''}
            error={error('replacement')}
            onChange={(event) =>
              onChange({ ...config, replacement: event.currentTarget.value }, 'replacement')
            }
          />
        </>
      );
    case 'spend_limit':
      return (
        <Group align="flex-start" gap="lg">
          <TextInput
            label="Monthly limit"
            description="USD per calendar month"
            leftSection="$"
            inputMode="decimal"
            placeholder="500.00"
            w={200}
            value={config.monthlyUsd}
            error={error('monthlyUsd')}
            onChange={(event) =>
              onChange({ ...config, monthlyUsd: event.currentTarget.value.trim() }, 'monthlyUsd')
            }
          />
          <Input.Wrapper
            label="When reached"
            description="Warn the org, or stop its agents"
            error={error('action')}
          >
            <SegmentedControl
              display="flex"
              w="fit-content"
              mt={4}
              aria-label="When reached"
              data={[
                { value: 'warn', label: 'Warn' },
                { value: 'block', label: 'Block' },
              ]}
              value={config.action}
              onChange={(action) => onChange({ ...config, action: action as 'warn' | 'block' }, 'action')}
            />
          </Input.Wrapper>
        </Group>
      );
    case 'approval_required':
      return (
        <>
          <TagsInput
            label="Tools that need approval"
            description={LIST_HINT}
            placeholder="Add a tool, like send_payment"
            value={config.tools}
            error={error('tools')}
            onChange={(tools) => onChange({ ...config, tools }, 'tools')}
          />
          <TagsInput
            label="Approvers"
            description={`Email addresses. ${LIST_HINT}`}
            placeholder="Add an email address"
            value={config.approvers}
            error={error('approvers')}
            onChange={(approvers) => onChange({ ...config, approvers }, 'approvers')}
          />
        </>
      );
    case 'tool_allowlist':
      return (
        <TagsInput
          label="Allowed tools"
          description={`Any tool not listed is refused. ${LIST_HINT}`}
          placeholder="Add a tool, like search"
          value={config.tools}
          error={error('tools')}
          onChange={(tools) => onChange({ ...config, tools }, 'tools')}
        />
      );
  }
}
