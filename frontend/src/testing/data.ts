import type { components } from '@/lib/api/schema';

type Schemas = components['schemas'];
type Health = Schemas['HealthOutput'];
type HealthCheck = Schemas['HealthCheckOutput'];
type ApiRoot = Schemas['ApiRootOutput'];

export const aHealthCheck = (overrides: Partial<HealthCheck> = {}): HealthCheck => ({
  ok: true,
  detail: 'ok',
  latency_ms: 1.5,
  ...overrides,
});

/** A health report; the status follows the checks unless given. */
export const aHealthReport = (checks: Partial<Health['checks']> = {}): Health => {
  const all = {
    database: aHealthCheck({ detail: 'PostgreSQL answered SELECT 1' }),
    broker: aHealthCheck({ detail: 'Redis answered PING' }),
    worker: aHealthCheck({ detail: '1 worker replied to ping' }),
    ...checks,
  };
  const ok = Object.values(all).every((check) => check.ok);
  return { status: ok ? 'ok' : 'unavailable', checks: all };
};

export const anApiRoot = (overrides: Partial<ApiRoot> = {}): ApiRoot => ({
  name: 'Beimingwu learnware dock API',
  version: '0.1.0',
  links: { schema: '/api/schema/', docs: '/api/docs/', health: '/healthz' },
  ...overrides,
});

export const aUser = (
  overrides: Partial<Schemas['UserMeOutput']> = {},
): Schemas['UserMeOutput'] => ({
  id: 7,
  email: 'ada@example.edu',
  display_name: 'Ada',
  role: 'user',
  email_verified: true,
  date_joined: '2026-11-27T10:00:00Z',
  ...overrides,
});

export const anAdminUser = (
  overrides: Partial<Schemas['UserAdminOutput']> = {},
): Schemas['UserAdminOutput'] => ({
  id: 8,
  email: 'bob@example.edu',
  display_name: 'Bob',
  role: 'user',
  is_active: true,
  email_verified: true,
  date_joined: '2026-11-20T10:00:00Z',
  last_login: null,
  ...overrides,
});

export const aSemanticSpec = (overrides: Record<string, unknown> = {}) => ({
  Data: { Type: 'Class', Values: ['Table'] },
  Task: { Type: 'Class', Values: ['Classification'] },
  Model: { Type: 'Optional', Values: ['Others'] },
  Library: { Type: 'Class', Values: ['Scikit-learn'] },
  License: { Type: 'Class', Values: ['MIT'] },
  Scenario: { Type: 'Tag', Values: ['Education'] },
  Name: { Type: 'String', Values: 'Iris classifier' },
  Description: { Type: 'String', Values: 'A **random forest** for the iris data.' },
  Input: { Dimension: 2, Description: { '0': 'sepal length', '1': 'sepal width' } },
  Output: { Dimension: 3, Description: { '0': 'setosa', '1': 'versicolor', '2': 'virginica' } },
  ...overrides,
});

export const aVersion = (
  overrides: Partial<Schemas['VersionOutput']> = {},
): Schemas['VersionOutput'] => ({
  id: 11,
  learnware_id: 1,
  number: 1,
  status: 'approved',
  package_size: 5974,
  package_sha256: 'ab'.repeat(32),
  stat_spec_type: 'RKMETableSpecification',
  semantic_spec: aSemanticSpec(),
  failure_reason: '',
  review_reason: '',
  created_at: '2026-11-27T10:00:00Z',
  checked_at: '2026-11-27T10:01:00Z',
  reviewed_at: '2026-11-27T11:00:00Z',
  ...overrides,
});

export const aCheckStep = (
  overrides: Partial<Schemas['CheckStepOutput']> = {},
): Schemas['CheckStepOutput'] => ({
  position: 1,
  name: 'package layout',
  status: 'passed',
  message: 'learnware.yaml, __init__.py and requirements.txt found',
  log: '',
  details: { pickle_scan: null },
  started_at: '2026-11-27T10:00:01Z',
  duration_s: 0.4,
  ...overrides,
});

