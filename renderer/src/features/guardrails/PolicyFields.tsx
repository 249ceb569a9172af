import { Badge, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { POLICY_KINDS } from '../../../../shared/domain/policies';
import type { IssuePlacement } from '../../ui/use-contract-form';
import { ConfigFields } from './ConfigFields';
import { type ConfigDraft, emptyConfig, KINDS, type PolicyKind } from './policy-kinds';

export interface PolicyDraft {
  name: string;
  description: string;
  config: ConfigDraft;
}

/** A config issue shows on its own field (`config.topics`), saying which entry of a list is wrong. */
export const placePolicyIssue: IssuePlacement = ({ path, message }) => {
  const [top, field, entry] = path;
  if (top !== 'config' || typeof field !== 'string') return { field: String(top ?? ''), message };
  return {
    field: `config.${field}`,
    message: typeof entry === 'number' ? `Entry ${entry + 1}: ${message}` : message,
  };
};

const KIND_OPTIONS = POLICY_KINDS.map((kind) => ({ value: kind, label: KINDS[kind].label }));

/** Name, description, kind and the kind's settings; the kind is chosen once, at creation. */
export function PolicyFields({
  draft,
  errors,
  onName,
  onDescription,
  onConfig,
  kindLocked,
  descriptionRequired,
}: {
  draft: PolicyDraft;
  errors: Record<string, string>;
  onName: (name: string) => void;
  onDescription: (description: string) => void;
  /** `slot`: the error slot the change answers, cleared with it. */
  onConfig: (config: ConfigDraft, slot: string) => void;
  kindLocked: boolean;
  descriptionRequired: boolean;
}) {
  const kind = draft.config.kind;
  return (
    <Stack gap="sm">
      <TextInput
        label="Name"
        placeholder="No politics"
        data-autofocus={!kindLocked || undefined}
        value={draft.name}
        error={errors.name}
        onChange={(event) => onName(event.currentTarget.value)}
      />
      <Textarea
        label="Description"
        description={descriptionRequired ? 'This organization requires one on every policy.' : 'Optional'}
        withAsterisk={descriptionRequired}
        autosize
        minRows={2}
        maxRows={5}
        value={draft.description}
        error={errors.description}
        onChange={(event) => onDescription(event.currentTarget.value)}
      />
      {kindLocked ? (
        <Group gap="xs">
          <Text size="sm" fw={500}>
            Kind
          </Text>
          <Badge variant="light" tt="none">
            {KINDS[kind].label}
          </Badge>
          <Text size="xs" c="dimmed">
            {KINDS[kind].hint}
          </Text>
        </Group>
      ) : (
        <Select
          label="Kind"
          description={KINDS[kind].hint}
          data={KIND_OPTIONS}
          value={kind}
          allowDeselect={false}
          onChange={(next) => next && onConfig(emptyConfig(next as PolicyKind), 'config.kind')}
        />
      )}
      <ConfigFields
        config={draft.config}
        errors={errors}
        onChange={(next, field) => onConfig(next, `config.${field}`)}
      />
      {errors.config && (
        <Text size="sm" c="red" role="alert">
          {errors.config}
        </Text>
      )}
    </Stack>
  );
}
