import { Match } from 'aws-cdk-lib/assertions';
import { overridesFromContext } from '@lib/config';
import { resourcesOf, synthesize } from './support';

const withAdmin = synthesize('prod', { adminEmail: 'Ops@Bank.example' });
const template = (() => {
  if (!withAdmin.firstAdmin) throw new Error('adminEmail did not add the FirstAdmin stack');
  return withAdmin.firstAdmin;
})();

describe('first bank admin (-c adminEmail=...)', () => {
  it('exists only when an admin e-mail is given', () => {
    expect(synthesize('dev').stacks.firstAdmin).toBeUndefined();
    expect(withAdmin.stacks.firstAdmin?.stackName).toBe('CoreBanking-prod-FirstAdmin');
  });

  it('generates a strong password in Secrets Manager, kept like the data in prod', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: {
        Name: 'core-banking-prod/first-admin-password',
        GenerateSecretString: {
          PasswordLength: 32,
          RequireEachIncludedType: true,
          ExcludeCharacters: ' "\'\\`$',
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('passes the custom resource the username, the lower-cased e-mail and the secret ARN, never a password', () => {
    const resources = Object.values(resourcesOf(template, 'Custom::FirstBankAdmin'));
    expect(resources).toHaveLength(1);
    const properties = resources[0]?.Properties ?? {};
    expect(Object.keys(properties).sort()).toEqual([
      'Email',
      'PasswordSecretArn',
      'ServiceToken',
      'Username',
    ]);
    expect(properties).toMatchObject({
      Username: 'admin',
      Email: 'ops@bank.example',
      PasswordSecretArn: { Ref: expect.stringMatching(/^Password/) },
    });
  });

  it('lets the function read that one secret and nothing else in Secrets Manager', () => {
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes('FirstAdminRole'))
      .flatMap(
        (policy) => (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:'));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: { Ref: expect.stringMatching(/^Password/) },
      },
    ]);
  });

  it('prints the username and the command that reads the password', () => {
    template.hasOutput('FirstAdminUsername', { Value: 'admin' });
    template.hasOutput('FirstAdminPasswordCommand', {
      Value: {
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^aws secretsmanager get-secret-value')])],
      },
    });
  });

  it.each([
    [{ adminEmail: 'not-an-email' }, /adminEmail must be an e-mail address/],
    [{ adminUsername: 'admin' }, /adminUsername needs adminEmail as well/],
    [{ adminEmail: 'ops@bank.example', adminUsername: 'no spaces allowed' }, /adminUsername: /],
  ])('refuses bad context %j with a clear message', (context, message) => {
    expect(() => overridesFromContext((key) => (context as Record<string, unknown>)[key])).toThrow(message);
  });
});