export const aPickleScan = (
  overrides: Partial<Schemas['PickleScanOutput']> = {},
): Schemas['PickleScanOutput'] => ({
  scanner: 'picklescan 1.0.5',
  files: [{ file: 'model.pkl', format: 'pickle', error: '' }],
  findings: [
    {
      file: 'model.pkl',
      module: 'sklearn.linear_model._logistic',
      name: 'LogisticRegression',
      severity: 'suspicious',
    },
    { file: 'model.pkl', module: 'numpy', name: 'ndarray', severity: 'innocuous' },
  ],
  truncated: false,
  ...overrides,
});

export const aVersionDetail = (
  overrides: Partial<Schemas['VersionDetailOutput']> = {},
): Schemas['VersionDetailOutput'] => ({
  ...aVersion(),
  check_steps: [
    aCheckStep(),
    aCheckStep({
      position: 2,
      name: 'model_loads',
      message: 'Model() built',
      log: 'imported __init__',
    }),
  ],
  ...overrides,
});

export const aLearnware = (
  overrides: Partial<Schemas['LearnwareOutput']> = {},
): Schemas['LearnwareOutput'] => ({
  id: 1,
  name: 'Iris classifier',
  owner: { id: 7, display_name: 'Ada' },
  data_type: 'Table',
  task_type: 'Classification',
  library_type: 'Scikit-learn',
  license: 'MIT',
  scenarios: ['Education'],
  semantic_spec: aSemanticSpec(),
  live_version: aVersion(),
  downloads: 3,
  created_at: '2026-11-27T10:00:00Z',
  updated_at: '2026-11-27T11:00:00Z',
  ...overrides,
});

export const aMyLearnware = (
  overrides: Partial<Schemas['MyLearnwareOutput']> = {},
): Schemas['MyLearnwareOutput'] => ({
  ...aLearnware(),
  latest_version: { id: 11, number: 1, status: 'approved' },
  ...overrides,
});

export const anAuditEntry = (
  overrides: Partial<Schemas['AuditEntryOutput']> = {},
): Schemas['AuditEntryOutput'] => ({
  id: 1,
  actor: { id: 3, email: 'rita@example.edu', display_name: 'Rita' },
  action: 'learnware.reject',
  target_type: 'learnware',
  target_id: 1,
  target_label: 'Iris classifier',
  detail: { version: 1, reason: 'No licence file.' },
  created_at: '2026-11-27T11:00:00Z',
  ...overrides,
});

/** Dashboard figures over `days` days ending 2026-11-27; `day(i)` overrides day i. */
export const aMarketStats = (
  days = 7,
  day: (i: number) => Partial<Schemas['MarketDayOutput']> = () => ({}),
): Schemas['MarketStatsOutput'] => ({
  days,
  totals: { learnwares: 12, users: 30, awaiting_review: 2, downloads: 340, searches: 1200 },
  by_type: { Table: 8, Image: 3, Text: 1 },
  by_status: {
    queued: 0,
    checking: 1,
    check_failed: 3,
    awaiting_review: 2,
    approved: 12,
    rejected: 4,
  },
  daily: Array.from({ length: days }, (_, i) => ({
    date: new Date(Date.UTC(2026, 10, 27 - (days - 1 - i))).toISOString().slice(0, 10),
    submitted: 1,
    approved: 1,
    rejected: 0,
    check_failed: 0,
    searches: 10 * i,
    downloads: i,
    listed: { Table: 5 + i, Image: 3, Text: 1 },
    ...day(i),
  })),
});

export const aNotification = (
  overrides: Partial<Schemas['NotificationOutput']> = {},
): Schemas['NotificationOutput'] => ({
  id: 1,
  title: 'Iris classifier is approved',
  body: 'Version 1 is live.',
  learnware_id: 1,
  created_at: '2026-11-27T11:00:00Z',
  read_at: null,
  ...overrides,
});

export const aReviewItem = (
  overrides: Partial<Schemas['ReviewQueueItemOutput']> = {},
): Schemas['ReviewQueueItemOutput'] => ({
  ...aVersion({ status: 'awaiting_review', reviewed_at: null }),
  check_steps: [],
  learnware_name: 'Iris classifier',
  owner: { id: 7, display_name: 'Ada' },
  ...overrides,
});

/** A DRF page of results. */
export const aPage = <T>(results: T[], count = results.length) => ({
  count,
  next: null,
  previous: null,
  results,
});

