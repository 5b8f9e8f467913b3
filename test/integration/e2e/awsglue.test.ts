// The AWS Glue boilerplate and DynamicFrame's common operations through a real Jupyter client,
// on the emulator and on the local backend: both run glue-kernel's awsglue compatibility package
// and pyspark shim over DuckDB (the runner Python has DuckDB but neither pyspark nor awsglue).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { assertError, assertOk, drive, startE2E, stdout, type Drive, type StepResult } from './harness';

const BOILERPLATE = [
  'import sys',
  'from awsglue.transforms import *',
  'from awsglue.utils import getResolvedOptions',
  'from pyspark.context import SparkContext',
  'from awsglue.context import GlueContext',
  'from awsglue.job import Job',
  '',
  'sc = SparkContext.getOrCreate()',
  'glueContext = GlueContext(sc)',
  'spark = glueContext.spark_session',
  'job = Job(glueContext)',
].join('\n');

/** Every text the cell showed (streams, displays, results). */
function shown(cell: StepResult): string {
  return (cell.outputs ?? []).map((o) => [o.text, o.plain, o.markdown].filter(Boolean).join('\n')).join('\n');
}

function cells(dir: string): { name: string; code: string }[] {
  const data = path.join(dir, 'people.csv');
  fs.writeFileSync(data, 'id,name,age\n1,Ann,34\n2,Bob,19\n3,Cy,51\n');
  const out = (fmt: string): string => JSON.stringify(`file://${path.join(dir, 'out', fmt)}`);
  return [
    { name: 'boilerplate', code: BOILERPLATE },
    {
      name: 'same session',
      code: 'print(SparkContext.getOrCreate() is sc, spark.sparkContext is sc, type(sc).__module__)',
    },
    {
      name: 'read csv',
      code:
        `people = glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": [${JSON.stringify(data)}]}, ` +
        'format="csv", format_options={"withHeader": True})\nprint(people.count())',
    },
    { name: 'printSchema', code: 'people.printSchema()' },
    { name: 'show', code: 'people.show(2)' },
    {
      name: 'fromDF/toDF',
      code: 'from awsglue.dynamicframe import DynamicFrame\ndf = people.toDF()\nprint(type(df).__name__, DynamicFrame.fromDF(df.filter("age > 20"), glueContext, "adults").count())',
    },
    { name: 'select_fields', code: 'print(people.select_fields(["name"]).toDF().columns)' },
    { name: 'drop_fields', code: 'print(people.drop_fields(["age"]).toDF().columns)' },
    { name: 'rename_field', code: 'print(people.rename_field("name", "full_name").toDF().columns)' },
    {
      name: 'apply_mapping',
      code: 'm = ApplyMapping.apply(frame=people, mappings=[("id", "long", "person_id", "string"), ("age", "long", "years", "double")])\nm.printSchema()\nm.show(1)',
    },
    {
      name: 'filter',
      code: 'Filter.apply(frame=people, f=lambda r: r["age"] > 30).show()\nprint(people.filter(lambda r: r.name == "Bob").count())',
    },
    {
      name: 'write and read back',
      code: [
        'for fmt in ("csv", "json", "parquet"):',
        `    target = {"csv": ${out('csv')}, "json": ${out('json')}, "parquet": ${out('parquet')}}[fmt]`,
        '    glueContext.write_dynamic_frame.from_options(frame=people, connection_type="s3", connection_options={"path": target}, format=fmt)',
        '    back = glueContext.create_dynamic_frame.from_options("s3", {"paths": [target]}, format=fmt, format_options={"withHeader": True})',
        '    print(fmt, back.count(), sorted(back.toDF().columns))',
      ].join('\n'),
    },
    {
      name: 'spark.sql',
      code: 'people.toDF().createOrReplaceTempView("people")\nspark.sql("SELECT max(age) AS oldest FROM people").show()',
    },
    { name: 'job', code: 'job.init("local-job", {})\njob.commit()\nprint(job.committed)' },
    {
      name: 'getResolvedOptions',
      code: 'print(getResolvedOptions(["job.py", "--JOB_NAME", "nightly", "--day=mon"], ["JOB_NAME", "day"]))',
    },
    {
      name: 's3 read',
      code: 'glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": ["s3://my-bucket/people/"]}, format="json")',
    },
    {
      name: 'catalog read',
      code: 'glueContext.create_dynamic_frame.from_catalog(database="sales", table_name="orders")',
    },
  ];
}

