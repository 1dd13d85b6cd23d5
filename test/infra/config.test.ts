import { describe, expect, it } from 'vitest';
import { loadStageConfigs, StageConfigError, STAGES } from '../../infra/config.ts';

describe('loadStageConfigs', () => {
  it('returns every stage when no stage is named, so that `cdk synth` checks them all', () => {
    const configs = loadStageConfigs();

    expect(configs.map((c) => c.stage)).toEqual(['dev', 'prod']);
  });

  it('returns the stage named by -c stage=…', () => {
    const [config] = loadStageConfigs({ stage: 'prod' });

    expect(config?.stage).toBe('prod');
    expect(config?.terminationProtection).toBe(true);
  });

  it('rejects an unknown stage', () => {
    expect(() => loadStageConfigs({ stage: 'staging' })).toThrow(StageConfigError);
  });

  it('takes web origins and the login domain prefix from the context', () => {
    const [config] = loadStageConfigs({ stage: 'dev', webOrigins: 'https://a.example.fr, https://b.example.fr', authDomainPrefix: 'cahier-dev-test' });

    expect(config?.webOrigins).toEqual(['https://a.example.fr', 'https://b.example.fr']);
    expect(config?.authDomainPrefix).toBe('cahier-dev-test');
  });

  it('rejects an origin with a path, plain http off localhost, and a prefix Cognito refuses', () => {
    expect(() => loadStageConfigs({ stage: 'dev', webOrigins: 'https://a.example.fr/app' })).toThrow(/webOrigins/);
    expect(() => loadStageConfigs({ stage: 'dev', webOrigins: 'http://a.example.fr' })).toThrow(/webOrigins/);
    expect(() => loadStageConfigs({ stage: 'dev', authDomainPrefix: 'my-cognito-app' })).toThrow(/authDomainPrefix/);
  });

  it('refuses a POST /tenders limit looser than the stage limit, a retention CloudWatch does not offer, and half an environment', () => {
    const stages = {
      loose: { ...STAGES.dev, renderThrottle: { rateLimit: 100, burstLimit: 5 } },
      retention: { ...STAGES.dev, functionLogRetentionDays: 15 },
      half: { ...STAGES.dev, account: '123456789012' },
    };

    expect(() => loadStageConfigs({ stage: 'loose' }, stages)).toThrow(/renderThrottle/);
    expect(() => loadStageConfigs({ stage: 'retention' }, stages)).toThrow(/functionLogRetentionDays/);
    expect(() => loadStageConfigs({ stage: 'half' }, stages)).toThrow(/account/);
  });

  it('bounds a pending rendering at three hours by default, and refuses a bound a document job could still outlive', () => {
    const stages = { short: { ...STAGES.dev, pendingRenderingMaxAgeMinutes: 120 }, longer: { ...STAGES.dev, pendingRenderingMaxAgeMinutes: 121 } };

    expect(loadStageConfigs({ stage: 'dev' })[0]?.pendingRenderingMaxAgeMinutes).toBe(180);
    expect(() => loadStageConfigs({ stage: 'short' }, stages)).toThrow(/pendingRenderingMaxAgeMinutes/);
    expect(loadStageConfigs({ stage: 'longer' }, stages)[0]?.pendingRenderingMaxAgeMinutes).toBe(121);
  });
});