/** The body of every 4xx. */
export const anError = (message: string, extra: Record<string, unknown> = {}) => ({
  message,
  extra,
});

/** What `GET /api/semantic-vocabulary/` answers (the core library's vocabularies). */
export const aSemanticVocabulary = (
  overrides: Partial<Schemas['SemanticVocabularyOutput']> = {},
): Schemas['SemanticVocabularyOutput'] => ({
  data_types: ['Table', 'Image', 'Text'],
  task_types: [
    'Classification',
    'Regression',
    'Feature Extraction',
    'Segmentation',
    'Object Detection',
    'Text Generation',
    'Others',
  ],
  library_types: ['Scikit-learn', 'PyTorch', 'TensorFlow', 'Others'],
  scenarios: ['Business', 'Financial', 'Health', 'Education', 'Others'],
  licenses: ['MIT', 'Apache-2.0', 'GPL-3.0', 'Others'],
  model_types: ['Base Model', 'Fine-tuned Model', 'PEFT Model', 'Others'],
  tasks_by_data: {
    Table: ['Classification', 'Regression', 'Feature Extraction', 'Others'],
    Image: [
      'Classification',
      'Regression',
      'Feature Extraction',
      'Segmentation',
      'Object Detection',
      'Others',
    ],
    Text: ['Classification', 'Regression', 'Feature Extraction', 'Text Generation', 'Others'],
  },
  name_length: [5, 50],
  description_length: [10, 10000],
  ...overrides,
});

export const aSearchHit = (
  overrides: Partial<Schemas['SearchHitOutput']> = {},
): Schemas['SearchHitOutput'] => ({
  learnware: aLearnware(),
  score: 0.8,
  mmd2: 0.0123,
  text_score: null,
  confidence: null,
  reason: null,
  missing_columns: [],
  ...overrides,
});

/** A search answer: these hits, no combination, a good match. */
export const aSearchResult = (
  overrides: Partial<Schemas['LearnwareSearchOutput']> = {},
): Schemas['LearnwareSearchOutput'] => ({
  count: overrides.results?.length ?? 0,
  results: [],
  multiple: null,
  heterogeneous: false,
  engine_version: null,
  no_match: false,
  reason: null,
  ...overrides,
});

/** A specification-world engine version: active, trained by an admin on 3 tables. */
export const aWorldVersion = (
  overrides: Partial<Schemas['WorldEngineVersionOutput']> = {},
): Schemas['WorldEngineVersionOutput'] => ({
  id: 1,
  version: 'a1b2c3d4e5f6',
  state: 'active',
  trigger: 'manual',
  triggered_by: { id: 1, display_name: 'Root' },
  activated_by: null,
  learnware_count: 3,
  candidate_count: 3,
  metrics: {
    tables: 3,
    points: 300,
    columns: 24,
    loss_first_epoch: 4.1,
    loss_last_epoch: 1.25,
    view_match_top1: 0.875,
    train_s: 42,
  },
  config: {},
  progress: {},
  error: '',
  task_id: 'task-1',
  created_at: '2026-11-27T10:00:00Z',
  finished_at: '2026-11-27T10:01:00Z',
  activated_at: '2026-11-27T10:02:00Z',
  ...overrides,
});

/** The 2-D map of a version: two islands, three learnwares. */
export const aWorldProjection = (
  overrides: Partial<Schemas['WorldProjectionOutput']> = {},
): Schemas['WorldProjectionOutput'] => ({
  engine_version: 'a1b2c3d4e5f6',
  state: 'active',
  explained_variance: [0.62, 0.21],
  islands: [
    { key: '4:aa11', label: '4 columns: sepal length, sepal width, …', dimension: 4, count: 2 },
    { key: '8:bb22', label: '8 columns: age, income, …', dimension: 8, count: 1 },
  ],
  points: [
    { learnware_id: 1, name: 'Iris classifier', x: 0.1, y: -0.2, island: '4:aa11' },
    { learnware_id: 2, name: 'Iris forest', x: 0.15, y: -0.1, island: '4:aa11' },
    { learnware_id: 3, name: 'Credit scorer', x: -0.9, y: 0.4, island: '8:bb22' },
  ],
  ...overrides,
});