function check(d: Drive, dir: string, steps: { name: string }[]): void {
  const at = (name: string): StepResult => {
    const index = steps.findIndex((s) => s.name === name);
    assert.ok(index >= 0, name);
    return d.results[index];
  };
  // The emulator, as Glue, trims the statement output's trailing newlines; the local backend streams.
  const printed = (name: string): string => stdout(at(name)).trimEnd();
  for (const step of steps.slice(0, -2)) assertOk(at(step.name), step.name);
  assert.equal(printed('same session'), 'True True pyspark.context');
  assert.equal(printed('read csv'), '3');
  assert.equal(printed('printSchema'), 'root\n|-- id: long\n|-- name: string\n|-- age: long');
  assert.equal(printed('show'), '{"id": 1, "name": "Ann", "age": 34}\n{"id": 2, "name": "Bob", "age": 19}');
  assert.equal(printed('fromDF/toDF'), 'DataFrame 2');
  assert.equal(printed('select_fields'), "['name']");
  assert.equal(printed('drop_fields'), "['id', 'name']");
  assert.equal(printed('rename_field'), "['id', 'full_name', 'age']");
  assert.equal(
    printed('apply_mapping'),
    'root\n|-- person_id: string\n|-- years: double\n\n{"person_id": "1", "years": 34.0}',
  );
  assert.equal(
    printed('filter'),
    '{"id": 1, "name": "Ann", "age": 34}\n{"id": 3, "name": "Cy", "age": 51}\n1',
  );
  assert.equal(
    printed('write and read back'),
    "csv 3 ['age', 'id', 'name']\njson 3 ['age', 'id', 'name']\nparquet 3 ['age', 'id', 'name']",
  );
  for (const fmt of ['csv', 'json', 'parquet']) {
    const files = fs.readdirSync(path.join(dir, 'out', fmt));
    assert.equal(files.length, 1, `${fmt}: one part file`);
    assert.match(files[0], new RegExp(`^part-00000-.*\\.${fmt}$`));
  }
  assert.match(printed('spark.sql'), /oldest[\s\S]*51/);
  assert.equal(printed('job'), 'True');
  assert.equal(printed('getResolvedOptions'), "{'JOB_NAME': 'nightly', 'day': 'mon'}");
  const s3 = assertError(at('s3 read'), 'GlueSessionRequired', 'an S3 read');
  assert.match(
    s3.evalue ?? '',
    /^Reading s3:\/\/my-bucket\/people\/ needs an AWS Glue session\. .*reads and writes local files only/,
  );
  assert.ok(!(s3.traceback ?? []).join('').includes('dynamicframe.py'), 'only the user’s frames');
  const catalog = assertError(at('catalog read'), 'GlueSessionRequired', 'a Data Catalog read');
  assert.match(
    catalog.evalue ?? '',
    /^Reading the Data Catalog table sales\.orders needs an AWS Glue session/,
  );
}

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-awsglue-'));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the AWS Glue boilerplate runs offline (jupyter_client)', () => {
  test('on the emulator', async (t: TestContext) => {
    const e2e = await startE2E();
    try {
      await withDir(async (dir) => {
        const steps = cells(dir);
        const d = await drive(t, {
          kernelEnv: e2e.baseEnv(),
          steps: [...steps.map((s) => ({ code: s.code })), { shutdown: true }],
        });
        if (!d) return;
        check(d, dir, steps);
      });
    } finally {
      await e2e.stop();
    }
  });

  test('on the local backend, whose engine line names the compatibility packages', async (t: TestContext) => {
    await withDir(async (dir) => {
      const steps = cells(dir);
      const d = await drive(t, {
        backend: 'local',
        kernelEnv: {},
        steps: [...steps.map((s) => ({ code: s.code })), { shutdown: true }],
      });
      if (!d) return;
      check(d, dir, steps);
      assert.match(
        shown(d.results[0]),
        /Local session started: DuckDB [\d.]+ via duckdb\.experimental\.spark .*; pyspark: glue-kernel's shim over DuckDB; awsglue: glue-kernel's compatibility package/,
      );
    });
  });
});
