import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RoleNotFoundError,
  arnPartition,
  assumedRoleName,
  discoverRole,
  partitionForRegion,
  sessionArn,
  type IdentityCalls,
} from '../../../src/session/glue/identity';

describe('role ARN parsing', () => {
  it('finds the role in an assumed-role ARN, in any partition', () => {
    assert.equal(
      assumedRoleName('arn:aws:sts::123456789012:assumed-role/GlueNotebookRole/SageMaker'),
      'GlueNotebookRole',
    );
    assert.equal(assumedRoleName('arn:aws-cn:sts::123456789012:assumed-role/R/s'), 'R');
    assert.equal(
      assumedRoleName('arn:aws-us-gov:sts::123456789012:assumed-role/R-1_x.y@z/i-0abc'),
      'R-1_x.y@z',
    );
    assert.equal(
      assumedRoleName('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_abc/jane@example.com'),
      'AWSReservedSSO_Admin_abc',
    );
  });

  it('returns undefined for users, root, federated users and junk', () => {
    for (const arn of [
      'arn:aws:iam::123456789012:user/jane',
      'arn:aws:iam::123456789012:root',
      'arn:aws:sts::123456789012:federated-user/bob',
      'arn:aws:sts::123456789012:assumed-role/NoSession',
      'arn:aws:iam::123456789012:role/GlueRole',
      '',
      'not an arn',
    ]) {
      assert.equal(assumedRoleName(arn), undefined, arn);
    }
  });
});

describe('partitions and session ARNs', () => {
  it('maps regions to partitions', () => {
    assert.equal(partitionForRegion('us-east-1'), 'aws');
    assert.equal(partitionForRegion('eu-west-2'), 'aws');
    assert.equal(partitionForRegion('cn-north-1'), 'aws-cn');
    assert.equal(partitionForRegion('cn-northwest-1'), 'aws-cn');
    assert.equal(partitionForRegion('us-gov-west-1'), 'aws-us-gov');
    assert.equal(partitionForRegion('us-iso-east-1'), 'aws-iso');
    assert.equal(partitionForRegion('us-isob-east-1'), 'aws-iso-b');
    assert.equal(partitionForRegion('us-isof-south-1'), 'aws-iso-f');
    assert.equal(partitionForRegion('eu-isoe-west-1'), 'aws-iso-e');
  });

  it('builds session ARNs for GetTags/TagResource', () => {
    assert.equal(
      sessionArn('us-east-1', '123456789012', 'abc-1'),
      'arn:aws:glue:us-east-1:123456789012:session/abc-1',
    );
    assert.equal(
      sessionArn('cn-north-1', '123456789012', 's'),
      'arn:aws-cn:glue:cn-north-1:123456789012:session/s',
    );
    assert.equal(
      sessionArn('us-gov-west-1', '123456789012', 's'),
      'arn:aws-us-gov:glue:us-gov-west-1:123456789012:session/s',
    );
    assert.equal(arnPartition('arn:aws-cn:iam::1:role/x'), 'aws-cn');
  });
});

describe('discoverRole', () => {
  const signal = new AbortController().signal;

  it('GetCallerIdentity → GetRole(role name) → Arn', async () => {
    const asked: string[] = [];
    const calls: IdentityCalls = {
      getCallerIdentity: async () => ({
        arn: 'arn:aws:sts::123456789012:assumed-role/StudioRole/me',
        userId: 'AROAX:me',
        account: '123456789012',
      }),
      getRoleArn: async (name) => {
        asked.push(name);
        return `arn:aws:iam::123456789012:role/service-role/${name}`;
      },
    };
    assert.equal(await discoverRole(calls, signal), 'arn:aws:iam::123456789012:role/service-role/StudioRole');
    assert.deepEqual(asked, ['StudioRole']);
  });

  it('an IAM user gets a clear error naming %iam_role and glue_role_arn', async () => {
    const calls: IdentityCalls = {
      getCallerIdentity: async () => ({
        arn: 'arn:aws:iam::123456789012:user/jane',
        userId: 'AIDAX',
        account: '123456789012',
      }),
      getRoleArn: async () => assert.fail('GetRole must not be called'),
    };
    await assert.rejects(discoverRole(calls, signal), (e: unknown) => {
      assert.ok(e instanceof RoleNotFoundError);
      assert.match(e.message, /%iam_role/);
      assert.match(e.message, /glue_role_arn/);
      assert.match(e.message, /user\/jane/);
      return true;
    });
  });
});
