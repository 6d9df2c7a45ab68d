import { describe, expect, it } from 'vitest';
import { RULE_TEXTS, TimelineEntry } from '@beacon/shared';
import { translate } from '../i18n/index.ts';
import { describeActor, describeRuleText, describeTimelineEntry } from './timeline.ts';

const zh = (key: Parameters<typeof translate>[0], params?: Record<string, string | number>) =>
  translate(key, params, 'zh');
const entry = (fields: Partial<TimelineEntry> & Pick<TimelineEntry, 'kind'>) =>
  TimelineEntry.parse({ at: 0, actor: 'console', ...fields });

describe('timeline lines', () => {
  it('names the actor', () => {
    expect(describeActor('console', zh)).toBe('调度台');
    expect(describeActor('device:CAR-BJ-07', zh)).toBe('车载终端 CAR-BJ-07');
    expect(describeActor('rule:pedestrian', zh)).toBe('行人识别规则');
    expect(describeActor('rule:new-rule', zh)).toBe('系统规则 new-rule');
    expect(describeActor('user:王伟', zh)).toBe('王伟');
  });

  it('words a transition with its reason and unit, and a crew report', () => {
    expect(
      describeTimelineEntry(entry({ kind: 'transition', from: 'handling', to: 'cancelled', text: '误报' }), zh),
    ).toMatchObject({ title: '处置中 → 已撤销', detail: '误报' });
    expect(
      describeTimelineEntry(
        entry({
          kind: 'transition',
          from: 'dispatched',
          to: 'on_scene',
          unitId: 'BJ-07',
          text: 'crew reported on_scene',
        }),
        zh,
      ),
    ).toMatchObject({ title: '已派单 → 已到场', detail: '车组上报：到场 · 警力 BJ-07' });
    expect(describeTimelineEntry(entry({ kind: 'assignment', unitId: 'BJ-07', text: 'acknowledged' }), zh).title).toBe(
      'BJ-07 上报：已接警',
    );
  });

  it('links http(s) attachments only', () => {
    expect(
      describeTimelineEntry(entry({ kind: 'attachment', url: 'https://evidence.example/1.jpg', text: '现场照片' }), zh),
    ).toMatchObject({ title: '附件', detail: '现场照片', url: 'https://evidence.example/1.jpg' });
    expect(describeTimelineEntry(entry({ kind: 'attachment', url: 'javascript:alert(1)' }), zh).url).toBeNull();
  });

  it('tells a merge into another from one merged in', () => {
    expect(
      describeTimelineEntry(entry({ kind: 'merge', from: 'received', to: 'merged', ref: 'INC-2' }), zh).title,
    ).toBe('并入 INC-2');
    expect(describeTimelineEntry(entry({ kind: 'merge', ref: 'INC-1' }), zh).title).toBe('INC-1 并入本警情');
  });
});

describe('texts written by rules', () => {
  const en = (key: Parameters<typeof translate>[0], params?: Record<string, string | number>) =>
    translate(key, params, 'en');

  it('says every rule text in the reader language, and passes a person’s words through', () => {
    expect(describeRuleText(RULE_TEXTS.crewReported('on_scene'), zh)).toBe('车组上报：到场');
    expect(describeRuleText(RULE_TEXTS.assessedOnDispatch, zh)).toBe('派单时一并研判');
    expect(describeRuleText(RULE_TEXTS.correlated('camera:CAM-SX1-03'), zh)).toBe('摄像机 CAM-SX1-03 关联至本事件');
    expect(describeRuleText(RULE_TEXTS.correlated('camera:CAM-SX1-03'), en)).toBe(
      'Camera CAM-SX1-03 correlated with this incident',
    );
    expect(describeRuleText(RULE_TEXTS.redFogRaise('P2', 'P1'), zh)).toBe('红雾路段内，优先级 P2 → P1');
    expect(describeRuleText(RULE_TEXTS.slaMissed('P1', 'dispatch', 5), zh)).toBe('P1 派单时限 5 分钟已超');
    expect(describeRuleText(RULE_TEXTS.slaMissed('P2', 'closure', 240), en)).toBe('P2 Closure limit of 240 min missed');
    expect(describeRuleText(RULE_TEXTS.dailyAssignMissed, zh)).toBe('09:00 前未派单');
    expect(describeRuleText(RULE_TEXTS.dailyCloseMissed, en)).toBe('Not closed by 21:00');
    expect(describeRuleText('车辆抛锚，已通知清障', zh)).toBe('车辆抛锚，已通知清障');
    expect(describeRuleText(null, zh)).toBeNull();
  });

  it('words the detection, priority and 督办 lines rules write', () => {
    expect(describeTimelineEntry(entry({ kind: 'detection', text: RULE_TEXTS.correlated('CAM-1') }), zh).detail).toBe(
      'CAM-1 关联至本事件',
    );
    expect(
      describeTimelineEntry(entry({ kind: 'priority', text: RULE_TEXTS.redFogRaise('P3', 'P2') }), zh).detail,
    ).toBe('红雾路段内，优先级 P3 → P2');
    expect(describeTimelineEntry(entry({ kind: 'supervision', text: RULE_TEXTS.dailyCloseMissed }), zh).detail).toBe(
      '21:00 前未办结',
    );
  });
});
