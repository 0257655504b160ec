import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Pager } from '@/components/ui/pager';
import { paths } from '@/config/paths';
import { asSemanticSpec, specValues } from '@/config/semantic';
import { formatBytes, formatDateTime } from '@/utils/format';

import { type ReviewItem, useReviewQueue } from '../api/get-review-queue';
import { useReviewVersion } from '../api/review-version';

const PAGE_SIZE = 10;

function ReviewCard({
  item,
  renderReport,
}: {
  item: ReviewItem;
  renderReport: (versionId: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const review = useReviewVersion();
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const spec = asSemanticSpec(item.semantic_spec);
  const tags = ['Data', 'Task', 'Library', 'License'] as const;

  const decide = (decision: 'approve' | 'reject') => {
    if (decision === 'reject' && !reason.trim()) {
      setMissingReason(true);
      return;
    }
    setMissingReason(false);
    review.mutate({ versionId: item.id, decision, reason: reason.trim() });
  };

  return (
    <Card withBorder component="article" aria-label={item.learnware_name}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Anchor component={Link} to={paths.learnware.to(item.learnware_id)} fw={600}>
              {item.learnware_name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {t('review.meta', {
                number: item.number,
                owner: item.owner.display_name,
                size: formatBytes(item.package_size),
                when: formatDateTime(item.created_at),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {tags.map((key) => specValues(spec[key]).join(', ')).join(' · ')}
              {item.stat_spec_type && ` · ${item.stat_spec_type}`}
            </Text>
          </Stack>
        </Group>
        <Title order={3} size="h6">
          {t('checks.title')}
        </Title>
        {renderReport(item.id)}
        <Textarea
          label={t('review.reason')}
          description={t('review.reasonHelp')}
          value={reason}
          maxLength={5000}
          error={missingReason ? t('review.reasonRequired') : undefined}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            if (event.currentTarget.value.trim()) setMissingReason(false);
          }}
        />
        {review.isError && (
          <Alert color="red" role="alert">
            {review.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button
            color="red"
            variant="light"
            loading={review.isPending && review.variables.decision === 'reject'}
            onClick={() => {
              decide('reject');
            }}
          >
            {t('review.reject')}
          </Button>
          <Button
            color="teal"
            loading={review.isPending && review.variables.decision === 'approve'}
            onClick={() => {
              decide('approve');
            }}
          >
            {t('review.approve')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Versions that passed their checks, oldest first, each with its check report. */
export function ReviewQueue({ renderReport }: { renderReport: (versionId: number) => ReactNode }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const queue = useReviewQueue(page, PAGE_SIZE);

  if (queue.isPending) return <Loader aria-label={t('common.loading')} />;
  if (queue.isError) {
    return (
      <Alert color="red" role="alert">
        {queue.error.message}
      </Alert>
    );
  }
  if (queue.data.count === 0) return <Text>{t('review.empty')}</Text>;

  return (
    <Stack>
      <Text size="sm" c="dimmed" role="status">
        {t('review.count', { count: queue.data.count })}
      </Text>
      {queue.data.results.map((item) => (
        <ReviewCard key={item.id} item={item} renderReport={renderReport} />
      ))}
      <Pager count={queue.data.count} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}
